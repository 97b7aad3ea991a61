// The daily reconciliation report against a ledger written by the ledger's own functions, with movements placed
// on known instants around IST midnight: every movement of the day exactly once, nothing from the days either
// side, totals equal to what the ledger's tables say (queried here independently), CSV that parses back, the
// channel filter, and the command itself as a child process (exit codes, stderr only for messages).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indianDateOf } from '../src/dates.ts';
import type { Db } from '../src/db/db.ts';
import { openPglite } from '../src/db/pglite.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { readCsv } from '../src/import/csv.ts';
import { type Channel, payAccount, payBill, refundPayment, reversePayment } from '../src/ledger/payments.ts';
import { reportColumns } from '../src/report/format.ts';
import { type ReportOptions, writeReport } from '../src/report/report.ts';
import { createLedger, forEachEngine, type TestDatabase } from './support/db.ts';

const cli = fileURLToPath(new URL('../src/report/cli.ts', import.meta.url));
const DAY = '2026-03-10';

/** Collects what the report writes. */
class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

async function report(db: Db, options: Partial<ReportOptions> = {}) {
  const sink = new Sink();
  const progress: string[] = [];
  const summary = await writeReport(db, sink, {
    date: DAY,
    format: 'csv',
    progress: (line) => progress.push(line),
    ...options,
  });
  return { text: sink.text, summary, progress };
}

async function parseCsv(text: string): Promise<Record<string, string>[]> {
  const records: string[][] = [];
  for await (const record of readCsv([text])) records.push(record.fields);
  const [header, ...rows] = records;
  expect(header).toEqual([...reportColumns]);
  for (const row of rows) expect(row).toHaveLength(reportColumns.length);
  return rows.map((row) => Object.fromEntries(reportColumns.map((column, i) => [column, row[i] as string])));
}

