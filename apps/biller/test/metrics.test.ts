// The metrics the biller serves on METRICS_PORT: requests of each kind are sent through the real app, /metrics is
// scraped over a real socket, its text format parsed, and every counter must have moved by exactly what was sent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { demoKeys } from '../src/config.ts';
import type { Db } from '../src/db/db.ts';
import { DatabaseUnavailableError } from '../src/db/unavailable.ts';
import { createLogger } from '../src/logging.ts';
import { createMetrics, databaseErrorKind, type Metrics, type MetricsServer, serveMetrics } from '../src/metrics.ts';
import { createLedger, forEachEngine, pgliteEngine, type TestDatabase } from './support/db.ts';
import { ebppHeaders, example, kaleidofinHeaders } from './support/http.ts';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
interface Scrape {
  types: Map<string, string>;
  samples: Sample[];
  /** The value of the one sample with exactly these labels (undefined when there is none). */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** The sum over every sample of `name` whose labels include `labels`. */
  sum(name: string, labels?: Record<string, string>): number;
}

/** The Prometheus text exposition format (0.0.4), strictly: a line it does not understand fails the test. */
function parseExposition(text: string): Scrape {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1] as string, type[2] as string);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* /.test(line)) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: -?\d+)?$/.exec(line);
    if (!sample) throw new Error(`not a line of the text format: ${line}`);
    const labels: Record<string, string> = {};
    let rest = sample[2] ?? '';
    while (rest !== '') {
      const label = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\[\\"n])*)"(,|$)/.exec(rest);
      if (!label) throw new Error(`bad labels in: ${line}`);
      labels[label[1] as string] = (label[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      rest = rest.slice(label[0].length);
    }
    // Prometheus reads values with Go's ParseFloat, which takes NaN and Inf in any case (prom-client writes `Nan`).
    const raw = (sample[3] as string).toLowerCase();
    const value = /^[+-]?inf$/.test(raw) ? (raw.startsWith('-') ? -Infinity : Infinity) : Number(raw);
    if (Number.isNaN(value) && raw !== 'nan') throw new Error(`bad value in: ${line}`);
    samples.push({ name: sample[1] as string, labels, value });
  }
  const matches = (sample: Sample, name: string, labels: Record<string, string>) =>
    sample.name === name && Object.entries(labels).every(([k, v]) => sample.labels[k] === v);
  return {
    types,
    samples,
    value(name, labels = {}) {
      const found = samples.filter(
        (s) => matches(s, name, labels) && Object.keys(s.labels).length === Object.keys(labels).length,
      );
      if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} is ${found.length} samples`);
      return found[0]?.value;
    },
    sum: (name, labels = {}) =>
      samples.filter((s) => matches(s, name, labels)).reduce((total, s) => total + s.value, 0),
  };
}

async function scrape(server: MetricsServer): Promise<{ scrape: Scrape; text: string; contentType: string | null }> {
  const response = await fetch(`http://127.0.0.1:${server.port}/metrics`);
  expect(response.status).toBe(200);
  const text = await response.text();
  return { scrape: parseExposition(text), text, contentType: response.headers.get('content-type') };
}

const config = {
  kaleidofinApiKeys: [demoKeys.kaleidofinApiKey],
  ebppClientKey: demoKeys.ebppClientKey,
  ebppApiKeys: [demoKeys.ebppApiKey],
};

function appWithMetrics(db: Db) {
  const metrics = createMetrics();
  const app = buildApp({ db, config, logger: createLogger(() => {}), metrics });
  const send = async (method: string, path: string, headers: Record<string, string> = {}, json?: unknown) => {
    const response = await app.request(path, {
      method,
      headers: json === undefined ? headers : { 'content-type': 'application/json', ...headers },
      ...(json === undefined ? {} : { body: typeof json === 'string' ? json : JSON.stringify(json) }),
    });
    return { status: response.status, body: (await response.text()) as string };
  };
  return { app, metrics, send };
}

const servers: MetricsServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});
async function serve(metrics: Metrics): Promise<MetricsServer> {
  const server = await serveMetrics(metrics, { port: 0, host: '127.0.0.1' });
  servers.push(server);
  return server;
}

