// Generated from specs/kaleidofin-collect by packages/contracts/scripts/generate.mjs. Do not edit.

/** `x-bbps-retry` of each operation, keyed by `METHOD /path`: `safe` to repeat, or sent exactly once (`never`). */
export const operationRules = {
  'POST /bills/fetch/{billerId}': { operationId: 'fetchCustomerBills', retry: 'safe' },
  'GET /bills/status/{systemBillId}': { operationId: 'getBillStatus', retry: 'safe' },
  'POST /bills/payment': { operationId: 'postPayment', retry: 'never' },
} as const;

/** `x-bbps-outcome` of each status schema that has one: what each value means; all but `pending` are final. */
export const outcomes = {
} as const;

/** How each credential is sent (components.securitySchemes): the header a client sets and a server reads. */
export const securitySchemes = {
  kaleidofinApiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
} as const;
