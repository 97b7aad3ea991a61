// Prometheus metrics for the biller (prom-client), served on a port of their own (METRICS_PORT, main.ts) so that
// /metrics is never reachable through the contracts' port. Each app gets a registry of its own (not prom-client's
// global one), so tests can build several apps side by side.
//
// Labels carry only what the biller itself decides: the contract, the operationId (`none` for a route no contract
// declares), the HTTP status, the contract's error code, a kind. Never a path (it may hold ids), a header (keys
// travel there) or anything from a body. Children are created once per operation and status and kept, so a
// request costs a map lookup and two increments.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Db, PoolStats, Queryable } from './db/db.ts';
import { isConnectionFailure } from './db/unavailable.ts';

/** The contract a request was answered under (the folder name under specs/), or `none` for the biller's own paths. */
export type ContractLabel = 'kaleidofin-partner' | 'ebpp-mpa' | 'none';
export type PostingKind = 'payment' | 'reversal' | 'refund';
export type DatabaseErrorKind = 'unavailable' | 'timeout' | 'conflict' | 'constraint' | 'other';

/** Reads the error code out of an error answer's parsed JSON body, in the shape of one contract's envelope. */
export type ErrorCodeReader = (body: unknown) => string | undefined;

/** What the request middleware needs to record one request: set on the context by whoever routes it. */
export interface RequestTag {
  readonly contract: ContractLabel;
  readonly operation: string;
  /** @internal */ readonly record: (status: number, seconds: number) => void;
  /** @internal */ readonly refused: (code: string) => void;
  /** @internal */ readonly codeOf: ErrorCodeReader;
}

export type MetricsVariables = { metricsTag: RequestTag | undefined };

/** The metrics a contract's sub-app records: its operations' tags, postings the ledger applied, duplicates. */
export interface ContractMetrics {
  /** The tag of one of the contract's operations (`none`: a path below the contract that names no operation). */
  tag(operation: string): RequestTag;
  /** A payment, reversal or refund the ledger actually applied (not a repeat, not a refusal). */
  posted(kind: PostingKind): void;
  /** A repost answered with the first answer or the contract's duplicate code. */
  duplicate(): void;
}

export interface Metrics {
  readonly registry: Registry;
  contract(contract: Exclude<ContractLabel, 'none'>, codeOf: ErrorCodeReader): ContractMetrics;
  /** Tags for the biller's own paths (health, docs); `none` is any route nobody declares. */
  neutralTag(operation: 'healthz' | 'docs' | 'none'): RequestTag;
  /** Times and counts every request; reads the tag the routing left on the context. Register it first. */
  readonly middleware: MiddlewareHandler<{ Variables: MetricsVariables }>;
  /** The same database, with its failures counted by kind and its pool read at scrape time. */
  instrumentDb(db: Db): Db;
}

/**
 * Latency buckets in seconds. The payment networks wait 30 s for an answer and the biller drains for 10 s: anything
 * past 10 s is already a failure, and the interesting resolution is between 5 ms and 1 s.
 */
export const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

// A code that does not look like one of the envelopes' codes is not put in a label (it would be a new series).
const codePattern = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** The neutral envelope's code (`{"error": {"code": ...}}`, app.ts). */
export const neutralErrorCode: ErrorCodeReader = (body) => {
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'string' ? code : undefined;
};

