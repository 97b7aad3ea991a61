import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { docsRoutes } from '../src/docs.ts';

const built = mkdtempSync(join(tmpdir(), 'bbps-portal-'));
writeFileSync(join(built, 'index.html'), '<!doctype html><title>bbps-kit contracts</title>');
writeFileSync(join(built, 'eko-bbps.yaml'), 'openapi: 3.1.0\n');
mkdirSync(join(built, 'nested'));
const notBuilt = join(built, 'missing');
afterAll(() => rmSync(built, { recursive: true, force: true }));

describe('/docs', () => {
  const docs = docsRoutes(built);

  it('redirects /docs to /docs/ so the portal’s relative links resolve', async () => {
    const response = await docs.request('/docs');
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/docs/');
  });

  it('serves the index and the bundled YAML with their content types', async () => {
    const index = await docs.request('/docs/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toContain('bbps-kit contracts');
    const yaml = await docs.request('/docs/eko-bbps.yaml');
    expect(yaml.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(await yaml.text()).toBe('openapi: 3.1.0\n');
  });

  it('never serves a file outside the portal', async () => {
    for (const path of ['/docs/../package.json', '/docs/..%2f..%2fpackage.json', '/docs/nested', '/docs/%00']) {
      expect((await docs.request(path)).status, path).toBe(404);
    }
  });

  it('says how to build the portal when it is missing', async () => {
    const response = await docsRoutes(notBuilt).request('/docs/');
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('pnpm build');
  });
});
