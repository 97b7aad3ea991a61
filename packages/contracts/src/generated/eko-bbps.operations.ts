// Generated from specs/eko-bbps by packages/contracts/scripts/generate.mjs. Do not edit.
// One route per operation, in the shape @hono/zod-openapi createRoute() takes, with the generated zod schemas.

import { zErrorResponse, zFetchBillHeaders, zFetchBillQuery, zFetchBillResponse, zGetTransactionByClientRefIdHeaders, zGetTransactionByClientRefIdPath, zGetTransactionByClientRefIdQuery, zGetTransactionHeaders, zGetTransactionPath, zGetTransactionQuery, zPayBillHeaders, zPayBillRequest, zPayBillResponse, zTransactionResponse } from './eko-bbps.zod.ts';

export const operations = {
  fetchBill: {
    operationId: 'fetchBill',
    method: 'get' as const,
    path: '/customer/payment/bbps/bill',
    security: [{ EkoDeveloperKey: [], EkoSecretKey: [], EkoSecretKeyTimestamp: [] }],
    'x-bbps-retry': 'safe' as const,
    request: { query: zFetchBillQuery, headers: zFetchBillHeaders },
    responses: {
      200: { description: 'The bill (`status` 0, `response_type_id` 1052), or a failed fetch (`status` other than 0,', content: { 'application/json': { schema: zFetchBillResponse } } },
      400: { description: 'Invalid request: a required parameter is missing, or a value breaks its type, pattern, length or enum.', content: { 'application/json': { schema: zErrorResponse } } },
      401: { description: 'Missing or unknown credentials: no `developer_key`, `secret-key` or `secret-key-timestamp` header, or a', content: { 'application/json': { schema: zErrorResponse } } },
      403: { description: 'Beyond the vendor document: from the bbps-kit facts page (FACTS.md). A stale or wrong signature: `secret-key` does not match', content: { 'application/json': { schema: zErrorResponse } } },
      500: { description: 'Eko-side failure. For a payment the outcome is unknown, not failed: inquire, never pay again.', content: { 'application/json': { schema: zErrorResponse } } },
    },
  },
  payBill: {
    operationId: 'payBill',
    method: 'post' as const,
    path: '/customer/payment/bbps',
    security: [{ EkoDeveloperKey: [], EkoSecretKey: [], EkoSecretKeyTimestamp: [] }],
    'x-bbps-retry': 'never' as const,
    request: { body: { required: true, content: { 'application/json': { schema: zPayBillRequest } } }, headers: zPayBillHeaders },
    responses: {
      200: { description: 'The payment\'s answer: success (`response_type_id` 333), pending (`tx_status` "2", "5" or "6"), or', content: { 'application/json': { schema: zPayBillResponse } } },
      400: { description: 'Invalid request: a required parameter is missing, or a value breaks its type, pattern, length or enum.', content: { 'application/json': { schema: zErrorResponse } } },
      401: { description: 'Missing or unknown credentials: no `developer_key`, `secret-key` or `secret-key-timestamp` header, or a', content: { 'application/json': { schema: zErrorResponse } } },
      403: { description: 'Beyond the vendor document: from the bbps-kit facts page (FACTS.md). A stale or wrong signature: `secret-key` does not match', content: { 'application/json': { schema: zErrorResponse } } },
      500: { description: 'Eko-side failure. For a payment the outcome is unknown, not failed: inquire, never pay again.', content: { 'application/json': { schema: zErrorResponse } } },
    },
  },
  getTransaction: {
    operationId: 'getTransaction',
    method: 'get' as const,
    path: '/tools/reference/transaction/{tid}',
    security: [{ EkoDeveloperKey: [], EkoSecretKey: [], EkoSecretKeyTimestamp: [] }],
    'x-bbps-retry': 'safe' as const,
    request: { params: zGetTransactionPath, query: zGetTransactionQuery, headers: zGetTransactionHeaders },
    responses: {
      200: { description: 'The transaction and its current `tx_status`; or, for a transaction Eko never had, `status` 1 with no `tx_status` and no `data` (TransactionNotFound).', content: { 'application/json': { schema: zTransactionResponse } } },
      400: { description: 'Invalid request: a required parameter is missing, or a value breaks its type, pattern, length or enum.', content: { 'application/json': { schema: zErrorResponse } } },
      401: { description: 'Missing or unknown credentials: no `developer_key`, `secret-key` or `secret-key-timestamp` header, or a', content: { 'application/json': { schema: zErrorResponse } } },
      403: { description: 'Beyond the vendor document: from the bbps-kit facts page (FACTS.md). A stale or wrong signature: `secret-key` does not match', content: { 'application/json': { schema: zErrorResponse } } },
      500: { description: 'Eko-side failure. For a payment the outcome is unknown, not failed: inquire, never pay again.', content: { 'application/json': { schema: zErrorResponse } } },
    },
  },
  getTransactionByClientRefId: {
    operationId: 'getTransactionByClientRefId',
    method: 'get' as const,
    path: '/tools/reference/transaction/client_ref_id:{clientRefId}',
    security: [{ EkoDeveloperKey: [], EkoSecretKey: [], EkoSecretKeyTimestamp: [] }],
    'x-bbps-retry': 'safe' as const,
    request: { params: zGetTransactionByClientRefIdPath, query: zGetTransactionByClientRefIdQuery, headers: zGetTransactionByClientRefIdHeaders },
    responses: {
      200: { description: 'The transaction and its current `tx_status`; or, for a transaction Eko never had, `status` 1 with no `tx_status` and no `data` (TransactionNotFound).', content: { 'application/json': { schema: zTransactionResponse } } },
      400: { description: 'Invalid request: a required parameter is missing, or a value breaks its type, pattern, length or enum.', content: { 'application/json': { schema: zErrorResponse } } },
      401: { description: 'Missing or unknown credentials: no `developer_key`, `secret-key` or `secret-key-timestamp` header, or a', content: { 'application/json': { schema: zErrorResponse } } },
      403: { description: 'Beyond the vendor document: from the bbps-kit facts page (FACTS.md). A stale or wrong signature: `secret-key` does not match', content: { 'application/json': { schema: zErrorResponse } } },
      500: { description: 'Eko-side failure. For a payment the outcome is unknown, not failed: inquire, never pay again.', content: { 'application/json': { schema: zErrorResponse } } },
    },
  },
};

export type OperationId = keyof typeof operations;
