// The demo biller started from a database snapshot (what `pnpm sandbox`'s biller child does): built and saved on
// the first start, loaded on the next, rebuilt when it cannot be loaded; the data is the demo book either way.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { billerDemoKeys, snapshotFile, startDemoBiller } from '../src/biller/demo.ts';

const dir = await mkdtemp(join(tmpdir(), 'sandbox-snapshot-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Starts the biller on the snapshot folder; the profiles its EBPP lookup of the demo loan finds. */
async function profilesOnDemoLoan(): Promise<string[]> {
  const biller = await startDemoBiller(0, undefined, dir);
  try {
    const answer = await fetch(`${biller.server.url}/mpacustomers`, {
      method: 'POST',
      headers: { 'client-key': billerDemoKeys.ebppClientKey, 'api-key': billerDemoKeys.ebppApiKey },
      body: new URLSearchParams({ account_number: 'LN-AY1234' }),
    });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { customers: { customer_reference: string }[] };
    return body.customers.map((c) => c.customer_reference);
  } finally {
    await biller.close();
  }
}

it('saves the prepared demo database, starts from it, and rebuilds one that does not load', async () => {
  const file = snapshotFile(dir);
  expect(await profilesOnDemoLoan()).toEqual(['AY1234', 'AY1235']);
  const saved = await readFile(file);
  expect(saved.length).toBeGreaterThan(1_000_000);
  // Loaded, not rebuilt: the file is left as it was.
  const { mtimeMs } = await stat(file);
  expect(await profilesOnDemoLoan()).toEqual(['AY1234', 'AY1235']);
  expect((await stat(file)).mtimeMs).toBe(mtimeMs);
  // A torn snapshot is replaced by a fresh one.
  await writeFile(file, saved.subarray(0, 4096));
  expect(await profilesOnDemoLoan()).toEqual(['AY1234', 'AY1235']);
  expect((await stat(file)).size).toBe(saved.length);
}, 120_000);
