// Generated from specs/ebpp-mpa by packages/contracts/scripts/generate.mjs. Do not edit.
// One route per operation, in the shape @hono/zod-openapi createRoute() takes, with the generated zod schemas.

import { zErrorResponse, zLookupCustomersHeaders, zLookupCustomersRequest, zMpaCustomerList, zPayment, zPostPaymentHeaders, zPostPaymentRefundHeaders, zPostPaymentReversalHeaders, zPostedPayment, zPostedRefund, zRefund } from './ebpp-mpa.zod.ts';

export const operations = {
  lookupCustomers: {
    operationId: 'lookupCustomers',
    method: 'post' as const,
    path: '/mpacustomers',
    security: [{ clientKey: [], apiKey: [] }],
    'x-bbps-retry': 'safe' as const,
    request: { body: { required: true, content: { 'application/x-www-form-urlencoded': { schema: zLookupCustomersRequest } } }, headers: zLookupCustomersHeaders },
    responses: {
      200: { description: 'The concerned Resource found with the provided matching criteria. (Seed wording.)', content: { 'application/json': { schema: zMpaCustomerList } } },
      400: { description: 'The request was unacceptable, often due to missing a required parameter. (Seed wording.) Answered with error_field naming the field.', content: { 'application/json': { schema: zErrorResponse } } },
      401: { description: 'Unauthorized, often due to missing api key(s). (Seed wording.) The seed has no code for it: answered with error_field naming the header (api-key or client-key).', content: { 'application/json': { schema: zErrorResponse } } },
      403: { description: 'Forbidden (seed wording): the keys are right, but this client may not call this operation. Answered with error_field naming client-key.', content: { 'application/json': { schema: zErrorResponse } } },
      404: { description: 'The requested resource doesn\'t exist (seed wording): no customer matches the criteria. Answered with error_field naming the lookup key, never with 200 and an empty list.', content: { 'application/json': { schema: zErrorResponse } } },
      422: { description: 'The parameters were valid but the request failed.. (Seed wording.) Here: a criterion this biller has not implemented, answered with error_field naming it.', content: { 'application/json': { schema: zErrorResponse } } },
      500: { description: 'Something went wrong at the Server (seed wording). EBPP should retry later; the code is error_field without field, since the seed has no code for a server fault.', content: { 'application/json': { schema: zErrorResponse } } },
      503: { description: 'The biller cannot reach its database (ledger) right now; nothing was looked up or applied. EBPP should send the same request again after `Retry-After` seconds: postings are deduplicated on the EBPP `id`, so a repeat is applied at most once. The code is `error_field` without `field`, as for 500: the vendor document\'s ten codes have none for this, so EBPP acts on the 503 status.', content: { 'application/json': { schema: zErrorResponse } } },
    },
  },
  postPayment: {
    operationId: 'postPayment',
    method: 'post' as const,
    path: '/paymentposting',
    security: [{ clientKey: [], apiKey: [] }],
    'x-bbps-retry': 'never' as const,
    request: { body: { required: true, content: { 'application/json': { schema: zPayment } } }, headers: zPostPaymentHeaders },
    responses: {
      200: { description: 'The payment posting response Object. (Seed wording.) The payment was applied; the body echoes EBPP\'s identifiers and adds the biller\'s payment_reference.', content: { 'application/json': { schema: zPostedPayment } } },
      400: { description: 'The request was unacceptable, often due to missing a required parameter. (Seed wording.) Answered with error_field naming the field.', content: { 'application/json': { schema: zErrorResponse } } },
      401: { description: 'Unauthorized, often due to missing api key(s). (Seed wording.) The seed has no code for it: answered with error_field naming the header (api-key or client-key).', content: { 'application/json': { schema: zErrorResponse } } },
      403: { description: 'Forbidden (seed wording): the keys are right, but this client may not call this operation. Answered with error_field naming client-key.', content: { 'application/json': { schema: zErrorResponse } } },
      404: { description: 'The requested resource doesn\'t exist (seed wording): the customer account named in the posting is unknown.', content: { 'application/json': { schema: zErrorResponse } } },
      409: { description: 'This EBPP id was already posted (this project\'s choice of status for error_duplicate_posting): nothing is applied a second time, and EBPP need take no action.', content: { 'application/json': { schema: zErrorResponse } } },
      422: { description: 'The parameters were valid but the request failed.. (Seed wording.) The biller refuses the posting with one of the seed\'s codes; nothing is applied.', content: { 'application/json': { schema: zErrorResponse } } },
      500: { description: 'Something went wrong at the Server (seed wording). EBPP should retry later; the code is error_field without field, since the seed has no code for a server fault.', content: { 'application/json': { schema: zErrorResponse } } },
      503: { description: 'The biller cannot reach its database (ledger) right now; nothing was looked up or applied. EBPP should send the same request again after `Retry-After` seconds: postings are deduplicated on the EBPP `id`, so a repeat is applied at most once. The code is `error_field` without `field`, as for 500: the vendor document\'s ten codes have none for this, so EBPP acts on the 503 status.', content: { 'application/json': { schema: zErrorResponse } } },
    },
  },
  postPaymentReversal: {
    operationId: 'postPaymentReversal',
    method: 'post' as const,
    path: '/paymentreversalposting',
    security: [{ clientKey: [], apiKey: [] }],
    'x-bbps-retry': 'never' as const,
    request: { body: { required: true, content: { 'application/json': { schema: zPayment } } }, headers: zPostPaymentReversalHeaders },
    responses: {
      200: { description: 'The payment response object. (Seed wording.) The reversal was applied; payment_reference is the biller\'s reference of the reversed payment.', content: { 'application/json': { schema: zPostedPayment } } },
      400: { description: 'The request was unacceptable, often due to missing a required parameter. (Seed wording.) Answered with error_field naming the field.', content: { 'application/json': { schema: zErrorResponse } } },
      401: { description: 'Unauthorized, often due to missing api key(s). (Seed wording.) The seed has no code for it: answered with error_field naming the header (api-key or client-key).', content: { 'application/json': { schema: zErrorResponse } } },
      403: { description: 'Forbidden (seed wording): the keys are right, but this client may not call this operation. Answered with error_field naming client-key.', content: { 'application/json': { schema: zErrorResponse } } },
      404: { description: 'The requested resource doesn\'t exist (seed wording): the payment to reverse was never posted to this biller.', content: { 'application/json': { schema: zErrorResponse } } },
      409: { description: 'This EBPP id was already posted (this project\'s choice of status for error_duplicate_posting): nothing is applied a second time, and EBPP need take no action.', content: { 'application/json': { schema: zErrorResponse } } },
      422: { description: 'The parameters were valid but the request failed.. (Seed wording.) The biller refuses the posting with one of the seed\'s codes; nothing is applied.', content: { 'application/json': { schema: zErrorResponse } } },
      500: { description: 'Something went wrong at the Server (seed wording). EBPP should retry later; the code is error_field without field, since the seed has no code for a server fault.', content: { 'application/json': { schema: zErrorResponse } } },
      503: { description: 'The biller cannot reach its database (ledger) right now; nothing was looked up or applied. EBPP should send the same request again after `Retry-After` seconds: postings are deduplicated on the EBPP `id`, so a repeat is applied at most once. The code is `error_field` without `field`, as for 500: the vendor document\'s ten codes have none for this, so EBPP acts on the 503 status.', content: { 'application/json': { schema: zErrorResponse } } },
    },
  },
  postPaymentRefund: {
    operationId: 'postPaymentRefund',
    method: 'post' as const,
    path: '/paymentrefundposting',
    security: [{ clientKey: [], apiKey: [] }],
    'x-bbps-retry': 'never' as const,
    request: { body: { required: true, content: { 'application/json': { schema: zRefund } } }, headers: zPostPaymentRefundHeaders },
    responses: {
      200: { description: 'The payment response object. (Seed wording.) The refund was applied; the body echoes EBPP\'s identifiers and adds the biller\'s refund_reference.', content: { 'application/json': { schema: zPostedRefund } } },
      400: { description: 'The request was unacceptable, often due to missing a required parameter. (Seed wording.) Answered with error_field naming the field.', content: { 'application/json': { schema: zErrorResponse } } },
      401: { description: 'Unauthorized, often due to missing api key(s). (Seed wording.) The seed has no code for it: answered with error_field naming the header (api-key or client-key).', content: { 'application/json': { schema: zErrorResponse } } },
      403: { description: 'Forbidden (seed wording): the keys are right, but this client may not call this operation. Answered with error_field naming client-key.', content: { 'application/json': { schema: zErrorResponse } } },
      404: { description: 'The requested resource doesn\'t exist (seed wording): the payment being refunded was never posted to this biller.', content: { 'application/json': { schema: zErrorResponse } } },
      409: { description: 'This EBPP id was already posted (this project\'s choice of status for error_duplicate_posting): nothing is applied a second time, and EBPP need take no action.', content: { 'application/json': { schema: zErrorResponse } } },
      422: { description: 'The parameters were valid but the request failed.. (Seed wording.) The biller refuses the refund posting; nothing is applied.', content: { 'application/json': { schema: zErrorResponse } } },
      500: { description: 'Something went wrong at the Server (seed wording). EBPP should retry later; the code is error_field without field, since the seed has no code for a server fault.', content: { 'application/json': { schema: zErrorResponse } } },
      503: { description: 'The biller cannot reach its database (ledger) right now; nothing was looked up or applied. EBPP should send the same request again after `Retry-After` seconds: postings are deduplicated on the EBPP `id`, so a repeat is applied at most once. The code is `error_field` without `field`, as for 500: the vendor document\'s ten codes have none for this, so EBPP acts on the 503 status.', content: { 'application/json': { schema: zErrorResponse } } },
    },
  },
};

export type OperationId = keyof typeof operations;
