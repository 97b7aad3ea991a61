// Every money movement: payments (against one bill, or against an account), reversals and refunds.
//
// Exactly-once rests on the database, not on this process, and so do the locks: each movement is one SQL function
// (migrations/003_ledger_functions.sql says how UNIQUE constraints, ON CONFLICT and the account-then-bills lock
// order make it exactly-once and deadlock-free; 004 adds how a reversal or refund names its payment), called as one
// statement.
import type { Db, Queryable } from '../db/db.ts';
import type { Exactness } from './book.ts';

/** Who brought a movement: the biller's own names for its two contracts (no contract lists them). */
export const channels = ['kaleidofin', 'ebpp'] as const;
export type Channel = (typeof channels)[number];

/** Why an allocation moved a bill's paid amount (the biller's own; allocations.cause). */
export const allocationCauses = ['payment', 'reversal', 'refund'] as const;
export type AllocationCause = (typeof allocationCauses)[number];

export interface PaymentRecord {
  id: bigint;
  channel: Channel;
  externalId: string;
  accountNumber: string;
  partnerBillId: string | null;
  amountPaise: bigint;
  paidOn: string | null;
  recordedAt: Date;
  /** The receipt number shown to the payer, derived from the payment's id. */
  receiptId: string;
  details: Record<string, unknown>;
}

/** The biller's receipt number for a payment (Kaleidofin's receipt id, EBPP's payment_reference). */
export function receiptId(paymentId: bigint): string {
  return `R${paymentId.toString().padStart(4, '0')}`;
}

/** The payment id a receipt number names; 0 (no payment's id) for text that is not one of the biller's receipts. */
export function paymentIdOfReceipt(reference: string): bigint {
  const match = /^R(\d{1,18})$/.exec(reference);
  return match ? BigInt(match[1] as string) : 0n;
}

/** The biller's reference for a refund (EBPP's refund_reference). */
export function refundReference(refundId: bigint): string {
  return `RF${refundId.toString().padStart(4, '0')}`;
}

// ---------------------------------------------------------------------------------------------------------
// The movements. Each is one call of its SQL function (migrations/003_ledger_functions.sql, where the rules and the
// locking are; reversals and refunds through 004_one_round_trip_reversal_refund.sql's overloads, which resolve the
// payment they name first), so a posting, a reversal or a refund is one statement and one round trip; this side
// only maps the answer.

/** What every ledger function answers (the SQL type ledger_outcome). */
interface OutcomeRow {
  outcome: string;
  payment_id: bigint | null;
  channel: Channel | null;
  external_id: string | null;
  account_number: string | null;
  partner_bill_id: string | null;
  amount_paise: bigint | null;
  paid_on: string | null;
  recorded_at: Date | null;
  details: Record<string, unknown> | null;
  figure_paise: bigint | null;
  exactness: Exactness | null;
  refund_id: bigint | null;
  refund_external_id: string | null;
  refund_amount_paise: bigint | null;
  refund_recorded_at: Date | null;
  [column: string]: unknown;
}

async function move(db: Db, sql: string, params: unknown[]): Promise<OutcomeRow> {
  const [row] = await db.runOnce<OutcomeRow>(sql, params);
  if (!row) throw new Error(`${sql} answered no row`);
  return row;
}

function paymentOf(row: OutcomeRow): PaymentRecord {
  const { payment_id: id, channel, external_id, account_number, amount_paise, recorded_at, details } = row;
  if (
    id === null ||
    channel === null ||
    external_id === null ||
    account_number === null ||
    amount_paise === null ||
    recorded_at === null ||
    details === null
  ) {
    throw new Error(`ledger outcome ${row.outcome} came without its payment`);
  }
  return {
    id,
    channel,
    externalId: external_id,
    accountNumber: account_number,
    partnerBillId: row.partner_bill_id,
    amountPaise: amount_paise,
    paidOn: row.paid_on,
    recordedAt: new Date(recorded_at),
    receiptId: receiptId(id),
    details,
  };
}

/** The payment a channel knows by `externalId` (its transaction reference). */
export async function findPayment(
  tx: Queryable,
  channel: Channel,
  externalId: string,
): Promise<PaymentRecord | undefined> {
  const [row] = await tx.query<OutcomeRow>("SELECT * FROM ledger_payment('found', $1, $2)", [channel, externalId]);
  return row?.payment_id == null ? undefined : paymentOf(row);
}

