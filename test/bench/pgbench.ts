// The database's own ceiling for committed writes: pgbench, one single-row INSERT per transaction into a
// one-table scratch database on the same server, at the concurrency the HTTP benchmarks use.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { databaseUrl, recreateDatabase } from './dataset.ts';
import { type LoadResult, medianOf, type Round } from './load.ts';
import { logDir, run } from './processes.ts';

export const pgbenchDatabase = 'bbps_bench_pgbench';

export async function runPgbench(options: {
  connections: number;
  warmupSec: number;
  rounds: number;
  roundSec: number;
}): Promise<LoadResult> {
  await recreateDatabase(pgbenchDatabase);
  const url = databaseUrl(pgbenchDatabase);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(
    `CREATE TABLE scratch (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload text NOT NULL,
                           recorded_at timestamptz NOT NULL DEFAULT now())`,
  );
  await client.end();

  const dir = join(logDir, 'pgbench');
  mkdirSync(dir, { recursive: true });
  const script = join(dir, 'insert.sql');
  writeFileSync(script, "INSERT INTO scratch (payload) VALUES ('posting');\n");
  const pgbench = async (seconds: number): Promise<Round> => {
    for (const file of readdirSync(dir)) if (file.startsWith('log')) rmSync(join(dir, file));
    const { stdout } = await run('pgbench', [
      ...['-n', '-M', 'prepared', '-c', String(options.connections), '-j', '2', '-T', String(seconds)],
      ...['-f', script, '-l', `--log-prefix=${join(dir, 'log')}`, url],
    ]);
    const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1]);
    const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
    // Per-transaction log lines: client_id transaction_no latency_us script_no epoch_s epoch_us.
    const latencies: number[] = [];
    for (const file of readdirSync(dir).filter((f) => f.startsWith('log'))) {
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
        const us = line.split(' ')[2];
        if (us) latencies.push(Number(us) / 1000);
      }
    }
    const sorted = Float64Array.from(latencies).sort();
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
    return {
      rps: tps,
      p50: at(50),
      p99: at(99),
      ok: latencies.length,
      failed,
      errors: 0,
      statuses: {},
      bytesPerResponse: 0,
    };
  };
  const warmup = options.warmupSec > 0 ? await pgbench(options.warmupSec) : undefined;
  const rounds: Round[] = [];
  for (let i = 0; i < options.rounds; i++) rounds.push(await pgbench(options.roundSec));
  return {
    rounds,
    answers: [warmup, ...rounds].reduce((sum, r) => sum + (r ? r.ok + r.failed : 0), 0),
    loadCpuMs: Number.NaN,
    median: medianOf(rounds),
    failed: rounds.reduce((sum, r) => sum + r.failed, 0),
    bytesPerResponse: 0,
  };
}
