// The docs portal as a reader sees it: a real headless Chromium opens the index and every contract page, and
// checkPortal() reports what is missing or wrong. The base URL is a parameter, so the same check runs against
// the portal served by specs/scripts/portal-files.mjs here and, later, against the biller's /docs.

import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { contracts } from '@bbps-kit/specs/contracts';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

const execFileAsync = promisify(execFile);
const require = createRequire(import.meta.url);
export const specsRoot = dirname(require.resolve('@bbps-kit/specs/package.json'));

export const CHROMIUM = '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

// ---------------------------------------------------------------------------------------------------------
// The portal's files: specs/dist when it is newer than everything it is built from, else a fresh build.

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** specs/dist, if every file the portal serves is there and newer than its inputs; else null. */
function freshDist(): string | null {
  const dist = join(specsRoot, 'dist');
  const outputs = ['index.html', ...contracts.flatMap((c) => [`${c.api}.html`, `${c.api}.yaml`])].map((name) =>
    join(dist, name),
  );
  if (!outputs.every((file) => existsSync(file))) return null;
  const inputs = [
    ...contracts.map((c) => join(specsRoot, c.api)),
    join(specsRoot, 'redocly.yaml'),
    join(specsRoot, 'package.json'),
    join(specsRoot, 'scripts', 'build-portal.mjs'),
    join(specsRoot, 'scripts', 'contracts.mjs'),
  ];
  const oldestOutput = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  return Math.max(...inputs.map(newestMtime)) <= oldestOutput ? dist : null;
}

/** A folder holding the built portal, and how to clean it up. Builds with the builder's own command line
 * (into a temporary folder, never over someone's specs/dist) unless specs/dist is fresh. */
export async function portalFiles(): Promise<{ dir: string; built: boolean; cleanup: () => Promise<void> }> {
  const fresh = process.env.PORTAL_REBUILD ? null : freshDist();
  if (fresh) return { dir: fresh, built: false, cleanup: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), 'bbps-portal-e2e-'));
  await execFileAsync(process.execPath, [join(specsRoot, 'scripts', 'build-portal.mjs'), '--out', dir], {
    cwd: specsRoot,
    maxBuffer: 16 * 1024 * 1024,
  });
  return { dir, built: true, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

// ---------------------------------------------------------------------------------------------------------
// The bundled YAML, read with the YAML parser of the Redocly build that wrote it.

type Operation = { method: string; path: string; operationId: string; summary: string; tag: string };

let parseYaml: ((text: string) => unknown) | undefined;
async function yaml(text: string): Promise<unknown> {
  if (!parseYaml) {
    const fromSpecs = createRequire(require.resolve('@bbps-kit/specs/package.json'));
    const fromCli = createRequire(fromSpecs.resolve('@redocly/cli/package.json'));
    const core = await import(pathToFileURL(fromCli.resolve('@redocly/openapi-core')).href);
    parseYaml = core.parseYaml;
  }
  return (parseYaml as (text: string) => unknown)(text);
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every operation of a bundled document (paths and webhooks; a path item may be a local $ref). */
export function operationsOf(document: unknown): Operation[] {
  const doc = document as Record<string, Record<string, Record<string, unknown>> | undefined>;
  const operations: Operation[] = [];
  for (const section of ['paths', 'webhooks'] as const) {
    for (const [path, rawItem] of Object.entries(doc[section] ?? {})) {
      let item = rawItem as Record<string, unknown>;
      const ref = item.$ref;
      if (typeof ref === 'string' && ref.startsWith('#/')) {
        item = ref
          .slice(2)
          .split('/')
          .reduce<Record<string, unknown>>(
            (node, key) => node[key.replace(/~1/g, '/').replace(/~0/g, '~')] as never,
            doc,
          );
      }
      for (const method of HTTP_METHODS) {
        const operation = item[method] as { operationId?: string; summary?: string; tags?: string[] } | undefined;
        if (!operation || typeof operation !== 'object') continue;
        operations.push({
          method,
          path,
          operationId: operation.operationId ?? '',
          summary: operation.summary ?? '',
          tag: operation.tags?.[0] ?? '',
        });
      }
    }
  }
  return operations;
}

// ---------------------------------------------------------------------------------------------------------
// The browser.

export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} not found: the portal test needs Debian's Chromium. Install it with \`apt-get install -y chromium\` (as root, after \`apt-get update\`); CI installs it in .ci/run.`,
    );
  }
  const userDataDir = await mkdtemp(join(tmpdir(), 'bbps-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:']);

