// The one seam between the ledger and the database engine: every ledger function takes a `Queryable`,
// so the same code runs on embedded PGlite and on PostgreSQL through a pool.

export type Row = Record<string, unknown>;

export interface Queryable {
  /** One statement with `$1`-style parameters. BIGINT comes back as bigint, DATE as 'YYYY-MM-DD'. */
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** Connections right now, read when metrics are scraped. */
export interface PoolStats {
  /** Open connections (PGlite: always 1). */
  total: number;
  /** Open and unused (PostgreSQL only: PGlite cannot say without a query). */
  idle?: number;
  /** Callers waiting for a connection (PGlite queues inside itself: reported as 0). */
  waiting: number;
}

/**
 * On PostgreSQL, `query` and `exec` outside a transaction are tried once more after a lost connection, so use them
 * for reads and statements that are safe to repeat; every write of the ledger runs in `transaction`.
 */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /**
   * One statement as its own transaction, in one round trip (the ledger's movements, which are SQL functions).
   * Never tried again once sent, since a lost connection may have lost only the answer to a COMMIT.
   */
  runOnce<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs `fn` in one transaction (READ COMMITTED); commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** The pool's size and queue (optional so a stand-in database need not invent one). */
  poolStats?(): PoolStats;
}
