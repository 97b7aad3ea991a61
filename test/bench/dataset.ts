// The books the benchmarks read and post to: a deterministic CSV generator, loading through the biller's own
// CSV import (its CLI, in a child process), a cache of loaded books between runs, and the request bodies.
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ApiName, Contract } from '@bbps-kit/contracts/validator';
import pg from 'pg';
import { parentPid, repoRoot, run } from './processes.ts';

export interface Book {
  label: string;
  customers: number;
  /** One loan account per customer, with this many monthly instalments, all outstanding. */
  billsPerCustomer: number;
}

export const benchDir = join(repoRoot, '.data/bench');
export const adminUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const databaseUrl = (database: string) => {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
};

const firstNames = ['Vishakha', 'Ramesh', 'Priya', 'Arjun', 'Meena', 'Suresh', 'Anita', 'Kiran', 'Deepak', 'Lakshmi'];
const lastNames = ['Kulkarni', 'Kumar', 'Sharma', 'Iyer', 'Patil', 'Reddy', 'Das', 'Nair', 'Singh', 'Joshi', 'Rao'];

export const customerReference = (i: number) => `C${String(i).padStart(7, '0')}`;
export const accountNumber = (i: number) => `LN-${customerReference(i)}`;
const customerName = (i: number) =>
  `${firstNames[i % firstNames.length]} ${lastNames[Math.floor(i / firstNames.length) % lastNames.length]}`;

