import { mkdirSync } from 'node:fs';
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
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    parsers,
  });
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
    transaction: (fn) => pglite.transaction((tx) => fn(wrap(tx))),
    close: () => pglite.close(),
  };
}
