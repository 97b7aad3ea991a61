// Crash test: a client streams EBPP postings (unique ids, small random amounts) at the biller process while the
// process is killed with SIGKILL at random moments (mostly while it serves, sometimes while it starts and
// recovers its database), and restarted each time on the same database. Whatever was not acknowledged (no
// answer received) is re-sent with the same id after the restart; a 200, or a 409 duplicate, acknowledges.
// At the end every posting is present exactly once in the ledger and every balance is exact.
//
//   node test/fault/crash.ts --engine postgres|pglite --kills 50 [--seed N] [--concurrency N] [--keep] [--verbose]
//
// Exit code 0 when the verdict is PASS, 1 when it is FAIL (the problems are printed), 2 on bad arguments.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Db, openPglite } from '@bbps-kit/biller';
import { type BillerProcess, billerEnv, importCli, startBiller, type Target } from './biller-process.ts';
import { connect, createDatabase, type TestDatabase } from './postgres.ts';
import { balancesShown, bookCsv, checkLedger, PostingStream, random, runToEnd, sleep, within } from './postings.ts';

export type Engine = 'postgres' | 'pglite';

export interface CrashOptions {
  engine: Engine;
  /** SIGKILLs (and so restarts) before the final, clean run. */
  kills: number;
  seed?: number;
  /** Postings in flight at once (default 8 on PostgreSQL, 4 on PGlite, which runs one at a time anyway). */
  concurrency?: number;
  /** Accounts the postings are spread over. */
  accounts?: number;
  /** A serving process is killed at a uniformly random moment within this long after its first answer. */
  maxUptimeMs?: number;
  /** The share of kills aimed at a process that is still starting (opening and recovering its database). */
  startupKillShare?: number;
  /** Stop killing after this long (the final run and the checks still happen); the shortfall is a problem. */
  budgetMs?: number;
  /** Keep the database (PGlite folder or PostgreSQL database) afterwards; a failed PGlite folder is always kept. */
  keep?: boolean;
  log?: (line: string) => void;
  /** Log every life (start-up time, time to the first answer, when it was killed). */
  verbose?: boolean;
}

export interface CrashResult {
  engine: Engine;
  seed: number;
  verdict: 'PASS' | 'FAIL';
  kills: number;
  /** Kills that landed before the process was listening. */
  killsDuringStartup: number;
  /** Distinct postings (ids) created. */
  postings: number;
  /** HTTP requests sent, first sends and re-sends. */
  requests: number;
  acknowledged: number;
  /** Requests that carried an id already sent before. */
  resent: number;
  /** 409 error_duplicate_posting answers: a re-send of a posting whose first answer was lost. */
  duplicatesAnswered: number;
  /** Requests whose answer never arrived (the process died under them). */
  lostInFlight: number;
  serverErrors: number;
  /** Start-up time of the restarted processes (spawn to listening), milliseconds. */
  startupMs: { mean: number; max: number };
  seconds: number;
  /** Everything that is wrong; empty when the verdict is PASS. */
  problems: string[];
  /** Where the database was left (with `keep`, or a PGlite folder when something went wrong). */
  keptAt?: string;
  summary: string;
}

