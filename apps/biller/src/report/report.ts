// The daily reconciliation report: every payment, reversal and refund of one Indian business day, then the
// totals per channel, written to a stream as it is read (see README "Reconciliation report"). The command is
// cli.ts; this module is what it and the tests call.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { isCalendarDate } from '../dates.ts';
import type { Db } from '../db/db.ts';
import { type Channel, channels } from '../ledger/payments.ts';
import { csvEncoder, jsonEncoder, type ReportFormat, reportFormats, type Total, Totals } from './format.ts';
import { dayBounds, forEachMovementBatch } from './movements.ts';

export interface ReportOptions {
  /** The IST business day, `YYYY-MM-DD`. */
  date: string;
  channel?: Channel | undefined;
  format: ReportFormat;
  /** Rows per FETCH (default 1000). */
  batchSize?: number | undefined;
  /** Called with a line for the operator every `progressEvery` rows and once at the end; never on `output`. */
  progress?: ((line: string) => void) | undefined;
  progressEvery?: number | undefined;
}

export interface ReportSummary {
  rows: number;
  totals: Total[];
  seconds: number;
}

/** Writes, waiting whenever the stream asks to (so a slow reader slows the cursor instead of filling memory). */
async function writeTo(output: Writable, chunk: string): Promise<void> {
  if (chunk === '') return;
  if (output.destroyed || output.writableEnded) throw new Error('the output was closed before the report ended');
  if (output.write(chunk)) return;
  // 'close' without 'drain' (the stream destroyed) must not leave the report waiting for ever. Both listeners
  // go when either fires (the abort), so waiting often does not pile them up.
  const ac = new AbortController();
  const closed = once(output, 'close', { signal: ac.signal }).then(() => {
    throw new Error('the output was closed before the report ended');
  });
  try {
    await Promise.race([once(output, 'drain', { signal: ac.signal }), closed]);
  } finally {
    ac.abort();
    closed.catch(() => {});
  }
}

export async function writeReport(db: Db, output: Writable, options: ReportOptions): Promise<ReportSummary> {
  const started = performance.now();
  const encoder = options.format === 'csv' ? csvEncoder() : jsonEncoder();
  const totals = new Totals(options.channel);
  const every = options.progressEvery ?? 100_000;
  const scope = options.channel ?? 'all channels';
  let rows = 0;
  let nextProgress = every;
  // An error on the output (EPIPE when the reader went away) must fail the report, not the process.
  let outputError: Error | undefined;
  const onError = (error: Error) => {
    outputError ??= error;
  };
  output.on('error', onError);
  // The opening goes out with the first rows (or the totals), so a database that cannot be read leaves the
  // output empty rather than holding a header that looks like an empty day.
  let opening = encoder.start({ date: options.date, channel: options.channel, ...dayBounds(options.date) });
  const write = async (chunk: string) => {
    if (outputError) throw outputError;
    await writeTo(output, opening + chunk);
    opening = '';
  };
  try {
    await forEachMovementBatch(db, options, async (batch) => {
      for (const m of batch) totals.add(m);
      rows += batch.length;
      await write(encoder.movements(batch));
      if (rows >= nextProgress) {
        options.progress?.(`report ${options.date} (${scope}): ${rows} rows…`);
        while (nextProgress <= rows) nextProgress += every;
      }
    });
    const list = totals.list();
    await write(encoder.end(list, rows));
    const seconds = (performance.now() - started) / 1000;
    options.progress?.(`report ${options.date} (${scope}): ${rows} rows in ${seconds.toFixed(1)} s`);
    return { rows, totals: list, seconds };
  } finally {
    output.off('error', onError);
  }
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const usage =
  'usage: pnpm --filter @bbps-kit/biller report --date YYYY-MM-DD [--channel kaleidofin|ebpp] [--format csv|json]';

/** The command line, checked: every problem named at once. */
export function parseReportArgs(argv: readonly string[]): Pick<ReportOptions, 'date' | 'channel' | 'format'> {
  // `pnpm … report -- --date …` passes the `--` through.
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  let values: { date?: string | undefined; channel?: string | undefined; format?: string | undefined };
  try {
    ({ values } = parseArgs({
      args,
      options: { date: { type: 'string' }, channel: { type: 'string' }, format: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const problems: string[] = [];
  const { date, channel, format = 'csv' } = values;
  if (date === undefined) problems.push('--date is required (the IST business day, YYYY-MM-DD)');
  else if (!isCalendarDate(date)) problems.push(`--date must be a calendar date YYYY-MM-DD, got "${date}"`);
  if (channel !== undefined && !(channels as readonly string[]).includes(channel)) {
    problems.push(`--channel must be ${channels.join(' or ')}, got "${channel}"`);
  }
  if (!(reportFormats as readonly string[]).includes(format)) {
    problems.push(`--format must be ${reportFormats.join(' or ')}, got "${format}"`);
  }
  if (problems.length > 0) throw new UsageError(problems.join('; '));
  return { date: date as string, channel: channel as Channel | undefined, format: format as ReportFormat };
}