/** A request that would leave the machine: any scheme but data:/blob:/about:, to a host not on loopback. */
export function isExternal(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return true;
  }
  if (LOCAL_SCHEMES.has(parsed.protocol)) return false;
  return !LOCAL_HOSTS.has(parsed.hostname);
}

export type PortalReport = {
  failures: string[];
  externalRequests: string[];
  pages: { api: string; url: string; operations: number; shown: number; screenshot: string; ms: number }[];
};

/** Waits until Redoc has rendered a section showing every one of `texts`: sections render lazily, on
 * navigation or when scrolled into view, and re-render on the way, so the node is looked up afresh on every
 * poll. Returns the section's visible text, or null when it never showed them all. */
async function renderedSection(page: Page, sectionId: string, texts: string[] = []): Promise<string | null> {
  const read = () =>
    page.evaluate(
      ({ id, wanted }) => {
        const nodes = document.querySelectorAll(`[data-section-id="${CSS.escape(id)}"]`);
        const node = nodes[nodes.length - 1] as HTMLElement | undefined;
        node?.scrollIntoView();
        // biome-ignore lint/performance/useDomNodeTextContent: "shown" means rendered and visible, not in the DOM.
        const text = node?.innerText.trim() ?? '';
        return { text, done: text.length > 0 && wanted.every((want) => text.includes(want)) };
      },
      { id: sectionId, wanted: texts },
    );
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { text, done } = await read();
    if (done) return text;
    if (Date.now() > deadline) return null;
    await page.waitForTimeout(100);
  }
}

async function checkContractPage(
  page: Page,
  baseUrl: string,
  api: string,
  screenshotDir: string,
  failures: string[],
): Promise<PortalReport['pages'][number]> {
  const pageUrl = new URL(`${api}.html`, baseUrl).href;
  const yamlUrl = new URL(`${api}.yaml`, baseUrl).href;
  const fail = (message: string) => failures.push(`${api}: ${message}`);
  const started = Date.now();

  // The bundled YAML, as offered for download: it must be served, and it says which operations to look for.
  const yamlResponse = await fetch(yamlUrl);
  const yamlText = await yamlResponse.text();
  if (!yamlResponse.ok) fail(`${yamlUrl} answered ${yamlResponse.status}`);
  const operations = yamlResponse.ok ? operationsOf(await yaml(yamlText)) : [];
  if (yamlResponse.ok && operations.length === 0) fail(`${yamlUrl} has no operations`);

  const response = await page.goto(pageUrl, { waitUntil: 'load' });
  if (!response?.ok()) fail(`${pageUrl} answered ${response?.status()}`);
  await page.locator('[data-component-name="Menu/Menu"]').waitFor({ timeout: 15_000 });
  const screenshot = join(screenshotDir, `${api}.png`);
  await page.screenshot({ path: screenshot });

  // Download links: every one must point at the bundled YAML next to the page, and the download must be it.
  const downloadLinks = await page.$$eval('a[download]', (links) =>
    links.map((link) => (link as HTMLAnchorElement).href),
  );
  if (downloadLinks.length === 0) fail('no download link');
  for (const href of downloadLinks) if (href !== yamlUrl) fail(`download link points at ${href}, not ${yamlUrl}`);
  if (downloadLinks.length > 0) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[download]').first().click()]);
    const saved = await download.path();
    const downloaded = saved ? await readFile(saved, 'utf8') : '';
    if (download.url() !== yamlUrl) fail(`the download came from ${download.url()}`);
    if (downloaded !== yamlText) fail(`the downloaded YAML (${downloaded.length} bytes) differs from ${yamlUrl}`);
  }

  // Operations. Redoc 3 groups operations under their first tag: the sidebar has one entry per tag
  // (href `/<tag-slug>`), the tag's section lists its operations as links `#/<tag-slug>/<operationid>` (the
  // operationId, lowercased) with the method and path as text, and each operation renders in its own section
  // `data-section-id="/<tag-slug>/<operationid>"` headed by its summary.
  const groups = await page.$$eval('[data-component-name="Menu/MenuItem"] > a', (links) =>
    links.map((link) => ({ text: (link.textContent ?? '').trim(), href: link.getAttribute('href') ?? '' })),
  );
  let shown = 0;
  for (const operation of operations) {
    const label = `${operation.method.toUpperCase()} ${operation.path} (${operation.operationId})`;
    const group = groups.find((entry) => entry.text === operation.tag);
    if (!group) {
      fail(`${label}: no sidebar entry for its tag "${operation.tag}"`);
      continue;
    }
    await page.evaluate((hash) => {
      location.hash = hash;
    }, group.href);
    if ((await renderedSection(page, group.href, [operation.path])) === null) {
      fail(`${label}: the "${operation.tag}" section never listed it`);
      continue;
    }
    const links = await page
      .locator(`[data-section-id="${group.href}"]`)
      .last()
      .locator('a[href^="#/"]')
      .evaluateAll((anchors) =>
        anchors.map((anchor) => ({
          href: anchor.getAttribute('href') ?? '',
          text: (anchor.textContent ?? '').replace(/\s+/g, ''),
        })),
      );
    const link = links.find(
      (candidate) =>
        candidate.href.endsWith(`/${operation.operationId.toLowerCase()}`) &&
        candidate.text.toLowerCase() === `${operation.method}${operation.path}`.toLowerCase(),
    );
    if (!link) {
      fail(`${label}: no link to it in the "${operation.tag}" section (links: ${JSON.stringify(links)})`);
      continue;
    }
    await page.evaluate((hash) => {
      location.hash = hash;
    }, link.href);
    const sectionId = link.href.slice(1);
    const text = await renderedSection(page, sectionId, [operation.summary, operation.path]);
    if (text === null) {
      fail(`${label}: its section ${sectionId} never showed its summary "${operation.summary}" and path`);
      continue;
    }
    const heading = (
      await page.locator(`[data-section-id="${sectionId}"]`).last().locator('h1, h2').first().textContent()
    )?.trim();
    if (heading !== operation.summary) {
      fail(`${label}: heading "${heading}", expected the summary "${operation.summary}"`);
      continue;
    }
    shown += 1;
    // One operation per page is enough to see that its request and response panels render.
    if (shown === 1) await page.screenshot({ path: join(screenshotDir, `${api}-operation.png`) });
  }
  return { api, url: pageUrl, operations: operations.length, shown, screenshot, ms: Date.now() - started };
}

