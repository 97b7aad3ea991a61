// Crash test: a client streams EBPP postings (unique ids, small random amounts) at the biller process while the
// process is killed with SIGKILL at random moments (mostly while it serves, sometimes while it starts and
// recovers its database), and restarted each time on the same database. Whatever was not acknowledged (no
// answer received) is re-sent with the same id after the restart; a 200, or a 409 duplicate, acknowledges.
// At the end every posting is present exactly once in the ledger and every balance is exact.
//
//   node test/fault/crash.ts --engine postgres|pglite --kills 50 [--seed N] [--concurrency N] [--keep] [--verbose]
//
// Exit code 0 when the verdict is PASS, 1 when it is FAIL (the problems are printed), 2 on bad arguments.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Db, openPglite } from '@bbps-kit/biller';
import {
  type BillerProcess,
  billerEnv,
  ebppHeaders,
  importCli,
  post,
  repoRoot,
  startBiller,
  type Target,
} from './biller-process.ts';
import { type EbppPayment, ebppPosting } from './examples.ts';
import { connect, createDatabase, type TestDatabase } from './postgres.ts';

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

interface Posting {
  id: string;
  account: number;
  amountPaise: bigint;
  body: EbppPayment;
  attempts: number;
  answers: number[];
  acknowledged: boolean;
  paymentReference?: string;
}

// Each account owes a small bill due first and a big one due later, so postings also cross bills.
const smallBillPaise = 500_000n; // 5,000 rupees
const bigBillPaise = 1_000_000_000n; // 1 crore rupees

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for `promise`, at most `ms`; true when it settled in time. Leaves no timer behind. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

// mulberry32: a small seeded generator, so a run's choices (amounts, accounts, kill moments) can be replayed.
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rupees = (paise: bigint) => `${paise / 100n}.${(paise % 100n).toString().padStart(2, '0')}`;
const accountNumber = (account: number) => `LN-FAULT-${account}`;
const customerReference = (account: number) => `FAULT-${account}`;

function bookCsv(accounts: number): string {
  const rows = [
    'customer_reference,customer_name,account_number,bill_id,bill_name,bill_amount,bill_generated_date,bill_due_date',
  ];
  for (let a = 0; a < accounts; a++) {
    const start = [customerReference(a), `Fault Customer ${a}`, accountNumber(a)];
    rows.push(
      [...start, `FAULT-${a}-1`, 'FirstInstallment', rupees(smallBillPaise), '2025-01-01', '2025-01-15'].join(','),
    );
    rows.push([...start, `FAULT-${a}-2`, 'Balance', rupees(bigBillPaise), '2025-01-01', '2025-12-31'].join(','));
  }
  return `${rows.join('\n')}\n`;
}

