// The docs portal: built into a temporary folder, then checked from the outside. Operation counts are
// taken here from the bundled YAML, not from the builder. PORTAL_SPECS_DIR points the build at other specs.
//
// Run with `node --test test/` (the `test` script of @bbps-kit/specs).

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { contracts } from '../scripts/contracts.mjs';
import { resolvePortalFile } from '../scripts/portal-files.mjs';
import { everyExampleOf, securityHeaders, targetsOf } from '../scripts/postman.mjs';

const execFileAsync = promisify(execFile);
const specsRoot = fileURLToPath(new URL('..', import.meta.url));
const buildScript = join(specsRoot, 'scripts', 'build-portal.mjs');
const redoclyCli = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };

const expectedVendors = {
  'kaleidofin-partner': 'Kaleidofin',
  'kaleidofin-collect': 'Kaleidofin',
  'digiledge-agent': 'Digiledge',
  'eko-bbps': 'Eko',
  'ebpp-mpa': 'EBPP (Orbipay)',
};

// ---------------------------------------------------------------------------------------------------------
// What counts as "loads something from outside the machine" in a built page.

/** A URL that leaves the machine: an absolute one with a host (`https://…`, `//…`, `ws://…`). `data:`,
 * `blob:`, `#…` and relative paths stay local. */
const isRemote = (url) => /^\s*([a-z][a-z0-9+.-]*:)?\/\//i.test(url) && !/^\s*file:/i.test(url);

// Attributes that make the browser fetch (or submit to) their URL whatever the element, and `href`, which
// fetches on every element but a hyperlink (<link>, <base>, SVG <use>/<image>…).
const fetchingAttributes = new Set(['src', 'srcset', 'poster', 'data', 'background', 'action', 'formaction', 'ping']);
const hyperlinkElements = new Set(['a', 'area']);
// Markers of analytics and telemetry beacons, and of Redocly's CDNs for its script and logo.
const forbiddenInScripts = [
  'cdn.redoc.ly',
  'cdn.redocly.com/redoc/',
  'scarf',
  'googletagmanager',
  'google-analytics',
  'segment.io',
  'plausible.io',
  'hotjar',
  'sendBeacon(',
];

const decodeEntities = (text) =>
  text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

const tagPattern = /<([a-zA-Z][^\s/>]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const attributePattern = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const cssUrlPattern = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*?))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')/gi;

function remoteCssUrls(css) {
  return [...css.matchAll(cssUrlPattern)].map((m) => m.slice(1).find((v) => v !== undefined)).filter(isRemote);
}

/**
 * Every reference in a page that would make the browser load something from outside the machine, and
 * every remote hyperlink that the caller has not allowed. Returns human-readable findings.
 * @param {string} html
 * @param {(url: string) => boolean} hyperlinkAllowed
 */
