// How the report is written: the columns (one list, shared by CSV and JSON), the per-channel totals, RFC 4180
// quoting and JSON encoding. Amounts leave here in two forms: the signed paise integer, and rupees as exact
// decimal text made from those paise by @bbps-kit/money (EBPP's canonical 2-decimal form, with a sign).
import { ebppAmountFromPaise } from '@bbps-kit/money';
import { type Channel, channels } from '../ledger/payments.ts';
import { type Movement, type MovementKind, movementKinds } from './movements.ts';

export const reportFormats = ['csv', 'json'] as const;
export type ReportFormat = (typeof reportFormats)[number];

/** Signed rupees, exact: `-120050n` → "-1200.50". */
export function rupees(paise: bigint): string {
  return paise < 0n ? `-${ebppAmountFromPaise(-paise)}` : ebppAmountFromPaise(paise);
}

const text = (value: unknown): string | null =>
  value === undefined || value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);

/** The columns, in order. `record` tells a movement row from a totals row (CSV keeps both in one table). */
export const reportColumns = [
  'record',
  'kind',
  'channel',
  'channel_reference',
  'payment_channel_reference',
  'biller_reference',
  'payment_receipt',
  'account_number',
  'partner_bill_id',
  'count',
  'amount_paise',
  'amount_rupees',
  'channel_status',
  'confirmation_number',
  'system_bill_id',
  'paid_on',
  'recorded_at',
  'recorded_date',
  'details',
] as const;
export type ReportColumn = (typeof reportColumns)[number];
type Cells = Record<ReportColumn, string | null>;

function movementCells(m: Movement): Cells {
  return {
    record: 'movement',
    kind: m.kind,
    channel: m.channel,
    channel_reference: m.channelReference,
    payment_channel_reference: m.paymentChannelReference,
    biller_reference: m.billerReference,
    payment_receipt: m.paymentReceipt,
    account_number: m.accountNumber,
    partner_bill_id: m.partnerBillId,
    count: null,
    amount_paise: m.amountPaise.toString(),
    amount_rupees: rupees(m.amountPaise),
    // The keys the two contracts' handlers store: EBPP's status and confirmation_number, Kaleidofin's systemBillId.
    channel_status: text(m.details.status),
    confirmation_number: text(m.details.confirmation_number),
    system_bill_id: text(m.details.systemBillId),
    paid_on: m.paidOn,
    recorded_at: m.recordedAt,
    recorded_date: m.recordedDate,
    details: JSON.stringify(m.details),
  };
}

export type TotalKind = MovementKind | 'net';
export interface Total {
  channel: Channel;
  kind: TotalKind;
  count: number;
  /** Signed, like the movements: refunds and reversals are negative, `net` is their sum with the payments. */
  amountPaise: bigint;
}

/** Count and sum per channel and kind, in fixed-size memory; every channel reported and every kind, zeros too. */
export class Totals {
  readonly #sums = new Map<string, { count: number; amountPaise: bigint }>();
  readonly channels: readonly Channel[];
  constructor(channel?: Channel) {
    this.channels = channel ? [channel] : channels;
    for (const c of this.channels)
      for (const k of movementKinds) this.#sums.set(`${c}/${k}`, { count: 0, amountPaise: 0n });
  }
  add(m: Movement): void {
    const sum = this.#sums.get(`${m.channel}/${m.kind}`);
    if (!sum) throw new Error(`a ${m.channel} movement in a report of ${this.channels.join(', ')}`);
    sum.count++;
    sum.amountPaise += m.amountPaise;
  }
  list(): Total[] {
    const totals: Total[] = [];
    for (const channel of this.channels) {
      let count = 0;
      let amountPaise = 0n;
      for (const kind of movementKinds) {
        const sum = this.#sums.get(`${channel}/${kind}`) as { count: number; amountPaise: bigint };
        totals.push({ channel, kind, ...sum });
        count += sum.count;
        amountPaise += sum.amountPaise;
      }
      totals.push({ channel, kind: 'net', count, amountPaise });
    }
    return totals;
  }
}

function totalCells(t: Total): Cells {
  const cells = Object.fromEntries(reportColumns.map((column) => [column, null])) as Cells;
  return {
    ...cells,
    record: 'total',
    kind: t.kind,
    channel: t.channel,
    count: String(t.count),
    amount_paise: t.amountPaise.toString(),
    amount_rupees: rupees(t.amountPaise),
  };
}

/** RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled. */
export function csvField(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
// RFC 4180 ends every record with CRLF.
const csvRecord = (cells: Cells): string => `${reportColumns.map((column) => csvField(cells[column])).join(',')}\r\n`;

// JSON: the same names; paise as strings of digits, because a day's total may pass 2^53 and JSON readers
// commonly parse numbers as doubles; `count` as a number; `details` as the object the channel sent.
function jsonObject(cells: Cells, details?: Record<string, unknown>): string {
  const entries: [string, unknown][] = [];
  for (const column of reportColumns) {
    if (column === 'record') continue;
    if (column === 'details') {
      if (details !== undefined) entries.push([column, details]);
      continue;
    }
    const value = cells[column];
    // A total has only its own few fields; a movement has every field but the count (null when not sent).
    if (cells.record === 'total' ? value === null : column === 'count') continue;
    entries.push([column, column === 'count' && value !== null ? Number(value) : value]);
  }
  return JSON.stringify(Object.fromEntries(entries));
}

export interface ReportHeading {
  date: string;
  channel: Channel | undefined;
  from: string;
  to: string;
}

/** Turns the report into text pieces; the caller writes them in order. */
export interface ReportEncoder {
  start(heading: ReportHeading): string;
  movements(batch: Movement[]): string;
  end(totals: Total[], rows: number): string;
}

export function csvEncoder(): ReportEncoder {
  return {
    start: () => `${reportColumns.join(',')}\r\n`,
    movements: (batch) => batch.map((m) => csvRecord(movementCells(m))).join(''),
    end: (totals) => totals.map((t) => csvRecord(totalCells(t))).join(''),
  };
}

/**
 * One JSON document, written as it is read: `{"date", "time_zone", "from", "to", "channel", "movements": [one object
 * per line…], "totals": […], "rows"}`. Until the closing brace arrives the document does not parse, so a report
 * cut short can never pass for a complete one.
 */
export function jsonEncoder(): ReportEncoder {
  let first = true;
  return {
    start: (h) =>
      `{"date":${JSON.stringify(h.date)},"time_zone":"Asia/Kolkata","from":${JSON.stringify(h.from)},` +
      `"to":${JSON.stringify(h.to)},"channel":${JSON.stringify(h.channel ?? null)},"movements":[`,
    movements(batch) {
      let out = '';
      for (const m of batch) {
        out += `${first ? '\n' : ',\n'}${jsonObject(movementCells(m), m.details)}`;
        first = false;
      }
      return out;
    },
    end: (totals, rows) =>
      `${first ? '' : '\n'}],\n"totals":[\n${totals.map((t) => jsonObject(totalCells(t))).join(',\n')}\n],\n"rows":${rows}}\n`,
  };
}
