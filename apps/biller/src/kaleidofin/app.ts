// Kaleidofin partner API: the two operations Kaleidofin calls on the biller (specs/kaleidofin-partner). Routes,
// security, statuses and request schemas come from the contract's generated operations table.

import { type AppEnv, apiKeyAuth, contractApp, type Handlers, type KeyCheck } from '@bbps-kit/contract-app';
import { operations } from '@bbps-kit/contracts/operations/kaleidofin-partner';
import { securitySchemes } from '@bbps-kit/contracts/rules/kaleidofin-partner';
import { zCustomerInfo } from '@bbps-kit/contracts/schemas/kaleidofin-partner';
import { kaleidofinRupeesFromPaise, MoneyError, paiseFromKaleidofinRupees } from '@bbps-kit/money';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Db } from '../db/db.ts';
import { DatabaseUnavailableError } from '../db/unavailable.ts';
import type { Exactness } from '../ledger/book.ts';
import { type CustomerCriteria, findCustomersWithBills } from '../ledger/customers.ts';
import { payBill } from '../ledger/payments.ts';
import type { Logger } from '../logging.ts';
import type { ErrorCodeReader, Metrics } from '../metrics.ts';
import { fail, type KaleidofinErrorBody, kaleidofinEnvelope } from './envelope.ts';

// Identifier keys are agreed per biller with Kaleidofin. This biller identifies a customer by its reference
// (the seed's `customerId`, and `consumerId` from the other half of the seed) or by mobile number. `name` and
// any other key are informational: a payer's spelling of a name must not hide their bills.
const identifierKeys: Record<string, keyof CustomerCriteria> = {
  customerid: 'customerReference',
  consumerid: 'customerReference',
  phonenumber: 'phone',
  mobilenumber: 'phone',
};

const phoneNumber = zCustomerInfo.shape.phoneNumber;

/** Seconds precision, as in the seed's `2020-08-31T06:06:55Z`. */
const receiptDate = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

const exactnessRule: Record<Exactness, string> = {
  EXACT: 'must be paid exactly',
  EXACT_UP: 'must be paid at least',
  EXACT_DOWN: 'must be paid at most',
  ANY: 'must be paid more than 0; outstanding',
};

export interface KaleidofinAppOptions {
  db: Db;
  checkKey: KeyCheck;
  bodyLimitBytes: number;
  logger: Logger;
  metrics?: Metrics | undefined;
}

/** The code of a Kaleidofin error envelope, for the refusals metric. */
const errorCodeOf: ErrorCodeReader = (body) => (body as Partial<KaleidofinErrorBody> | undefined)?.error?.code;

/** The Kaleidofin partner contract's sub-app: its two operations, its x-api-key, its envelope. */
export function kaleidofinApp(options: KaleidofinAppOptions): OpenAPIHono<AppEnv> {
  const { db, checkKey, bodyLimitBytes, logger } = options;
  const metrics = options.metrics?.contract('kaleidofin-partner', errorCodeOf);
  const handlers: Handlers<typeof operations> = {
    fetchBills: async (c) => {
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
        return fail(
          c,
          404,
          'CUSTOMER_NOT_FOUND',
          'The identifiers match more than one customer: send customerId',
          field,
        );
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
                // Only a phone number the contract can carry (a stored one may be longer, e.g. with +91).
                ...(customer.phone && phoneNumber.safeParse(customer.phone).success
                  ? { phoneNumber: customer.phone }
                  : {}),
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
    },

    fetchReceipt: async (c) => {
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
      if (result.outcome === 'recorded') metrics?.posted('payment');
      if (result.outcome === 'repeated') metrics?.duplicate();
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
    },
  };

  return contractApp({
    routes: operations,
    handlers,
    envelope: kaleidofinEnvelope,
    authenticate: apiKeyAuth(securitySchemes, { partnerApiKey: checkKey }),
    bodyLimitBytes,
    logger,
    metrics,
    // Kaleidofin's routes are all under /bills: an unknown one there is still answered in its envelope.
    namespaces: ['/bills'],
    unavailable: (error) => error instanceof DatabaseUnavailableError,
  });
}