/** A small deterministic hash, so amounts and picks are the same in every run. */
function hash(n: number): number {
  let x = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function rupees(paise: number): string {
  return `${Math.floor(paise / 100)}.${String(paise % 100).padStart(2, '0')}`;
}

export async function writeBookCsv(book: Book, path: string): Promise<void> {
  const out = createWriteStream(path);
  const header =
    'customer_reference,customer_name,phone,account_number,bill_id,bill_name,bill_amount,bill_generated_date,bill_due_date,bill_exactness';
  out.write(`${header}\n`);
  let chunk = '';
  for (let i = 0; i < book.customers; i++) {
    const customer = `${customerReference(i)},${customerName(i)},9${String(i).padStart(9, '0')},${accountNumber(i)}`;
    for (let k = 0; k < book.billsPerCustomer; k++) {
      const h = hash(i * 64 + k);
      const month = String(k + 1).padStart(2, '0');
      const exactness = h % 10 === 0 ? 'EXACT_DOWN' : h % 10 === 1 ? 'ANY' : 'EXACT';
      chunk += `${customer},${customerReference(i)}-${month},EMI 2025-${month},${rupees(50_000 + (h % 2_450_000))},2025-${month}-01,2025-${month}-15,${exactness}\n`;
    }
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

// One CSV per book per run, written on first need and shared by the PostgreSQL and PGlite loads.
const csvFiles = new Map<string, string>();
async function csvOf(book: Book): Promise<string> {
  let path = csvFiles.get(book.label);
  if (!path) {
    mkdirSync(benchDir, { recursive: true });
    path = join(benchDir, `book-${book.label}.csv`);
    const started = performance.now();
    await writeBookCsv(book, path);
    console.log(`  generated ${path} in ${seconds(started)} s`);
    csvFiles.set(book.label, path);
  }
  return path;
}

export function removeCsvFiles(): void {
  for (const path of csvFiles.values()) rmSync(path, { force: true });
  csvFiles.clear();
}

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
const importCli = join(repoRoot, 'apps/biller/src/import/cli.ts');

async function importCsv(book: Book, env: Record<string, string | undefined>): Promise<void> {
  const csv = await csvOf(book);
  const { stdout } = await run(process.execPath, [importCli, csv], { env: { ...env, INIT_CWD: repoRoot } });
  console.log(`  ${stdout.trim()}`);
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>, url = adminUrl): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** True when the database holds exactly this book, untouched by any payment. */
async function holdsBook(database: string, book: Book): Promise<boolean> {
  const exists = await withAdmin(async (c) => {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    return rowCount === 1;
  });
  if (!exists) return false;
  return withAdmin(async (c) => {
    const { rows } = await c
      .query<{ ok: boolean }>(
        `SELECT to_regclass('public.payments') IS NOT NULL AND
              (SELECT count(*) FROM customers) = $1 AND (SELECT count(*) FROM bills) = $2 AND
              NOT EXISTS (SELECT 1 FROM payments) AS ok`,
        [book.customers, book.customers * book.billsPerCustomer],
      )
      .catch(() => ({ rows: [{ ok: false }] }));
    return rows[0]?.ok === true;
  }, databaseUrl(database));
}

export async function recreateDatabase(database: string): Promise<void> {
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${database}`);
  });
}

export async function dropDatabase(database: string): Promise<void> {
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
}

/** Loads `book` into PostgreSQL database `database`, unless it is already there (`reuse`) and complete. */
export async function postgresBook(database: string, book: Book, reuse = true): Promise<string> {
  const url = databaseUrl(database);
  if (reuse && (await holdsBook(database, book))) {
    console.log(`  reusing ${database}: ${book.customers} customers, ${book.customers * book.billsPerCustomer} bills`);
    return url;
  }
  const started = performance.now();
  await recreateDatabase(database);
  await importCsv(book, { DATABASE_URL: url });
  await withAdmin((c) => c.query('VACUUM ANALYZE'), url);
  console.log(`  loaded ${database} in ${seconds(started)} s`);
  return url;
}

/** Loads `book` into an embedded PGlite under `dataDir` (the biller's DATA_DIR), unless it is complete there. */
export async function pgliteBook(dataDir: string, book: Book): Promise<void> {
  const marker = join(dataDir, 'complete.json');
  const expected = JSON.stringify(book);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === expected) {
    console.log(`  reusing ${dataDir}: ${book.customers} customers, ${book.customers * book.billsPerCustomer} bills`);
    return;
  }
  const started = performance.now();
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  await importCsv(book, { DATABASE_URL: undefined, DATA_DIR: dataDir });
  // Written only after the import (one transaction) succeeded: a half-loaded folder is never reused.
  writeFileSync(marker, expected);
  console.log(`  loaded ${dataDir} in ${seconds(started)} s`);
}

/** A seeded generator, so every run sends the same request mix. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    return hash(state) / 2 ** 32;
  };
}

/** fetchBills bodies for random customers of `book`, shaped like the seed's request (name, then customerId). */
export function fetchBillsBodies(book: Book, count: number): string[] {
  const next = random(42);
  return Array.from({ length: count }, () => {
    const i = Math.floor(next() * book.customers);
    return JSON.stringify([
      { identifierKey: 'name', identifierValue: customerName(i).split(' ')[0]?.toLowerCase() },
      { identifierKey: 'customerId', identifierValue: customerReference(i) },
    ]);
  });
}

/**
 * EBPP payment postings of Rs 1.00 to random accounts of `book`, from the contract's example. `{{id}}` is
 * replaced per request by a number never sent before (EBPP's id is 1-20 digits).
 */
export function postingBodies(book: Book, count: number, example: Record<string, unknown>): string[] {
  const next = random(7);
  return Array.from({ length: count }, () => {
    const i = Math.floor(next() * book.customers);
    const customer = example.customer as Record<string, unknown>;
    const account = example.customer_account as Record<string, unknown>;
    return JSON.stringify({
      ...example,
      id: '{{id}}',
      confirmation_number: 'BENCH{{id}}',
      amount: '1.00',
      customer: { ...customer, customer_reference: customerReference(i) },
      customer_account: { ...account, account_number: accountNumber(i) },
    });
  });
}

/** The named example of an operation's JSON request body or 200 answer, as the contract gives it. */
export async function contractExample(
  api: ApiName,
  operationId: string,
  name: string,
): Promise<Record<string, unknown>> {
  const contract = await Contract.load(api);
  const { operation } = contract.operation(operationId);
  type Media = { examples?: Record<string, unknown> };
  const contents = [
    (contract.resolve(operation.requestBody) as { content?: Record<string, Media> } | undefined)?.content,
    (contract.resolve(operation.responses['200']) as { content?: Record<string, Media> }).content,
  ];
  for (const content of contents) {
    const found = content?.['application/json']?.examples?.[name];
    if (found) return (contract.resolve(found) as { value: Record<string, unknown> }).value;
  }
  throw new Error(`${api} ${operationId} has no example ${name}`);
}

/**
 * The PostgreSQL server's main process (same machine: the CPU of its whole tree is readable, backends that the
 * biller's pool replaced during a measurement included).
 */
export function postmasterPid(): Promise<number> {
  return withAdmin(async (c) => {
    const { rows } = await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return parentPid(Number(rows[0]?.pid));
  });
}
