// Generated from specs/kaleidofin-partner by packages/contracts/scripts/generate.mjs. Do not edit.

/** `x-bbps-retry` of each operation, keyed by `METHOD /path`: `safe` to repeat, or sent exactly once (`never`). */
export const operationRules = {
  'POST /bills/fetchBills': { operationId: 'fetchBills', retry: 'safe' },
  'POST /bills/fetchReceipt': { operationId: 'fetchReceipt', retry: 'never' },
} as const;

/** `x-bbps-outcome` of each status schema that has one: what each value means; all but `pending` are final. */
export const outcomes = {
} as const;

/** How each credential is sent (components.securitySchemes): the header a client sets and a server reads. */
export const securitySchemes = {
  partnerApiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
} as const;
