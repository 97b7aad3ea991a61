// The report streams: a day of 200,000 payments goes through in bounded memory. Generated in one INSERT … SELECT
// generate_series on PostgreSQL (PGlite's single in-process connection would make the figures its own), then
// reported to a sink that only counts bytes, the live heap measured as it goes; then the command itself with its
// heap capped. Its own file, so its worker's heap holds nothing but this. The figures go to the test log.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../src/report/report.ts';
import { postgresEngine, type TestDatabase } from './support/db.ts';

const ROWS = 200_000;
const DAY = '2026-03-10';
const MiB = 1024 * 1024;
const cli = fileURLToPath(new URL('../src/report/cli.ts', import.meta.url));

// A full collection on demand, without starting the test runner with --expose-gc.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const engine = postgresEngine();
const title = 'reconciliation report memory on PostgreSQL';
if (!engine.available) console.warn(`[biller tests] skipped (no PostgreSQL): ${title}`);

describe.skipIf(!engine.available)(title, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await engine.createMigrated();
    const [account] = await t.db.query<{ id: bigint }>(
      `INSERT INTO accounts (account_number) VALUES ('LN-BULK') RETURNING id`,
    );
    // Both channels, spread over the IST day (one every 0.4 s), details like the handlers store.
    await t.db.query(
      `INSERT INTO payments (channel, external_id, account_id, amount_paise, paid_on, recorded_at, details)
       SELECT CASE WHEN g % 2 = 0 THEN 'ebpp' ELSE 'kaleidofin' END, 'BULK-' || g, $1, 100 + g, $2::date,
              $3::timestamptz + g * interval '400 milliseconds',
              jsonb_build_object('confirmation_number', 'EBP' || g, 'status', 'processed', 'payment_method', 'ach')
       FROM generate_series(1, $4::int) AS g`,
      [account?.id, DAY, `${DAY}T00:00:00+05:30`, ROWS],
    );
    await t.db.exec('ANALYZE payments');
  }, 120_000);
  afterAll(async () => {
    await t?.drop();
  });

  it(`reports ${ROWS.toLocaleString('en')} payments holding one batch at a time`, async () => {
    let bytes = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done();
      },
    });
    // heapUsed counts garbage not yet collected, which says nothing about what the report holds: measure what is
    // live after a collection, on every 5,000th row. (The peak before collection is logged too.)
    gc();
    const before = process.memoryUsage().heapUsed;
    let livePeak = 0;
    let rawPeak = 0;
    const sample = () => {
      rawPeak = Math.max(rawPeak, process.memoryUsage().heapUsed - before);
      gc();
      livePeak = Math.max(livePeak, process.memoryUsage().heapUsed - before);
    };
    const summary = await writeReport(t.db, sink, { date: DAY, format: 'csv', progress: sample, progressEvery: 5_000 });
    console.log(
      `[report memory] in process: ${summary.rows} rows, ${(bytes / MiB).toFixed(1)} MiB of CSV in ` +
        `${summary.seconds.toFixed(1)} s (${Math.round(summary.rows / summary.seconds)} rows/s); live heap growth ` +
        `at most ${(livePeak / MiB).toFixed(1)} MiB (before collection: ${(rawPeak / MiB).toFixed(1)} MiB)`,
    );
    expect(summary.rows).toBe(ROWS);
    const [sums] = await t.db.query<{ paise: bigint }>('SELECT sum(amount_paise)::bigint AS paise FROM payments');
    const net = summary.totals.filter((x) => x.kind === 'net');
    expect(net.reduce((s, x) => s + x.amountPaise, 0n)).toBe(sums?.paise);
    expect(net.map((x) => x.count)).toEqual([ROWS / 2, ROWS / 2]);
    // The CSV alone is ~49 MiB, the rows as objects several times that: holding them could not pass this bound.
    expect(bytes).toBeGreaterThan(40 * MiB);
    expect(livePeak).toBeLessThan(64 * MiB);
  }, 300_000);

  it('the command reports the same day with its heap capped at 64 MiB', async () => {
    // A report that gathered its rows before writing them would die here of "heap out of memory".
    const started = performance.now();
    const child = spawn(process.execPath, ['--max-old-space-size=64', cli, '--date', DAY], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: t.url as string },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let bytes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // Linux keeps each process's peak resident set (VmHWM); read it while the child lives.
    let peakRssKiB = 0;
    const poll = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        peakRssKiB = Math.max(peakRssKiB, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch {}
    }, 25);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearInterval(poll);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `[report memory] the command: ${(bytes / MiB).toFixed(1)} MiB of CSV in ${seconds.toFixed(1)} s, ` +
        `peak RSS ${peakRssKiB ? `${(peakRssKiB / 1024).toFixed(0)} MiB` : 'unknown (no /proc)'}`,
    );
    expect(stderr).toMatch(/100000 rows…\n.*200000 rows…\n.*200000 rows in [\d.]+ s\n$/s);
    expect(code).toBe(0);
    expect(bytes).toBeGreaterThan(40 * MiB);
  }, 300_000);
});