/** The payment whose receipt id (the biller's own reference, e.g. `R0042`) this is. */
export async function findPaymentByReceipt(
  tx: Queryable,
  channel: Channel,
  reference: string,
): Promise<PaymentRecord | undefined> {
  const id = paymentIdOfReceipt(reference);
  if (id === 0n) return undefined;
  const [row] = await tx.query<OutcomeRow>("SELECT * FROM ledger_payment_by_id('found', $1, $2)", [channel, id]);
  return row?.payment_id == null ? undefined : paymentOf(row);
}

function figureOf(row: OutcomeRow): bigint {
  if (row.figure_paise === null) throw new Error(`ledger outcome ${row.outcome} came without its figure`);
  return row.figure_paise;
}

// ---------------------------------------------------------------------------------------------------------
// A payment against one bill (Kaleidofin's fetchReceipt).

export interface BillPayment {
  channel: Channel;
  /** The payer's transaction reference: a repeat of it is answered with the first receipt. */
  externalId: string;
  partnerBillId: string;
  amountPaise: bigint;
  paidOn?: string | null;
  details?: Record<string, unknown>;
}

export type BillPaymentResult =
  | { outcome: 'recorded' | 'repeated'; payment: PaymentRecord }
  | { outcome: 'bill_not_found' }
  | { outcome: 'already_paid' }
  | { outcome: 'amount_mismatch'; exactness: Exactness; outstandingPaise: bigint }
  /** The transaction reference was already used for a different bill or amount. */
  | { outcome: 'transaction_conflict'; payment: PaymentRecord };