forEachEngine('metrics', (engine) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createLedger(engine, { demo: true });
  });
  afterEach(async () => {
    await t.drop();
  });

  it('count requests, postings, duplicates and refusals by exactly what was sent', async () => {
    const { metrics, send } = appWithMetrics(t.db);
    const server = await serve(metrics);
    const { scrape: before } = await scrape(server);
    expect(before.sum('biller_http_requests_total')).toBe(0);

    const sent: { status: number }[] = [];
    const k = async (path: string, json: unknown) => {
      sent.push(await send('POST', path, kaleidofinHeaders, json));
      return sent.at(-1)?.status;
    };
    const e = async (path: string, json: unknown) => {
      sent.push(await send('POST', path, ebppHeaders, json));
      return sent.at(-1)?.status;
    };
    const payment = {
      ...((await example('ebpp-mpa', 'postPayment', 'PaymentPostingRequest')) as object),
      amount: '1500.00',
    };
    expect(
      await k('/bills/fetchBills', await example('kaleidofin-partner', 'fetchBills', 'SeedFetchBillsRequest')),
    ).toBe(200);
    const receipt = await example('kaleidofin-partner', 'fetchReceipt', 'SeedFetchReceiptRequest');
    expect(await k('/bills/fetchReceipt', receipt)).toBe(200);
    expect(await k('/bills/fetchReceipt', receipt)).toBe(200); // the same receipt again: a duplicate
    const inexact = {
      systemBillId: 2,
      partnerBillId: 'TEST-124',
      paymentDetails: { billAmount: 1200, amountPaid: 5, transactionId: 'M1' },
    };
    expect(await k('/bills/fetchReceipt', inexact)).toBe(422); // AMOUNT_EXACTNESS_VIOLATED
    expect(await k('/bills/fetchBills', '[{"identifierKey":')).toBe(400); // INVALID_REQUEST
    expect(await k('/bills/payBill', {})).toBe(404); // below /bills: Kaleidofin's, no operation
    expect(await e('/paymentposting', payment)).toBe(200);
    expect(await e('/paymentposting', payment)).toBe(409); // error_duplicate_posting
    const closed = {
      ...payment,
      id: '7300018830',
      customer: { customer_reference: 'AY0871' },
      customer_account: { account_number: 'LN-AY0871' },
    };
    expect(await e('/paymentposting', closed)).toBe(422); // error_account_closed
    sent.push(await send('POST', '/paymentposting', { 'client-key': demoKeys.ebppClientKey }, payment)); // 401
    sent.push(await send('GET', '/nope'));
    sent.push(await send('GET', '/'));
    sent.push(await send('GET', '/healthz'));
    expect(sent.slice(-4).map((answer) => answer.status)).toEqual([401, 404, 302, 200]);

    const { scrape: after, text, contentType } = await scrape(server);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const requests = (contract: string, operation: string, status: number) =>
      after.value('biller_http_requests_total', { contract, operation, status: String(status) });
    const K = 'kaleidofin-partner';
    const E = 'ebpp-mpa';
    expect(requests(K, 'fetchBills', 200)).toBe(1);
    expect(requests(K, 'fetchBills', 400)).toBe(1);
    expect(requests(K, 'fetchReceipt', 200)).toBe(2);
    expect(requests(K, 'fetchReceipt', 422)).toBe(1);
    expect(requests(K, 'none', 404)).toBe(1);
    expect(requests(E, 'postPayment', 200)).toBe(1);
    expect(requests(E, 'postPayment', 409)).toBe(1);
    expect(requests(E, 'postPayment', 422)).toBe(1);
    expect(requests(E, 'postPayment', 401)).toBe(1);
    expect(requests('none', 'none', 404)).toBe(1);
    expect(requests('none', 'docs', 302)).toBe(1);
    expect(requests('none', 'healthz', 200)).toBe(1);
    expect(after.sum('biller_http_requests_total')).toBe(sent.length);

    expect(after.value('biller_postings_total', { contract: K, kind: 'payment' })).toBe(1);
    expect(after.value('biller_postings_total', { contract: E, kind: 'payment' })).toBe(1);
    expect(after.sum('biller_postings_total')).toBe(2);
    expect(after.value('biller_duplicates_total', { contract: K })).toBe(1);
    expect(after.value('biller_duplicates_total', { contract: E })).toBe(1);

    const refusals = (contract: string, code: string) => after.value('biller_refusals_total', { contract, code });
    expect(refusals(K, 'AMOUNT_EXACTNESS_VIOLATED')).toBe(1);
    expect(refusals(K, 'INVALID_REQUEST')).toBe(1);
    expect(refusals(K, 'NOT_FOUND')).toBe(1);
    expect(refusals(E, 'error_duplicate_posting')).toBe(1);
    expect(refusals(E, 'error_account_closed')).toBe(1);
    expect(refusals(E, 'error_field')).toBe(1); // the 401: EBPP's envelope says error_field for a missing key
    expect(refusals('none', 'NOT_FOUND')).toBe(1);
    // Every error answer is one refusal, and nothing else is.
    expect(after.sum('biller_refusals_total')).toBe(sent.filter((answer) => answer.status >= 400).length);

    // A histogram per operation, with one observation per request.
    expect(after.types.get('biller_http_request_duration_seconds')).toBe('histogram');
    const count = (contract: string, operation: string) =>
      after.value('biller_http_request_duration_seconds_count', { contract, operation });
    expect([count(K, 'fetchBills'), count(K, 'fetchReceipt'), count(E, 'postPayment')]).toEqual([2, 3, 4]);
    const buckets = after.samples.filter(
      (s) => s.name === 'biller_http_request_duration_seconds_bucket' && s.labels.operation === 'fetchBills',
    );
    expect(buckets.map((s) => s.labels.le)).toEqual([
      '0.005',
      '0.01',
      '0.025',
      '0.05',
      '0.1',
      '0.25',
      '0.5',
      '1',
      '2.5',
      '5',
      '10',
      '+Inf',
    ]);
    expect(buckets.at(-1)?.value).toBe(2);

    // The pool, read at scrape time: PGlite is one connection; PostgreSQL's pool says what it holds.
    const connections = after.value('biller_db_pool_connections', { state: 'total' }) ?? 0;
    expect(after.value('biller_db_pool_waiting_clients')).toBe(0);
    if (engine.name === 'PGlite') {
      expect(connections).toBe(1);
      expect(after.value('biller_db_pool_connections', { state: 'idle' })).toBeUndefined();
    } else {
      expect(connections).toBeGreaterThanOrEqual(1);
      expect(after.value('biller_db_pool_connections', { state: 'idle' })).toBeLessThanOrEqual(connections);
    }
    expect(after.types.get('biller_db_pool_connections')).toBe('gauge');

    // prom-client's default process metrics are there too.
    expect(after.value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(after.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');

    // No customer data, id or key in any label: only what the biller itself names.
    for (const secret of [
      'AY1234',
      'AY0871',
      'LN-',
      '7300018829',
      'SAMPLE_ID',
      'TEST-124',
      'vishakha',
      '/bills',
      'demo-',
    ]) {
      expect(text, secret).not.toContain(secret);
    }
    const labelNames = new Set(
      after.samples.filter((s) => s.name.startsWith('biller_')).flatMap((s) => Object.keys(s.labels)),
    );
    expect([...labelNames].sort()).toEqual(['code', 'contract', 'kind', 'le', 'operation', 'state', 'status']);

    // The text says what prom-client's own registry says.
    for (const metric of await metrics.registry.getMetricsAsJSON()) {
      if (!metric.name.startsWith('biller_') || String(metric.type) !== 'counter') continue;
      for (const { labels, value } of metric.values) {
        const asText = Object.fromEntries(Object.entries(labels).map(([key, v]) => [key, String(v)]));
        expect(after.value(metric.name, asText), `${metric.name} ${JSON.stringify(labels)}`).toBe(value);
      }
    }
  });

  it('count a database call that fails, by kind, once', async () => {
    const metrics = createMetrics();
    const db = metrics.instrumentDb(t.db);
    await expect(db.query('SELECT 1 / 0')).rejects.toThrow(/division by zero/);
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO schema_migrations (version, name) VALUES (1, 'again')");
      }),
    ).rejects.toThrow();
    // Not the database's failure: not counted.
    await expect(db.transaction(() => Promise.reject(new Error('a bug')))).rejects.toThrow('a bug');
    const server = await serve(metrics);
    const { scrape: after } = await scrape(server);
    expect(after.value('biller_database_errors_total', { kind: 'other' })).toBe(1);
    expect(after.value('biller_database_errors_total', { kind: 'constraint' })).toBe(1);
    expect(after.sum('biller_database_errors_total')).toBe(2);
  });
});