function runToEnd(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => resolve({ code, output }));
  });
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
  const template = await ebppPosting({ id: '0', amount: '1.00', customerReference: '', accountNumber: '' });
  const problems: string[] = [];

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

  const postings: Posting[] = [];
  const resend: Posting[] = [];
  const stats = { requests: 0, resent: 0, duplicates: 0, lost: 0, serverErrors: 0, killsDuringStartup: 0 };
  const startupTimes: number[] = [];
  let failedStart = false;
  let killsDone = 0;

  const newPosting = (): Posting => {
    const n = postings.length;
    const account = Math.floor(rand() * accounts);
    // 1.00 to 99.99 rupees: at least the account's default minimum, far below what it owes.
    const amountPaise = 100n + BigInt(Math.floor(rand() * 9_900));
    const id = String(9_000_000_000 + n);
    const body = structuredClone(template);
    body.id = id;
    body.amount = rupees(amountPaise);
    body.confirmation_number = `EBPF${n}`;
    body.customer.customer_reference = customerReference(account);
    body.customer_account.account_number = accountNumber(account);
    const posting: Posting = { id, account, amountPaise, body, attempts: 0, answers: [], acknowledged: false };
    postings.push(posting);
    return posting;
  };

  /** One send of a posting; false when no answer came back (the posting is queued for re-sending). */
  const send = async (agent: Agent, port: number, posting: Posting): Promise<boolean> => {
    posting.attempts++;
    stats.requests++;
    if (posting.attempts > 1) stats.resent++;
    let status: number;
    let body: string;
    try {
      ({ status, body } = await post(agent, port, '/paymentposting', ebppHeaders, { json: posting.body }, 15_000));
    } catch {
      stats.lost++;
      resend.push(posting);
      return false;
    }
    posting.answers.push(status);
    if (status === 200) {
      const answer = JSON.parse(body) as {
        id?: string;
        amount?: string;
        account_number?: string;
        payment_reference?: string;
      };
      if (posting.acknowledged)
        problems.push(`posting ${posting.id} was answered 200 twice (${posting.answers.join(', ')})`);
      if (
        answer.id !== posting.id ||
        answer.amount !== rupees(posting.amountPaise) ||
        answer.account_number !== accountNumber(posting.account)
      ) {
        problems.push(`posting ${posting.id}: 200 does not describe it: ${body}`);
      }
      posting.paymentReference = answer.payment_reference;
      posting.acknowledged = true;
    } else if (status === 409 && body.includes('"error_duplicate_posting"')) {
      stats.duplicates++;
      // Only a re-send can be a duplicate: the ids are unique.
      if (posting.attempts === 1) problems.push(`posting ${posting.id}: 409 duplicate on its first send`);
      posting.acknowledged = true;
    } else {
      if (status >= 500) stats.serverErrors++;
      problems.push(`posting ${posting.id}: unexpected ${status} ${body.slice(0, 300)}`);
      // A 5xx promises nothing: send it again later. Any other refusal is final (and already a problem).
      if (status >= 500) resend.push(posting);
      return status < 500;
    }
    return true;
  };

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
          stats.killsDuringStartup++;
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
          const posting = resend.shift() ?? newPosting();
          const answered = await send(agent, port, posting);
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
    const balancesShown = new Map<number, string>();
    if (!failedStart) {
      const serving = await startServing('final run');
      if (serving) {
        const { proc, port } = serving;
        const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
        for (let round = 0; round < 5 && resend.length > 0; round++) {
          const batch = resend.splice(0);
          for (let i = 0; i < batch.length; i += concurrency) {
            await Promise.all(batch.slice(i, i + concurrency).map((posting) => send(agent, port, posting)));
          }
        }
        for (let a = 0; a < accounts; a++) {
          const lookup = await post(agent, port, '/mpacustomers', ebppHeaders, {
            form: { account_number: accountNumber(a) },
          });
          const shown = (
            JSON.parse(lookup.body) as { customers?: { customer_accounts: { current_balance: string }[] }[] }
          ).customers?.[0]?.customer_accounts[0]?.current_balance;
          balancesShown.set(a, lookup.status === 200 && shown ? shown : `HTTP ${lookup.status} ${lookup.body}`);
        }
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
        problems.push(...(await checkLedger(query, postings, accounts, balancesShown)));
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

  const unacknowledged = postings.filter((p) => !p.acknowledged);
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
    killsDuringStartup: stats.killsDuringStartup,
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

/** Every acknowledged posting once, nothing else, and every balance (in the tables and as shown) exact. */
async function checkLedger(
  query: <R extends Record<string, unknown>>(sql: string) => Promise<R[]>,
  postings: Posting[],
  accounts: number,
  balancesShown: Map<number, string>,
): Promise<string[]> {
  const problems: string[] = [];
  const rows = await query<{
    id: bigint;
    external_id: string;
    account_number: string;
    amount_paise: bigint;
    allocated: bigint;
  }>(
    `SELECT p.id, p.external_id, a.account_number, p.amount_paise,
            (SELECT coalesce(sum(al.amount_paise), 0) FROM allocations al WHERE al.payment_id = p.id)::bigint AS allocated
     FROM payments p JOIN accounts a ON a.id = p.account_id WHERE p.channel = 'ebpp'`,
  );
  const stored = new Map<string, typeof rows>();
  for (const row of rows) stored.set(row.external_id, [...(stored.get(row.external_id) ?? []), row]);
  const sent = new Map(postings.map((p) => [p.id, p]));
  for (const posting of postings) {
    const found = stored.get(posting.id) ?? [];
    if (posting.acknowledged && found.length !== 1) {
      problems.push(`acknowledged posting ${posting.id} is in the ledger ${found.length} times`);
    }
    if (!posting.acknowledged && found.length > 1)
      problems.push(`posting ${posting.id} is in the ledger ${found.length} times`);
    for (const row of found) {
      if (row.account_number !== accountNumber(posting.account) || row.amount_paise !== posting.amountPaise) {
        problems.push(`posting ${posting.id} stored as ${row.account_number} ${row.amount_paise} paise`);
      }
      // The payment the 200 answered with is this very row.
      const reference = `R${row.id.toString().padStart(4, '0')}`;
      if (posting.paymentReference !== undefined && posting.paymentReference !== reference) {
        problems.push(
          `posting ${posting.id} was answered with ${posting.paymentReference} but is stored as ${reference}`,
        );
      }
      if (row.allocated !== row.amount_paise) {
        problems.push(`posting ${posting.id} of ${row.amount_paise} paise allocated ${row.allocated} paise to bills`);
      }
    }
  }
  for (const id of stored.keys()) if (!sent.has(id)) problems.push(`the ledger holds a payment ${id} nobody sent`);

  const bills = await query<{ partner_bill_id: string; amount_paise: bigint; paid_paise: bigint; allocated: bigint }>(
    `SELECT b.partner_bill_id, b.amount_paise, b.paid_paise,
            (SELECT coalesce(sum(al.amount_paise), 0) FROM allocations al WHERE al.bill_id = b.id)::bigint AS allocated
     FROM bills b`,
  );
  for (const bill of bills) {
    if (bill.paid_paise !== bill.allocated || bill.paid_paise > bill.amount_paise || bill.paid_paise < 0n) {
      problems.push(
        `bill ${bill.partner_bill_id}: paid ${bill.paid_paise} of ${bill.amount_paise}, allocations ${bill.allocated}`,
      );
    }
  }

  const owed = await query<{ account_number: string; owed: bigint }>(
    `SELECT a.account_number, sum(b.amount_paise - b.paid_paise)::bigint AS owed
     FROM bills b JOIN accounts a ON a.id = b.account_id GROUP BY a.account_number`,
  );
  for (let a = 0; a < accounts; a++) {
    const applied = postings
      .filter((p) => p.account === a && p.acknowledged)
      .reduce((sum, p) => sum + p.amountPaise, 0n);
    const expected = smallBillPaise + bigBillPaise - applied;
    const inTables = owed.find((row) => row.account_number === accountNumber(a))?.owed;
    if (inTables !== expected) {
      problems.push(
        `${accountNumber(a)}: owes ${inTables} paise in the tables, expected ${expected} (opening balance less the postings)`,
      );
    }
    if (balancesShown.get(a) !== rupees(expected)) {
      problems.push(
        `${accountNumber(a)}: lookup shows current_balance ${balancesShown.get(a)}, expected ${rupees(expected)}`,
      );
    }
  }
  return problems;
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
