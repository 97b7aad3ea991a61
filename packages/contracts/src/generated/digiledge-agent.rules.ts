// Generated from specs/digiledge-agent by packages/contracts/scripts/generate.mjs. Do not edit.

/** `x-bbps-retry` of each operation, keyed by `METHOD /path`: `safe` to repeat, or sent exactly once (`never`). */
export const operationRules = {
  'POST /couapp/agent/bills/fetch': { operationId: 'fetchBill', retry: 'never' },
  'GET /couapp/bills/fetch/byId': { operationId: 'getFetchedBill', retry: 'safe' },
  'POST /couapp/agent/bills/payment': { operationId: 'payBill', retry: 'never' },
  'GET /couapp/transactions/payment/byTxnId': { operationId: 'getPaymentByTxnId', retry: 'safe' },
  'GET /couapp/transactions/payment/byClientId': { operationId: 'getPaymentByClientReqId', retry: 'safe' },
} as const;

/** `x-bbps-outcome` of each status schema that has one: what each value means; all but `pending` are final. */
export const outcomes = {
  BillFetchStatus: {
    'BILL_FETCH_REQUESTED': 'pending',
    'BILL_FETCH_INITIATED': 'pending',
    'BILL_FETCH_SUCCESS': 'success',
    'BILL_FETCH_FAILED': 'failed',
  },
  PaymentStatus: {
    'BILL_PAYMENT_INITIATED': 'pending',
    'BILL_PAYMENT_PENDING': 'pending',
    'BILL_PAYMENT_SUCCESS': 'success',
    'BILL_PAYMENT_FAILED': 'failed',
  },
} as const;

/** How each credential is sent (components.securitySchemes): the header a client sets and a server reads. */
export const securitySchemes = {
  DigiledgeApiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
} as const;