function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      // A process time zone far from India's: the report must not depend on it.
      { env: { PATH: process.env.PATH ?? '', TZ: 'America/New_York', ...env }, maxBuffer: 1 << 26 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

interface Expected {
  kind: 'payment' | 'reversal' | 'refund';
  channel: Channel;
  channelReference: string;
  billerReference: string;
  amountPaise: bigint;
  recordedAt: string;
}

forEachEngine('reconciliation report', (engine) => {
  let t: TestDatabase;
  /** The database the report reads: on PostgreSQL a pool opened after the server's time zone was changed. */
  let db: Db;
  const expected: Expected[] = [];

  const place = async (table: 'payments' | 'refunds', channel: Channel, externalId: string, at: string) => {
    await t.db.query(`UPDATE ${table} SET recorded_at = $3::timestamptz WHERE channel = $1 AND external_id = $2`, [
      channel,
      externalId,
      at,
    ]);
  };

  beforeAll(async () => {
    t = await createLedger(engine);
    const [account] = await t.db.query<{ id: bigint }>(
      `INSERT INTO accounts (account_number) VALUES ('LN-RPT/1') RETURNING id`,
    );
    await t.db.query(
      `INSERT INTO bills (partner_bill_id, account_id, name, amount_paise, generated_on, due_on, exactness)
       VALUES ('BILL-A', $1, 'MarchInstallment', 5000000, '2026-03-01', '2026-03-31', 'ANY'),
              ('BILL-B', $1, 'AprilInstallment', 5000000, '2026-03-01', '2026-04-30', 'ANY')`,
      [account?.id],
    );
    const kaleidofin = async (externalId: string, amountPaise: bigint, at: string) => {
      const paid = await payBill(t.db, {
        channel: 'kaleidofin',
        externalId,
        partnerBillId: 'BILL-A',
        amountPaise,
        details: { systemBillId: 14, billAmountPaise: '5000000' },
      });
      if (paid.outcome !== 'recorded') throw new Error(paid.outcome);
      await place('payments', 'kaleidofin', externalId, at);
      return paid.payment;
    };
    const ebpp = async (externalId: string, amountPaise: bigint, at: string) => {
      const posted = await payAccount(t.db, {
        channel: 'ebpp',
        externalId,
        accountNumber: 'LN-RPT/1',
        amountPaise,
        paidOn: '2026-03-10',
        details: { confirmation_number: `C-${externalId}`, status: 'processed', payment_method: 'ach' },
      });
      if (posted.outcome !== 'posted') throw new Error(posted.outcome);
      await place('payments', 'ebpp', externalId, at);
      return posted.payment;
    };
    const refund = async (channel: Channel, externalId: string, of: string, amountPaise: bigint, at: string) => {
      const done = await refundPayment(t.db, {
        channel,
        externalId,
        paymentExternalId: of,
        amountPaise,
        details: { confirmation_number: `C-${externalId}`, status: 'processed', refund_type: 'partial' },
      });
      if (done.outcome !== 'refunded') throw new Error(done.outcome);
      await place('refunds', channel, externalId, at);
      return done.refund;
    };

    // The day before, by one microsecond, and the day after, from its first instant: none of it reported.
    await kaleidofin('K-BEFORE', 10000n, '2026-03-09T18:29:59.999999Z');
    const k2 = await kaleidofin('K,"2"', 25050n, '2026-03-09T18:30:00Z');
    expected.push({
      kind: 'payment',
      channel: 'kaleidofin',
      channelReference: 'K,"2"',
      billerReference: k2.receiptId,
      amountPaise: 25050n,
      recordedAt: '2026-03-10T00:00:00.000000+05:30',
    });
    const e2 = await ebpp('E-2', 30000n, '2026-03-09T10:00:00Z');
    const e1 = await ebpp('E-1', 120000n, '2026-03-10T06:00:00Z');
    expected.push({
      kind: 'payment',
      channel: 'ebpp',
      channelReference: 'E-1',
      billerReference: e1.receiptId,
      amountPaise: 120000n,
      recordedAt: '2026-03-10T11:30:00.000000+05:30',
    });
    // A refund today of yesterday's payment is today's movement.
    const f1 = await refund('ebpp', 'EF-1', 'E-2', 10000n, '2026-03-10T07:00:00Z');
    expected.push({
      kind: 'refund',
      channel: 'ebpp',
      channelReference: 'EF-1',
      billerReference: f1.reference,
      amountPaise: -10000n,
      recordedAt: '2026-03-10T12:30:00.000000+05:30',
    });
    const f2 = await refund('ebpp', 'EF-2', 'E-1', 20000n, '2026-03-10T08:00:00Z');
    expected.push({
      kind: 'refund',
      channel: 'ebpp',
      channelReference: 'EF-2',
      billerReference: f2.reference,
      amountPaise: -20000n,
      recordedAt: '2026-03-10T13:30:00.000000+05:30',
    });
    // A refund that takes nothing back (EBPP's fee-only kind, here on the other channel): counted, 0 paise.
    const f0 = await refund('kaleidofin', 'KF-0', 'K,"2"', 0n, '2026-03-10T09:00:00Z');
    expected.push({
      kind: 'refund',
      channel: 'kaleidofin',
      channelReference: 'KF-0',
      billerReference: f0.reference,
      amountPaise: 0n,
      recordedAt: '2026-03-10T14:30:00.000000+05:30',
    });
    // The reversal undoes what the refund left of E-1: 1000.00 of 1200.00. Last microsecond of the day.
    const reversed = await reversePayment(t.db, {
      channel: 'ebpp',
      paymentExternalId: 'E-1',
      details: { status: 'returned', return_code: 'R01', confirmation_number: 'C-REV-1' },
    });
    expect(reversed).toMatchObject({ outcome: 'reversed', reversedPaise: 100000n });
    await t.db.query(`UPDATE reversals SET recorded_at = '2026-03-10T18:29:59.999999Z' WHERE payment_id = $1`, [e1.id]);
    expected.push({
      kind: 'reversal',
      channel: 'ebpp',
      channelReference: 'E-1',
      billerReference: e1.receiptId,
      amountPaise: -100000n,
      recordedAt: '2026-03-10T23:59:59.999999+05:30',
    });
    await ebpp('E-3', 5000n, '2026-03-10T18:30:00Z');
    await reversePayment(t.db, { channel: 'ebpp', paymentExternalId: 'E-2' });
    await t.db.query(`UPDATE reversals SET recorded_at = '2026-03-10T18:30:00Z' WHERE payment_id = $1`, [e2.id]);

    // The server's own time zone far from India's too (on PostgreSQL for every new connection).
    if (engine.name === 'PostgreSQL') {
      await t.db.exec(
        `DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET timezone = %L', current_database(), 'Pacific/Honolulu'); END $$`,
      );
      db = await openPostgres(t.url as string, { max: 2 });
    } else {
      await t.db.exec(`SET TIME ZONE 'Pacific/Honolulu'`);
      db = t.db;
    }
    const [zone] = await db.query<{ zone: string }>('SELECT current_setting($1) AS zone', ['TimeZone']);
    expect(zone?.zone).toBe('Pacific/Honolulu');
  });

  afterAll(async () => {
    if (db && db !== t.db) await db.close();
    await t?.drop();
  });

  /** What the ledger's own tables hold for the day, bounds computed by PostgreSQL from the zone's name. */
  async function ledgerTotals(channel: Channel) {
    const day = `WITH d AS (SELECT ($1::date)::timestamp AT TIME ZONE 'Asia/Kolkata' AS lo,
                                   ($1::date + 1)::timestamp AT TIME ZONE 'Asia/Kolkata' AS hi)`;
    const [payments] = await t.db.query<{ n: bigint; paise: bigint; allocated: bigint }>(
      `${day} SELECT count(*) AS n, coalesce(sum(p.amount_paise), 0)::bigint AS paise,
         coalesce(sum((SELECT sum(al.amount_paise) FROM allocations al
                       WHERE al.payment_id = p.id AND al.cause = 'payment')), 0)::bigint AS allocated
       FROM payments p, d WHERE p.channel = $2 AND p.recorded_at >= d.lo AND p.recorded_at < d.hi`,
      [DAY, channel],
    );
    const [reversals] = await t.db.query<{ n: bigint; paise: bigint }>(
      `${day} SELECT count(DISTINCT r.id) AS n, coalesce(sum(al.amount_paise), 0)::bigint AS paise
       FROM reversals r JOIN payments p ON p.id = r.payment_id
       LEFT JOIN allocations al ON al.payment_id = r.payment_id AND al.cause = 'reversal', d
       WHERE p.channel = $2 AND r.recorded_at >= d.lo AND r.recorded_at < d.hi`,
      [DAY, channel],
    );
    const [refunds] = await t.db.query<{ n: bigint; paise: bigint }>(
      `${day} SELECT count(*) AS n, coalesce(sum(f.amount_paise), 0)::bigint AS paise
       FROM refunds f, d WHERE f.channel = $2 AND f.recorded_at >= d.lo AND f.recorded_at < d.hi`,
      [DAY, channel],
    );
    if (!payments || !reversals || !refunds) throw new Error('no totals');
    // A payment's allocations are the payment: the two sources agree before either is compared with the report.
    expect(payments.allocated).toBe(payments.paise);
    return {
      payment: { count: Number(payments.n), amountPaise: payments.paise },
      reversal: { count: Number(reversals.n), amountPaise: reversals.paise },
      refund: { count: Number(refunds.n), amountPaise: -refunds.paise },
    };
  }

  it('reports every movement of the IST day exactly once, in order, and nothing of the days either side', async () => {
    const { text, summary, progress } = await report(db);
    const rows = await parseCsv(text);
    const movements = rows.filter((row) => row.record === 'movement');
    expect(
      movements.map((m) => ({
        kind: m.kind,
        channel: m.channel,
        channelReference: m.channel_reference,
        billerReference: m.biller_reference,
        amountPaise: BigInt(m.amount_paise as string),
        recordedAt: m.recorded_at,
      })),
    ).toEqual(expected);
    expect(summary.rows).toBe(expected.length);
    for (const m of movements) {
      expect(m.recorded_date).toBe(DAY);
      expect(indianDateOf(new Date(m.recorded_at as string))).toBe(DAY);
    }
    expect(text).not.toMatch(/K-BEFORE|E-3/);
    expect(progress).toEqual([expect.stringMatching(/^report 2026-03-10 \(all channels\): 6 rows in [\d.]+ s$/)]);
  });

  it('carries what reconciliation needs: references both ways, the bill, exact rupees, the channel details', async () => {
    const rows = await parseCsv((await report(db)).text);
    const byReference = (kind: string, reference: string) =>
      rows.find((row) => row.kind === kind && row.channel_reference === reference);
    expect(byReference('payment', 'K,"2"')).toMatchObject({
      channel: 'kaleidofin',
      payment_channel_reference: 'K,"2"',
      payment_receipt: byReference('payment', 'K,"2"')?.biller_reference,
      account_number: 'LN-RPT/1',
      partner_bill_id: 'BILL-A',
      count: '',
      amount_paise: '25050',
      amount_rupees: '250.50',
      system_bill_id: '14',
      paid_on: '',
      recorded_date: DAY,
    });
    expect(JSON.parse(byReference('payment', 'K,"2"')?.details as string)).toEqual({
      systemBillId: 14,
      billAmountPaise: '5000000',
    });
    const e1 = byReference('payment', 'E-1');
    expect(e1).toMatchObject({
      biller_reference: expect.stringMatching(/^R\d{4,}$/),
      partner_bill_id: '',
      amount_rupees: '1200.00',
      channel_status: 'processed',
      confirmation_number: 'C-E-1',
      paid_on: '2026-03-10',
    });
    // A refund names itself and the payment it gives back from; so does a reversal (which has no id of its own).
    expect(byReference('refund', 'EF-1')).toMatchObject({
      payment_channel_reference: 'E-2',
      biller_reference: expect.stringMatching(/^RF\d{4,}$/),
      amount_paise: '-10000',
      amount_rupees: '-100.00',
      confirmation_number: 'C-EF-1',
    });
    expect(byReference('reversal', 'E-1')).toMatchObject({
      payment_channel_reference: 'E-1',
      biller_reference: e1?.biller_reference,
      payment_receipt: e1?.biller_reference,
      amount_rupees: '-1000.00',
      channel_status: 'returned',
      confirmation_number: 'C-REV-1',
    });
    // The comma and quotes in K,"2" came back through RFC 4180 quoting.
    expect((await report(db)).text).toContain('"K,""2"""');
  });

  it('ends with totals per channel and kind that equal the ledger’s own movements of the day', async () => {
    const { text, summary } = await report(db);
    const totals = (await parseCsv(text)).filter((row) => row.record === 'total');
    // The totals are the last rows: nothing follows them.
    expect(
      text
        .trimEnd()
        .split('\r\n')
        .slice(-totals.length)
        .every((line) => line.startsWith('total,')),
    ).toBe(true);
    for (const channel of ['kaleidofin', 'ebpp'] as const) {
      const ledger = await ledgerTotals(channel);
      const mine = totals.filter((row) => row.channel === channel);
      expect(mine.map((row) => row.kind)).toEqual(['payment', 'reversal', 'refund', 'net']);
      for (const kind of ['payment', 'reversal', 'refund'] as const) {
        const row = mine.find((r) => r.kind === kind);
        expect({ kind, count: Number(row?.count), amountPaise: BigInt(row?.amount_paise as string) }).toEqual({
          kind,
          ...ledger[kind],
        });
      }
      const net = mine.find((r) => r.kind === 'net');
      const all = Object.values(ledger);
      expect(BigInt(net?.amount_paise as string)).toBe(all.reduce((s, k) => s + k.amountPaise, 0n));
      expect(Number(net?.count)).toBe(all.reduce((s, k) => s + k.count, 0));
    }
    // The figures, by hand: EBPP 1200.00 in, 300.00 refunded, 1000.00 reversed; Kaleidofin 250.50 in, a 0 refund.
    expect(summary.totals.filter((x) => x.kind === 'net')).toEqual([
      { channel: 'kaleidofin', kind: 'net', count: 2, amountPaise: 25050n },
      { channel: 'ebpp', kind: 'net', count: 4, amountPaise: -10000n },
    ]);
    expect(totals.find((r) => r.channel === 'ebpp' && r.kind === 'net')?.amount_rupees).toBe('-100.00');
  });

  it('filters by channel: only its movements and only its totals', async () => {
    for (const channel of ['kaleidofin', 'ebpp'] as const) {
      const rows = await parseCsv((await report(db, { channel })).text);
      expect(rows.filter((r) => r.record === 'movement').map((r) => r.channel_reference)).toEqual(
        expected.filter((e) => e.channel === channel).map((e) => e.channelReference),
      );
      expect(new Set(rows.map((r) => r.channel))).toEqual(new Set([channel]));
      expect(rows.filter((r) => r.record === 'total')).toHaveLength(4);
    }
  });

  it('writes the same report as one JSON document, paise as digit strings', async () => {
    const csv = await parseCsv((await report(db)).text);
    const { text } = await report(db, { format: 'json', batchSize: 2 });
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({
      date: DAY,
      time_zone: 'Asia/Kolkata',
      from: '2026-03-10T00:00:00+05:30',
      to: '2026-03-11T00:00:00+05:30',
      channel: null,
      rows: 6,
    });
    expect(doc.movements).toHaveLength(6);
    for (const [i, m] of (doc.movements as Record<string, unknown>[]).entries()) {
      const row = csv[i] as Record<string, string>;
      for (const column of reportColumns) {
        if (column === 'record' || column === 'count') expect(m).not.toHaveProperty(column);
        else if (column === 'details') expect(m.details).toEqual(JSON.parse(row.details as string));
        else expect(m[column] ?? '').toBe(row[column]);
      }
    }
    expect(doc.totals).toContainEqual({
      kind: 'net',
      channel: 'ebpp',
      count: 4,
      amount_paise: '-10000',
      amount_rupees: '-100.00',
    });
    // A day with nothing in it is still a whole document, with zero totals.
    const empty = JSON.parse((await report(db, { format: 'json', date: '2026-01-01', channel: 'ebpp' })).text);
    expect(empty).toMatchObject({ movements: [], rows: 0, channel: 'ebpp' });
    expect(empty.totals).toHaveLength(4);
  });

  it('fetches in batches: the same report whatever the batch size', async () => {
    const whole = (await report(db)).text;
    for (const batchSize of [1, 2, 5, 6, 7]) expect((await report(db, { batchSize })).text).toBe(whole);
  });

  it('the command writes the report to stdout, messages to stderr, and exits 0', async () => {
    let env: Record<string, string>;
    let dir: string | undefined;
    if (engine.name === 'PostgreSQL') {
      env = { DATABASE_URL: t.url as string };
    } else {
      // The command opens the embedded database on disk: copy this one there.
      dir = mkdtempSync(join(tmpdir(), 'biller-report-'));
      const dump = await (t.db as Db & { pglite: PGlite }).pglite.dumpDataDir('none');
      const copy = await openPglite({ dataDir: join(dir, 'biller'), loadDataDir: dump });
      await copy.close();
      env = { DATA_DIR: dir };
    }
    try {
      const csv = await run(['--date', DAY], env);
      expect(csv.stderr).toMatch(/^report 2026-03-10 \(all channels\): 6 rows in [\d.]+ s\n$/);
      expect(csv.code).toBe(0);
      expect(csv.stdout).toBe((await report(db)).text);
      const json = await run(['--', '--date', DAY, '--channel', 'ebpp', '--format', 'json'], env);
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout).movements).toHaveLength(4);
      if (dir) {
        // PGlite allows one process: while this one holds the database the command refuses, and says why.
        const held = await openPglite({ dataDir: join(dir, 'biller') });
        try {
          const refused = await run(['--date', DAY], env);
          expect(refused).toMatchObject({ code: 1, stdout: '' });
          expect(refused.stderr).toMatch(new RegExp(`^report: .*in use by process ${process.pid}`));
        } finally {
          await held.close();
        }
      }
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
    // Three processes, each starting the embedded database on PGlite (seconds each on a busy machine).
  }, 90_000);
});

