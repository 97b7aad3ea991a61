import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Db, Queryable, Row } from './db.ts';
import { DatabaseUnavailableError, isConnectionFailure } from './unavailable.ts';

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
  /** Seconds before a connection is replaced; default 0, never (see the ledger functions on cached plans). */
  maxLifetimeSeconds?: number;
  /**
   * How long a caller waits for a connection (a new one, or a free one of a full pool) before the database counts
   * as unavailable. Default 5 000 ms: well inside the 30 s a payment network waits.
   */
  connectionTimeoutMs?: number;
}

/**
 * PostgreSQL through a pool. A database that goes away never takes the process down, and its failures surface as
 * DatabaseUnavailableError (which the HTTP layer answers with 503). A read, or a transaction that failed before its
 * COMMIT was sent, is tried once more on a fresh connection, so a single terminated backend is invisible to callers:
 * such a transaction was rolled back by the server. A failure during COMMIT is never retried, since the transaction
 * may have committed: the caller repeats the request, and the ledger's deduplication answers it.
 */
export async function openPostgres(connectionString: string, options: PostgresOptions = {}): Promise<Db> {
  const pool = new pg.Pool({
    connectionString,
    types: typeParsers,
    max: options.max ?? 10,
    maxLifetimeSeconds: options.maxLifetimeSeconds ?? 0,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    keepAlive: true,
  });
  // A client that loses its server emits 'error': the pool listens while it is idle, nobody while it is checked
  // out, and an 'error' without a listener kills the process. The query running on it fails with the same error,
  // which is where it is handled; the client is then discarded on release.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));

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
  const direct = wrap(pool);

  /** Runs `attempt` once more when the database dropped the connection and `retryable()` still allows it. */
  async function withOneRetry<T>(attempt: () => Promise<T>, retryable: () => boolean = () => true): Promise<T> {
    try {
      return await attempt();
    } catch (error) {
      if (!isConnectionFailure(error)) throw error;
      if (!retryable()) throw new DatabaseUnavailableError(error);
    }
    try {
      return await attempt();
    } catch (error) {
      throw isConnectionFailure(error) ? new DatabaseUnavailableError(error) : error;
    }
  }

  async function transactionOnce<T>(fn: (tx: Queryable) => Promise<T>, state: { committing: boolean }): Promise<T> {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await fn(wrap(client));
      state.committing = true;
      await client.query('COMMIT');
      return result;
    } catch (error) {
      broken = isConnectionFailure(error);
      if (!broken) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
      }
      throw error;
    } finally {
      // A client whose connection failed, or whose rollback did, is in an unknown state: destroy it.
      client.release(broken);
    }
  }

  return {
    kind: 'postgres',
    query<R extends Row>(sql: string, params?: readonly unknown[]) {
      return withOneRetry(() => direct.query<R>(sql, params));
    },
    exec: (sql) => withOneRetry(() => direct.exec(sql)),
    async runOnce<R extends Row>(sql: string, params?: readonly unknown[]) {
      // Getting a connection sends nothing, so that part may be retried; the statement itself may not.
      const client = await withOneRetry(() => pool.connect());
      let broken = false;
      try {
        return await wrap(client).query<R>(sql, params);
      } catch (error) {
        broken = isConnectionFailure(error);
        throw broken ? new DatabaseUnavailableError(error) : error;
      } finally {
        client.release(broken);
      }
    },
    transaction(fn) {
      const state = { committing: false };
      return withOneRetry(
        () => transactionOnce(fn, state),
        () => !state.committing,
      );
    },
    close: () => pool.end(),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}
