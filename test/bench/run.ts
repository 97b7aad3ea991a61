// `pnpm bench`: the biller against the framework's ceiling, the Prism mock and PostgreSQL's own write rate.
// Every server and load generator runs in a process of its own; each figure is the median of several timed
// rounds after a warm-up. Flags: --quick (about 2 minutes once the books are cached), --only
// a,floor,b,peer,c,d,eko,ready,e2m,e,10k,client to run some of the scenarios. Env: BENCH_ROUNDS, BENCH_ROUND_SEC, BENCH_WARMUP_SEC,
// BENCH_CONNECTIONS, BENCH_CLIENT_CONCURRENCY, BENCH_PG_URL (an admin URL of the PostgreSQL to use),
// BENCH_BILLER_MAIN.
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ekoSecretKey, ekoTimestamp } from '@bbps-kit/client';
import { Contract } from '@bbps-kit/contracts/validator';
import { defaultEkoCredentials } from '@bbps-kit/sandbox';
import pg from 'pg';
import {
  adminUrl,
  type Book,
  benchDir,
  contractExample,
  dropDatabase,
  fetchBillsBodies,
  pgliteBook,
  postgresBook,
  postingBodies,
  postmasterPid,
  removeCsvFiles,
} from './dataset.ts';
import { explainFetchBills } from './explain.ts';
import { type Figures, type LoadResult, type LoadSpec, loadResult, median, runLoad } from './load.ts';
import { pgbenchDatabase, runPgbench } from './pgbench.ts';
import { repoRoot, run, type Server, startServer, stopAll, treeCpuMs } from './processes.ts';
import { sandboxReadySeconds } from './sandbox-ready.ts';

const { values: flags } = parseArgs({ options: { quick: { type: 'boolean' }, only: { type: 'string' } } });
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const timing = {
  warmupSec: env('BENCH_WARMUP_SEC', flags.quick ? 2 : 5),
  rounds: env('BENCH_ROUNDS', flags.quick ? 3 : 5),
  roundSec: env('BENCH_ROUND_SEC', flags.quick ? 3 : 10),
};
const connections = env('BENCH_CONNECTIONS', 32);
const scenarios = new Set((flags.only ?? 'a,floor,b,peer,c,d,eko,ready,e2m,e,10k,client').split(','));

const book1m: Book = { label: '1m', customers: 100_000, billsPerCustomer: 10 };
const book10k: Book = { label: '10k', customers: 1_000, billsPerCustomer: 10 };
// Postings change the book, so they get a fresh one each run, dropped at the end.
const postingBook: Book = { label: 'posting', customers: 10_000, billsPerCustomer: 10 };
const postingDatabase = 'bbps_bench_posting';
const db1m = 'bbps_bench_1m';
const db10k = 'bbps_bench_10k';

const keys = { kaleidofin: 'bench-kaleidofin-key', ebppClient: 'bench-client', ebpp: 'bench-ebpp-key' };
const fetchBillsHeaders = { 'content-type': 'application/json', 'x-api-key': keys.kaleidofin };
// Another biller entry (a patched copy, say) can be measured the same way.
const billerMain = process.env.BENCH_BILLER_MAIN ?? join(repoRoot, 'apps/biller/src/main.ts');

function startBiller(name: string, database: Record<string, string | undefined>): Promise<Server> {
  return startServer({
    name,
    args: [billerMain],
    env: {
      PORT: '0',
      BILLER_DEMO: '0',
      KALEIDOFIN_API_KEYS: keys.kaleidofin,
      EBPP_CLIENT_KEY: keys.ebppClient,
      EBPP_API_KEYS: keys.ebpp,
      DATABASE_URL: undefined,
      DATA_DIR: undefined,
      ...database,
    },
    ready: /"msg":"listening","port":(\d+)/,
  });
}

/**
 * The bare Hono server: constant answers, or with `databaseUrl` the floor of a database-backed route. DATABASE_URL
 * is always set here, so that one in the caller's environment cannot turn the ceiling into the floor.
 */
function startBare(name: string, databaseUrl?: string): Promise<Server> {
  return startServer({
    name,
    args: [new URL('./servers/bare.ts', import.meta.url).pathname],
    env: { DATABASE_URL: databaseUrl },
    ready: /listening on (\S+)/,
  });
}

