// The PostgreSQL pool: its size comes from the configuration, it can replace its connections after a while (off
// by default), a lost connection neither crashes the process nor reaches the caller when one more try on a fresh
// connection can still answer, and a movement (runOnce) is never sent twice.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { DatabaseUnavailableError } from '../src/db/unavailable.ts';
import { postgresEngine, type TestDatabase } from './support/db.ts';

const engine = postgresEngine();
const title = 'PostgreSQL pool size, connection lifetime and lost connections';
if (!engine.available) console.warn(`[biller tests] skipped (no PostgreSQL): ${title}`);

describe.skipIf(!engine.available)(title, () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await engine.create({ poolSize: 1 });
  });
  afterEach(async () => {
    await t.drop();
  });

  it('opens at most the configured number of connections', async () => {
    const db = await openDatabase({ kind: 'postgres', url: t.url as string, poolSize: 3 });
    try {
      const pids = await Promise.all(
        Array.from({ length: 12 }, async () => {
          const [row] = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid, pg_sleep(0.05)');
          return row?.pid;
        }),
      );
      expect(new Set(pids).size).toBe(3);
    } finally {
      await db.close();
    }
  });

  it('serves later queries from a new server process once a connection has lived maxLifetimeSeconds', async () => {
    const db = await openPostgres(t.url as string, { max: 1, maxLifetimeSeconds: 1 });
    try {
      const backend = async () => (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]?.pid;
      const first = await backend();
      expect(await backend()).toBe(first);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const later = await backend();
      expect(later).toBeTypeOf('number');
      expect(later).not.toBe(first);
    } finally {
      await db.close();
    }
  });

  const terminate = async (pid: number | undefined) => {
    const admin = await openPostgres(t.url as string, { max: 1 });
    try {
      const [row] = await admin.query<{ done: boolean }>('SELECT pg_terminate_backend($1) AS done', [pid]);
      expect(row?.done).toBe(true);
    } finally {
      await admin.close();
    }
  };

  it('answers a read and a transaction on a fresh connection after its backend was terminated', async () => {
    const db = await openPostgres(t.url as string, { max: 1 });
    try {
      const backend = async () => (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]?.pid;
      const first = await backend();
      await terminate(first);
      // The idle client's error is swallowed (no crash); the read is tried again on a new backend.
      const second = await backend();
      expect(second).not.toBe(first);
      // A transaction whose backend dies before COMMIT was rolled back: it runs again from the start.
      let runs = 0;
      const result = await db.transaction(async (tx) => {
        runs++;
        const [row] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        if (runs === 1) await terminate(row?.pid);
        return (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]?.pid;
      });
      expect(runs).toBe(2);
      expect(result).not.toBe(second);
    } finally {
      await db.close();
    }
  });

  it('never sends a runOnce statement twice: its backend terminated mid-statement is a DatabaseUnavailableError', async () => {
    const db = await openPostgres(t.url as string, { max: 1 });
    try {
      await db.exec('CREATE TABLE sent (n int)');
      const [row] = await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // The statement records that it ran, then waits to be terminated: a retry would record a second run.
      const statement = db.runOnce('WITH i AS (INSERT INTO sent VALUES (1) RETURNING n) SELECT pg_sleep(5) FROM i');
      const failed = expect(statement).rejects.toBeInstanceOf(DatabaseUnavailableError);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await terminate(row?.pid);
      await failed;
      // Terminated before its implicit COMMIT, the insert was rolled back, and nothing sent it again.
      expect(await db.query('SELECT n FROM sent')).toEqual([]);
      // The pool goes on with a fresh connection: getting one may be retried, since that sends nothing.
      expect(await db.runOnce<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await db.close();
    }
  });

  it('fails fast with DatabaseUnavailableError when the server cannot be reached', async () => {
    const closed = new URL(t.url as string);
    closed.port = '1';
    const db = await openPostgres(closed.toString(), { max: 1, connectionTimeoutMs: 1_000 });
    try {
      const started = performance.now();
      await expect(db.query('SELECT 1')).rejects.toBeInstanceOf(DatabaseUnavailableError);
      await expect(db.transaction(async () => 1)).rejects.toBeInstanceOf(DatabaseUnavailableError);
      await expect(db.runOnce('SELECT 1')).rejects.toBeInstanceOf(DatabaseUnavailableError);
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      await db.close();
    }
  });
});