describe('metrics', () => {
  it('count an unreachable database as unavailable, and its 503 as a refusal', async () => {
    const unreachable = () =>
      Promise.reject(
        new DatabaseUnavailableError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
      );
    const db: Db = {
      kind: 'postgres',
      query: unreachable,
      exec: unreachable,
      runOnce: unreachable,
      transaction: unreachable,
      close: async () => {},
    };
    const { metrics, send } = appWithMetrics(db);
    const answer = await send('POST', '/bills/fetchBills', kaleidofinHeaders, [
      { identifierKey: 'customerId', identifierValue: 'AY1234' },
    ]);
    expect(answer.status).toBe(503);
    expect((await send('GET', '/healthz')).status).toBe(503);
    const { scrape: after } = await scrape(await serve(metrics));
    expect(after.value('biller_database_errors_total', { kind: 'unavailable' })).toBe(2);
    expect(after.value('biller_refusals_total', { contract: 'kaleidofin-partner', code: 'SERVICE_UNAVAILABLE' })).toBe(
      1,
    );
    expect(after.value('biller_refusals_total', { contract: 'none', code: 'none' })).toBe(1); // /healthz has no envelope
    // A stand-in database reports no pool.
    expect(after.value('biller_db_pool_connections', { state: 'total' })).toBeUndefined();
  });

  it('keep each app’s counts in its own registry', async () => {
    const t = await createLedger(pgliteEngine, { demo: true });
    try {
      const one = appWithMetrics(t.db);
      const two = appWithMetrics(t.db);
      await one.send('GET', '/nope');
      const { scrape: first } = await scrape(await serve(one.metrics));
      const { scrape: second } = await scrape(await serve(two.metrics));
      expect(first.sum('biller_http_requests_total')).toBe(1);
      expect(second.sum('biller_http_requests_total')).toBe(0);
    } finally {
      await t.drop();
    }
  });

  it('serve /metrics and nothing else on the metrics port', async () => {
    const server = await serve(createMetrics());
    expect((await fetch(`http://127.0.0.1:${server.port}/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${server.port}/metrics`, { method: 'POST' })).status).toBe(405);
  });

  it('name database failures by kind', () => {
    const withCode = (code: string) => Object.assign(new Error(code), { code });
    expect(databaseErrorKind(new DatabaseUnavailableError(new Error('x')))).toBe('unavailable');
    expect(databaseErrorKind(withCode('ECONNREFUSED'))).toBe('unavailable');
    expect(databaseErrorKind(withCode('57014'))).toBe('timeout');
    expect(databaseErrorKind(withCode('40001'))).toBe('conflict');
    expect(databaseErrorKind(withCode('40P01'))).toBe('conflict');
    expect(databaseErrorKind(withCode('23505'))).toBe('constraint');
    expect(databaseErrorKind(withCode('42601'))).toBe('other');
    expect(databaseErrorKind(new Error('a bug'))).toBeUndefined();
    expect(databaseErrorKind(withCode('ERR_SOMETHING'))).toBeUndefined();
  });
});
