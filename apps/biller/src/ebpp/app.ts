// EBPP MPA billing-system API: lookup and the three postings EBPP calls on the biller (specs/ebpp-mpa). Routes,
// security, statuses and request schemas come from the contract's generated operations table.

import { type AppEnv, apiKeyAuth, contractApp, type Handlers, type KeyCheck } from '@bbps-kit/contract-app';
import type { EbppMpa } from '@bbps-kit/contracts';
import { operations } from '@bbps-kit/contracts/operations/ebpp-mpa';
import { securitySchemes } from '@bbps-kit/contracts/rules/ebpp-mpa';
import { zLookupCustomersRequest } from '@bbps-kit/contracts/schemas/ebpp-mpa';
import { ebppAmountFromPaise, MoneyError, paiseFromEbppAmount } from '@bbps-kit/money';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { indianDateOf } from '../dates.ts';
import type { Db } from '../db/db.ts';
import { DatabaseUnavailableError } from '../db/unavailable.ts';
import { type AccountSummary, accountsOf, type Customer, findCustomers } from '../ledger/customers.ts';
import { findPayment, findPaymentByReceipt, payAccount, refundPayment, reversePayment } from '../ledger/payments.ts';
import type { Logger } from '../logging.ts';
import type { ContractMetrics, ErrorCodeReader, Metrics } from '../metrics.ts';
import { type EbppErrorBody, ebppEnvelope, fail } from './envelope.ts';

type MpaCustomer = EbppMpa.components['schemas']['MpaCustomer'];
type CustomerAccount = EbppMpa.components['schemas']['CustomerAccount'];

/** The answer to a repost: counted, then the contract's duplicate code. */
const duplicate = (c: Context, metrics: ContractMetrics | undefined, field = 'id') => {
  metrics?.duplicate();
  return fail(c, 409, 'error_duplicate_posting', 'Duplicate Posting, no action required', field);
};

/** The code of an EBPP error envelope, for the refusals metric: its first error's (they share one per answer). */
const errorCodeOf: ErrorCodeReader = (body) => (body as Partial<EbppErrorBody> | undefined)?.errors?.[0]?.code;

// Only these statuses mean money reached (or is on its way to) the biller; the others never credit an account.
const creditingStatuses = new Set(['scheduled', 'processing', 'processed']);

/** This biller takes INR only: any other well-formed currency is refused (422), naming `field`. */
const refusedCurrency = (c: Context, currency: string | undefined, field: string) =>
  currency === undefined || currency === 'INR'
    ? undefined
    : fail(c, 422, 'error_field', `currency_code3d ${currency} is not accepted; this biller accepts INR only`, field);

/** A posting whose status never credits an account is refused (422 error_posting_rejected). */
const neverPosts = (c: Context, what: 'payment' | 'refund', status: string) =>
  creditingStatuses.has(status)
    ? undefined
    : fail(c, 422, 'error_posting_rejected', `The ${what} will never post: its status is ${status}`, 'status');

/** The lookup criteria the contract defines (the zod schema wraps the object in its minProperties check). */
const lookupKeys = Object.keys(zLookupCustomersRequest.out.shape) as (keyof typeof zLookupCustomersRequest.out.shape)[];

/** Parses an EBPP amount; on failure answers 400 naming `field`. */
function amountOf(text: string): bigint | MoneyError {
  try {
    return paiseFromEbppAmount(text);
  } catch (error) {
    if (error instanceof MoneyError) return error;
    throw error;
  }
}

function splitName(name: string): Pick<MpaCustomer, 'first_name' | 'last_name'> {
  const cut = name.trim().lastIndexOf(' ');
  if (cut <= 0) return { first_name: name.trim() };
  return { first_name: name.slice(0, cut).trim(), last_name: name.slice(cut + 1).trim() };
}

function toCustomerAccount(account: AccountSummary): CustomerAccount {
  const amount = ebppAmountFromPaise;
  return {
    account_number: account.accountNumber,
    account_holder_name: account.holderName,
    ...(account.nickname ? { nickname: account.nickname } : {}),
    current_balance: amount(account.balancePaise),
    current_statement_balance: amount(account.statementBalancePaise),
    minimum_payment_due: amount(account.nextDuePaise),
    past_amount_due: amount(account.pastDuePaise),
    ...(account.nextDueOn ? { payment_due_date: account.nextDueOn } : {}),
    ...(account.statementOn ? { statement_date: account.statementOn } : {}),
    // No interest model: paying off the account costs exactly what it owes.
    payoff_amount: amount(account.balancePaise),
    status: account.status,
  };
}

function toMpaCustomer(customer: Customer, accounts: CustomerAccount[]): MpaCustomer {
  return {
    customer_reference: customer.customerReference,
    ...splitName(customer.name),
    ...(customer.email ? { email: customer.email } : {}),
    ...(customer.phone ? { mobile_phone: customer.phone } : {}),
    ...(customer.lookupReference ? { lookup_reference: customer.lookupReference } : {}),
    customer_accounts: accounts,
  };
}

