// Generated from specs/digiledge-agent by packages/contracts/scripts/generate.mjs. Do not edit.
// One route per operation, in the shape @hono/zod-openapi createRoute() takes, with the generated zod schemas.

import { zBillFetchRecord, zErrorResponse, zFetchBillRequest, zFetchedBill, zGetFetchedBillQuery, zGetPaymentByClientReqIdQuery, zGetPaymentByTxnIdQuery, zPayBillRequest, zPaymentRecord } from './digiledge-agent.zod.ts';

export const operations = {
  fetchBill: {
    operationId: 'fetchBill',
    method: 'post' as const,
    path: '/couapp/agent/bills/fetch',
    security: [{ DigiledgeApiKey: [] }],
    'x-bbps-retry': 'never' as const,
    request: { body: { required: true, content: { 'application/json': { schema: zFetchBillRequest } } } },
    responses: {
      200: { description: 'Fetch accepted; `billId` identifies it. All other record fields are null.', content: { 'application/json': { schema: zBillFetchRecord } } },
      400: { description: 'Invalid request: malformed JSON, a missing mandatory field, or a field of the wrong type, length, pattern or enum. The message names the offending field.', content: { 'application/json': { schema: zErrorResponse } } },
      401: { description: 'Missing or wrong `x-api-key` (or, in production, a caller outside the IP whitelist).', content: { 'application/json': { schema: zErrorResponse } } },
      422: { description: 'Valid request refused: e.g. the biller is not enabled for this tenant.', content: { 'application/json': { schema: zErrorResponse } } },
      500: { description: 'Digiledge failed to process the request. For a payment, the outcome is unknown: poll it by txnId or clientReqId (the refId), never pay again.', content: { 'application/json': { schema: zErrorResponse } } },
    },
  },
  getFetchedBill: {
    operationId: 'getFetchedBill',
    method: 'get' as const,
    path: '/couapp/bills/fetch/byId',
    security: [{ DigiledgeApiKey: [] }],
    'x-bbps-retry': 'safe' as const,
    request: { query: zGetFetchedBillQuery },
    responses: {
      200: { description: 'The bill fetch record.', content: { 'application/json': { schema: zFetchedBill } } },
      400: { description: 'Invalid request: the billId query parameter is missing or malformed.', content: { 'application/json': { schema: zErrorResponse } } },
      401: { description: 'Missing or wrong `x-api-key` (or, in production, a caller outside the IP whitelist).', content: { 'application/json': { schema: zErrorResponse } } },
      404: { description: 'No bill fetch with this billId for this tenant.', content: { 'application/json': { schema: zErrorResponse } } },
      500: { description: 'Digiledge failed to process the request. For a payment, the outcome is unknown: poll it by txnId or clientReqId (the refId), never pay again.', content: { 'application/json': { schema: zErrorResponse } } },
    },
  },
  payBill: {
    operationId: 'payBill',
    method: 'post' as const,
    path: '/couapp/agent/bills/payment',
    security: [{ DigiledgeApiKey: [] }],
    'x-bbps-retry': 'never' as const,
    request: { body: { required: true, content: { 'application/json': { schema: zPayBillRequest } } } },
    responses: {
      200: { description: 'Payment accepted and initiated (`genericResponse.statusCode` "200"). The seed\'s "Response Parameters" table and its example disagree on the fields; both shapes validate.', content: { 'application/json': { schema: zPaymentRecord } } },
      400: { description: 'Invalid request: malformed JSON, a missing mandatory field, or a field of the wrong type, length, pattern or enum. The message names the offending field.', content: { 'application/json': { schema: zErrorResponse } } },
      401: { description: 'Missing or wrong `x-api-key` (or, in production, a caller outside the IP whitelist).', content: { 'application/json': { schema: zErrorResponse } } },
      422: { description: 'Valid request refused: e.g. the amount breaks the bill\'s amount exactness, the bill was already paid, or the refId was already used.', content: { 'application/json': { schema: zErrorResponse } } },
      500: { description: 'Digiledge failed to process the request. For a payment, the outcome is unknown: poll it by txnId or clientReqId (the refId), never pay again.', content: { 'application/json': { schema: zErrorResponse } } },
    },
  },
  getPaymentByTxnId: {
    operationId: 'getPaymentByTxnId',
    method: 'get' as const,
    path: '/couapp/transactions/payment/byTxnId',
    security: [{ DigiledgeApiKey: [] }],
    'x-bbps-retry': 'safe' as const,
    request: { query: zGetPaymentByTxnIdQuery },
    responses: {
      200: { description: 'The payment transaction.', content: { 'application/json': { schema: zPaymentRecord } } },
      400: { description: 'Invalid request: the txnId query parameter is missing or malformed.', content: { 'application/json': { schema: zErrorResponse } } },
      401: { description: 'Missing or wrong `x-api-key` (or, in production, a caller outside the IP whitelist).', content: { 'application/json': { schema: zErrorResponse } } },
      404: { description: 'No payment transaction with this id for this tenant.', content: { 'application/json': { schema: zErrorResponse } } },
      500: { description: 'Digiledge failed to process the request. For a payment, the outcome is unknown: poll it by txnId or clientReqId (the refId), never pay again.', content: { 'application/json': { schema: zErrorResponse } } },
    },
  },
  getPaymentByClientReqId: {
    operationId: 'getPaymentByClientReqId',
    method: 'get' as const,
    path: '/couapp/transactions/payment/byClientId',
    security: [{ DigiledgeApiKey: [] }],
    'x-bbps-retry': 'safe' as const,
    request: { query: zGetPaymentByClientReqIdQuery },
    responses: {
      200: { description: 'The payment transaction.', content: { 'application/json': { schema: zPaymentRecord } } },
      400: { description: 'Invalid request: the clientReqId query parameter is missing or is not a 35-character refId.', content: { 'application/json': { schema: zErrorResponse } } },
      401: { description: 'Missing or wrong `x-api-key` (or, in production, a caller outside the IP whitelist).', content: { 'application/json': { schema: zErrorResponse } } },
      404: { description: 'No payment transaction with this id for this tenant.', content: { 'application/json': { schema: zErrorResponse } } },
      500: { description: 'Digiledge failed to process the request. For a payment, the outcome is unknown: poll it by txnId or clientReqId (the refId), never pay again.', content: { 'application/json': { schema: zErrorResponse } } },
    },
  },
};

export type OperationId = keyof typeof operations;
