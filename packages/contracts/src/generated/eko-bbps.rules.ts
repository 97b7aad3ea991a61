// Generated from specs/eko-bbps by packages/contracts/scripts/generate.mjs. Do not edit.

/** `x-bbps-retry` of each operation, keyed by `METHOD /path`: `safe` to repeat, or sent exactly once (`never`). */
export const operationRules = {
  'GET /customer/payment/bbps/bill': { operationId: 'fetchBill', retry: 'safe' },
  'POST /customer/payment/bbps': { operationId: 'payBill', retry: 'never' },
  'GET /tools/reference/transaction/{tid}': { operationId: 'getTransaction', retry: 'safe' },
  'GET /tools/reference/transaction/client_ref_id:{clientRefId}': { operationId: 'getTransactionByClientRefId', retry: 'safe' },
} as const;

/** `x-bbps-outcome` of each status schema that has one: what each value means; all but `pending` are final. */
export const outcomes = {
  TxStatus: {
    '0': 'success',
    '1': 'failed',
    '2': 'pending',
    '3': 'refund-pending',
    '4': 'refunded',
    '5': 'pending',
    '6': 'pending',
  },
} as const;

/** How each credential is sent (components.securitySchemes): the header a client sets and a server reads. */
export const securitySchemes = {
  EkoDeveloperKey: { type: 'apiKey', in: 'header', name: 'developer_key' },
  EkoSecretKey: { type: 'apiKey', in: 'header', name: 'secret-key' },
  EkoSecretKeyTimestamp: { type: 'apiKey', in: 'header', name: 'secret-key-timestamp' },
} as const;
