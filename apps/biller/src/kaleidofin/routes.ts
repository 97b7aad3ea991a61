// Kaleidofin partner API: the two operations Kaleidofin calls on the biller (specs/kaleidofin-partner).
import { kaleidofinRupeesFromPaise, MoneyError, paiseFromKaleidofinRupees } from '@bbps-kit/money';
import { createRoute, type Hook, OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { KeyCheck } from '../auth.ts';
import type { Db } from '../db/db.ts';
import { type KaleidofinErrorCode, kaleidofinErrorBody, problemResponse } from '../errors/envelopes.ts';
import { describeIssue } from '../errors/zod-issues.ts';
import type { Exactness } from '../ledger/book.ts';
import { type CustomerCriteria, findCustomersWithBills } from '../ledger/customers.ts';
import { payBill } from '../ledger/payments.ts';
import {
  BillIdentifierList,
  BillPaymentAcknowledgement,
  ErrorResponse,
  FetchBillsResponse,
  FetchReceiptResponse,
} from './schemas.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const errors = {
  400: json(ErrorResponse, 'INVALID_REQUEST'),
  401: json(ErrorResponse, 'UNAUTHORIZED'),
  404: json(ErrorResponse, 'Not found'),
  413: json(ErrorResponse, 'PAYLOAD_TOO_LARGE'),
  415: json(ErrorResponse, 'UNSUPPORTED_MEDIA_TYPE'),
  500: json(ErrorResponse, 'INTERNAL_ERROR'),
};
const security = [{ partnerApiKey: [] }];

export const fetchBillsRoute = createRoute({
  method: 'post',
  path: '/bills/fetchBills',
  operationId: 'fetchBills',
  security,
  request: { body: { required: true, content: { 'application/json': { schema: BillIdentifierList } } } },
  responses: { 200: json(FetchBillsResponse, 'The customer and their outstanding bills'), ...errors },
});

export const fetchReceiptRoute = createRoute({
  method: 'post',
  path: '/bills/fetchReceipt',
  operationId: 'fetchReceipt',
  security,
  request: { body: { required: true, content: { 'application/json': { schema: BillPaymentAcknowledgement } } } },
  responses: {
    200: json(FetchReceiptResponse, 'The receipt'),
    ...errors,
    409: json(ErrorResponse, 'DUPLICATE_TRANSACTION_MISMATCH'),
    422: json(ErrorResponse, 'AMOUNT_EXACTNESS_VIOLATED or BILL_ALREADY_PAID'),
  },
});

// Identifier keys are agreed per biller with Kaleidofin. This biller identifies a customer by its reference
// (the seed's `customerId`, and `consumerId` from the other half of the seed) or by mobile number. `name` and
// any other key are informational: a payer's spelling of a name must not hide their bills.
const identifierKeys: Record<string, keyof CustomerCriteria> = {
  customerid: 'customerReference',
  consumerid: 'customerReference',
  phonenumber: 'phone',
  mobilenumber: 'phone',
};

const validationHook: Hook<unknown, object, string, unknown> = (result, c) => {
  if (result.success) return;
  const issue = result.error.issues[0];
  const { field, message } = issue ? describeIssue(issue) : { field: undefined, message: 'body is invalid' };
  return c.json(kaleidofinErrorBody(400, 'INVALID_REQUEST', message, field), 400);
};

const fail = <S extends ContentfulStatusCode>(
  c: Context,
  status: S,
  code: KaleidofinErrorCode,
  message: string,
  field?: string,
) => c.json(kaleidofinErrorBody(status, code, message, field), status);

/** Seconds precision, as in the seed's `2020-08-31T06:06:55Z`. */
const receiptDate = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

const exactnessRule: Record<Exactness, string> = {
  EXACT: 'must be paid exactly',
  EXACT_UP: 'must be paid at least',
  EXACT_DOWN: 'must be paid at most',
  ANY: 'must be paid more than 0; outstanding',
};

