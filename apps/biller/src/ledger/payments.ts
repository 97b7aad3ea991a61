// Every money movement: payments (against one bill, or against an account), reversals and refunds.
//
// Exactly-once rests on the database, not on this process: (channel, external_id) is UNIQUE on payments and
// refunds, and reversals are UNIQUE per payment; inserts use ON CONFLICT DO NOTHING RETURNING, so of two
// identical requests racing on two connections exactly one inserts and the other reads the winner's row.
// Each movement also locks its account row (SELECT ... FOR UPDATE) first, then the bills it touches, in one
// transaction: movements on one account queue behind each other, the checks they make (outstanding amounts,
// what is left to refund) stay true until they commit, and the fixed lock order (account, then bills)
// means two movements can never deadlock.
import type { Db, Queryable } from '../db/db.ts';
import type { AccountStatus, Exactness } from './book.ts';

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

// Math.min does not take bigint.
function smaller(a: bigint, b: bigint): bigint {
  if (a < b) return a;
  return b;
}

/** The biller's receipt number for a payment (Kaleidofin's receipt id, EBPP's payment_reference). */
export function receiptId(paymentId: bigint): string {
  return `R${paymentId.toString().padStart(4, '0')}`;
}

/** The biller's reference for a refund (EBPP's refund_reference). */
export function refundReference(refundId: bigint): string {
  return `RF${refundId.toString().padStart(4, '0')}`;
}

interface PaymentRow {
  id: bigint;
  channel: Channel;
  external_id: string;
  account_number: string;
  partner_bill_id: string | null;
  amount_paise: bigint;
  paid_on: string | null;
  recorded_at: Date;
  details: Record<string, unknown>;
  [column: string]: unknown;
}

const paymentSelect = `SELECT p.id, p.channel, p.external_id, a.account_number, b.partner_bill_id, p.amount_paise,
    p.paid_on, p.recorded_at, p.details
  FROM payments p JOIN accounts a ON a.id = p.account_id LEFT JOIN bills b ON b.id = p.bill_id`;

/** The payment a channel knows by `externalId` (its transaction reference). */
export async function findPayment(
  tx: Queryable,
  channel: Channel,
  externalId: string,
): Promise<PaymentRecord | undefined> {
  const [row] = await tx.query<PaymentRow>(`${paymentSelect} WHERE p.channel = $1 AND p.external_id = $2`, [
    channel,
    externalId,
  ]);
  return row && toPayment(row);
}

/** The payment whose receipt id (the biller's own reference, e.g. `R0042`) this is. */
export async function findPaymentByReceipt(
  tx: Queryable,
  channel: Channel,
  reference: string,
): Promise<PaymentRecord | undefined> {
  const match = /^R(\d{1,18})$/.exec(reference);
  if (!match) return undefined;
  const [row] = await tx.query<PaymentRow>(`${paymentSelect} WHERE p.channel = $1 AND p.id = $2`, [
    channel,
    BigInt(match[1] as string),
  ]);
  return row && toPayment(row);
}

function toPayment(row: PaymentRow): PaymentRecord {
  return {
    id: row.id,
    channel: row.channel,
    externalId: row.external_id,
    accountNumber: row.account_number,
    partnerBillId: row.partner_bill_id,
    amountPaise: row.amount_paise,
    paidOn: row.paid_on,
    recordedAt: new Date(row.recorded_at),
    receiptId: receiptId(row.id),
    details: row.details,
  };
}

interface LockedAccount {
  id: bigint;
  account_number: string;
  status: AccountStatus;
  min_payment_paise: bigint;
  max_payment_paise: bigint | null;
  [column: string]: unknown;
}

function lockAccount(tx: Queryable, where: 'id' | 'account_number', value: unknown): Promise<LockedAccount[]> {
  return tx.query<LockedAccount>(
    `SELECT id, account_number, status, min_payment_paise, max_payment_paise FROM accounts
     WHERE ${where} = $1 FOR UPDATE`,
    [value],
  );
}

/** Applies allocations (signed paise per bill) to the bills and records them, in two statements. */
async function allocate(
  tx: Queryable,
  paymentId: bigint,
  cause: AllocationCause,
  moves: { billId: bigint; amountPaise: bigint }[],
): Promise<void> {
  const live = moves.filter((m) => m.amountPaise !== 0n);
  if (live.length === 0) return;
  const ids = live.map((m) => m.billId);
  const amounts = live.map((m) => m.amountPaise);
  await tx.query(
    `INSERT INTO allocations (payment_id, bill_id, amount_paise, cause)
     SELECT $1, u.bill_id, u.amount, $4 FROM unnest($2::bigint[], $3::bigint[]) AS u(bill_id, amount)`,
    [paymentId, ids, amounts, cause],
  );
  await tx.query(
    `UPDATE bills SET paid_paise = bills.paid_paise + u.amount, updated_at = now()
     FROM unnest($1::bigint[], $2::bigint[]) AS u(bill_id, amount) WHERE bills.id = u.bill_id`,
    [ids, amounts],
  );
}

