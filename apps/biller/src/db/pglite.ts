import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import type { Db, Queryable, Row } from './db.ts';

// Same wire-to-JS mapping as the pg driver gets in postgres.ts, so ledger code never sees a difference.
const parsers = {
  [types.INT8]: (value: string) => BigInt(value),
  [types.DATE]: (value: string) => value,
};

export interface PgliteOptions {
  /** Where the database lives; in memory when undefined. */
  dataDir?: string | undefined;
  /** Start from a `dumpDataDir()` tarball: far faster than a fresh initdb (tests use it). */
  loadDataDir?: Blob | undefined;
}

/** Embedded PostgreSQL. */
export async function openPglite(options: PgliteOptions = {}): Promise<Db & { pglite: PGlite }> {
  const { dataDir, loadDataDir } = options;
  let unlock = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(dataDir);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(loadDataDir ? { loadDataDir } : {}),
      parsers,
    });
  } catch (error) {
    unlock();
    throw error;
  }
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<R extends Row>(sql: string, params: readonly unknown[] = []) {
      const result = await q.query<R>(sql, params as unknown[]);
      return result.rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  return {
    kind: 'pglite',
    pglite,
    ...wrap(pglite),
    // PGlite is a single connection; its transaction() already queues every other query and transaction
    // behind the running one, which is the serialisation we need.
    // One statement is atomic on PGlite's single connection, and queues behind a running transaction.
    runOnce: (sql, params) => wrap(pglite).query(sql, params),
    transaction: (fn) => pglite.transaction((tx) => fn(wrap(tx))),
    async close() {
      await pglite.close();
      unlock();
    },
    poolStats: () => ({ total: 1, waiting: 0 }),
  };
}

// PGlite is one process's database: a second process opening the same folder (the server and an import, say)
// would corrupt it. A pid file turns that into a clear error; a file left by a dead process is taken over.
function lockDataDir(dataDir: string): () => void {
  const lockPath = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockPath, 'utf8').trim());
      if (owner && owner !== process.pid && isRunning(owner)) {
        throw new Error(
          `the embedded database ${dataDir} is in use by process ${owner} (PGlite allows one process): stop it first, or use PostgreSQL (DATABASE_URL)`,
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