export function kaleidofinRoutes(db: Db, checkKey: KeyCheck): OpenAPIHono {
  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.openAPIRegistry.registerComponent('securitySchemes', 'partnerApiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
  });
  app.use('/bills/*', async (c, next) => {
    if (!checkKey(c.req.header('x-api-key'))) return problemResponse(c, { kind: 'unauthorized', header: 'x-api-key' });
    await next();
  });

  app.openapi(fetchBillsRoute, async (c) => {
    const identifiers = c.req.valid('json');
    const criteria: CustomerCriteria = {};
    let firstUsed: number | undefined;
    // Two different values for one criterion, or a NUL (which no stored text can contain), match nobody.
    let matchesNobody = false;
    identifiers.forEach(({ identifierKey, identifierValue }, index) => {
      // Own keys only: `constructor` or `__proto__` would otherwise find Object.prototype's members.
      const key = identifierKey.toLowerCase();
      const criterion = Object.hasOwn(identifierKeys, key) ? identifierKeys[key] : undefined;
      if (!criterion) return;
      if (identifierValue.includes('\u0000')) matchesNobody = true;
      if (criteria[criterion] !== undefined && criteria[criterion] !== identifierValue) matchesNobody = true;
      criteria[criterion] = identifierValue;
      firstUsed ??= index;
    });
    if (firstUsed === undefined) {
      return fail(
        c,
        400,
        'INVALID_REQUEST',
        'No identifier this biller knows customers by: send customerId (or consumerId) or phoneNumber',
        '[0].identifierKey',
      );
    }
    const field = `[${firstUsed}].identifierValue`;
    const customers = matchesNobody ? [] : await findCustomersWithBills(db, criteria, 2);
    const [customer] = customers;
    if (!customer) return fail(c, 404, 'CUSTOMER_NOT_FOUND', 'No customer matches the given identifiers', field);
    if (customers.length > 1) {
      return fail(c, 404, 'CUSTOMER_NOT_FOUND', 'The identifiers match more than one customer: send customerId', field);
    }
    const { bills } = customer;
    // Keys in the seed's order, so the JSON reads exactly as the seed prints it.
    return c.json(
      {
        data: {
          billFetchStatus: bills.length > 0 ? 'AVAILABLE' : 'NO_OUTSTANDING',
          customerBills: {
            bills: bills.map((bill) => ({
              billName: bill.name,
              billAmount: kaleidofinRupeesFromPaise(bill.outstandingPaise),
              partnerBillId: bill.partnerBillId,
              dueDate: bill.dueOn,
              generatedDate: bill.generatedOn,
              amountExactness: bill.exactness,
            })),
          },
          customer: {
            info: {
              name: customer.name,
              ...(customer.phone && /^[0-9]{10}$/.test(customer.phone) ? { phoneNumber: customer.phone } : {}),
              consumerId: customer.customerReference,
            },
            name: customer.name,
          },
        },
        status: 0,
        success: true,
      } as const,
      200,
    );
  });

  app.openapi(fetchReceiptRoute, async (c) => {
    const { systemBillId, partnerBillId, paymentDetails } = c.req.valid('json');
    let amountPaise: bigint;
    let billAmountPaise: bigint;
    try {
      amountPaise = paiseFromKaleidofinRupees(paymentDetails.amountPaid);
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error;
      return fail(c, 400, 'INVALID_REQUEST', `amountPaid ${error.reason}`, 'paymentDetails.amountPaid');
    }
    try {
      billAmountPaise = paiseFromKaleidofinRupees(paymentDetails.billAmount);
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error;
      return fail(c, 400, 'INVALID_REQUEST', `billAmount ${error.reason}`, 'paymentDetails.billAmount');
    }
    const { transactionId } = paymentDetails;
    // PostgreSQL text cannot hold NUL, so no bill has such an id (and the query would fail).
    if (partnerBillId.includes('\u0000')) {
      return fail(c, 404, 'BILL_NOT_FOUND', 'No bill with that partnerBillId', 'partnerBillId');
    }
    // systemBillId is Kaleidofin's own id for the bill: kept with the payment for reconciliation, never used
    // to find the bill (the biller's id is partnerBillId).
    const result = await payBill(db, {
      channel: 'kaleidofin',
      externalId: transactionId,
      partnerBillId,
      amountPaise,
      details: { systemBillId, billAmountPaise: billAmountPaise.toString() },
    });
    const rupees = (paise: bigint) => kaleidofinRupeesFromPaise(paise);
    switch (result.outcome) {
      case 'recorded':
      case 'repeated':
        return c.json(
          {
            data: { receipt: { date: receiptDate(result.payment.recordedAt), id: result.payment.receiptId } },
            status: 0,
            success: true,
          } as const,
          200,
        );
      case 'bill_not_found':
        return fail(c, 404, 'BILL_NOT_FOUND', `No bill with partnerBillId ${partnerBillId}`, 'partnerBillId');
      case 'already_paid':
        return fail(c, 422, 'BILL_ALREADY_PAID', `Bill ${partnerBillId} is already paid`, 'partnerBillId');
      case 'amount_mismatch':
        return fail(
          c,
          422,
          'AMOUNT_EXACTNESS_VIOLATED',
          `Bill ${partnerBillId} ${exactnessRule[result.exactness]} ${rupees(result.outstandingPaise)}; got ${paymentDetails.amountPaid}`,
          'paymentDetails.amountPaid',
        );
      case 'transaction_conflict': {
        const earlier = result.payment;
        const what =
          earlier.partnerBillId === partnerBillId
            ? `with amountPaid ${rupees(earlier.amountPaise)}`
            : `for bill ${earlier.partnerBillId ?? earlier.accountNumber}`;
        return fail(
          c,
          409,
          'DUPLICATE_TRANSACTION_MISMATCH',
          `transactionId ${transactionId} was already acknowledged ${what}`,
          'paymentDetails.transactionId',
        );
      }
    }
  });

  return app;
}
