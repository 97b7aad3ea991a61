// Databases for tests: a fresh in-memory PGlite, or a fresh PostgreSQL database created for one suite and
// dropped after it. Suites run the same body against each engine with `forEachEngine`.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { describe, inject } from 'vitest';
import type { Db } from '../../src/db/db.ts';
import { openPglite } from '../../src/db/pglite.ts';
import { openPostgres } from '../../src/db/postgres.ts';
import { prepareDatabase } from '../../src/db/prepare.ts';

export interface TestDatabase {
  db: Db;
  /** For PostgreSQL: a URL for other connections to the same database. */
  url: string | undefined;
  drop(): Promise<void>;
}

export interface Engine {
  name: 'PGlite' | 'PostgreSQL';
  available: boolean;
  /** An empty database (no schema). */
  create(options?: { poolSize?: number }): Promise<TestDatabase>;
  /** A database with the schema applied, no data. */
  createMigrated(options?: { poolSize?: number }): Promise<TestDatabase>;
}

export async function createPostgresDatabase(adminUrl: string, poolSize = 10): Promise<TestDatabase> {
  const name = `biller_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await openPostgres(url.toString(), { max: poolSize });
  return {
    db,
    url: url.toString(),
    async drop() {
      await db.close();
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

// A fresh PGlite runs initdb, which takes seconds; loading a dump of an empty, migrated database (made once
// by the global setup) takes well under one.
let migratedDump: Promise<Blob> | undefined;
function dumpOfMigratedDatabase(): Promise<Blob> {
  migratedDump ??= readFile(inject('pgliteDumpFile')).then((bytes) => new Blob([bytes]));
  return migratedDump;
}

export const pgliteEngine: Engine = {
  name: 'PGlite',
  available: true,
  async create() {
    const db = await openPglite();
    return { db, url: undefined, drop: () => db.close() };
  },
  async createMigrated() {
    const db = await openPglite({ loadDataDir: await dumpOfMigratedDatabase() });
    return { db, url: undefined, drop: () => db.close() };
  },
};

export function postgresEngine(): Engine {
  const adminUrl = inject('postgresUrl');
  return {
    name: 'PostgreSQL',
    available: adminUrl !== null,
    create(options) {
      if (adminUrl === null) throw new Error('PostgreSQL is not available');
      return createPostgresDatabase(adminUrl, options?.poolSize);
    },
    async createMigrated(options) {
      const created = await this.create(options);
      await prepareDatabase(created.db, { demo: false });
      return created;
    },
  };
}

/** Declares `${name} on PGlite` and `${name} on PostgreSQL`; the second is skipped (with a warning) without PostgreSQL. */
export function forEachEngine(name: string, body: (engine: Engine) => void): void {
  for (const engine of [pgliteEngine, postgresEngine()]) {
    const title = `${name} on ${engine.name}`;
    if (!engine.available) console.warn(`[biller tests] skipped (no PostgreSQL): ${title}`);
    describe.skipIf(!engine.available)(title, () => body(engine));
  }
}

/** A migrated database, with the demo data when asked. */
export async function createLedger(engine: Engine, options: { demo?: boolean; poolSize?: number } = {}) {
  const created = await engine.createMigrated(options);
  if (options.demo) await prepareDatabase(created.db, { demo: true });
  return created;
}
