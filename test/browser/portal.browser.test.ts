// The docs portal in Debian's headless Chromium: the index and every contract page, every operation of each
// bundled YAML shown, the download link giving that YAML, and not one request leaving the machine. The
// screenshots land in test/browser/screenshots/ for a person to look at.

import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkPortal, type PortalReport, portalFiles, servePortal } from './portal.ts';

const screenshotDir = fileURLToPath(new URL('./screenshots/', import.meta.url));

describe('docs portal in Chromium, served from the built files', () => {
  let report: PortalReport;
  let stop: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const files = await portalFiles();
    const server = await servePortal(files.dir);
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
