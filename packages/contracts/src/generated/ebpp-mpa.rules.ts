// Generated from specs/ebpp-mpa by packages/contracts/scripts/generate.mjs. Do not edit.

/** `x-bbps-retry` of each operation, keyed by `METHOD /path`: `safe` to repeat, or sent exactly once (`never`). */
export const operationRules = {
  'POST /mpacustomers': { operationId: 'lookupCustomers', retry: 'safe' },
  'POST /paymentposting': { operationId: 'postPayment', retry: 'never' },
  'POST /paymentreversalposting': { operationId: 'postPaymentReversal', retry: 'never' },
  'POST /paymentrefundposting': { operationId: 'postPaymentRefund', retry: 'never' },
} as const;

/** `x-bbps-outcome` of each status schema that has one: what each value means; all but `pending` are final. */
export const outcomes = {
} as const;

/** How each credential is sent (components.securitySchemes): the header a client sets and a server reads. */
export const securitySchemes = {
  clientKey: { type: 'apiKey', in: 'header', name: 'client-key' },
  apiKey: { type: 'apiKey', in: 'header', name: 'api-key' },
} as const;
