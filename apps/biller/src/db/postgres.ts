import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Db, Queryable, Row } from './db.ts';

const INT8 = 20;
const DATE = 1082;

// BIGINT as bigint (money is paise and may pass 2^53) and DATE as the plain 'YYYY-MM-DD' text, because a JS
// Date would shift calendar dates by the process time zone.
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8) return (value: string) => BigInt(value);
    if (oid === DATE) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

// Each statement with parameters is sent by name, so PostgreSQL parses and plans it once per connection instead
// of on every call (planning the bills join cost 0.7 ms against 0.15 ms to run it). The name is derived from
// the text, so the same SQL always maps to the same server-side statement. Not for PgBouncer transaction mode.
const statementNames = new Map<string, string>();
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `s${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
    statementNames.set(sql, name);
  }
  return name;
}

export interface PostgresOptions {
  /** Pool size; the default suits one biller process. */
  max?: number;
  /** Seconds before a connection is replaced, so that cached plans follow the tables' growth. Default 10. */
  maxLifetimeSeconds?: number;
}

export async function openPostgres(connectionString: string, options: PostgresOptions = {}): Promise<Db> {
  const pool = new pg.Pool({
    connectionString,
    types: typeParsers,
    max: options.max ?? 10,
    // A connection keeps its statements' plans, and PostgreSQL may settle on a generic plan: one made while the
    // payments table was nearly empty seq-scans it for the rest of the connection's life, so every posting got
    // slower as the ledger grew (postings/s fell by half within a minute in `pnpm bench`, with autovacuum off).
    // Replacing each connection after a while re-plans against the tables as they are now.
    maxLifetimeSeconds: options.maxLifetimeSeconds ?? 10,
  });
  // An idle client that loses its server emits 'error' on the pool; without a listener that kills the process.
  pool.on('error', () => {});
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async query<R extends Row>(sql: string, params: readonly unknown[] = []) {
      const result = await q.query<R>({ name: statementName(sql), text: sql, values: params as unknown[] });
      return result.rows;
    },
    async exec(sql: string) {
      // Without parameters pg uses the simple protocol, which accepts several statements.
      await q.query(sql);
    },
  });
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        throw error;
      } finally {
        // A client whose rollback failed is in an unknown state: destroy it instead of reusing it.
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
