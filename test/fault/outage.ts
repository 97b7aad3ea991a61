// Outage test: EBPP postings stream at the biller while its PostgreSQL goes away in the two ways production sees:
// backends terminated under it (pg_terminate_backend, as a failover or an operator does), and the server stopped
// for a few seconds and started again. The server is a private one (private-postgres.ts), so stopping it touches
// no other suite. Throughout, the biller must stay up and answer every request: 503 in EBPP's envelope, quickly,
// while the database is unreachable (and /healthz must say so), never a 500, and it must serve again by itself
// within 5 s of the database coming back. At the end every acknowledged posting is in the ledger exactly once
// and every balance is exact.
//
//   node test/fault/outage.ts [--terminations 12] [--outages 2] [--seed N]

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { type BillerProcess, billerEnv, getStatus, importCli, startBiller } from './biller-process.ts';
import { connect } from './postgres.ts';
import { balancesShown, bookCsv, checkLedger, PostingStream, random, runToEnd, sleep } from './postings.ts';
import { startPrivatePostgres } from './private-postgres.ts';

export interface OutageOptions {
  /** Bursts of pg_terminate_backend on every backend of the biller's database. */
  terminations?: number;
  /** Times the server is stopped and started again. */
  outages?: number;
  /** How long each outage lasts. */
  downMs?: number;
  seed?: number;
  /** Postings in flight at once; each sender pauses `paceMs` between sends (about 40 postings a second in all). */
  concurrency?: number;
  paceMs?: number;
  log?: (line: string) => void;
}

export interface OutageResult {
  seed: number;
  verdict: 'PASS' | 'FAIL';
  postings: number;
  acknowledged: number;
  requests: number;
  /** Bursts that terminated at least one of the biller's backends, and the backends terminated in all. */
  terminationBursts: number;
  backendsTerminated: number;
  outages: number;
  /** 503 answers to postings, and the slowest of them (ms). */
  unavailableAnswers: number;
  slowestUnavailableMs: number;
  /** /healthz answers 503 while the server was down. */
  healthUnavailable: number;
  /** From the server accepting connections again to /healthz 200, and to the next acknowledged posting (ms). */
  recoveryMs: number[];
  /** The biller's own request log, by status. */
  statuses: Record<string, number>;
  seconds: number;
  problems: string[];
  summary: string;
}

const accounts = 4;
/** No 503 may take longer than this: the pool's connection timeout (5 s) plus scheduling slack. */
const unavailableBoundMs = 7_000;
const recoveryBoundMs = 5_000;

