// The day's money movements, read through a server-side cursor so that a day of any size streams in bounded
// memory: `DECLARE … CURSOR` in a read-only transaction, then `FETCH` in batches. It goes through the ordinary
// `Db.transaction`, so it works unchanged on PostgreSQL and on PGlite, and needs no driver of its own.
//
// The day is India's business day (src/dates.ts): [date 00:00 IST, date+1 00:00 IST) over `recorded_at`. The
// bounds are passed as instants with an explicit +05:30 offset (India has kept one offset, without daylight
// saving, since 1945), so neither the server's nor the process's time zone can move them.
import type { Db, Queryable } from '../db/db.ts';
import { type Channel, receiptId, refundReference } from '../ledger/payments.ts';

export const movementKinds = ['payment', 'reversal', 'refund'] as const;
export type MovementKind = (typeof movementKinds)[number];

/** One payment, reversal or refund as the report shows it. */
export interface Movement {
  kind: MovementKind;
  channel: Channel;
  /** The channel's own reference for this movement: the payment's external id, or the refund's. */
  channelReference: string;
  /** The channel's reference for the payment concerned (the payment itself, or the one reversed or refunded). */
  paymentChannelReference: string;
  /** The biller's reference: the receipt `R…` (payments and reversals) or the refund's `RF…`. */
  billerReference: string;
  /** The receipt of the payment concerned. */
  paymentReceipt: string;
  accountNumber: string;
  /** The bill the payment named (Kaleidofin pays one bill); null for a payment to the account (EBPP). */
  partnerBillId: string | null;
  /** Signed: positive for money in (a payment), negative for money given back (a reversal, a refund). */
  amountPaise: bigint;
  /** The payment's own date as the channel sent it (EBPP payment_date), if any. */
  paidOn: string | null;
  /** ISO 8601 in IST with microseconds, e.g. `2026-11-22T08:57:52.123456+05:30`. */
  recordedAt: string;
  /** The IST date of `recordedAt` (the report's day). */
  recordedDate: string;
  /** What the channel sent with this movement that the ledger keeps for reconciliation. */
  details: Record<string, unknown>;
}

/** The report's day as two instants: [from, to). */
export function dayBounds(date: string): { from: string; to: string } {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return { from: `${date}T00:00:00+05:30`, to: `${next.toISOString().slice(0, 10)}T00:00:00+05:30` };
}

interface MovementRow {
  kind: MovementKind;
  channel: Channel;
  channel_reference: string;
  payment_channel_reference: string;
  own_id: bigint;
  payment_id: bigint;
  account_number: string;
  partner_bill_id: string | null;
  amount_paise: bigint;
  paid_on: string | null;
  recorded_at: string;
  recorded_date: string;
  details: Record<string, unknown>;
  [column: string]: unknown;
}

// A reversal undoes what was left of its payment (refunds may have given part back first): its amount is what
// its allocations moved. A refund's amount is its own row's (0 for EBPP's fee-only refund).
// Each branch filters on the day itself, so PostgreSQL scans each table once; the channel filter is pushed down.
const movementsSql = `
SELECT m.kind, m.channel, m.channel_reference, p.external_id AS payment_channel_reference, m.own_id, p.id AS payment_id,
  a.account_number, b.partner_bill_id, m.amount_paise, p.paid_on,
  to_char(m.recorded_at AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM-DD"T"HH24:MI:SS.US"+05:30"') AS recorded_at,
  to_char(m.recorded_at AT TIME ZONE 'Asia/Kolkata', 'YYYY-MM-DD') AS recorded_date,
  m.details
FROM (
  SELECT 'payment' AS kind, 1 AS kind_order, p.id AS own_id, p.id AS payment_id, p.channel,
    p.external_id AS channel_reference, p.amount_paise, p.recorded_at, p.details
  FROM payments p WHERE p.recorded_at >= $1::timestamptz AND p.recorded_at < $2::timestamptz
  UNION ALL
  SELECT 'reversal', 2, r.id, r.payment_id, p.channel, p.external_id,
    coalesce((SELECT sum(al.amount_paise) FROM allocations al
              WHERE al.payment_id = r.payment_id AND al.cause = 'reversal'), 0)::bigint,
    r.recorded_at, r.details
  FROM reversals r JOIN payments p ON p.id = r.payment_id
  WHERE r.recorded_at >= $1::timestamptz AND r.recorded_at < $2::timestamptz
  UNION ALL
  SELECT 'refund', 3, f.id, f.payment_id, f.channel, f.external_id, -f.amount_paise, f.recorded_at, f.details
  FROM refunds f WHERE f.recorded_at >= $1::timestamptz AND f.recorded_at < $2::timestamptz
) m
JOIN payments p ON p.id = m.payment_id
JOIN accounts a ON a.id = p.account_id
LEFT JOIN bills b ON b.id = p.bill_id
WHERE $3::text IS NULL OR m.channel = $3::text
ORDER BY m.recorded_at, m.kind_order, m.own_id`;

function toMovement(row: MovementRow): Movement {
  return {
    kind: row.kind,
    channel: row.channel,
    channelReference: row.channel_reference,
    paymentChannelReference: row.payment_channel_reference,
    billerReference: row.kind === 'refund' ? refundReference(row.own_id) : receiptId(row.payment_id),
    paymentReceipt: receiptId(row.payment_id),
    accountNumber: row.account_number,
    partnerBillId: row.partner_bill_id,
    amountPaise: row.amount_paise,
    paidOn: row.paid_on,
    recordedAt: row.recorded_at,
    recordedDate: row.recorded_date,
    details: row.details,
  };
}

/**
 * The report could not be finished: part of it was already written, so it was not started again. It carries the
 * connection error's message but not the error itself, so that nothing upstream mistakes it for a failure to retry.
 */
export class ReportInterruptedError extends Error {
  override readonly name = 'ReportInterruptedError';
  constructor(cause: unknown) {
    super(
      `the database connection was lost after part of the report was written (the output is incomplete): ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
    );
  }
}

export interface MovementQuery {
  date: string;
  /** Only this channel's movements; both when undefined. */
  channel?: Channel | undefined;
  /** Rows per FETCH. */
  batchSize?: number | undefined;
}

/**
 * Calls `onBatch` with the day's movements in order (recorded time, then payment before reversal before refund,
 * then id), one FETCH at a time, waiting for each call before fetching more: memory holds one batch.
 *
 * `Db.transaction` on PostgreSQL runs a transaction once more when the connection drops before COMMIT; a batch
 * already handed on cannot be taken back, so a second run after any batch throws ReportInterruptedError instead.
 */
export async function forEachMovementBatch(
  db: Db,
  query: MovementQuery,
  onBatch: (movements: Movement[]) => Promise<void>,
): Promise<void> {
  const { from, to } = dayBounds(query.date);
  const batchSize = query.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer`);
  let handedOn = false;
  let lastError: unknown;
  await db.transaction(async (tx: Queryable) => {
    if (handedOn) throw new ReportInterruptedError(lastError);
    try {
      await tx.exec('SET TRANSACTION READ ONLY');
      await tx.query(`DECLARE report_movements NO SCROLL CURSOR FOR ${movementsSql}`, [
        from,
        to,
        query.channel ?? null,
      ]);
      for (;;) {
        const rows = await tx.query<MovementRow>(`FETCH ${batchSize} FROM report_movements`);
        if (rows.length === 0) break;
        handedOn = true;
        await onBatch(rows.map(toMovement));
        if (rows.length < batchSize) break;
      }
      await tx.exec('CLOSE report_movements');
    } catch (error) {
      lastError = error;
      throw error;
    }
  });
}
