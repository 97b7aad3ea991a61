// Generated from specs/kaleidofin-partner by packages/contracts/scripts/generate.mjs. Do not edit.
// One route per operation, in the shape @hono/zod-openapi createRoute() takes, with the generated zod schemas.

import { zBillIdentifierList, zBillPaymentAcknowledgement, zErrorResponse, zFetchBillsResponse, zFetchReceiptResponse } from './kaleidofin-partner.zod.ts';

export const operations = {
  fetchBills: {
    operationId: 'fetchBills',
    method: 'post' as const,
    path: '/bills/fetchBills',
    security: [{ partnerApiKey: [] }],
    'x-bbps-retry': 'safe' as const,
    request: { body: { required: true, content: { 'application/json': { schema: zBillIdentifierList } } } },
    responses: {
      200: { description: 'The customer and their outstanding bills.', content: { 'application/json': { schema: zFetchBillsResponse } } },
      400: { description: 'Invalid request (`INVALID_REQUEST`): the body is not JSON or does not match the contract; `error.field` names the offending item, e.g. `[1].identifierValue`.', content: { 'application/json': { schema: zErrorResponse } } },
      401: { description: 'Missing or unknown `x-api-key` (`UNAUTHORIZED`).', content: { 'application/json': { schema: zErrorResponse } } },
      404: { description: 'No customer matches the Bill Identifiers (`CUSTOMER_NOT_FOUND`). This project answers 404 rather than a `billFetchStatus`, because the seed lists no status for an unknown customer.', content: { 'application/json': { schema: zErrorResponse } } },
      413: { description: 'Request body too large (`PAYLOAD_TOO_LARGE`).', content: { 'application/json': { schema: zErrorResponse } } },
      415: { description: 'Body sent with a `Content-Type` other than `application/json` (`UNSUPPORTED_MEDIA_TYPE`).', content: { 'application/json': { schema: zErrorResponse } } },
      500: { description: 'Unexpected failure (`INTERNAL_ERROR`). Safe to retry with the same body: `fetchReceipt` is idempotent on `transactionId`.', content: { 'application/json': { schema: zErrorResponse } } },
      503: { description: 'The biller cannot reach its database (ledger) right now (`SERVICE_UNAVAILABLE`). Nothing was read or applied. Repeating the same request after `Retry-After` seconds is safe: `fetchBills` is read-only, and `fetchReceipt` is deduplicated on `transactionId`, so a payment is never credited twice.', content: { 'application/json': { schema: zErrorResponse } } },
    },
  },
  fetchReceipt: {
    operationId: 'fetchReceipt',
    method: 'post' as const,
    path: '/bills/fetchReceipt',
    security: [{ partnerApiKey: [] }],
    'x-bbps-retry': 'never' as const,
    request: { body: { required: true, content: { 'application/json': { schema: zBillPaymentAcknowledgement } } } },
    responses: {
      200: { description: 'The payment is recorded (now or by an earlier identical request) and this is its receipt.', content: { 'application/json': { schema: zFetchReceiptResponse } } },
      400: { description: 'Invalid request (`INVALID_REQUEST`): the body is not JSON or does not match the contract; `error.field` names the offending field, e.g. `paymentDetails.amountPaid`.', content: { 'application/json': { schema: zErrorResponse } } },
      401: { description: 'Missing or unknown `x-api-key` (`UNAUTHORIZED`).', content: { 'application/json': { schema: zErrorResponse } } },
      404: { description: 'No bill with that `partnerBillId` (`BILL_NOT_FOUND`).', content: { 'application/json': { schema: zErrorResponse } } },
      409: { description: 'The `transactionId` was already acknowledged with a different amount (`DUPLICATE_TRANSACTION_MISMATCH`); nothing is credited.', content: { 'application/json': { schema: zErrorResponse } } },
      413: { description: 'Request body too large (`PAYLOAD_TOO_LARGE`).', content: { 'application/json': { schema: zErrorResponse } } },
      415: { description: 'Body sent with a `Content-Type` other than `application/json` (`UNSUPPORTED_MEDIA_TYPE`).', content: { 'application/json': { schema: zErrorResponse } } },
      422: { description: 'Valid request refused: `AMOUNT_EXACTNESS_VIOLATED` (`amountPaid` breaks the bill\'s `amountExactness`) or `BILL_ALREADY_PAID` (the bill is settled and this is a new `transactionId`).', content: { 'application/json': { schema: zErrorResponse } } },
      500: { description: 'Unexpected failure (`INTERNAL_ERROR`). Safe to retry with the same body: `fetchReceipt` is idempotent on `transactionId`.', content: { 'application/json': { schema: zErrorResponse } } },
      503: { description: 'The biller cannot reach its database (ledger) right now (`SERVICE_UNAVAILABLE`). Nothing was read or applied. Repeating the same request after `Retry-After` seconds is safe: `fetchBills` is read-only, and `fetchReceipt` is deduplicated on `transactionId`, so a payment is never credited twice.', content: { 'application/json': { schema: zErrorResponse } } },
    },
  },
};

export type OperationId = keyof typeof operations;
