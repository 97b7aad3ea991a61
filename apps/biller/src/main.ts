// The biller process: configuration, database (migrated, and seeded in demo mode), HTTP server, the metrics server
// (only with METRICS_PORT), and a graceful shutdown that lets requests in flight finish before the database closes.
// In demo mode it first tells a newcomer, in plain words on stderr, where everything is.

import { securitySchemes as ebppSchemes } from '@bbps-kit/contracts/rules/ebpp-mpa';
import { securitySchemes as kaleidofinSchemes } from '@bbps-kit/contracts/rules/kaleidofin-partner';
import { serve } from '@hono/node-server';
import { buildApp } from './app.ts';
import { type Config, ConfigError, demoKeys, loadConfig } from './config.ts';
import { openDatabase } from './db/open.ts';
import { prepareDatabase } from './db/prepare.ts';
import { isConnectionFailure } from './db/unavailable.ts';
import { createLogger, errorFields } from './logging.ts';
import { createMetrics, type MetricsServer, serveMetrics } from './metrics.ts';

const logger = createLogger();

/**
 * Runs `step` until the database answers: a biller started before its database (or during an outage) waits for
 * it instead of exiting. Until then nothing listens, and SIGTERM ends the process as usual.
 */
async function untilDatabaseAnswers<T>(step: () => Promise<T>): Promise<T> {
  for (let waitMs = 500; ; waitMs = Math.min(waitMs * 2, 5_000)) {
    try {
      return await step();
    } catch (error) {
      if (!isConnectionFailure(error)) throw error;
      logger.log('warn', 'database unavailable; waiting for it', { retry_in_ms: waitMs, ...errorFields(error) });
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/**
 * What a newcomer needs before the JSON lines start: the URL, the docs, the demo keys and one request to paste (the
 * root README's fetchBills). A key variable set in demo mode replaces its demo key, and is never printed.
 */
function demoBanner({ port, kaleidofinApiKeys, ebppClientKey, ebppApiKeys }: Config): string {
  const base = port === 0 ? 'http://127.0.0.1:<port>' : `http://127.0.0.1:${port}`;
  const key = (value: string, configured: readonly string[], variable: string) =>
    configured.length === 1 && configured[0] === value ? value : `(yours, from ${variable})`;
  const kaleidofinKey = key(demoKeys.kaleidofinApiKey, kaleidofinApiKeys, 'KALEIDOFIN_API_KEYS');
  const pasteKey = kaleidofinKey === demoKeys.kaleidofinApiKey ? kaleidofinKey : '<your key>';
  const [keyHeader, clientKeyHeader, apiKeyHeader] = [
    kaleidofinSchemes.partnerApiKey.name,
    ebppSchemes.clientKey.name,
    ebppSchemes.apiKey.name,
  ];
  return [
    '',
    'bbps-kit biller, demo mode: demo data, and public demo keys (never use them with real data).',
    `  biller:  ${base}${port === 0 ? '   (PORT=0: the port is in the "listening" line below)' : ''}`,
    `  docs:    ${base}/docs/   (the contracts, with every request and answer)`,
    `  keys:    Kaleidofin ${keyHeader} ${kaleidofinKey}; EBPP ${clientKeyHeader} ${key(demoKeys.ebppClientKey, [ebppClientKey], 'EBPP_CLIENT_KEY')}, ${apiKeyHeader} ${key(demoKeys.ebppApiKey, ebppApiKeys, 'EBPP_API_KEYS')}`,
    '  try:',
    `    curl -s -X POST ${base}/bills/fetchBills -H 'content-type: application/json' \\`,
    `      -H '${keyHeader}: ${pasteKey}' \\`,
    `      -d '[{"identifierKey":"name","identifierValue":"vishakha"},{"identifierKey":"customerId","identifierValue":"AY1234"}]'`,
    '  More in apps/biller/README.md. Logs follow, one JSON object per line on stdout.',
    '',
    '',
  ].join('\n');
}

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
if (config.demo) process.stderr.write(demoBanner(config));

const db = await openDatabase(config.database);
const prepared = await untilDatabaseAnswers(() => prepareDatabase(db, { demo: config.demo }));
logger.log('info', 'database ready', {
  engine: db.kind,
  ...(config.database.kind === 'pglite' ? { data_dir: config.database.dataDir } : {}),
  migrations_applied: prepared.applied,
  demo_data_loaded: prepared.seeded,
});

const metrics = config.metrics ? createMetrics() : undefined;
const app = buildApp({ db, config, logger, metrics });
// Before the biller's own port, so a scraper finds the metrics as soon as the biller answers.
let metricsServer: MetricsServer | undefined;
if (metrics && config.metrics) {
  try {
    metricsServer = await serveMetrics(metrics, config.metrics);
  } catch (error) {
    logger.log('error', 'the metrics server cannot listen', { ...config.metrics, ...errorFields(error) });
    await db.close();
    process.exit(1);
  }
  logger.log('info', 'metrics listening', { host: config.metrics.host, port: metricsServer.port, path: '/metrics' });
}
const server = serve({ fetch: app.fetch, port: config.port }, (info) => {
  logger.log('info', 'listening', { port: info.port, demo: config.demo });
});

// Ten seconds is well inside the 30 s that payment networks wait, and longer than any request here takes.
const drainMs = 10_000;
let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.log('info', 'shutting down', { signal });
  const force = setTimeout(() => {
    logger.log('warn', 'requests still running after the drain period; closing their connections', {});
    if ('closeAllConnections' in server) server.closeAllConnections();
  }, drainMs);
  force.unref();
  // close() stops accepting connections, closes idle keep-alive ones, and calls back when the last request ends.
  await new Promise<void>((resolve) => server.close(() => resolve()));
  clearTimeout(force);
  // Scraped until the last request ended, so the final counts could still be read.
  await metricsServer?.close();
  await db.close();
  logger.log('info', 'stopped', {});
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    shutdown(signal).then(
      () => process.exit(0),
      (error) => {
        logger.log('error', 'shutdown failed', errorFields(error));
        process.exit(1);
      },
    );
  });
}
