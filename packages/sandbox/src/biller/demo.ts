// The biller (apps/biller) in demo mode as the Kaleidofin partner the collect simulator calls: its own app, demo
// data and demo keys (the biller's demoKeys, never restated), on an in-memory PGlite so that, like the simulators,
// a restart forgets. Used by the biller child process of `pnpm sandbox` (child.ts) and by the tests.
import { buildApp, createLogger, demoKeys, openPglite, prepareDatabase } from '@bbps-kit/biller';
import { listen, type RunningServer } from '../server.ts';

export interface DemoBiller {
  server: RunningServer;
  close(): Promise<void>;
}

/** The biller's keys in demo mode, as the sandbox prints them. */
export const billerDemoKeys = demoKeys;

export async function startDemoBiller(port: number, log: (line: string) => void = () => {}): Promise<DemoBiller> {
  const db = await openPglite();
  await prepareDatabase(db, { demo: true });
  const app = buildApp({
    db,
    config: {
      kaleidofinApiKeys: [demoKeys.kaleidofinApiKey],
      ebppClientKey: demoKeys.ebppClientKey,
      ebppApiKeys: [demoKeys.ebppApiKey],
    },
    logger: createLogger(log),
  });
  let server: RunningServer;
  try {
    server = await listen(app, port);
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    server,
    async close() {
      await server.close();
      await db.close();
    },
  };
}