/** What kind of database failure `error` is, or undefined when it is not the database's (a bug, a refusal). */
export function databaseErrorKind(error: unknown): DatabaseErrorKind | undefined {
  if (isConnectionFailure(error)) return 'unavailable';
  const code = (error as { code?: unknown } | undefined)?.code;
  // Only an SQLSTATE says the database refused the statement; other errors thrown inside a transaction are not its.
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  if (code === '57014') return 'timeout';
  if (code === '40001' || code === '40P01') return 'conflict';
  if (code.startsWith('23')) return 'constraint';
  return 'other';
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const requests = new Counter({
    name: 'biller_http_requests_total',
    help: 'HTTP requests answered, by contract, operationId (none: a route no contract declares) and status.',
    labelNames: ['contract', 'operation', 'status'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'biller_http_request_duration_seconds',
    help: 'Time to answer a request, by contract and operationId.',
    labelNames: ['contract', 'operation'] as const,
    buckets: latencyBuckets,
    registers,
  });
  const postings = new Counter({
    name: 'biller_postings_total',
    help: 'Payments, reversals and refunds the ledger applied, by contract and kind.',
    labelNames: ['contract', 'kind'] as const,
    registers,
  });
  const duplicates = new Counter({
    name: 'biller_duplicates_total',
    help: 'Reposts answered with the first answer or the duplicate code, by contract.',
    labelNames: ['contract'] as const,
    registers,
  });
  const refusals = new Counter({
    name: 'biller_refusals_total',
    help: "Error answers (4xx and 5xx), by contract and the envelope's error code (none: an answer without one).",
    labelNames: ['contract', 'code'] as const,
    registers,
  });
  const databaseErrors = new Counter({
    name: 'biller_database_errors_total',
    help: 'Database calls that failed, by kind (unavailable: the database could not be reached or dropped the connection).',
    labelNames: ['kind'] as const,
    registers,
  });

  let poolStats: (() => PoolStats | undefined) | undefined;
  new Gauge({
    name: 'biller_db_pool_connections',
    help: 'Database connections open (state total) and idle among them (PostgreSQL only); PGlite is one connection.',
    labelNames: ['state'] as const,
    registers,
    collect() {
      this.reset();
      const stats = poolStats?.();
      if (!stats) return;
      this.set({ state: 'total' }, stats.total);
      if (stats.idle !== undefined) this.set({ state: 'idle' }, stats.idle);
    },
  });
  new Gauge({
    name: 'biller_db_pool_waiting_clients',
    help: 'Callers waiting for a database connection.',
    registers,
    collect() {
      this.set(poolStats?.()?.waiting ?? 0);
    },
  });

  function makeTag(contract: ContractLabel, operation: string, codeOf: ErrorCodeReader): RequestTag {
    const timer = duration.labels(contract, operation);
    const byStatus = new Map<number, Counter.Internal>();
    const byCode = refusalsOf(contract);
    return {
      contract,
      operation,
      codeOf,
      record(status, seconds) {
        timer.observe(seconds);
        let child = byStatus.get(status);
        if (!child) {
          child = requests.labels(contract, operation, String(status));
          byStatus.set(status, child);
        }
        child.inc();
      },
      refused(code) {
        let child = byCode.get(code);
        if (!child) {
          child = refusals.labels(contract, code);
          byCode.set(code, child);
        }
        child.inc();
      },
    };
  }

  const refusalChildren = new Map<ContractLabel, Map<string, Counter.Internal>>();
  function refusalsOf(contract: ContractLabel): Map<string, Counter.Internal> {
    let children = refusalChildren.get(contract);
    if (!children) {
      children = new Map();
      refusalChildren.set(contract, children);
    }
    return children;
  }

  const neutralTags = new Map<string, RequestTag>();
  const neutralTag: Metrics['neutralTag'] = (operation) => {
    let tag = neutralTags.get(operation);
    if (!tag) {
      tag = makeTag('none', operation, neutralErrorCode);
      neutralTags.set(operation, tag);
    }
    return tag;
  };

  const databaseErrorChildren = new Map<DatabaseErrorKind, Counter.Internal>();
  function countDatabaseError(error: unknown): void {
    const kind = databaseErrorKind(error);
    if (kind === undefined) return;
    let child = databaseErrorChildren.get(kind);
    if (!child) {
      child = databaseErrors.labels(kind);
      databaseErrorChildren.set(kind, child);
    }
    child.inc();
  }

  const middleware: Metrics['middleware'] = async (c, next) => {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const tag = c.get('metricsTag') ?? neutralTag('none');
    const status = c.res.status;
    tag.record(status, seconds);
    if (status >= 400) tag.refused(await errorCodeOf(c, tag.codeOf));
  };

  return {
    registry,
    contract(contract, codeOf) {
      const tags = new Map<string, RequestTag>();
      const posted = new Map<PostingKind, Counter.Internal>();
      const duplicate = duplicates.labels(contract);
      return {
        tag(operation) {
          let tag = tags.get(operation);
          if (!tag) {
            tag = makeTag(contract, operation, codeOf);
            tags.set(operation, tag);
          }
          return tag;
        },
        posted(kind) {
          let child = posted.get(kind);
          if (!child) {
            child = postings.labels(contract, kind);
            posted.set(kind, child);
          }
          child.inc();
        },
        duplicate: () => duplicate.inc(),
      };
    },
    neutralTag,
    middleware,
    instrumentDb(db) {
      const stats = db.poolStats?.bind(db);
      poolStats = stats;
      const counted = <T>(promise: Promise<T>): Promise<T> =>
        promise.catch((error: unknown) => {
          countDatabaseError(error);
          throw error;
        });
      // Only the outermost calls: a failure inside a transaction is counted once, when the transaction fails.
      const instrumented: Db = {
        kind: db.kind,
        query: (sql, params) => counted(db.query(sql, params)),
        exec: (sql) => counted(db.exec(sql)),
        runOnce: (sql, params) => counted(db.runOnce(sql, params)),
        transaction: <T>(fn: (tx: Queryable) => Promise<T>) => counted(db.transaction(fn)),
        close: () => db.close(),
        ...(stats ? { poolStats: stats } : {}),
      };
      return instrumented;
    },
  };
}

/** The error code of an error answer, read from its body as the tag's contract shapes it; `none` without one. */
async function errorCodeOf(c: Context, codeOf: ErrorCodeReader): Promise<string> {
  if (!c.res.headers.get('content-type')?.includes('json')) return 'none';
  try {
    const code = codeOf(await c.res.clone().json());
    return code !== undefined && codePattern.test(code) ? code : 'none';
  } catch {
    return 'none';
  }
}

export interface MetricsServer {
  readonly server: Server;
  /** The port it listens on (useful with METRICS_PORT=0). */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` (Prometheus text format) on its own port and nothing else. Plain node:http: the endpoint
 * has one route and no envelope, and must keep answering when the biller's app is busy or failing.
 */
export async function serveMetrics(
  metrics: Pick<Metrics, 'registry'>,
  { port, host }: { port: number; host: string },
): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(path === '/metrics' ? 405 : 404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(path === '/metrics' ? 'GET only\n' : 'Not found: metrics are at /metrics\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      () => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('collecting metrics failed\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
