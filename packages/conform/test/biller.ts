// The real biller (buildApp on a fresh demo ledger: in-memory PGlite, or a PostgreSQL database created for it and
// dropped after) on a real socket, optionally behind a wrapper that breaks it in one way: the mutants the kit must
// catch.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { buildApp, createLogger, type Db, demoKeys, openPglite, openPostgres, prepareDatabase } from '@bbps-kit/biller';
import { serve } from '@hono/node-server';

export type Handler = (request: Request) => Promise<Response>;

export interface RunningBiller {
  url: string;
  close(): Promise<void>;
}

// One migrated demo ledger per test file, copied for each biller: a fresh initdb per biller costs seconds.
let template: Promise<Blob> | undefined;
function demoTemplate(): Promise<Blob> {
  template ??= (async () => {
    const db = await openPglite();
    await prepareDatabase(db, { demo: true });
    const dump = await db.pglite.dumpDataDir('none');
    await db.close();
    return dump;
  })();
  return template;
}

export type Engine = 'PGlite' | 'PostgreSQL';

/** The server the PostgreSQL runs use (as apps/biller's suites: BILLER_TEST_POSTGRES_URL, else the local one). */
const postgresAdminUrl = process.env.BILLER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** True when PostgreSQL answers at postgresAdminUrl (within 2 s). */
export async function postgresReachable(): Promise<boolean> {
  const admin = await openPostgres(postgresAdminUrl, { max: 1, connectionTimeoutMs: 2_000 });
  try {
    await admin.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await admin.close();
  }
}

/** A fresh demo ledger on PostgreSQL: its own database, dropped (forcibly, connections and all) on close. */
async function postgresLedger(): Promise<{ db: Db; close(): Promise<void> }> {
  const name = `conform_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await openPostgres(postgresAdminUrl, { max: 1 });
  await admin.exec(`CREATE DATABASE ${name}`);
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  const db = await openPostgres(url.toString());
  await prepareDatabase(db, { demo: true });
  return {
    db,
    async close() {
      await db.close();
      await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

export async function startBiller(
  wrap?: (real: Handler) => Handler,
  setup?: (db: Db) => Promise<void>,
  engine: Engine = 'PGlite',
): Promise<RunningBiller> {
  const ledger =
    engine === 'PostgreSQL'
      ? await postgresLedger()
      : await openPglite({ loadDataDir: await demoTemplate() }).then((db) => ({ db, close: () => db.close() }));
  const { db } = ledger;
  await setup?.(db);
  const app = buildApp({
    db,
    config: {
      kaleidofinApiKeys: [demoKeys.kaleidofinApiKey],
      ebppClientKey: demoKeys.ebppClientKey,
      ebppApiKeys: [demoKeys.ebppApiKey],
    },
    logger: createLogger(() => {}),
  });
  const real: Handler = async (request) => app.fetch(request);
  const handler = wrap ? wrap(real) : real;
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: handler, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ledger.close();
    },
  };
}