export interface EbppAppOptions {
  db: Db;
  /** A check per security scheme of the contract (`clientKey`, `apiKey`). */
  checks: Record<keyof typeof securitySchemes, KeyCheck>;
  bodyLimitBytes: number;
  logger: Logger;
  metrics?: Metrics | undefined;
}

/** The EBPP MPA contract's sub-app: its four operations, its two keys, its envelope. */
export function ebppApp(options: EbppAppOptions): OpenAPIHono<AppEnv> {
  const { db, checks, bodyLimitBytes, logger } = options;
  const metrics = options.metrics?.contract('ebpp-mpa', errorCodeOf);
  const handlers: Handlers<typeof operations> = {
    lookupCustomers: async (c) => {
      const form = c.req.valid('form');
      // minProperties counts any field; the contract's prose asks for at least one criterion.
      if (!lookupKeys.some((key) => form[key] !== undefined)) {
        return fail(c, 400, 'error_field', `At least one of ${lookupKeys.join(', ')} is required`);
      }
      if (form.ssn !== undefined) {
        return fail(c, 422, 'error_field', 'Lookup by ssn is not supported by this biller', 'ssn');
      }
      const customers = await findCustomers(db, {
        customerReference: form.customer_reference,
        accountNumber: form.account_number,
        email: form.email,
        lookupReference: form.lookup_reference,
      });
      const byCustomer = await accountsOf(
        db,
        customers.map((customer) => customer.id),
        indianDateOf(),
      );
      const found = customers.flatMap((customer) => {
        const accounts = (byCustomer.get(customer.id) ?? [])
          .filter((account) => form.account_number === undefined || account.accountNumber === form.account_number)
          .map(toCustomerAccount);
        // A profile with no account has nothing EBPP could pay, and the contract wants at least one account.
        return accounts.length > 0 ? [toMpaCustomer(customer, accounts)] : [];
      });
      if (found.length === 0) {
        const key = lookupKeys.find((k) => form[k] !== undefined) ?? 'customer_reference';
        return fail(c, 404, 'error_field', `No customer matches ${key} ${form[key] ?? ''}`.trim(), key);
      }
      return c.json({ customers: found }, 200);
    },

    postPayment: async (c) => {
      const body = c.req.valid('json');
      const amountPaise = amountOf(body.amount);
      if (amountPaise instanceof MoneyError)
        return fail(c, 400, 'error_field', `amount ${amountPaise.reason}`, 'amount');
      // A repost of a posted id is answered as a duplicate before anything else is judged: payAccount checks that
      // first, in its one round trip; only a posting refused here, before it, asks the ledger separately.
      const refused =
        refusedCurrency(c, body.currency_code3d, 'currency_code3d') ?? neverPosts(c, 'payment', body.status);
      if (refused) return (await findPayment(db, 'ebpp', body.id)) ? duplicate(c, metrics) : refused;
      const accountNumber = body.customer_account.account_number;
      const result = await payAccount(db, {
        channel: 'ebpp',
        externalId: body.id,
        accountNumber,
        payerReference: body.customer.customer_reference,
        amountPaise,
        paidOn: body.payment_date,
        // What a reconciliation needs, and nothing sensitive: never the card security code.
        details: {
          confirmation_number: body.confirmation_number,
          status: body.status,
          payment_method: body.payment_method,
          customer_reference: body.customer.customer_reference,
        },
      });
      const field = 'customer_account.account_number';
      switch (result.outcome) {
        case 'posted':
          metrics?.posted('payment');
          return c.json(
            {
              id: body.id,
              confirmation_number: body.confirmation_number,
              payment_reference: result.payment.receiptId,
              status: body.status,
              amount: ebppAmountFromPaise(result.payment.amountPaise),
              currency_code3d: 'INR',
              account_number: accountNumber,
              posting_date: indianDateOf(result.payment.recordedAt),
            },
            200,
          );
        case 'duplicate':
          return duplicate(c, metrics);
        case 'account_not_found':
          return fail(c, 404, 'error_field', `No customer account ${accountNumber}`, field);
        case 'payer_not_holder':
          return fail(
            c,
            422,
            'error_field',
            `Customer ${body.customer.customer_reference} is not a holder of ${accountNumber}`,
            'customer.customer_reference',
          );
        case 'account_closed':
          return fail(c, 422, 'error_account_closed', 'Account status closed', field);
        case 'account_status_invalid':
          return fail(c, 422, 'error_account_status_invalid', 'Account status queued for repair', field);
        case 'amount_low':
          return fail(
            c,
            422,
            'error_payment_amount_low',
            `Payment amount is too low: the minimum is ${ebppAmountFromPaise(result.minimumPaise)} INR`,
            'amount',
          );
        case 'amount_high':
          return fail(
            c,
            422,
            'error_payment_amount_high',
            `Payment amount too high: the payoff amount of ${accountNumber} is ${ebppAmountFromPaise(result.maximumPaise)} INR`,
            'amount',
          );
      }
    },

    postPaymentReversal: async (c) => {
      const body = c.req.valid('json');
      const amountPaise = amountOf(body.amount);
      if (amountPaise instanceof MoneyError)
        return fail(c, 400, 'error_field', `amount ${amountPaise.reason}`, 'amount');
      // One round trip: the ledger undoes the payment only if the reversal describes it (else `mismatch`).
      const result = await reversePayment(db, {
        channel: 'ebpp',
        paymentExternalId: body.id,
        accountNumber: body.customer_account.account_number,
        amountPaise,
        receiptId: body.payment_reference,
        details: {
          status: body.status,
          return_code: body.return_code ?? null,
          confirmation_number: body.confirmation_number,
        },
      });
      if (result.outcome === 'mismatch') {
        // The reversal must describe the payment it undoes; a mismatch is a mistake somewhere, not a new instruction.
        const { payment } = result;
        if (body.payment_reference !== undefined && body.payment_reference !== payment.receiptId) {
          return fail(
            c,
            422,
            'error_field',
            `payment_reference ${body.payment_reference} is not this biller's reference for payment ${body.id} (${payment.receiptId})`,
            'payment_reference',
          );
        }
        if (body.customer_account.account_number !== payment.accountNumber) {
          return fail(
            c,
            422,
            'error_field',
            `Payment ${body.id} was posted to ${payment.accountNumber}, not ${body.customer_account.account_number}`,
            'customer_account.account_number',
          );
        }
        return fail(
          c,
          422,
          'error_field',
          `Payment ${body.id} was posted for ${ebppAmountFromPaise(payment.amountPaise)}, not ${body.amount}`,
          'amount',
        );
      }
      switch (result.outcome) {
        case 'payment_not_found':
          return fail(c, 404, 'error_field', `No posted payment with id ${body.id}`, 'id');
        case 'already_reversed':
          return duplicate(c, metrics);
        case 'reversed':
          metrics?.posted('reversal');
          return c.json(
            {
              id: body.id,
              confirmation_number: body.confirmation_number,
              payment_reference: result.payment.receiptId,
              status: body.status,
              amount: ebppAmountFromPaise(result.reversedPaise),
              currency_code3d: 'INR',
              account_number: result.payment.accountNumber,
              posting_date: indianDateOf(),
            },
            200,
          );
      }
    },

    postPaymentRefund: async (c) => {
      const body = c.req.valid('json');
      const source = body.source_payment;
      let amountPaise: bigint | null = null;
      if (body.refund_type === 'fee_only') {
        // The fee is not the biller's money: a fee-only refund takes nothing back from the account.
        amountPaise = 0n;
      } else if (body.refund_amount !== undefined) {
        const parsed = amountOf(body.refund_amount);
        if (parsed instanceof MoneyError) {
          return fail(c, 400, 'error_field', `refund_amount ${parsed.reason}`, 'refund_amount');
        }
        amountPaise = parsed;
      }
      const notFound = () => fail(c, 404, 'error_field', `No posted payment with id ${source.id}`, 'source_payment.id');
      const refused =
        refusedCurrency(c, source.currency_code3d, 'source_payment.currency_code3d') ??
        neverPosts(c, 'refund', body.status);
      if (refused) {
        // An unknown payment is named first; only this refused refund asks the ledger separately.
        const payment =
          (await findPayment(db, 'ebpp', source.id)) ??
          (source.payment_reference ? await findPaymentByReceipt(db, 'ebpp', source.payment_reference) : undefined);
        return payment ? refused : notFound();
      }
      // One round trip: the ledger finds the payment by its id, or else by the biller's reference.
      const result = await refundPayment(db, {
        channel: 'ebpp',
        externalId: body.id,
        paymentExternalId: source.id,
        receiptId: source.payment_reference || undefined,
        amountPaise,
        details: { confirmation_number: body.confirmation_number, status: body.status, refund_type: body.refund_type },
      });
      switch (result.outcome) {
        case 'duplicate':
          return duplicate(c, metrics);
        case 'payment_not_found':
          return notFound();
        case 'exceeds_payment':
          return fail(
            c,
            422,
            'error_payment_amount_high',
            `Payment amount too high: refund_amount exceeds the ${ebppAmountFromPaise(result.refundablePaise)} INR left of the source payment`,
            'refund_amount',
          );
        case 'refunded':
          metrics?.posted('refund');
          return c.json(
            {
              id: body.id,
              confirmation_number: body.confirmation_number,
              refund_reference: result.refund.reference,
              payment_reference: result.refund.payment.receiptId,
              status: body.status,
              refund_amount: ebppAmountFromPaise(result.refund.amountPaise),
              posting_date: indianDateOf(result.refund.recordedAt),
            },
            200,
          );
      }
    },
  };

  return contractApp({
    routes: operations,
    handlers,
    envelope: ebppEnvelope,
    // Both keys are always checked, so the answer's timing does not reveal which one was wrong.
    authenticate: apiKeyAuth(securitySchemes, checks),
    bodyLimitBytes,
    logger,
    metrics,
    unavailable: (error) => error instanceof DatabaseUnavailableError,
  });
}
