// Generated from specs/kaleidofin-collect by packages/contracts/scripts/generate.mjs. Do not edit.
// One route per operation, in the shape @hono/zod-openapi createRoute() takes, with the generated zod schemas.

import { zBillIdentifierList, zBillStatusResponse, zErrorResponse, zFetchCustomerBillsPath, zFetchCustomerBillsResponse, zGetBillStatusPath, zPaymentRequest } from './kaleidofin-collect.zod.ts';

export const operations = {
  fetchCustomerBills: {
    operationId: 'fetchCustomerBills',
    method: 'post' as const,
    path: '/bills/fetch/{billerId}',
    security: [{ kaleidofinApiKey: [] }],
    'x-bbps-retry': 'safe' as const,
    request: { body: { required: true, content: { 'application/json': { schema: zBillIdentifierList } } }, params: zFetchCustomerBillsPath },
    responses: {
      200: { description: 'The customer\'s bills.', content: { 'application/json': { schema: zFetchCustomerBillsResponse } } },
      400: { description: 'Invalid request: the body is not a valid Bill Identifier list; `statusMessage` names the offending field.', content: { 'application/json': { schema: zErrorResponse } } },
      401: { description: 'Missing or unknown `x-api-key`.', content: { 'application/json': { schema: zErrorResponse } } },
      404: { description: 'Unknown `billerId`, or no customer of that biller matches the identifiers.', content: { 'application/json': { schema: zErrorResponse } } },
      500: { description: 'Unexpected failure at Kaleidofin. A payment may or may not have been recorded: check `getBillStatus` or repost the same body.', content: { 'application/json': { schema: zErrorResponse } } },
    },
  },
  getBillStatus: {
    operationId: 'getBillStatus',
    method: 'get' as const,
    path: '/bills/status/{systemBillId}',
    security: [{ kaleidofinApiKey: [] }],
    'x-bbps-retry': 'safe' as const,
    request: { params: zGetBillStatusPath },
    responses: {
      200: { description: 'Current status of the bill in Kaleidopay.', content: { 'application/json': { schema: zBillStatusResponse } } },
      400: { description: 'Invalid request: `systemBillId` is not a positive integer.', content: { 'application/json': { schema: zErrorResponse } } },
      401: { description: 'Missing or unknown `x-api-key`.', content: { 'application/json': { schema: zErrorResponse } } },
      404: { description: 'No bill with that `systemBillId`.', content: { 'application/json': { schema: zErrorResponse } } },
      500: { description: 'Unexpected failure at Kaleidofin. A payment may or may not have been recorded: check `getBillStatus` or repost the same body.', content: { 'application/json': { schema: zErrorResponse } } },
    },
  },
  postPayment: {
    operationId: 'postPayment',
    method: 'post' as const,
    path: '/bills/payment',
    security: [{ kaleidofinApiKey: [] }],
    'x-bbps-retry': 'never' as const,
    request: { body: { required: true, content: { 'application/json': { schema: zPaymentRequest } } } },
    responses: {
      200: { description: 'The payment is recorded; current status of the bill in Kaleidopay.', content: { 'application/json': { schema: zBillStatusResponse } } },
      400: { description: 'Invalid request: the body does not match the contract; `statusMessage` names the offending field.', content: { 'application/json': { schema: zErrorResponse } } },
      401: { description: 'Missing or unknown `x-api-key`.', content: { 'application/json': { schema: zErrorResponse } } },
      404: { description: 'No bill with that `systemBillId`.', content: { 'application/json': { schema: zErrorResponse } } },
      422: { description: 'Valid request refused: the bill is expired, or already paid by another transaction.', content: { 'application/json': { schema: zErrorResponse } } },
      500: { description: 'Unexpected failure at Kaleidofin. A payment may or may not have been recorded: check `getBillStatus` or repost the same body.', content: { 'application/json': { schema: zErrorResponse } } },
    },
  },
};

export type OperationId = keyof typeof operations;
