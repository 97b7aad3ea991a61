import { seedDemo } from '../demo/seed.ts';
import { migrate } from '../migrations/migrate.ts';
import type { Db } from './db.ts';

// Any fixed number works; it only has to be the same in every biller process sharing a database.
const MIGRATION_LOCK = 0x62696c6c6572n; // 'biller'

export interface Prepared {
  /** Migration versions this call applied (empty when another process got there first). */
  applied: number[];
  /** Whether this call loaded the demo data. */
  seeded: boolean;
}

/**
 * Migrates and, when asked, seeds the demo data into an empty database. Everything runs in one transaction
 * holding a transaction-scoped advisory lock, so processes starting together queue up: the first does the
 * work, the others find it done. The lock is released by COMMIT or ROLLBACK, even if a process dies.
 */
export function prepareDatabase(db: Db, options: { demo: boolean }): Promise<Prepared> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK]);
    const applied = await migrate(tx);
    const seeded = options.demo ? await seedDemo(tx) : false;
    return { applied, seeded };
  });
}
