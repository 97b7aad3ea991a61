// The docs portal in Debian's headless Chromium: the index and every contract page, every operation of each
// bundled YAML shown, the download link giving that YAML, and not one request leaving the machine. The
// screenshots land in test/browser/screenshots/ for a person to look at.

import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { buildApp, createLogger, demoKeys, openPglite } from '@bbps-kit/biller';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkPortal, type PortalReport, portalFiles } from './portal.ts';

const screenshotDir = fileURLToPath(new URL('./screenshots/', import.meta.url));

/** The biller, as reviewers reach it, serving the built portal at /docs (an empty in-memory ledger suffices). */
async function serveBillerDocs(portalDir: string): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const db = await openPglite();
  const config = {
    kaleidofinApiKeys: [demoKeys.kaleidofinApiKey],
    ebppClientKey: demoKeys.ebppClientKey,
    ebppApiKeys: [demoKeys.ebppApiKey],
  };
  const app = buildApp({ db, config, logger: createLogger(() => {}), portalDir });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/docs/`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}

describe('docs portal in Chromium, served by the biller at /docs', () => {
  let report: PortalReport;
  let stop: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const files = await portalFiles();
    const server = await serveBillerDocs(files.dir);
    stop = async () => {
      await server.close();
      await files.cleanup();
    };
    const started = Date.now();
    report = await checkPortal(server.baseUrl, { screenshotDir });
    const pages = report.pages.map((page) => `${page.api} ${page.shown}/${page.operations} ops ${page.ms} ms`);
    console.log(
      `portal (${files.built ? 'built for this run' : 'specs/dist, fresh'}) checked in ${Date.now() - started} ms: ${pages.join(', ')}`,
    );
  }, 180_000);

  afterAll(() => stop());

  test('every page renders every operation, offers its bundled YAML and requests nothing from outside', () => {
    expect(report.failures).toEqual([]);
    expect(report.externalRequests).toEqual([]);
    for (const page of report.pages) {
      expect(page.operations, `${page.api}: operations in the YAML`).toBeGreaterThan(0);
      expect(page.shown, `${page.api}: operations shown`).toBe(page.operations);
    }
  });
});