/** One request before the load: a benchmark of error answers would be worthless. */
async function expectOk(url: string, init: RequestInit): Promise<void> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${response.status} ${text.slice(0, 300)}`);
}

interface Row {
  key: string;
  what: string;
  result: LoadResult;
  /** CPU microseconds per answer: the server's process tree, its PostgreSQL backends, the load generator. */
  cpu: { server: number; postgres: number; load: number };
}
const rows: Row[] = [];
const notes: string[] = [];
let sandboxReady: number[] = [];

/** CPU used so far by a server's process tree and, when it uses PostgreSQL, by the whole PostgreSQL server. */
async function cpuSnapshot(server: Server, postgres: boolean): Promise<{ server: number; postgres: number }> {
  return {
    server: treeCpuMs(server.pid),
    postgres: postgres ? treeCpuMs(await postmasterPid()) : Number.NaN,
  };
}

async function measure(
  key: string,
  what: string,
  target: { server: Server; postgres: boolean },
  spec: Omit<LoadSpec, keyof typeof timing | 'connections'>,
  roundTiming: typeof timing = timing,
) {
  // Ids unique across the run's measurements, so that two of them posting to one ledger (e2m, then e) never repeat
  // each other's: the probe takes the first id of the range, the load the rest.
  const firstId = (rows.length + 1) * 100_000_000;
  const body = spec.bodies?.[0]?.replaceAll('{{id}}', String(firstId));
  await expectOk(spec.url, { method: spec.method, headers: spec.headers, ...(body ? { body } : {}) });
  console.log(`  measuring ${key}: ${what}`);
  const before = await cpuSnapshot(target.server, target.postgres);
  const result = await runLoad({ ...spec, ...roundTiming, connections, firstId: firstId + 1 });
  const after = await cpuSnapshot(target.server, target.postgres);
  const perAnswer = (ms: number) => (ms * 1000) / result.answers;
  const cpu = {
    server: perAnswer(after.server - before.server),
    postgres: perAnswer(after.postgres - before.postgres),
    load: perAnswer(result.loadCpuMs),
  };
  record({ key, what, result, cpu });
}

/** Keeps a measured row, prints it, and notes when its figures are not valid. */
function record(row: Row): void {
  rows.push(row);
  printRow(row);
  const { key, result } = row;
  if (result.failed > 0) notes.push(`${key}: ${result.failed} non-2xx answers or errors; its figures are not valid`);
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
function printRow({ key, what, result, cpu }: Row): void {
  const { rps, p50, p99 } = result.median;
  const each = result.rounds.map((r) => fmt(r.rps, 0)).join(' / ');
  const cpus = [cpu.server, cpu.postgres, cpu.load].map((n) => fmt(n, 0)).join(' / ');
  console.log(
    `| ${key} | ${what} | ${fmt(rps, 0)} | ${fmt(p50, 2)} | ${fmt(p99, 2)} | ${cpus} | ${fmt(result.bytesPerResponse, 0)} | ${each} |`,
  );
}
const figures = (key: string): Figures | undefined => rows.find((r) => r.key === key)?.result.median;

async function main(): Promise<void> {
  const started = performance.now();
  console.log(await machine());
  console.log(
    `timing: ${timing.warmupSec} s warm-up, then ${timing.rounds} x ${timing.roundSec} s; ${connections} connections; medians quoted`,
  );

  const seedRequest = JSON.stringify(
    await contractExample('kaleidofin-partner', 'fetchBills', 'SeedFetchBillsRequest'),
  );
  const bodies1m = fetchBillsBodies(book1m, 10_000);
  const bodies10k = fetchBillsBodies(book10k, 10_000);

  console.log('datasets:');
  const url1m = ['b', 'floor', 'peer'].some((key) => scenarios.has(key)) ? await postgresBook(db1m, book1m) : '';
  const url10k = scenarios.has('10k') ? await postgresBook(db10k, book10k) : '';
  const pgliteDir = join(benchDir, 'pglite-1m');
  if (scenarios.has('c')) await pgliteBook(pgliteDir, book1m);
  const postingUrl =
    scenarios.has('e') || scenarios.has('e2m') ? await postgresBook(postingDatabase, postingBook, false) : '';
  removeCsvFiles();
  for (const [label, url, body] of [
    ['1M', url1m, bodies1m[0]],
    ['10k', url10k, bodies10k[0]],
  ] as const) {
    if (!url || !body) continue;
    console.log(`fetchBills statements under EXPLAIN ANALYZE, ${label}-bill book:`);
    for (const line of await explainFetchBills(url, keys.kaleidofin, body)) console.log(`  ${line}`);
  }

  console.log(
    '\n| | scenario | req/s | p50 ms | p99 ms | CPU µs/answer: server / PostgreSQL / load | bytes/answer | req/s per round |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |');

  if (scenarios.has('a') || scenarios.has('client')) {
    const bare = await startBare('bare');
    if (scenarios.has('a')) {
      await measure(
        'a',
        'bare Hono route, constant seed answer',
        { server: bare, postgres: false },
        {
          url: `${bare.url}/bills/fetchBills`,
          method: 'POST',
          headers: fetchBillsHeaders,
          bodies: bodies1m,
        },
      );
    }
    if (scenarios.has('client')) await clientOverhead(bare.url);
    await bare.stop();
  }

  if (scenarios.has('floor')) {
    const floor = await startBare('floor', url1m);
    await measure(
      'floor',
      'bare Hono route + one prepared PostgreSQL lookup, 1M bills',
      { server: floor, postgres: true },
      { url: `${floor.url}/bills/fetchBills`, method: 'POST', headers: fetchBillsHeaders, bodies: bodies1m },
    );
    await floor.stop();
  }

  if (scenarios.has('b')) {
    await billerFetchBills('b', 'biller fetchBills, PostgreSQL, 1M bills', { DATABASE_URL: url1m }, bodies1m);
  }
  if (scenarios.has('peer')) {
    const peer = await startServer({
      name: 'fastify-peer',
      args: [new URL('./servers/fastify-peer.ts', import.meta.url).pathname],
      env: { DATABASE_URL: url1m, API_KEY: keys.kaleidofin, PROBE_BODY: bodies1m[0] },
      ready: /listening on (\S+)/,
    });
    await measure(
      'peer',
      'hand-written peer: Fastify 5 + pg, same statement, JSON-schema body, key check, pino, 1M bills',
      { server: peer, postgres: true },
      { url: `${peer.url}/bills/fetchBills`, method: 'POST', headers: fetchBillsHeaders, bodies: bodies1m },
    );
    await peer.stop();
  }
  if (scenarios.has('10k')) {
    const what = 'biller fetchBills, PostgreSQL, 10k bills';
    await billerFetchBills('b10k', what, { DATABASE_URL: url10k }, bodies10k);
  }
  if (scenarios.has('c')) {
    await billerFetchBills('c', 'biller fetchBills, PGlite, 1M bills', { DATA_DIR: pgliteDir }, bodies1m);
  }

  if (scenarios.has('d')) {
    const mock = await startServer({
      name: 'prism-kaleidofin-partner',
      args: [new URL('./servers/mock.ts', import.meta.url).pathname, 'kaleidofin-partner'],
      ready: /listening on (\S+)/,
    });
    await measure(
      'd',
      'Prism mock fetchBills (pnpm mock)',
      { server: mock, postgres: false },
      {
        url: `${mock.url}/bills/fetchBills`,
        method: 'POST',
        headers: fetchBillsHeaders,
        bodies: [seedRequest, ...bodies1m.slice(0, 999)],
      },
    );
    await mock.stop();
  }

  if (scenarios.has('eko')) await ekoSandboxAgainstPrism();

  if (scenarios.has('ready')) {
    sandboxReady = await sandboxReadySeconds(flags.quick ? 3 : 5);
    console.log(
      `\n  npx pnpm sandbox, seconds to the printed table: ${sandboxReady.map((s) => fmt(s, 2)).join(' / ')}`,
    );
  }

  if (scenarios.has('e') || scenarios.has('e2m')) {
    const biller = await startBiller('biller-postgres-posting', { DATABASE_URL: postingUrl });
    const example = await contractExample('ebpp-mpa', 'postPayment', 'PaymentPostingRequest');
    const postings = {
      url: `${biller.url}/paymentposting`,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'client-key': keys.ebppClient, 'api-key': keys.ebpp },
      bodies: postingBodies(postingBook, 10_000, example),
    } as const;
    if (scenarios.has('e2m')) {
      // Two minutes of postings on one biller, from an empty payments table, in rounds of 10 s: does the rate hold as
      // the ledger grows (no cached plan from the empty tables seq-scanning them), with no connection recycling?
      const what = 'biller EBPP paymentposting, 2 minutes from empty, rounds of 10 s';
      await measure('e2m', what, { server: biller, postgres: true }, postings, {
        warmupSec: 0,
        rounds: 12,
        roundSec: 10,
      });
    }
    // After e2m, when both run: on a ledger that already holds its postings.
    if (scenarios.has('e')) {
      await measure(
        'e',
        'biller EBPP paymentposting, PostgreSQL, committed',
        { server: biller, postgres: true },
        postings,
      );
    }
    await biller.stop();
    const posted = await countPayments(postingUrl);
    console.log(`  (${posted} payments committed in ${postingDatabase})`);
    console.log('  measuring pgbench: single-row INSERT per transaction');
    const result = await runPgbench({ connections, ...timing });
    const cpu = { server: Number.NaN, postgres: Number.NaN, load: Number.NaN };
    rows.push({ key: 'pgbench', what: 'pgbench, 1 INSERT per transaction', result, cpu });
    printRow(rows.at(-1) as Row);
  }

  printRatios();
  for (const note of notes) console.log(`NOTE ${note}`);
  console.log(
    `\nload average (1/5/15 min) at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(`total time: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * Eko's fetch-bill on the stateful sandbox (`pnpm sandbox`) and on the Prism mock (`pnpm mock`), the same signed
 * request (the seed's query; a signature stays valid for the 5 minutes the sandbox allows). Both servers run
 * together and their rounds alternate (Prism then the sandbox, then the other way round), so that whatever else
 * the machine does during the measurement weighs on both alike: measured one after the other, a drift of the
 * shared VM moved the ratio from 5.0 to 3.8 between two runs of the same code. An idle server costs nothing.
 */
async function ekoSandboxAgainstPrism(): Promise<void> {
  const { developerKey, accessKey } = defaultEkoCredentials;
  const query = new URLSearchParams(
    (await Contract.load('eko-bbps'))
      .parameters('fetchBill')
      .filter((p) => p.in === 'query' && p.required)
      .map((p) => [p.name, String(p.example)]),
  );
  const timestamp = ekoTimestamp();
  const headers = {
    developer_key: developerKey,
    'content-type': 'application/json',
    'secret-key-timestamp': timestamp,
    'secret-key': ekoSecretKey(accessKey, timestamp),
  };
  const servers: InterleavedTarget[] = [];
  try {
    for (const [key, what, script, args] of [
      ['eko-prism', 'Prism mock Eko fetch-bill (pnpm mock)', './servers/mock.ts', ['eko-bbps']],
      [
        'eko-sandbox',
        'sandbox Eko fetch-bill (pnpm sandbox), stateful, signature checked',
        './servers/eko-sandbox.ts',
        [],
      ],
    ] as const) {
      const server = await startServer({
        name: key,
        args: [new URL(script, import.meta.url).pathname, ...args],
        ready: /listening on (\S+)/,
      });
      const url = `${server.url}/customer/payment/bbps/bill?${query}`;
      servers.push({ key, what, server, spec: { url, method: 'GET', headers } });
    }
    await measureInterleaved(servers);
  } finally {
    await Promise.all(servers.map(({ server }) => server.stop()));
  }
}

interface InterleavedTarget {
  key: string;
  what: string;
  server: Server;
  spec: Omit<LoadSpec, keyof typeof timing | 'connections'>;
}

/**
 * Measures servers that run side by side, without PostgreSQL, round by round in turn: each is warmed up, then
 * round i loads them one after the other, in the opposite order to round i - 1. A row per server, as measure()
 * prints, with its CPU counted over its own rounds only.
 */
async function measureInterleaved(targets: InterleavedTarget[]): Promise<void> {
  const perTarget = targets.map(() => ({ rounds: [] as LoadResult['rounds'], answers: 0, loadCpuMs: 0, serverMs: 0 }));
  const load = async (index: number, roundTiming: typeof timing) => {
    const { server, spec } = targets[index] as InterleavedTarget;
    const tally = perTarget[index] as (typeof perTarget)[number];
    const before = treeCpuMs(server.pid);
    const result = await runLoad({ ...spec, ...roundTiming, connections });
    tally.serverMs += treeCpuMs(server.pid) - before;
    tally.answers += result.answers;
    tally.loadCpuMs += result.loadCpuMs;
    tally.rounds.push(...result.rounds);
  };
  for (const { key, what, spec } of targets) {
    await expectOk(spec.url, { method: spec.method, headers: spec.headers });
    console.log(
      `  measuring ${key}: ${what} (rounds alternating with ${targets
        .filter((t) => t.key !== key)
        .map((t) => t.key)
        .join(', ')})`,
    );
  }
  for (let i = 0; i < targets.length; i++) await load(i, { ...timing, rounds: 0 });
  for (let round = 0; round < timing.rounds; round++) {
    const order = targets.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) await load(i, { warmupSec: 0, rounds: 1, roundSec: timing.roundSec });
  }
  targets.forEach(({ key, what }, i) => {
    const { rounds, answers, loadCpuMs, serverMs } = perTarget[i] as (typeof perTarget)[number];
    const perAnswer = (ms: number) => (ms * 1000) / answers;
    const cpu = { server: perAnswer(serverMs), postgres: Number.NaN, load: perAnswer(loadCpuMs) };
    record({ key, what, result: loadResult(rounds, answers, loadCpuMs), cpu });
  });
}

/** Starts the biller on a database, measures fetchBills with `bodies`, stops it. */
async function billerFetchBills(
  key: string,
  what: string,
  databaseEnv: Record<string, string>,
  bodies: string[],
): Promise<void> {
  const biller = await startBiller(`biller-${key}`, databaseEnv);
  try {
    const spec = { url: `${biller.url}/bills/fetchBills`, method: 'POST', headers: fetchBillsHeaders, bodies } as const;
    await measure(key, what, { server: biller, postgres: 'DATABASE_URL' in databaseEnv }, spec);
  } finally {
    await biller.stop();
  }
}

async function countPayments(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM payments');
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
}

type ClientMode = 'fetch' | 'openapi-fetch' | 'client-no-timeout' | 'client';
const clientModes: Record<ClientMode, string> = {
  fetch: 'raw fetch, hand-signed, Eko fetch-bill',
  'openapi-fetch': 'openapi-fetch + Eko signing middleware only',
  'client-no-timeout': 'createEkoClient (timeoutMs: Infinity) + fetchEkoBill',
  client: 'createEkoClient + fetchEkoBill, same request',
};
const clientResult: Partial<Record<ClientMode, Figures & { cpu: number }>> = {};
async function clientOverhead(baseUrl: string): Promise<void> {
  const clientConnections = env('BENCH_CLIENT_CONCURRENCY', 1);
  console.log(`  measuring client overhead: Eko fetch-bill, concurrency ${clientConnections}`);
  const script = new URL('./client-overhead.ts', import.meta.url).pathname;
  const args = [timing.warmupSec, timing.rounds, timing.roundSec, clientConnections].map(String);
  const { stdout } = await run(process.execPath, [script, baseUrl, ...args]);
  type ModeRound = Figures & { cpuUsPerCall: number };
  const result = JSON.parse(stdout.trim().split('\n').at(-1) as string) as Record<ClientMode, ModeRound[]>;
  for (const [mode, what] of Object.entries(clientModes) as [ClientMode, string][]) {
    const rounds = result[mode];
    const m = {
      rps: median(rounds.map((r) => r.rps)),
      p50: median(rounds.map((r) => r.p50)),
      p99: median(rounds.map((r) => r.p99)),
      cpu: median(rounds.map((r) => r.cpuUsPerCall)),
    };
    clientResult[mode] = m;
    const each = rounds.map((r) => fmt(r.rps, 0)).join(' / ');
    console.log(
      `| ${mode} | ${what} | ${fmt(m.rps, 0)} | ${fmt(m.p50, 3)} | ${fmt(m.p99, 3)} | client ${fmt(m.cpu, 0)} | | ${each} |`,
    );
  }
}

function printRatios(): void {
  console.log('\n| figure | measured | target | |');
  console.log('| --- | ---: | ---: | --- |');
  const line = (what: string, value: number | undefined, target: string, met: (v: number) => boolean, digits = 2) => {
    if (value === undefined || !Number.isFinite(value)) return;
    console.log(`| ${what} | ${fmt(value, digits)} | ${target} | ${target ? (met(value) ? 'met' : 'MISSED') : ''} |`);
  };
  const [a, b, c, d, e, bench, b10k] = ['a', 'b', 'c', 'd', 'e', 'pgbench', 'b10k'].map(figures);
  line('b/a req/s (biller on PostgreSQL / bare Hono)', b && a && b.rps / a.rps, '≥ 0.6', (v) => v >= 0.6);
  const floor = figures('floor');
  line('floor/a req/s (one PostgreSQL round trip / bare Hono)', floor && a && floor.rps / a.rps, '', () => true);
  line('b/floor req/s (biller / one PostgreSQL round trip)', b && floor && b.rps / floor.rps, '≥ 0.6', (v) => v >= 0.6);
  const peer = figures('peer');
  line('b/peer req/s (biller / hand-written Fastify + pg)', b && peer && b.rps / peer.rps, '≥ 1', (v) => v >= 1);
  line('b/d req/s (biller / Prism mock)', b && d && b.rps / d.rps, '≥ 10', (v) => v >= 10, 1);
  line('c/b req/s (PGlite / PostgreSQL)', c && b && c.rps / b.rps, '', () => true);
  line('e/pgbench req/s (postings / single-row inserts)', e && bench && e.rps / bench.rps, '≥ 0.2', (v) => v >= 0.2, 3);
  const [ekoPrism, ekoSandbox] = ['eko-prism', 'eko-sandbox'].map(figures);
  line(
    'sandbox/Prism req/s (Eko fetch-bill)',
    ekoSandbox && ekoPrism && ekoSandbox.rps / ekoPrism.rps,
    '≥ 5',
    (v) => v >= 5,
    1,
  );
  // Their rounds alternate, so round i of one and round i of the other met the same machine.
  const [prismRounds, sandboxRounds] = ['eko-prism', 'eko-sandbox'].map(
    (key) => rows.find((r) => r.key === key)?.result.rounds,
  );
  const paired = sandboxRounds?.flatMap((r, i) => (prismRounds?.[i] ? [r.rps / prismRounds[i].rps] : [])) ?? [];
  line(
    'sandbox/Prism req/s, median of the paired rounds',
    paired.length ? median(paired) : undefined,
    '',
    () => true,
    1,
  );
  if (paired.length) console.log(`|   paired rounds | ${paired.map((v) => fmt(v, 1)).join(' / ')} | | |`);
  line(
    'npx pnpm sandbox ready, s (median)',
    sandboxReady.length ? median(sandboxReady) : undefined,
    '< 5',
    (v) => v < 5,
  );
  const growth = rows.find((r) => r.key === 'e2m')?.result.rounds;
  const [firstRound, lastRound] = [growth?.[0], growth?.at(-1)];
  line(
    'e2m last / first 10 s round, postings/s',
    firstRound && lastRound && lastRound.rps / firstRound.rps,
    '≥ 0.9',
    (v) => v >= 0.9,
  );
  line('p99 at 1M / p99 at 10k bills', b && b10k && b.p99 / b10k.p99, '≤ 1.5', (v) => v <= 1.5);
  const pgCpu = (key: string) => rows.find((r) => r.key === key)?.cpu.postgres;
  const [pg1m, pg10k] = [pgCpu('b'), pgCpu('b10k')];
  line('PostgreSQL CPU per fetchBills, 1M / 10k bills', pg1m && pg10k && pg1m / pg10k, '', () => true);
  const raw = clientResult.fetch;
  for (const [mode, target] of [
    ['client', '< 15 %'],
    ['client-no-timeout', ''],
    ['openapi-fetch', ''],
  ] as const) {
    const over = clientResult[mode];
    if (!raw || !over) continue;
    line(`${mode} overhead, % time per call`, (raw.rps / over.rps - 1) * 100, target, (v) => v < 15, 1);
    line(`${mode} overhead, % client CPU per call`, (over.cpu / raw.cpu - 1) * 100, '', () => true, 1);
  }
}

async function machine(): Promise<string> {
  const model = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>('SHOW server_version').finally(() => client.end());
  return [
    `machine: ${cpus().length} cores (${model}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ` +
      `PostgreSQL ${rows[0]?.server_version}`,
    `load average (1/5/15 min) at the start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  ].join('\n');
}

let stopping = false;
async function cleanUp(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await stopAll();
  // Only what this run created: another run (another scenario) may be using them.
  if (scenarios.has('e') || scenarios.has('e2m')) {
    await Promise.all([dropDatabase(postingDatabase), dropDatabase(pgbenchDatabase)]).catch(() => {});
  }
  removeCsvFiles();
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping every process this run started`);
    void cleanUp().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (error) {
  // After Ctrl-C the loads fail because their processes were stopped: that is not worth a stack trace.
  if (!stopping) {
    console.error(error);
    process.exitCode = 1;
  }
} finally {
  await cleanUp();
}
