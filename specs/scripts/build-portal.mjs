// Builds the docs portal: for each contract a bundled YAML and an offline Redoc page, the facts page
// (FACTS.md, which the contracts cite, as facts.html) and an index linking them all, and the packages' TypeDoc API
// references already built into the same folder (reference/<package>/; `pnpm build` builds them first).
//
//   node scripts/build-portal.mjs [--out <dir>] [--specs <dir>]
//
// --out (or PORTAL_OUT_DIR) defaults to specs/dist; --specs (or PORTAL_SPECS_DIR), the folder holding
// <api>/openapi.yaml and FACTS.md, defaults to specs/ and exists so the builder can be tried on throwaway specs.
// Lint rules stay in redocly.yaml, which is always the config used.

import { execFile } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { marked } from 'marked';
import { contracts } from './contracts.mjs';
import { writePostman } from './postman.mjs';

const execFileAsync = promisify(execFile);
const specsRoot = fileURLToPath(new URL('..', import.meta.url));
const configPath = join(specsRoot, 'redocly.yaml');
const redoclyCli = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');

// Redoc 3.0.1 (CLI 2.77) renders "API docs by <logo>" in the sidebar and loads the logo from Redocly's CDN;
// no option turns that off. The page gets the same attribution as an inline SVG instead, so it loads
// nothing from outside the machine. The build fails if a Redoc upgrade changes these URLs.
const cdnLogos = {
  'https://cdn.redoc.ly/redoc/logo-mini-full.svg': svgDataUrl(
    '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="16" viewBox="0 0 60 16"><text x="0" y="12.5" font-family="system-ui,sans-serif" font-size="13" font-weight="600" fill="#6b6b6b">Redoc</text></svg>',
  ),
  'https://cdn.redoc.ly/redoc/logo-mini.svg': svgDataUrl(
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><text x="2" y="12.5" font-family="system-ui,sans-serif" font-size="13" font-weight="600" fill="#6b6b6b">R</text></svg>',
  ),
};

function svgDataUrl(svg) {
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** Options for Redoc on one contract's page. build-docs' --openapi replaces the `openapi:` section of
 * redocly.yaml instead of merging with it, so the portal's Redoc options all live here. */
function redocOptions(contract) {
  return {
    // The download button offers the bundled YAML that sits next to the page.
    downloadUrls: [{ title: 'Download OpenAPI (YAML)', url: `${contract.api}.yaml` }],
    // Ignored by CLI 2.77 (it overwrites it from REDOCLY_TELEMETRY, set below); kept for other renderers.
    disableTelemetry: true,
  };
}

// CLI 2.77 decides both its own usage telemetry and the page's reader telemetry from REDOCLY_TELEMETRY
// (or a top-level `telemetry: off` in redocly.yaml); `openapi.disableTelemetry` is not read.
const cliEnv = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };

async function redocly(args) {
  try {
    return await execFileAsync(process.execPath, [redoclyCli, ...args, '--config', configPath], {
      cwd: specsRoot,
      env: cliEnv,
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    throw new Error(`redocly ${args.join(' ')} failed:\n${error.stderr || ''}${error.stdout || ''}`);
  }
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Number of operations in a bundled OpenAPI document: one per HTTP method of each path item (webhooks
 * included, as Redoc lists them). Path-level parameters and summaries are not operations. */
export function countOperations(document) {
  let count = 0;
  for (const section of ['paths', 'webhooks']) {
    for (const item of Object.values(document?.[section] ?? {})) {
      count += HTTP_METHODS.filter((method) => item?.[method] && typeof item[method] === 'object').length;
    }
  }
  return count;
}

async function refuseOpenapiSection() {
  // Because --openapi replaces it (see redocOptions), an `openapi:` section in redocly.yaml would be
  // silently ignored by the portal: refuse it rather than let someone wonder why an option does nothing.
  const config = await readFile(configPath, 'utf8');
  if (/^openapi\s*:/m.test(config)) {
    throw new Error(
      `${configPath} has an "openapi:" section; build-docs --openapi replaces it, so the portal would ignore it. ` +
        'Put Redoc options in redocOptions() in scripts/build-portal.mjs instead.',
    );
  }
}

function escapeHtml(value) {
  return String(value).replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char],
  );
}

async function buildContract(contract, specsDir, outDir, scratchDir) {
  const source = join(specsDir, contract.api, 'openapi.yaml');
  const yamlFile = join(outDir, `${contract.api}.yaml`);
  const htmlFile = join(outDir, `${contract.api}.html`);
  const jsonFile = join(scratchDir, `${contract.api}.json`);

  await redocly(['bundle', source, '--output', yamlFile]);
  // Read the bundled YAML back through the same CLI as JSON: node has no YAML parser, and this counts
  // exactly what is offered for download.
  await redocly(['bundle', yamlFile, '--ext', 'json', '--output', jsonFile]);
  const document = JSON.parse(await readFile(jsonFile, 'utf8'));

  await redocly([
    'build-docs',
    yamlFile,
    '--inlineBundle',
    '--output',
    htmlFile,
    '--openapi',
    JSON.stringify(redocOptions(contract)),
  ]);
  let html = await readFile(htmlFile, 'utf8');
  for (const [cdnUrl, localUrl] of Object.entries(cdnLogos)) {
    if (!html.includes(cdnUrl)) {
      throw new Error(`${htmlFile}: Redoc no longer references ${cdnUrl}; re-check how it loads its logo.`);
    }
    html = html.replaceAll(cdnUrl, localUrl);
  }
  for (const forbidden of ['cdn.redoc.ly', 'cdn.redocly.com/redoc/', '"disableTelemetry":false']) {
    if (html.includes(forbidden)) throw new Error(`${htmlFile} still contains ${forbidden}`);
  }
  await writeFile(htmlFile, html);
  const postman = await writePostman(document, contract.api, outDir);

  return {
    ...contract,
    postman,
    title: document.info?.title ?? contract.api,
    version: document.info?.version ?? '',
    operations: countOperations(document),
    html: `${contract.api}.html`,
    yaml: `${contract.api}.yaml`,
  };
}

const pageStyle = `  <style>
    :root { color-scheme: light dark; --fg: #1b1b1b; --muted: #555; --bg: #fff; --line: #d0d0d0; --head: #f3f4f6; --link: #0645ad; }
    @media (prefers-color-scheme: dark) {
      :root { --fg: #eaeaea; --muted: #b5b5b5; --bg: #121212; --line: #3a3a3a; --head: #1e1e1e; --link: #8ab4f8; }
    }
    body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
    main { max-width: 75rem; margin: 0 auto; padding: 2rem 1rem; }
    h1 { font-size: 1.75rem; margin: 0 0 .5rem; }
    p { color: var(--muted); margin: 0 0 1.5rem; }
    .table-wrap { overflow-x: auto; }
    table { border-collapse: collapse; width: 100%; }
    caption { text-align: left; font-weight: 600; padding-bottom: .5rem; }
    th, td { border-bottom: 1px solid var(--line); padding: .6rem .75rem; text-align: left; vertical-align: top; }
    thead th { background: var(--head); white-space: nowrap; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; }
    a { color: var(--link); }
    a:focus-visible { outline: 3px solid var(--link); outline-offset: 2px; }
    th code { white-space: nowrap; }
    code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .95em; }
    .sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
    .prose { max-width: 60rem; }
    .prose p, .prose li { color: var(--fg); }
    .prose h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; }
    .prose ul { padding-left: 1.25rem; }
    .prose table { margin: 0 0 1.5rem; }
    .prose code { overflow-wrap: anywhere; }
  </style>
`;

/** The facts page the contracts cite as "the bbps-kit facts page (FACTS.md)"; their descriptions link to it
 * as facts.html. The markdown is this repository's own (specs/FACTS.md), so marked's output is used unsanitised. */
export function renderFacts(markdown) {
  const title = /^#\s+(.+)$/m.exec(markdown)?.[1]?.trim() ?? 'bbps-kit facts page';
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
${pageStyle}</head>
<body>
  <main class="prose">
    <p><a href="index.html">All contracts</a></p>
${marked.parse(markdown, { gfm: true, async: false })}  </main>
</body>
</html>
`;
}

/** The TypeDoc API references already built into the portal folder (`reference/<package>/index.html`, written by
 * `pnpm --filter @bbps-kit/<package> run reference`; `pnpm build` runs those before this build). */
export function builtReferences(outDir) {
  const dir = join(outDir, 'reference');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'index.html')))
    .map((entry) => ({ name: `@bbps-kit/${entry.name}`, href: `reference/${entry.name}/index.html` }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function renderReferences(references) {
  if (references.length === 0) return '';
  const items = references
    .map((r) => `      <li><a href="${escapeHtml(r.href)}"><code>${escapeHtml(r.name)}</code></a></li>`)
    .join('\n');
  return `    <h2 id="api-reference">Package API reference</h2>
    <p>The TypeScript API of the published packages (TypeDoc), for backend teams calling the contracts from code.</p>
    <ul>
${items}
    </ul>
`;
}

/** The Postman cell of a contract's row: its collection, then an environment per place it runs locally. */
function renderPostman(entry) {
  if (!entry.postman) return '          <td></td>';
  const link = (href, text) =>
    `<a href="${escapeHtml(href)}" type="application/json">${text}<span class="sr-only"> for ${escapeHtml(entry.title)}</span></a>`;
  const environments = entry.postman.environments
    .map(({ target, file }) => link(file, `${escapeHtml(target)} environment`))
    .join(', ');
  return `          <td>${link(entry.postman.collection, 'Collection')}; ${environments}</td>`;
}

export function renderIndex(entries, references = []) {
  const rows = entries
    .map(
      (entry) => `        <tr id="${escapeHtml(entry.api)}">
          <th scope="row"><code>${escapeHtml(entry.api)}</code></th>
          <td>${escapeHtml(entry.vendor)}</td>
          <td>${escapeHtml(entry.title)}</td>
          <td>${escapeHtml(entry.version)}</td>
          <td>${escapeHtml(entry.implementedBy)}</td>
          <td>${escapeHtml(entry.calledBy)}</td>
          <td class="num">${entry.operations}</td>
          <td><a href="${escapeHtml(entry.html)}">Docs<span class="sr-only"> for ${escapeHtml(entry.title)}</span></a></td>
          <td><a href="${escapeHtml(entry.yaml)}" type="application/yaml">YAML<span class="sr-only"> of ${escapeHtml(entry.title)}</span></a></td>
${renderPostman(entry)}
        </tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>bbps-kit contracts</title>
${pageStyle}</head>
<body>
  <main>
    <h1>bbps-kit contracts</h1>
    <p>The OpenAPI contracts of the bbps-kit BBPS integrations. Each page works offline; the YAML is the bundled, single-file contract.</p>
    <p>Where a vendor document is silent, the contracts rely on facts from other public sources, listed with those sources on the <a href="facts.html" id="facts">bbps-kit facts page</a> (FACTS.md).</p>
    <div class="table-wrap">
      <table>
        <caption>Contracts</caption>
        <thead>
          <tr>
            <th scope="col">Contract</th>
            <th scope="col">Vendor</th>
            <th scope="col">API</th>
            <th scope="col">Version</th>
            <th scope="col">Implemented by</th>
            <th scope="col">Called by</th>
            <th scope="col">Operations</th>
            <th scope="col">Reference</th>
            <th scope="col">Bundled spec</th>
            <th scope="col">Postman</th>
          </tr>
        </thead>
        <tbody>
${rows}
        </tbody>
      </table>
    </div>
${renderReferences(references)}  </main>
</body>
</html>
`;
}

export async function buildPortal({ outDir, specsDir = specsRoot } = {}) {
  outDir = resolve(outDir ?? join(specsRoot, 'dist'));
  specsDir = resolve(specsDir);
  const missing = contracts.filter((contract) => !existsSync(join(specsDir, contract.api, 'openapi.yaml')));
  if (missing.length > 0) {
    throw new Error(
      `missing contract(s): ${missing.map((contract) => join(relative(process.cwd(), specsDir) || '.', contract.api, 'openapi.yaml')).join(', ')}`,
    );
  }
  const factsFile = join(specsDir, 'FACTS.md');
  if (!existsSync(factsFile)) {
    throw new Error(`missing ${join(relative(process.cwd(), specsDir) || '.', 'FACTS.md')}: the contracts cite it`);
  }
  await refuseOpenapiSection();
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'facts.html'), renderFacts(await readFile(factsFile, 'utf8')));
  const scratchDir = await mkdtemp(join(tmpdir(), 'bbps-portal-'));
  try {
    const entries = await Promise.all(
      contracts.map((contract) => buildContract(contract, specsDir, outDir, scratchDir)),
    );
    await writeFile(join(outDir, 'index.html'), renderIndex(entries, builtReferences(outDir)));
    return { outDir, entries };
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
  }
}

// Not import.meta.main: Node 20, still the machines' default `node`, lacks it and would silently do nothing.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const { values } = parseArgs({ options: { out: { type: 'string' }, specs: { type: 'string' } } });
  try {
    const { outDir, entries } = await buildPortal({
      outDir: values.out ?? process.env.PORTAL_OUT_DIR,
      specsDir: values.specs ?? process.env.PORTAL_SPECS_DIR,
    });
    for (const entry of entries) {
      console.log(`${entry.api}: ${entry.title} ${entry.version}, ${entry.operations} operations`);
    }
    console.log(`portal written to ${outDir}/index.html`);
  } catch (error) {
    console.error(`build-portal: ${error.message}`);
    process.exitCode = 1;
  }
}