describe('the report command without a database', () => {
  it('exits 2 with a clear message for bad arguments, before touching any database', async () => {
    const env = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };
    for (const [args, message] of [
      [[], /--date is required/],
      [['--date', '2026-02-30'], /--date must be a calendar date YYYY-MM-DD, got "2026-02-30"/],
      [['--date', '10/03/2026'], /--date must be a calendar date/],
      [['--date', DAY, '--channel', 'eko'], /--channel must be kaleidofin or ebpp, got "eko"/],
      [['--date', DAY, '--format', 'xml'], /--format must be csv or json, got "xml"/],
      [['--date', DAY, '--dry-run'], /Unknown option '--dry-run'/],
      [['--date'], /--date/],
    ] as const) {
      const result = await run([...args], env);
      expect({ args, code: result.code, stdout: result.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/usage: pnpm --filter @bbps-kit\/biller report --date YYYY-MM-DD/);
    }
  });

  it('exits 1 with one line and no stack trace when the database cannot be reached, writing nothing', async () => {
    const refused = await run(['--date', DAY], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr: 'report: the database is unavailable: connect ECONNREFUSED 127.0.0.1:1\n',
    });
    const missing = await run(['--date', DAY], { DATA_DIR: join(tmpdir(), 'biller-report-nothing-here') });
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toMatch(/^report: there is no embedded database in .*biller-report-nothing-here/);
  });
});