export async function runOutage(options: OutageOptions = {}): Promise<OutageResult> {
  const {
    terminations = 12,
    outages = 2,
    downMs = 3_000,
    seed = Math.floor(Math.random() * 2 ** 31),
    concurrency = 4,
    paceMs = 80,
    log = () => {},
  } = options;
  const started = performance.now();
  const stream = await PostingStream.create(accounts, random(seed));
  const { problems, stats } = stream;
  const figures = {
    terminationBursts: 0,
    backendsTerminated: 0,
    outages: 0,
    slowestUnavailableMs: 0,
    healthUnavailable: 0,
    recoveryMs: [] as number[],
  };
  let statuses: Record<string, number> = {};

  const server = await startPrivatePostgres();
  const workDir = mkdtempSync(join(tmpdir(), 'fault-outage-'));
  const billerUrl = new URL(server.adminUrl);
  billerUrl.pathname = '/biller';
  const env = billerEnv({ engine: 'postgres', url: billerUrl.toString() });
  let biller: BillerProcess | undefined;
  let streaming = true;
  const workers: Promise<void>[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

  const admin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: server.adminUrl });
    client.on('error', () => {});
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end().catch(() => {});
    }
  };
  /** Resolves when `count` more postings than now have been acknowledged; false after `ms`. */
  const acknowledgedMore = async (count: number, ms: number): Promise<boolean> => {
    const target = stream.postings.length - stream.unacknowledged().length + count;
    const deadline = performance.now() + ms;
    while (performance.now() < deadline) {
      if (stream.postings.length - stream.unacknowledged().length >= target) return true;
      await sleep(20);
    }
    return false;
  };

  try {
    await admin((client) => client.query('CREATE DATABASE biller'));
    writeFileSync(join(workDir, 'book.csv'), bookCsv(accounts));
    const imported = await runToEnd(process.execPath, [importCli, join(workDir, 'book.csv')], env);
    if (imported.code !== 0) throw new Error(`import of the outage-test book failed:\n${imported.output}`);
    const proc = startBiller(env, 'outage biller');
    biller = proc;
    const port = await proc.listening;
    void proc.exited.then((exit) => {
      if (streaming) {
        problems.push(`the biller died (code ${exit.code}, signal ${exit.signal}):\n${proc.output().slice(-3000)}`);
      }
    });
    log(`[outage] seed ${seed}: biller on port ${port}, PostgreSQL on ${server.port}`);

    const sender = async () => {
      while (streaming) {
        const posting = stream.next();
        const t0 = performance.now();
        await stream.send(agent, port, posting, 15_000);
        const ms = performance.now() - t0;
        if (posting.answers.at(-1) === 503) {
          figures.slowestUnavailableMs = Math.max(figures.slowestUnavailableMs, ms);
          if (ms > unavailableBoundMs)
            problems.push(`a 503 took ${Math.round(ms)} ms (bound ${unavailableBoundMs} ms)`);
        }
        await sleep(paceMs);
      }
    };
    for (let i = 0; i < concurrency; i++) workers.push(sender());
    if (!(await acknowledgedMore(20, 20_000))) problems.push('postings did not flow before the faults began');

    for (let burst = 1; burst <= terminations; burst++) {
      const killed = await admin(async (client) => {
        const { rows } = await client.query<{ terminated: string }>(
          `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS terminated FROM pg_stat_activity
           WHERE datname = 'biller' AND pid <> pg_backend_pid()`,
        );
        return Number(rows[0]?.terminated ?? 0);
      });
      figures.backendsTerminated += killed;
      if (killed > 0) figures.terminationBursts++;
      if (!(await acknowledgedMore(3, recoveryBoundMs))) {
        problems.push(`termination burst ${burst}: no posting acknowledged within ${recoveryBoundMs} ms after it`);
      }
    }
    log(`[outage] ${figures.backendsTerminated} backends terminated in ${figures.terminationBursts} bursts`);

    for (let outage = 1; outage <= outages; outage++) {
      const unavailableBefore = stats.unavailable;
      await server.stop();
      figures.outages++;
      const downUntil = performance.now() + downMs;
      while (performance.now() < downUntil) {
        const health = await getStatus(port, '/healthz').catch((error: Error) => ({ status: 0, body: error.message }));
        if (health.status === 503 && health.body.includes('"unavailable"')) figures.healthUnavailable++;
        else
          problems.push(
            `outage ${outage}: /healthz answered ${health.status} ${health.body} while the server was down`,
          );
        await sleep(250);
      }
      if (stats.unavailable === unavailableBefore) problems.push(`outage ${outage}: no posting was answered 503`);
      await server.start();
      const up = performance.now();
      let healthy = false;
      while (!healthy && performance.now() - up < 15_000) {
        healthy = (await getStatus(port, '/healthz').catch(() => ({ status: 0 }))).status === 200;
        if (!healthy) await sleep(50);
      }
      const served = await acknowledgedMore(1, 15_000);
      const recovered = performance.now() - up;
      figures.recoveryMs.push(Math.round(recovered));
      if (!healthy || !served || recovered > recoveryBoundMs) {
        problems.push(
          `outage ${outage}: serving again ${healthy && served ? `after ${Math.round(recovered)} ms` : 'never'} (bound ${recoveryBoundMs} ms)`,
        );
      }
      log(`[outage] outage ${outage}: down ${downMs} ms, serving again ${Math.round(recovered)} ms after the restart`);
      await acknowledgedMore(10, 10_000);
    }

    streaming = false;
    await Promise.all(workers);
    await stream.drain(agent, port, concurrency);
    const shown = await balancesShown(agent, port, accounts);
    statuses = Object.fromEntries([...proc.requestStatuses()].map(([status, n]) => [String(status), n]));
    if (statuses['500']) problems.push(`the biller answered 500 ${statuses['500']} time(s)`);
    const ledger = connect(billerUrl.toString());
    await ledger.connect();
    try {
      const query = async <R extends Record<string, unknown>>(sql: string) => (await ledger.query(sql)).rows as R[];
      problems.push(...(await checkLedger(query, stream.postings, accounts, shown)));
    } finally {
      await ledger.end();
    }
  } catch (error) {
    problems.push(`the run failed: ${(error as Error).stack ?? String(error)}`);
  } finally {
    streaming = false;
    await Promise.all(workers);
    agent.destroy();
    const exit = await biller?.stop(5_000);
    if (exit && exit.code !== 0) problems.push(`SIGTERM ended the biller with ${JSON.stringify(exit)}`);
    // The server is this test's own: it goes with the folder, whatever happened above.
    await server.destroy();
    rmSync(workDir, { recursive: true, force: true });
  }

  const unacknowledged = stream.unacknowledged();
  if (unacknowledged.length > 0) problems.push(`${unacknowledged.length} posting(s) never acknowledged`);
  if (stats.lost > 0) problems.push(`${stats.lost} posting(s) got no answer at all`);
  if (stats.serverErrors > 0) problems.push(`${stats.serverErrors} answer(s) with a 5xx other than 503`);

  const result: Omit<OutageResult, 'summary'> = {
    seed,
    verdict: problems.length === 0 ? 'PASS' : 'FAIL',
    postings: stream.postings.length,
    acknowledged: stream.postings.length - unacknowledged.length,
    requests: stats.requests,
    ...figures,
    slowestUnavailableMs: Math.round(figures.slowestUnavailableMs),
    unavailableAnswers: stats.unavailable,
    statuses,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    problems,
  };
  const summary =
    `[outage] postings=${result.postings} acknowledged=${result.acknowledged} requests=${result.requests} ` +
    `terminated=${result.backendsTerminated} backends in ${result.terminationBursts} bursts, outages=${result.outages} ` +
    `503s=${result.unavailableAnswers} (slowest ${result.slowestUnavailableMs} ms) healthz-503=${result.healthUnavailable} ` +
    `recovery-ms=${result.recoveryMs.join(',')} statuses=${JSON.stringify(statuses)} seed=${seed} ${result.seconds}s ` +
    `verdict=${result.verdict}`;
  return { ...result, summary };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      terminations: { type: 'string', default: '12' },
      outages: { type: 'string', default: '2' },
      seed: { type: 'string' },
    },
  });
  const result = await runOutage({
    terminations: Number(values.terminations),
    outages: Number(values.outages),
    ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
    log: (line) => console.log(line),
  });
  for (const problem of result.problems) console.log(`  problem: ${problem}`);
  console.log(result.summary);
  process.exitCode = result.verdict === 'PASS' ? 0 : 1;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await main();
