// The PostgreSQL pool: its size comes from the configuration, and it replaces its connections after a while, so
// that statement plans cached on a connection (made when a table was nearly empty, say) do not outlive the table
// sizes they were made for.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open.ts';
import { openPostgres } from '../src/db/postgres.ts';
import { postgresEngine, type TestDatabase } from './support/db.ts';

const engine = postgresEngine();
const title = 'PostgreSQL pool size and connection lifetime';
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
});
