// The real biller (buildApp on a fresh in-memory PGlite ledger with the demo data) on a real socket, optionally
// behind a wrapper that breaks it in one way: the mutants the kit must catch.
import type { AddressInfo } from 'node:net';
import { buildApp, createLogger, type Db, demoKeys, openPglite, prepareDatabase } from '@bbps-kit/biller';
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

export async function startBiller(
  wrap?: (real: Handler) => Handler,
  setup?: (db: Db) => Promise<void>,
): Promise<RunningBiller> {
  const db = await openPglite({ loadDataDir: await demoTemplate() });
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
      await db.close();
    },
  };
}
