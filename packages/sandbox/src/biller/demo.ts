// The biller (apps/biller) in demo mode as the Kaleidofin partner the collect simulator calls: its own app, demo
// data and demo keys (the biller's demoKeys, never restated), on an in-memory PGlite so that, like the simulators,
// a restart forgets. Used by the biller child process of `pnpm sandbox` (child.ts) and by the tests.
import { createHash } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildApp, createLogger, demoBook, demoKeys, openPglite, prepareDatabase } from '@bbps-kit/biller';
import { listen, type RunningServer } from '../server.ts';

export interface DemoBiller {
  server: RunningServer;
  close(): Promise<void>;
}

/** The biller's keys in demo mode, as the sandbox prints them. */
export const billerDemoKeys = demoKeys;

/**
 * `snapshotDir`: keep a snapshot of the prepared demo database there and start from it (PGlite's initdb is most of
 * the biller's start); the database is still in memory, so a restart forgets as before.
 */
export async function startDemoBiller(
  port: number,
  log: (line: string) => void = () => {},
  snapshotDir?: string,
): Promise<DemoBiller> {
  const db = snapshotDir ? await openFromSnapshot(snapshotDir) : (await openDemoDatabase()).db;
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

async function openDemoDatabase(loadDataDir?: Blob) {
  const db = await openPglite({ loadDataDir });
  try {
    return { db, prepared: await prepareDatabase(db, { demo: true }) };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** The snapshot's file: named by a digest of the demo data, so a changed seed never loads an old snapshot. */
export function snapshotFile(dir: string): string {
  const book = JSON.stringify(demoBook, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
  return join(dir, `demo-biller-${createHash('sha256').update(book).digest('hex').slice(0, 16)}.tar`);
}

/**
 * The demo database from the snapshot when it is still current, else built afresh and saved as the snapshot.
 * Current means it loads and needs no migration: migrations are never edited, only added, so one that still had
 * to be applied marks a snapshot older than the schema (a fresh build migrates first and seeds after).
 */
async function openFromSnapshot(dir: string) {
  const file = snapshotFile(dir);
  // A Blob over the file: PGlite reads it whole, about 0.2 s sooner than from a Blob made of the file's bytes.
  const saved = await (async () => openAsBlob(file))().catch(() => undefined); // it throws when there is none
  if (saved) {
    const loaded = await openDemoDatabase(saved).catch(() => undefined);
    if (loaded && loaded.prepared.applied.length === 0) return loaded.db;
    await loaded?.db.close();
  }
  const { db } = await openDemoDatabase();
  try {
    const dump = await db.pglite.dumpDataDir('none');
    await mkdir(dir, { recursive: true });
    // Written aside and renamed, so a sandbox starting meanwhile never reads half a snapshot.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, new Uint8Array(await dump.arrayBuffer()));
    await rename(partial, file);
  } catch {
    // No snapshot (a read-only folder, a full disk): the biller runs all the same, and builds it again next time.
  }
  return db;
}