/**
 * Opens `<baseUrl>` (the index) and `<baseUrl><api>.html` for every contract in Chromium and checks that the
 * index links every page and YAML, that every operation of each bundled YAML is shown on its page, that each
 * page's download link is the local bundled YAML and downloads, and that nothing is requested from outside
 * the machine. Saves a screenshot of every page into screenshotDir.
 */
export async function checkPortal(
  baseUrl: string,
  { screenshotDir, apis = contracts.map((c) => c.api) }: { screenshotDir: string; apis?: string[] },
): Promise<PortalReport> {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  await mkdir(screenshotDir, { recursive: true });
  const failures: string[] = [];
  const externalRequests = new Set<string>();
  const pages: PortalReport['pages'] = [];
  const browser = await launchChromium();
  try {
    browser.context.on('request', (request) => {
      if (isExternal(request.url())) externalRequests.add(request.url());
    });
    // Recorded above, then stopped here: the check must never itself send traffic off the machine.
    await browser.context.route(
      (url) => isExternal(url.href),
      (route) => route.abort('blockedbyclient'),
    );
    const page = await browser.context.newPage();
    page.on('pageerror', (error) => failures.push(`${page.url()}: script error: ${error.message}`));

    const index = await page.goto(base, { waitUntil: 'load' });
    if (!index?.ok()) failures.push(`index ${base} answered ${index?.status()}`);
    await page.screenshot({ path: join(screenshotDir, 'index.png'), fullPage: true });
    const indexLinks = await page.$$eval('a[href]', (links) => links.map((link) => (link as HTMLAnchorElement).href));
    for (const api of apis) {
      for (const file of [`${api}.html`, `${api}.yaml`]) {
        const expected = new URL(file, base).href;
        if (!indexLinks.includes(expected)) failures.push(`index: no link to ${expected}`);
      }
    }

    for (const api of apis) {
      pages.push(await checkContractPage(page, base, api, screenshotDir, failures));
    }
  } finally {
    await browser.close();
  }
  if (externalRequests.size > 0) {
    failures.push(`requests to outside the machine:\n  ${[...externalRequests].join('\n  ')}`);
  }
  return { failures, externalRequests: [...externalRequests], pages };
}