function externalReferences(html, hyperlinkAllowed) {
  const findings = [];
  // Script bodies are checked for markers only: their strings are code, not markup.
  const scripts = [];
  const styles = [];
  const markup = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/(<script\b[^>]*>)([\s\S]*?)(<\/script\s*>)/gi, (_, open, body, close) => {
      scripts.push(body);
      return open + close;
    })
    .replace(/(<style\b[^>]*>)([\s\S]*?)(<\/style\s*>)/gi, (_, open, body, close) => {
      styles.push(body);
      return open + close;
    });

  for (const [, rawName, rawAttributes] of markup.matchAll(tagPattern)) {
    const name = rawName.toLowerCase();
    const attributes = new Map();
    for (const [, key, ...values] of rawAttributes.matchAll(attributePattern)) {
      attributes.set(key.toLowerCase(), decodeEntities(values.find((v) => v !== undefined) ?? ''));
    }
    for (const [key, value] of attributes) {
      const urls = key === 'srcset' ? value.split(',').map((part) => part.trim().split(/\s+/)[0]) : [value];
      if (fetchingAttributes.has(key) && urls.some(isRemote)) findings.push(`<${name} ${key}="${value}">`);
      if ((key === 'href' || key === 'xlink:href') && isRemote(value)) {
        if (!hyperlinkElements.has(name)) findings.push(`<${name} ${key}="${value}">`);
        else if (!hyperlinkAllowed(value)) findings.push(`hyperlink not from the API description: ${value}`);
      }
      if (key === 'style') {
        for (const url of remoteCssUrls(value)) findings.push(`<${name} style> url ${url}`);
      }
    }
    if (name === 'meta' && /refresh/i.test(attributes.get('http-equiv') ?? '')) {
      const target = (attributes.get('content') ?? '').split(/url\s*=/i)[1] ?? '';
      if (isRemote(target.replace(/^['"]/, ''))) findings.push(`<meta http-equiv="refresh"> to ${target}`);
    }
  }
  for (const css of styles) {
    for (const url of remoteCssUrls(css)) findings.push(`<style> loads ${url}`);
  }
  for (const script of scripts) {
    for (const marker of forbiddenInScripts) {
      if (script.toLowerCase().includes(marker.toLowerCase())) findings.push(`script mentions ${marker}`);
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------------

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function operationsOf(document) {
  const operations = [];
  for (const section of ['paths', 'webhooks']) {
    for (const [path, item] of Object.entries(document[section] ?? {})) {
      for (const method of HTTP_METHODS) {
        if (item?.[method] && typeof item[method] === 'object') operations.push({ path, method, ...item[method] });
      }
    }
  }
  return operations;
}

const escapeHtml = (text) =>
  String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The markup Redoc prerendered, without the inline script that also carries the whole definition. */
function prerenderedMarkup(html) {
  const start = html.indexOf('<div id="redoc">');
  const end = html.indexOf('<script type="module">', start);
  assert.ok(start >= 0 && end > start, 'page has a prerendered <div id="redoc"> followed by its script');
  return html.slice(start, end);
}

function cells(row) {
  return [...row.matchAll(/<t[hd]\b[^>]*>([\s\S]*?)<\/t[hd]>/g)].map(([, cell]) =>
    decodeEntities(cell.replace(/<span class="sr-only">[\s\S]*?<\/span>/g, '').replace(/<[^>]+>/g, '')).trim(),
  );
}

describe('external-reference check', () => {
  test('flags what loads from outside and lets local and data: URLs through', () => {
    const never = () => false;
    const bad = [
      '<script src="https://cdn.example.com/x.js"></script>',
      '<link rel="stylesheet" href="//fonts.example.com/f.css">',
      '<img alt="" src=https://cdn.redoc.ly/redoc/logo-mini.svg>',
      '<img alt="" srcset="a.png 1x, https://x.example/b.png 2x">',
      '<div style="background: url(&quot;https://x.example/bg.png&quot;)"></div>',
      '<style>@import "https://x.example/a.css";</style>',
      '<style>.a{background:url(http://x.example/i.png)}</style>',
      '<svg><use href="https://x.example/s.svg#i"></use></svg>',
      '<iframe src="https://x.example/"></iframe>',
      '<meta http-equiv="refresh" content="0; url=https://x.example/">',
      '<script>fetch("https://cdn.redoc.ly/x")</script>',
      '<script>navigator.sendBeacon("/x")</script>',
      '<a href="https://not-in-the-spec.example/">x</a>',
    ];
    for (const html of bad) assert.equal(externalReferences(html, never).length, 1, html);
    const good = [
      '<img alt="" src="data:image/svg+xml,%3Csvg%3E">',
      '<a href="eko-bbps.yaml" download>YAML</a>',
      '<a href="https://example.com/in-spec">link</a>',
      '<link rel="icon" href="favicon.ico">',
      '<script>const u = "http://www.w3.org/2000/svg";</script>',
      '<p>see https://example.com/plain-text</p>',
    ];
    for (const html of good) {
      assert.deepEqual(
        externalReferences(html, (url) => url === 'https://example.com/in-spec'),
        [],
        html,
      );
    }
  });
});

describe('docs portal', () => {
  let outDir;
  let scratch;
  /** @type {Map<string, { document: any, yamlText: string }>} */
  const bundled = new Map();

  before(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'bbps-portal-test-'));
    scratch = await mkdtemp(join(tmpdir(), 'bbps-portal-json-'));
    // The build gets no REDOCLY_TELEMETRY of ours: turning telemetry off is the builder's job.
    const { REDOCLY_TELEMETRY: _, ...buildEnv } = process.env;
    await execFileAsync(process.execPath, [buildScript, '--out', outDir], {
      env: buildEnv,
      maxBuffer: 16 * 1024 * 1024,
    });
    for (const { api } of contracts) {
      const yamlFile = join(outDir, `${api}.yaml`);
      const jsonFile = join(scratch, `${api}.json`);
      // The CLI is the only YAML parser in this package; it reads the downloadable file as it is.
      await execFileAsync(process.execPath, [redoclyCli, 'bundle', yamlFile, '--ext', 'json', '-o', jsonFile], {
        env,
        cwd: scratch,
      });
      bundled.set(api, {
        document: JSON.parse(await readFile(jsonFile, 'utf8')),
        yamlText: await readFile(yamlFile, 'utf8'),
      });
    }
  });

  after(async () => {
    await rm(outDir, { recursive: true, force: true });
    await rm(scratch, { recursive: true, force: true });
  });

  test('the index lists the five contracts in order with their facts and operation counts', async () => {
    const index = await readFile(join(outDir, 'index.html'), 'utf8');
    assert.match(index, /<title>bbps-kit contracts<\/title>/);
    assert.match(index, /<html lang="en">/);
    const rows = [...index.matchAll(/<tr id="([^"]+)">([\s\S]*?)<\/tr>/g)];
    assert.deepEqual(
      rows.map(([, id]) => id),
      contracts.map(({ api }) => api),
    );
    for (const [, api, row] of rows) {
      const { document } = bundled.get(api);
      const contract = contracts.find((c) => c.api === api);
      const [name, vendor, title, version, implementedBy, calledBy, operations] = cells(row);
      assert.equal(name, api);
      assert.equal(vendor, expectedVendors[api]);
      assert.equal(title, document.info.title);
      assert.equal(version, document.info.version);
      assert.equal(implementedBy, contract.implementedBy);
      assert.equal(calledBy, contract.calledBy);
      const count = operationsOf(document).length;
      assert.ok(count > 0, `${api} has operations`);
      assert.equal(Number(operations), count, `${api} operation count`);
      assert.match(row, new RegExp(`href="${api}\\.html"`));
      assert.match(row, new RegExp(`href="${api}\\.yaml"`));
    }
  });

  test('every link of the index points at a file that was built', async () => {
    const index = await readFile(join(outDir, 'index.html'), 'utf8');
    const hrefs = [...index.matchAll(/href="([^"]*)"/g)].map(([, href]) => decodeEntities(href));
    assert.ok(hrefs.length >= contracts.length * 2);
    for (const href of hrefs) {
      assert.ok(!isRemote(href), `index links only inside the portal: ${href}`);
      assert.ok(existsSync(join(outDir, href)), `${href} exists`);
    }
  });

  test('each contract row links its Postman collection and an environment per local target', async () => {
    const index = await readFile(join(outDir, 'index.html'), 'utf8');
    for (const { api } of contracts) {
      const row = new RegExp(`<tr id="${api}">([\\s\\S]*?)</tr>`).exec(index)?.[1] ?? '';
      assert.match(row, new RegExp(`href="postman/${api}\\.postman_collection\\.json"`));
      const targets = [...row.matchAll(/href="postman\/[^.]+\.([a-z]+)\.postman_environment\.json"/g)].map(
        ([, t]) => t,
      );
      assert.deepEqual(targets, targetsOf(api));
      const collection = JSON.parse(await readFile(join(outDir, 'postman', `${api}.postman_collection.json`), 'utf8'));
      const { document } = bundled.get(api);
      const requests = collection.item.flatMap((folder) => folder.item);
      // One request per operation, one per body example for those that get each (EBPP's postings).
      const expected = operationsOf(document).reduce((sum, operation) => {
        const examples = Object.keys(operation.requestBody?.content?.['application/json']?.examples ?? {}).length;
        return sum + ((everyExampleOf[api] ?? []).includes(operation.operationId) ? examples : 1);
      }, 0);
      assert.equal(requests.length, expected, `${api}: one request per operation (per example for some)`);
      // Every header of the security requirement on every request (the converter alone keeps only the first).
      for (const request of requests) {
        const keys = request.request.header.map((h) => h.key);
        for (const name of securityHeaders(document)) assert.ok(keys.includes(name), `${api} ${request.name}: ${name}`);
      }
      assert.equal(collection.auth, undefined);
    }
  });

  test('the index links the facts page, built from FACTS.md, and every contract citing it links there', async () => {
    const index = await readFile(join(outDir, 'index.html'), 'utf8');
    assert.match(index, /<a href="facts\.html"[^>]*>bbps-kit facts page<\/a>/);
    const facts = await readFile(join(outDir, 'facts.html'), 'utf8');
    const markdown = await readFile(join(specsRoot, 'FACTS.md'), 'utf8');
    assert.match(facts, /<html lang="en">/);
    assert.match(facts, /<title>bbps-kit facts page<\/title>/);
    assert.match(facts, /<h1[^>]*>bbps-kit facts page<\/h1>/);
    assert.match(facts, /<a href="index\.html">/);
    const headings = [...markdown.matchAll(/^## (.+)$/gm)].map(([, heading]) => heading);
    assert.ok(headings.length > 0, 'FACTS.md has sections');
    for (const heading of headings) {
      assert.ok(facts.includes(`>${escapeHtml(heading)}</h2>`), `facts.html has "${heading}"`);
    }
    assert.ok(facts.includes('<table>'), 'markdown tables are rendered');
    for (const { api } of contracts) {
      const { yamlText } = bundled.get(api);
      if (yamlText.includes('FACTS.md')) assert.ok(yamlText.includes('](facts.html)'), `${api} links facts.html`);
    }
  });

  test('no page loads anything from outside the machine', async () => {
    const factsText = await readFile(join(specsRoot, 'FACTS.md'), 'utf8');
    for (const page of ['index', 'facts', ...contracts.map(({ api }) => api)]) {
      const html = await readFile(join(outDir, `${page}.html`), 'utf8');
      const specText = page === 'facts' ? factsText : (bundled.get(page)?.yamlText ?? '');
      // A hyperlink written in the API description is the author's; Redoc's own sidebar credit links out too.
      const allowed = (url) => specText.includes(url) || url === 'https://redocly.com/redoc/';
      assert.deepEqual(externalReferences(html, allowed), [], `${page}.html`);
    }
  });

  test('each page embeds its bundled spec, prerenders it, offers its YAML and turns telemetry off', async () => {
    const key = (operation) => `${operation.method} ${operation.path} ${operation.operationId} ${operation.summary}`;
    for (const { api } of contracts) {
      const html = await readFile(join(outDir, `${api}.html`), 'utf8');
      const { document } = bundled.get(api);
      const embedded = JSON.parse(html.match(/const __redoc_definition = (\{.*\});\n/)?.[1] ?? 'null');
      assert.ok(embedded, `${api}.html embeds its definition`);
      assert.deepEqual(operationsOf(embedded).map(key), operationsOf(document).map(key), `${api}.html operations`);
      for (const operation of operationsOf(document)) {
        assert.ok(operation.summary || operation.operationId, `${api} ${operation.method} ${operation.path} is named`);
      }
      // Redoc 3 prerenders the overview and the menu; operations render per tag page, checked in Chromium below.
      const markup = prerenderedMarkup(html);
      assert.ok(markup.includes(escapeHtml(document.info.title).replace(/'/g, '&#x27;')), `${api}.html title`);
      const options = JSON.parse(html.match(/const __redoc_options = (\{.*\});\n/)?.[1] ?? 'null');
      assert.ok(options, `${api}.html passes options to Redoc`);
      assert.equal(options.disableTelemetry, true);
      assert.deepEqual(
        options.downloadUrls.map(({ url }) => url),
        [`${api}.yaml`],
      );
      assert.match(html, /<script type="module">/);
      assert.doesNotMatch(html, /<script[^>]+\bsrc=/);
    }
  });

  test('resolvePortalFile serves built files with their types and nothing outside the folder', () => {
    assert.deepEqual(resolvePortalFile(outDir, '/'), {
      path: join(outDir, 'index.html'),
      contentType: 'text/html; charset=utf-8',
    });
    assert.equal(
      resolvePortalFile(outDir, '/eko-bbps.yaml?download=1')?.contentType,
      'application/yaml; charset=utf-8',
    );
    assert.equal(resolvePortalFile(outDir, '/ebpp-mpa.html')?.path, join(outDir, 'ebpp-mpa.html'));
    for (const path of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/..%2f..%2fetc/passwd',
      '/a%00.html',
      '/%E0%A4%A',
      '/missing.html',
      'eko-bbps.yaml',
      '/..\\x.html',
    ]) {
      assert.equal(resolvePortalFile(outDir, path), null, path);
    }
  });

  // A browser proves what static checks cannot: that the hydrated page, script and all, works from file://
  // and asks the network for nothing. Chromium's network log records every request, workers' included;
  // those the browser makes for itself (updates, accounts) carry no page origin and are left out.
  const chromium = [
    process.env.CHROMIUM,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ].find((path) => path && existsSync(path));
  test('in Chromium, from file://, every page renders all its operations and requests nothing over the network', {
    skip: !chromium && 'no Chromium installed (apt-get install chromium)',
    timeout: 300_000,
  }, async () => {
    const browser = await launchChromium(chromium);
    let requests;
    try {
      await browser.open(pathToFileURL(join(outDir, 'index.html')).href);
      assert.equal(await browser.evaluate('document.querySelectorAll("tbody tr").length'), contracts.length);
      for (const { api } of contracts) {
        await browser.open(pathToFileURL(join(outDir, `${api}.html`)).href);
        // The credit logo renders only on the client, so its presence means Redoc has hydrated.
        await browser.waitFor('document.querySelector(\'img[alt="redocly logo"]\')?.getAttribute("src")');
        assert.match(await browser.evaluate('document.querySelector(\'img[alt="redocly logo"]\').src'), /^data:/);
        assert.ok(
          await browser.evaluate(`!!document.querySelector('a[href="${api}.yaml"][download]')`),
          `${api}.html has a download link to ${api}.yaml`,
        );
        // Redoc 3 shows one tag per page (hash routes, rendered lazily): visit each page the menu links to,
        // but the overview's own sections, until every operation has been seen.
        const missing = new Set(operationsOf(bundled.get(api).document).map((op) => op.summary ?? op.operationId));
        const see = async () => {
          const text = await browser.evaluate('document.body.innerText');
          for (const name of missing) if (text.includes(name)) missing.delete(name);
        };
        await see();
        const routes = await browser.evaluate(
          '[...new Set([...document.querySelectorAll("#redoc a[href^=\'/\']")].map((a) => a.getAttribute("href")))]',
        );
        for (const route of routes.filter((route) => route !== '/' && !route.startsWith('/section/'))) {
          if (missing.size === 0) break;
          await browser.evaluate(`location.hash = ${JSON.stringify(`#${route}`)}`);
          // Wait for this page's first new operation, then until nothing new has shown for a second.
          let lastNew;
          for (const start = Date.now(); Date.now() - start < 8_000 && missing.size > 0; ) {
            if (lastNew && Date.now() - lastNew >= 1_000) break;
            await new Promise((done) => setTimeout(done, 100));
            const before = missing.size;
            await see();
            if (missing.size < before) lastNew = Date.now();
          }
        }
        assert.deepEqual([...missing], [], `${api}.html renders every operation`);
      }
    } finally {
      requests = await browser.close();
    }
    assert.deepEqual(requests, [], 'pages made network requests');
  });
});

/** Headless Chromium driven over the DevTools protocol (Node's own WebSocket), logging the network. */
async function launchChromium(executable) {
  const profile = await mkdtemp(join(tmpdir(), 'bbps-portal-chromium-'));
  const netLog = join(profile, 'netlog.json');
  const child = spawn(
    executable,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      `--log-net-log=${netLog}`,
      '--remote-debugging-port=0',
      'about:blank',
    ],
    // Its own process group, so that the browser's helpers go with it.
    { stdio: 'ignore', detached: true },
  );
  const exited = new Promise((done) => child.once('exit', done));
  const kill = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  };
  let socket;
  try {
    // Chromium writes its port to this file once it listens; the file may show up before the port is in it.
    const portFile = join(profile, 'DevToolsActivePort');
    let port;
    for (let i = 0; i < 300 && !port; i++) {
      await new Promise((done) => setTimeout(done, 50));
      port = existsSync(portFile) && /^\d+$/m.exec(await readFile(portFile, 'utf8'))?.[0];
    }
    if (!port) throw new Error(`${executable} did not open its DevTools port`);
    const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    socket = new WebSocket(targets.find((target) => target.type === 'page').webSocketDebuggerUrl);
    await new Promise((done, fail) => {
      socket.addEventListener('open', done, { once: true });
      socket.addEventListener('error', () => fail(new Error('DevTools WebSocket failed')), { once: true });
    });
  } catch (error) {
    kill();
    await exited;
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  let lastId = 0;
  const pending = new Map();
  socket.addEventListener('message', ({ data }) => {
    const message = JSON.parse(data);
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  });
  const send = (method, params = {}) =>
    new Promise((done, fail) => {
      const id = ++lastId;
      // A browser that stops answering fails the test instead of hanging it.
      const timer = setTimeout(() => {
        pending.delete(id);
        fail(new Error(`${method}: no answer from Chromium in 20 s`));
      }, 20_000);
      pending.set(id, (message) => {
        clearTimeout(timer);
        if (message.error) fail(new Error(`${method}: ${message.error.message}`));
        else done(message.result);
      });
      socket.send(JSON.stringify({ id, method, params }));
    });
  const evaluate = async (expression) => {
    const { result, exceptionDetails } = await send('Runtime.evaluate', { expression, returnByValue: true });
    if (exceptionDetails) throw new Error(`${expression}: ${exceptionDetails.exception?.description}`);
    return result.value;
  };
  return {
    evaluate,
    async waitFor(expression, timeoutMs = 15_000) {
      for (const start = Date.now(); Date.now() - start < timeoutMs; ) {
        if (await evaluate(expression)) return;
        await new Promise((done) => setTimeout(done, 100));
      }
      throw new Error(`timed out waiting for ${expression}`);
    },
    async open(url) {
      await send('Page.navigate', { url });
      await this.waitFor('document.readyState === "complete"');
    },
    /** Closes Chromium and returns the URLs that pages asked the network for. */
    async close() {
      const killer = setTimeout(kill, 10_000);
      await send('Browser.close').catch(kill);
      await exited;
      clearTimeout(killer);
      socket.close();
      const log = JSON.parse(await readFile(netLog, 'utf8'));
      await rm(profile, { recursive: true, force: true });
      const startJob = log.constants.logEventTypes.URL_REQUEST_START_JOB;
      return log.events
        .filter(({ type, params }) => type === startJob && params?.url)
        .filter(
          ({ params }) => params.initiator !== 'not an origin' || /file:/.test(params.network_isolation_key ?? ''),
        )
        .map(({ params }) => params.url);
    },
  };
}