export async function payBill(db: Db, input: BillPayment): Promise<BillPaymentResult> {
  const row = await move(db, 'SELECT * FROM ledger_pay_bill($1, $2, $3, $4, $5, $6)', [
    input.channel,
    input.externalId,
    input.partnerBillId,
    input.amountPaise,
    input.paidOn ?? null,
    JSON.stringify(input.details ?? {}),
  ]);
  switch (row.outcome) {
    case 'recorded':
    case 'repeated':
    case 'transaction_conflict':
      return { outcome: row.outcome, payment: paymentOf(row) };
    case 'bill_not_found':
    case 'already_paid':
      return { outcome: row.outcome };
    case 'amount_mismatch':
      if (row.exactness === null) throw new Error("amount_mismatch came without the bill's exactness");
      return { outcome: row.outcome, exactness: row.exactness, outstandingPaise: figureOf(row) };
    default:
      throw new Error(`ledger_pay_bill answered an unknown outcome: ${row.outcome}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// A payment against an account (EBPP's paymentposting): spread over its bills, the earliest due first.

export interface AccountPayment {
  channel: Channel;
  externalId: string;
  accountNumber: string;
  /** When given, the paying profile must be one of the account's holders (EBPP's multi-profile model). */
  payerReference?: string;
  amountPaise: bigint;
  paidOn?: string | null;
  details?: Record<string, unknown>;
}

export type AccountPaymentResult =
  | { outcome: 'posted' | 'duplicate'; payment: PaymentRecord }
  | { outcome: 'account_not_found' }
  | { outcome: 'payer_not_holder' }
  | { outcome: 'account_closed' | 'account_status_invalid' }
  | { outcome: 'amount_low'; minimumPaise: bigint }
  | { outcome: 'amount_high'; maximumPaise: bigint };

export async function payAccount(db: Db, input: AccountPayment): Promise<AccountPaymentResult> {
  const row = await move(db, 'SELECT * FROM ledger_pay_account($1, $2, $3, $4, $5, $6, $7)', [
    input.channel,
    input.externalId,
    input.accountNumber,
    input.payerReference ?? null,
    input.amountPaise,
    input.paidOn ?? null,
    JSON.stringify(input.details ?? {}),
  ]);
  switch (row.outcome) {
    case 'posted':
    case 'duplicate':
      return { outcome: row.outcome, payment: paymentOf(row) };
    case 'account_not_found':
    case 'payer_not_holder':
    case 'account_closed':
    case 'account_status_invalid':
      return { outcome: row.outcome };
    case 'amount_low':
      return { outcome: row.outcome, minimumPaise: figureOf(row) };
    case 'amount_high':
      return { outcome: row.outcome, maximumPaise: figureOf(row) };
    default:
      throw new Error(`ledger_pay_account answered an unknown outcome: ${row.outcome}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Reversals and refunds.

export interface Reversal {
  channel: Channel;
  /** The external id of the payment being undone. */
  paymentExternalId: string;
  /** What the reversal says of the payment (each when it says it): it is undone only if they are the payment's. */
  accountNumber?: string | undefined;
  amountPaise?: bigint | undefined;
  /** The payment's receipt number. */
  receiptId?: string | undefined;
  details?: Record<string, unknown>;
}

export type ReversalResult =
  | { outcome: 'reversed'; payment: PaymentRecord; reversedPaise: bigint }
  | { outcome: 'already_reversed'; payment: PaymentRecord }
  /** The reversal describes another account, amount or receipt than the payment's: nothing was changed. */
  | { outcome: 'mismatch'; payment: PaymentRecord }
  | { outcome: 'payment_not_found' };

export async function reversePayment(db: Db, input: Reversal): Promise<ReversalResult> {
  const row = await move(db, 'SELECT * FROM ledger_reverse($1, $2, $3, $4, $5, $6)', [
    input.channel,
    input.paymentExternalId,
    input.accountNumber ?? null,
    input.amountPaise ?? null,
    input.receiptId === undefined ? null : paymentIdOfReceipt(input.receiptId),
    JSON.stringify(input.details ?? {}),
  ]);
  switch (row.outcome) {
    case 'reversed':
      return { outcome: row.outcome, payment: paymentOf(row), reversedPaise: figureOf(row) };
    case 'already_reversed':
    case 'mismatch':
      return { outcome: row.outcome, payment: paymentOf(row) };
    case 'payment_not_found':
      return { outcome: row.outcome };
    default:
      throw new Error(`ledger_reverse answered an unknown outcome: ${row.outcome}`);
  }
}

export interface Refund {
  channel: Channel;
  /** The refund's own reference: a repeat of it changes nothing. */
  externalId: string;
  /** The external id of the payment being refunded. */
  paymentExternalId: string;
  /** The payment's receipt number, which names it when the external id names none. */
  receiptId?: string | undefined;
  /** null refunds whatever is left of the payment; 0 records a refund that takes nothing back (a fee-only refund). */
  amountPaise: bigint | null;
  details?: Record<string, unknown>;
}

export interface RefundRecord {
  id: bigint;
  /** The biller's reference for the refund, derived from its id. */
  reference: string;
  externalId: string;
  payment: PaymentRecord;
  amountPaise: bigint;
  recordedAt: Date;
}

export type RefundResult =
  | { outcome: 'refunded' | 'duplicate'; refund: RefundRecord }
  | { outcome: 'payment_not_found' }
  /** More than the payment has left (after earlier refunds, or a reversal); or nothing left to refund. */
  | { outcome: 'exceeds_payment'; refundablePaise: bigint };

function refundOf(row: OutcomeRow): RefundRecord {
  const { refund_id: id, refund_external_id: externalId, refund_amount_paise: amountPaise } = row;
  if (id === null || externalId === null || amountPaise === null || row.refund_recorded_at === null) {
    throw new Error(`ledger outcome ${row.outcome} came without its refund`);
  }
  return {
    id,
    reference: refundReference(id),
    externalId,
    payment: paymentOf(row),
    amountPaise,
    recordedAt: new Date(row.refund_recorded_at),
  };
}

export async function refundPayment(db: Db, input: Refund): Promise<RefundResult> {
  const row = await move(db, 'SELECT * FROM ledger_refund($1, $2, $3, $4, $5, $6)', [
    input.channel,
    input.externalId,
    input.paymentExternalId,
    input.receiptId === undefined ? null : paymentIdOfReceipt(input.receiptId),
    input.amountPaise,
    JSON.stringify(input.details ?? {}),
  ]);
  switch (row.outcome) {
    case 'refunded':
    case 'duplicate':
      return { outcome: row.outcome, refund: refundOf(row) };
    case 'payment_not_found':
      return { outcome: row.outcome };
    case 'exceeds_payment':
      return { outcome: row.outcome, refundablePaise: figureOf(row) };
    default:
      throw new Error(`ledger_refund answered an unknown outcome: ${row.outcome}`);
  }
}