/**
 * Inserts the payment unless its (channel, external id) exists; undefined when it does. The record comes back
 * from RETURNING, as a later `findPayment` would read it, without another round trip.
 */
async function insertPayment(
  tx: Queryable,
  payment: {
    channel: Channel;
    externalId: string;
    accountId: bigint;
    accountNumber: string;
    billId: bigint | null;
    partnerBillId: string | null;
    amountPaise: bigint;
    paidOn: string | null;
    details: Record<string, unknown>;
  },
): Promise<PaymentRecord | undefined> {
  const [row] = await tx.query<PaymentRow>(
    `INSERT INTO payments (channel, external_id, account_id, bill_id, amount_paise, paid_on, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (channel, external_id) DO NOTHING
     RETURNING id, channel, external_id, amount_paise, paid_on, recorded_at, details`,
    [
      payment.channel,
      payment.externalId,
      payment.accountId,
      payment.billId,
      payment.amountPaise,
      payment.paidOn,
      JSON.stringify(payment.details),
    ],
  );
  return row && toPayment({ ...row, account_number: payment.accountNumber, partner_bill_id: payment.partnerBillId });
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

/** Does `amount` satisfy the bill's exactness, given what the bill still owes? */
export function amountAllowed(exactness: Exactness, amountPaise: bigint, outstandingPaise: bigint): boolean {
  switch (exactness) {
    case 'EXACT':
      return amountPaise === outstandingPaise;
    case 'EXACT_UP':
      return amountPaise >= outstandingPaise;
    case 'EXACT_DOWN':
      return amountPaise > 0n && amountPaise <= outstandingPaise;
    case 'ANY':
      return amountPaise > 0n;
  }
}

export function payBill(db: Db, input: BillPayment): Promise<BillPaymentResult> {
  return db.transaction(async (tx) => {
    const [target] = await tx.query<{ id: bigint; account_id: bigint }>(
      'SELECT id, account_id FROM bills WHERE partner_bill_id = $1',
      [input.partnerBillId],
    );
    const repeat = (payment: PaymentRecord): BillPaymentResult =>
      payment.partnerBillId === input.partnerBillId && payment.amountPaise === input.amountPaise
        ? { outcome: 'repeated', payment }
        : { outcome: 'transaction_conflict', payment };
    if (!target) {
      const earlier = await findPayment(tx, input.channel, input.externalId);
      return earlier ? repeat(earlier) : { outcome: 'bill_not_found' };
    }
    const [account] = await lockAccount(tx, 'id', target.account_id);
    const [bill] = await tx.query<{ amount_paise: bigint; paid_paise: bigint; exactness: Exactness }>(
      'SELECT amount_paise, paid_paise, exactness FROM bills WHERE id = $1 FOR UPDATE',
      [target.id],
    );
    if (!account || !bill) throw new Error(`bill ${input.partnerBillId} vanished while being paid`);

    // A repeat gets the first answer even if the bill has changed since (paid, account closed).
    const earlier = await findPayment(tx, input.channel, input.externalId);
    if (earlier) return repeat(earlier);

    // No account-status check here: Kaleidofin acknowledges money the customer has already paid for a bill
    // we listed, so it is recorded; closed accounts owe nothing, so their bills are not listed in the first place.
    const outstandingPaise = bill.amount_paise - bill.paid_paise;
    if (outstandingPaise <= 0n) return { outcome: 'already_paid' };
    if (!amountAllowed(bill.exactness, input.amountPaise, outstandingPaise)) {
      return { outcome: 'amount_mismatch', exactness: bill.exactness, outstandingPaise };
    }

    const payment = await insertPayment(tx, {
      channel: input.channel,
      externalId: input.externalId,
      accountId: account.id,
      accountNumber: account.account_number,
      billId: target.id,
      partnerBillId: input.partnerBillId,
      amountPaise: input.amountPaise,
      paidOn: input.paidOn ?? null,
      details: input.details ?? {},
    });
    if (payment === undefined) {
      // The same reference committed meanwhile for another bill (whose lock we do not hold).
      const winner = await findPayment(tx, input.channel, input.externalId);
      if (!winner) throw new Error('payment conflict without a conflicting payment');
      return repeat(winner);
    }
    await allocate(tx, payment.id, 'payment', [{ billId: target.id, amountPaise: input.amountPaise }]);
    return { outcome: 'recorded', payment };
  });
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

interface OpenBill {
  id: bigint;
  amount_paise: bigint;
  paid_paise: bigint;
  [column: string]: unknown;
}

export function payAccount(db: Db, input: AccountPayment): Promise<AccountPaymentResult> {
  return db.transaction(async (tx) => {
    const [account] = await lockAccount(tx, 'account_number', input.accountNumber);
    const earlierOf = async () => {
      const earlier = await findPayment(tx, input.channel, input.externalId);
      return earlier && ({ outcome: 'duplicate', payment: earlier } as const);
    };
    if (!account) return (await earlierOf()) ?? { outcome: 'account_not_found' };
    const earlier = await earlierOf();
    if (earlier) return earlier;

    if (input.payerReference !== undefined) {
      const [holder] = await tx.query(
        `SELECT 1 FROM account_holders h JOIN customers c ON c.id = h.customer_id
         WHERE h.account_id = $1 AND c.customer_reference = $2`,
        [account.id, input.payerReference],
      );
      if (!holder) return { outcome: 'payer_not_holder' };
    }
    if (account.status === 'closed') return { outcome: 'account_closed' };
    if (account.status !== 'active') return { outcome: 'account_status_invalid' };

    const open = await tx.query<OpenBill>(
      `SELECT id, amount_paise, paid_paise FROM bills
       WHERE account_id = $1 AND paid_paise < amount_paise ORDER BY due_on, id FOR UPDATE`,
      [account.id],
    );
    const balancePaise = open.reduce((sum, bill) => sum + bill.amount_paise - bill.paid_paise, 0n);
    // Below the minimum is refused, except a payment that settles the account (its last few paise).
    const settles = input.amountPaise === balancePaise;
    if (input.amountPaise <= 0n || (input.amountPaise < account.min_payment_paise && !settles)) {
      return { outcome: 'amount_low', minimumPaise: account.min_payment_paise };
    }
    // The ledger holds no credit balances: nobody pays more than the account owes, nor more than its maximum.
    const maximumPaise =
      account.max_payment_paise === null ? balancePaise : smaller(account.max_payment_paise, balancePaise);
    if (input.amountPaise > maximumPaise) return { outcome: 'amount_high', maximumPaise };

    const payment = await insertPayment(tx, {
      channel: input.channel,
      externalId: input.externalId,
      accountId: account.id,
      accountNumber: account.account_number,
      billId: null,
      partnerBillId: null,
      amountPaise: input.amountPaise,
      paidOn: input.paidOn ?? null,
      details: input.details ?? {},
    });
    if (payment === undefined) {
      const winner = await earlierOf();
      if (!winner) throw new Error('payment conflict without a conflicting payment');
      return winner;
    }
    let left = input.amountPaise;
    const moves: { billId: bigint; amountPaise: bigint }[] = [];
    for (const bill of open) {
      if (left === 0n) break;
      const outstanding = bill.amount_paise - bill.paid_paise;
      const take = smaller(left, outstanding);
      moves.push({ billId: bill.id, amountPaise: take });
      left -= take;
    }
    await allocate(tx, payment.id, 'payment', moves);
    return { outcome: 'posted', payment };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Reversals and refunds.

/** What a payment still has on each bill, latest-due first (the order refunds give back in). */
async function netAllocations(tx: Queryable, paymentId: bigint): Promise<{ billId: bigint; amountPaise: bigint }[]> {
  const rows = await tx.query<{ bill_id: bigint; net: bigint }>(
    `SELECT al.bill_id, sum(al.amount_paise)::bigint AS net
     FROM allocations al JOIN bills b ON b.id = al.bill_id
     WHERE al.payment_id = $1
     GROUP BY al.bill_id, b.due_on HAVING sum(al.amount_paise) <> 0
     ORDER BY b.due_on DESC, al.bill_id DESC`,
    [paymentId],
  );
  return rows.map((row) => ({ billId: row.bill_id, amountPaise: row.net }));
}

async function lockBills(tx: Queryable, ids: bigint[]): Promise<void> {
  if (ids.length > 0) await tx.query('SELECT id FROM bills WHERE id = ANY($1::bigint[]) FOR UPDATE', [ids]);
}

export interface Reversal {
  channel: Channel;
  /** The external id of the payment being undone. */
  paymentExternalId: string;
  details?: Record<string, unknown>;
}

export type ReversalResult =
  | { outcome: 'reversed'; payment: PaymentRecord; reversedPaise: bigint }
  | { outcome: 'already_reversed'; payment: PaymentRecord }
  | { outcome: 'payment_not_found' };

export function reversePayment(db: Db, input: Reversal): Promise<ReversalResult> {
  return db.transaction(async (tx) => {
    const found = await findPayment(tx, input.channel, input.paymentExternalId);
    if (!found) return { outcome: 'payment_not_found' };
    const [accountRow] = await tx.query<{ account_id: bigint }>('SELECT account_id FROM payments WHERE id = $1', [
      found.id,
    ]);
    await lockAccount(tx, 'id', accountRow?.account_id);
    const [reversal] = await tx.query<{ id: bigint }>(
      `INSERT INTO reversals (payment_id, details) VALUES ($1, $2)
       ON CONFLICT (payment_id) DO NOTHING RETURNING id`,
      [found.id, JSON.stringify(input.details ?? {})],
    );
    if (!reversal) return { outcome: 'already_reversed', payment: found };
    // Undo what is left of the payment (refunds may already have given part of it back).
    const net = await netAllocations(tx, found.id);
    await lockBills(
      tx,
      net.map((n) => n.billId),
    );
    await allocate(
      tx,
      found.id,
      'reversal',
      net.map((n) => ({ billId: n.billId, amountPaise: -n.amountPaise })),
    );
    return { outcome: 'reversed', payment: found, reversedPaise: net.reduce((sum, n) => sum + n.amountPaise, 0n) };
  });
}

export interface Refund {
  channel: Channel;
  /** The refund's own reference: a repeat of it changes nothing. */
  externalId: string;
  /** The external id of the payment being refunded. */
  paymentExternalId: string;
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

async function findRefund(tx: Queryable, channel: Channel, externalId: string): Promise<RefundRecord | undefined> {
  const [row] = await tx.query<{
    id: bigint;
    external_id: string;
    amount_paise: bigint;
    recorded_at: Date;
    payment_external_id: string;
  }>(
    `SELECT r.id, r.external_id, r.amount_paise, r.recorded_at, p.external_id AS payment_external_id
     FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE r.channel = $1 AND r.external_id = $2`,
    [channel, externalId],
  );
  if (!row) return undefined;
  const payment = await findPayment(tx, channel, row.payment_external_id);
  if (!payment) throw new Error(`refund ${externalId} has no payment`);
  return {
    id: row.id,
    reference: refundReference(row.id),
    externalId: row.external_id,
    payment,
    amountPaise: row.amount_paise,
    recordedAt: new Date(row.recorded_at),
  };
}

export function refundPayment(db: Db, input: Refund): Promise<RefundResult> {
  return db.transaction(async (tx) => {
    const earlier = await findRefund(tx, input.channel, input.externalId);
    if (earlier) return { outcome: 'duplicate', refund: earlier };
    const payment = await findPayment(tx, input.channel, input.paymentExternalId);
    if (!payment) return { outcome: 'payment_not_found' };
    const [accountRow] = await tx.query<{ account_id: bigint }>('SELECT account_id FROM payments WHERE id = $1', [
      payment.id,
    ]);
    await lockAccount(tx, 'id', accountRow?.account_id);
    // Under the account lock nobody else can refund or reverse this payment, so `refundable` stays true.
    const again = await findRefund(tx, input.channel, input.externalId);
    if (again) return { outcome: 'duplicate', refund: again };
    const net = await netAllocations(tx, payment.id);
    const refundablePaise = net.reduce((sum, n) => sum + n.amountPaise, 0n);
    const amountPaise = input.amountPaise ?? refundablePaise;
    if (amountPaise > refundablePaise || (input.amountPaise === null && refundablePaise === 0n)) {
      return { outcome: 'exceeds_payment', refundablePaise };
    }

    const [inserted] = await tx.query<{ id: bigint }>(
      `INSERT INTO refunds (channel, external_id, payment_id, amount_paise, details) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (channel, external_id) DO NOTHING RETURNING id`,
      [input.channel, input.externalId, payment.id, amountPaise, JSON.stringify(input.details ?? {})],
    );
    if (!inserted) {
      const winner = await findRefund(tx, input.channel, input.externalId);
      if (!winner) throw new Error('refund conflict without a conflicting refund');
      return { outcome: 'duplicate', refund: winner };
    }
    await lockBills(
      tx,
      net.map((n) => n.billId),
    );
    let left = amountPaise;
    const moves: { billId: bigint; amountPaise: bigint }[] = [];
    for (const n of net) {
      if (left === 0n) break;
      const take = smaller(left, n.amountPaise);
      moves.push({ billId: n.billId, amountPaise: -take });
      left -= take;
    }
    await allocate(tx, payment.id, 'refund', moves);
    const refund = await findRefund(tx, input.channel, input.externalId);
    if (!refund) throw new Error('refund not readable after insert');
    return { outcome: 'refunded', refund };
  });
}
