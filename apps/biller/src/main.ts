// The biller process: configuration, database (migrated, and seeded in demo mode), HTTP server, and a
// graceful shutdown that lets requests in flight finish before the database closes.
import { serve } from '@hono/node-server';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './db/open.ts';
import { prepareDatabase } from './db/prepare.ts';
import { isConnectionFailure } from './db/unavailable.ts';
import { createLogger, errorFields } from './logging.ts';

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

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const db = await openDatabase(config.database);
const prepared = await untilDatabaseAnswers(() => prepareDatabase(db, { demo: config.demo }));
logger.log('info', 'database ready', {
  engine: db.kind,
  ...(config.database.kind === 'pglite' ? { data_dir: config.database.dataDir } : {}),
  migrations_applied: prepared.applied,
  demo_data_loaded: prepared.seeded,
});

const app = buildApp({ db, config, logger });
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