export async function runCrash(options: CrashOptions): Promise<CrashResult> {
  const {
    engine,
    kills,
    seed = Math.floor(Math.random() * 2 ** 31),
    concurrency = engine === 'postgres' ? 8 : 4,
    accounts = 4,
    maxUptimeMs = engine === 'postgres' ? 500 : 800,
    startupKillShare = 0.1,
    keep = false,
    budgetMs = Number.POSITIVE_INFINITY,
    log = () => {},
    verbose = false,
  } = options;
  const rand = random(seed);
  const started = performance.now();
  const stream = await PostingStream.create(accounts, rand);
  const { postings, stats } = stream;
  const problems = stream.problems;

  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  let target: Target;
  if (engine === 'postgres') {
    database = await createDatabase('crash');
    target = { engine, url: database.url };
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'fault-crash-'));
    target = { engine, dataDir };
  }
  const env = billerEnv(target);
  // Only this run's processes: another run (the other engine) may share this process.
  const processes: BillerProcess[] = [];
  const start = (label: string) => {
    const proc = startBiller(env, label);
    processes.push(proc);
    return proc;
  };
  const workDir = mkdtempSync(join(tmpdir(), 'fault-crash-book-'));

  let killsDuringStartup = 0;
  const startupTimes: number[] = [];
  let failedStart = false;
  let killsDone = 0;

  /** Starts a process and waits for it to listen; on failure records the evidence and returns undefined. */
  const startServing = async (label: string): Promise<{ proc: BillerProcess; port: number } | undefined> => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const t0 = performance.now();
      const proc = start(`${label}${attempt > 1 ? ` (attempt ${attempt})` : ''}`);
      let port: number | undefined;
      const settled = await within(
        proc.listening.then(
          (listeningOn) => {
            port = listeningOn;
          },
          () => {},
        ),
        60_000,
      );
      if (port !== undefined) {
        startupTimes.push(performance.now() - t0);
        return { proc, port };
      }
      await proc.kill();
      problems.push(
        `${label}: the restarted process did not come up (${settled ? 'it exited' : 'not listening after 60 s'}); ` +
          `its output:\n${proc.output().slice(-3000)}`,
      );
    }
    failedStart = true;
    return undefined;
  };

  try {
    writeFileSync(join(workDir, 'book.csv'), bookCsv(accounts));
    const imported = await runToEnd(process.execPath, [importCli, join(workDir, 'book.csv')], env);
    if (imported.code !== 0) throw new Error(`import of the crash-test book failed:\n${imported.output}`);
    log(`[crash ${engine}] seed ${seed}: book of ${accounts} accounts imported; ${kills} kills to go`);

    let expectedStartupMs = 1_500;
    for (let kill = 0; kill < kills && !failedStart; kill++) {
      const label = `life ${kill + 1}/${kills}`;
      if (performance.now() - started > budgetMs) {
        problems.push(`out of time: ${kill} of ${kills} kills done in ${Math.round(budgetMs / 1000)} s`);
        break;
      }
      if (rand() < startupKillShare) {
        // Kill while it opens (and, after the previous kill, recovers) its database.
        const t0 = performance.now();
        const proc = start(`${label} (killed while starting)`);
        await sleep(rand() * expectedStartupMs);
        if (!proc.isListening()) {
          const exit = await proc.kill();
          killsDone++;
          if (exit.signal !== 'SIGKILL') {
            problems.push(
              `${label}: exited by itself while starting (code ${exit.code}):\n${proc.output().slice(-3000)}`,
            );
          }
          killsDuringStartup++;
          continue;
        }
        // It listened before the drawn moment: killed idle.
        startupTimes.push(performance.now() - t0);
        await proc.kill();
        killsDone++;
        continue;
      }
      const serving = await startServing(label);
      if (!serving) break;
      const { proc, port } = serving;
      expectedStartupMs = startupTimes.reduce((sum, ms) => sum + ms, 0) / startupTimes.length;

      const life = { alive: true };
      void proc.exited.then((exit) => {
        if (life.alive) {
          problems.push(
            `${label}: the process died by itself (code ${exit.code}, signal ${exit.signal}):\n${proc.output().slice(-3000)}`,
          );
          life.alive = false;
        }
      });
      const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
      let warm: () => void = () => {};
      const firstAnswer = new Promise<void>((resolve) => {
        warm = resolve;
      });
      const worker = async () => {
        while (life.alive) {
          const answered = (await stream.send(agent, port, stream.next())) !== 'resend';
          if (answered) warm();
          // A transport error while the process lives (it should not happen): do not spin.
          else if (life.alive) await sleep(20);
        }
      };
      const workers = Array.from({ length: concurrency }, worker);
      // A freshly started process answers its first requests slowly (cold JIT; PGlite also warms its WASM and
      // catalog caches, up to seconds on a busy machine). Counting the moment from the first answer puts
      // the kills where postings are flowing, whatever the machine's speed.
      const listened = performance.now();
      await within(firstAnswer, 10_000);
      const answered = performance.now();
      await sleep(rand() * maxUptimeMs);
      if (verbose) {
        log(
          `${label}: listening after ${Math.round(startupTimes.at(-1) ?? 0)} ms, first answer ${Math.round(answered - listened)} ms later, ` +
            `killed ${Math.round(performance.now() - answered)} ms after that`,
        );
      }
      life.alive = false;
      const exit = await proc.kill();
      killsDone++;
      await Promise.all(workers);
      agent.destroy();
      if (exit.signal !== 'SIGKILL') problems.push(`${label}: exit ${JSON.stringify(exit)} instead of a SIGKILL`);
    }

    // The clean run: send what is still unacknowledged, read the balances through the contract, stop cleanly.
    let shown = new Map<number, string>();
    if (!failedStart) {
      const serving = await startServing('final run');
      if (serving) {
        const { proc, port } = serving;
        const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
        await stream.drain(agent, port, concurrency);
        shown = await balancesShown(agent, port, accounts);
        agent.destroy();
        const exit = await proc.stop(10_000);
        if (exit.code !== 0)
          problems.push(`final run: SIGTERM ended it with ${JSON.stringify(exit)}:\n${proc.output().slice(-3000)}`);
      }
    }

    // The ledger, read directly.
    if (!failedStart) {
      let db: Db | undefined;
      let pgClient: ReturnType<typeof connect> | undefined;
      const query = async <R extends Record<string, unknown>>(sql: string): Promise<R[]> => {
        if (db) return db.query<R>(sql);
        return ((await pgClient?.query(sql))?.rows ?? []) as R[];
      };
      if (target.engine === 'postgres') {
        pgClient = connect(target.url);
        await pgClient.connect();
      } else {
        db = await openPglite({ dataDir: join(target.dataDir, 'biller') });
      }
      try {
        problems.push(...(await checkLedger(query, postings, accounts, shown)));
      } finally {
        await db?.close();
        await pgClient?.end();
      }
    }
  } catch (error) {
    problems.push(`the run failed: ${(error as Error).stack ?? String(error)}`);
  } finally {
    await Promise.all(processes.map((proc) => proc.stop(5_000)));
    rmSync(workDir, { recursive: true, force: true });
  }

  const unacknowledged = stream.unacknowledged();
  if (unacknowledged.length > 0) {
    problems.push(
      `${unacknowledged.length} posting(s) never acknowledged: ${unacknowledged
        .slice(0, 10)
        .map((p) => p.id)
        .join(', ')}`,
    );
  }
  if (stats.serverErrors > 0) problems.push(`${stats.serverErrors} answer(s) with a 5xx status`);

  // A PGlite folder that went wrong is the evidence, so it stays (it is in the temporary directory).
  let keptAt: string | undefined;
  if (dataDir && (keep || problems.length > 0)) keptAt = dataDir;
  else if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (database && keep) keptAt = database.url;
  else await database?.drop();

  const mean = startupTimes.length ? startupTimes.reduce((s, ms) => s + ms, 0) / startupTimes.length : 0;
  const result: Omit<CrashResult, 'summary'> = {
    engine,
    seed,
    verdict: problems.length === 0 ? 'PASS' : 'FAIL',
    kills: killsDone,
    killsDuringStartup,
    postings: postings.length,
    requests: stats.requests,
    acknowledged: postings.length - unacknowledged.length,
    resent: stats.resent,
    duplicatesAnswered: stats.duplicates,
    lostInFlight: stats.lost,
    serverErrors: stats.serverErrors,
    startupMs: { mean: Math.round(mean), max: Math.round(Math.max(0, ...startupTimes)) },
    seconds: Math.round((performance.now() - started) / 100) / 10,
    problems,
    ...(keptAt ? { keptAt } : {}),
  };
  const summary =
    `[crash ${engine}] kills=${result.kills} (${result.killsDuringStartup} while starting) postings=${result.postings} ` +
    `requests=${result.requests} acknowledged=${result.acknowledged} re-sent=${result.resent} ` +
    `lost-in-flight=${result.lostInFlight} duplicates-answered=${result.duplicatesAnswered} 5xx=${result.serverErrors} ` +
    `startup-ms mean=${result.startupMs.mean} max=${result.startupMs.max} seed=${seed} ${result.seconds}s verdict=${result.verdict}`;
  return { ...result, summary };
}

async function main(): Promise<void> {
  let values: {
    engine?: string;
    kills?: string;
    seed?: string;
    concurrency?: string;
    keep?: boolean;
    verbose?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        engine: { type: 'string' },
        kills: { type: 'string', default: '50' },
        seed: { type: 'string' },
        concurrency: { type: 'string' },
        keep: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const kills = Number(values.kills);
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (
    (values.engine !== 'postgres' && values.engine !== 'pglite') ||
    !Number.isInteger(kills) ||
    kills < 0 ||
    (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1))
  ) {
    console.error(
      'usage: node test/fault/crash.ts --engine postgres|pglite [--kills 50] [--seed N] [--concurrency N] [--keep] [--verbose]',
    );
    process.exit(2);
  }
  const result = await runCrash({
    engine: values.engine,
    kills,
    ...(concurrency !== undefined ? { concurrency } : {}),
    keep: values.keep ?? false,
    verbose: values.verbose ?? false,
    ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
    log: (line) => console.log(line),
  });
  for (const problem of result.problems) console.log(`  problem: ${problem}`);
  if (result.keptAt) console.log(`  database kept at ${result.keptAt}`);
  console.log(result.summary);
  process.exitCode = result.verdict === 'PASS' ? 0 : 1;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await main();
