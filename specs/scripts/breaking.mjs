// Breaking-change guard: compares every contract with the same contract at a git ref and fails on a breaking
// change that was not announced (major version bump plus a `### Breaking` CHANGELOG entry). See
// ../BREAKING-CHANGES.md for the rule and the choice of differ (api-smart-diff).
//
//   node scripts/breaking.mjs [--base <git ref>] [--specs <dir>]
//
// --base defaults, per contract, to the newest tag reachable from HEAD named `v*` or `<api>@*`, else the
// repository's first commit. --specs, the folder holding <api>/openapi.yaml, defaults to specs/ and exists so
// the guard can be tried on a throwaway repository. The working tree is compared, not HEAD, so the check sees
// what is about to be committed. Exit codes: 0 pass, 1 an unannounced breaking change or a version/CHANGELOG
// mismatch, 2 the check could not run.

import { execFile } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { apiCompare } from 'api-smart-diff';
import { announcementProblems, parseVersion } from './breaking-changelog.mjs';

const execFileAsync = promisify(execFile);
const specsRoot = fileURLToPath(new URL('..', import.meta.url));

// The bundler is the @redocly/openapi-core that @redocly/cli (the portal's and lint's) runs on, so both sides
// of a comparison are bundled exactly as the portal bundles them, with no second copy to keep in step.
const requireFromCli = createRequire(createRequire(import.meta.url).resolve('@redocly/cli/package.json'));
let redoclyCore;
async function loadRedoclyCore() {
  redoclyCore ??= await import(pathToFileURL(requireFromCli.resolve('@redocly/openapi-core')).href);
  return redoclyCore;
}

async function git(cwd, args) {
  const { stdout } = await execFileAsync('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  return stdout.trim();
}

/** Folders of specsDir that hold an openapi.yaml: the contracts, whatever their number. */
function contractNames(specsDir) {
  if (!existsSync(specsDir)) return [];
  return readdirSync(specsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(specsDir, entry.name, 'openapi.yaml')))
    .map((entry) => entry.name)
    .sort();
}

/** The default base of one contract: its newest release tag reachable from HEAD, else the first commit. */
async function defaultBase(repo, api) {
  try {
    const tag = await git(repo, ['describe', '--tags', '--abbrev=0', '--match', 'v*', '--match', `${api}@*`, 'HEAD']);
    return { ref: tag, kind: 'release tag' };
  } catch {
    const roots = (await git(repo, ['rev-list', '--max-parents=0', 'HEAD'])).split('\n');
    return { ref: roots.at(-1), kind: 'first commit' };
  }
}

/** Bundles one (split) contract into a single document, as the portal does. */
export async function bundleContract(file) {
  const core = await loadRedoclyCore();
  const config = await core.createConfig({});
  const { bundle, problems } = await core.bundle({ ref: file, config, dereference: false });
  const errors = problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) {
    throw new Error(`cannot bundle ${file}: ${errors.map((problem) => problem.message).join('; ')}`);
  }
  return bundle.parsed;
}

// Two corrections to api-smart-diff's response rules, which reverse the request rules. That is right for
// widening and narrowing, but it calls two changes safe that can break a client reading the response:
// - a `type` that now allows a type the old one did not (string → integer): the client gets a value it
//   cannot read;
// - a removed property, even an optional one: a client that used it when present silently loses it.
function correctResponseRules(diff) {
  const { path } = diff;
  if (diff.type === 'breaking' || path[0] !== 'paths' || path[3] !== 'responses') return diff;
  if (diff.action === 'replace' && path.at(-1) === 'type' && path.at(-2) !== 'properties') {
    const before = new Set([diff.before].flat());
    if (before.has('number')) before.add('integer');
    const widened = [diff.after].flat().some((type) => !before.has(type));
    return widened ? { ...diff, type: 'breaking' } : diff;
  }
  if (diff.action === 'remove' && path.at(-2) === 'properties' && path[7] === 'schema') {
    const field = path
      .slice(8)
      .filter((key) => key !== 'properties')
      .join('.');
    return {
      ...diff,
      type: 'breaking',
      description: `[Removed] property \`${field}\` in Response ${path[4]} content (${path[6]})`,
    };
  }
  return diff;
}

function describe(diff) {
  return diff.description || `[${diff.action}] ${diff.path.join('.')}`;
}

/**
 * Classifies the changes between two bundled documents. Changes under `components` (schemas, examples,
 * responses, ...) are left out: api-smart-diff reports each of them again, resolved, at every operation that
 * uses it, which is where a client feels it; an unused component affects nobody. Security schemes stay in.
 * @returns {{ breaking: string[], safe: string[], review: string[], annotations: number }}
 */
export function classifyChanges(baseDocument, headDocument) {
  const { diffs } = apiCompare(baseDocument, headDocument);
  const groups = { breaking: new Set(), safe: new Set(), review: new Set() };
  let annotations = 0;
  for (const raw of diffs) {
    if (raw.path[0] === 'components' && raw.path[1] !== 'securitySchemes') continue;
    const diff = correctResponseRules(raw);
    if (diff.type === 'breaking') groups.breaking.add(describe(diff));
    else if (diff.type === 'non-breaking' || diff.type === 'deprecated') groups.safe.add(describe(diff));
    else if (diff.type === 'annotation') annotations += 1;
    else groups.review.add(describe(diff));
  }
  return {
    breaking: [...groups.breaking],
    safe: [...groups.safe],
    review: [...groups.review],
    annotations,
  };
}

/**
 * Compares every contract of specsDir (working tree) with the same contract at its base.
 * @param {{ specsDir?: string, base?: string }} [options]
 */
export async function checkBreakingChanges({ specsDir = specsRoot, base } = {}) {
  specsDir = realpathSync(resolve(specsDir));
  const repo = await git(specsDir, ['rev-parse', '--show-toplevel']);
  const prefix = (await git(specsDir, ['rev-parse', '--show-prefix'])).replace(/\/$/, '');
  const scratch = await mkdtemp(join(tmpdir(), 'bbps-breaking-'));
  const extracted = new Map();

  /** The specs folder as it was at commit, extracted once per commit; null when it did not exist. */
  async function specsAt(commit) {
    if (!extracted.has(commit)) {
      extracted.set(
        commit,
        (async () => {
          const pathspec = prefix || '.';
          if (prefix && !(await git(repo, ['ls-tree', '--name-only', commit, '--', prefix]))) return null;
          const into = join(scratch, commit);
          const tarball = join(scratch, `${commit}.tar`);
          await mkdir(into, { recursive: true });
          await git(repo, ['archive', '--format=tar', `--output=${tarball}`, commit, '--', pathspec]);
          await execFileAsync('tar', ['-xf', tarball, '-C', into]);
          return join(into, prefix);
        })(),
      );
    }
    return extracted.get(commit);
  }

  try {
    const headNames = contractNames(specsDir);
    const results = [];
    const bases = new Map();
    for (const api of headNames) {
      const chosen = base ? { ref: base, kind: 'given' } : await defaultBase(repo, api);
      const commit = await git(repo, ['rev-parse', '--verify', `${chosen.ref}^{commit}`]);
      bases.set(api, { ...chosen, commit });
    }
    // A contract whose folder is gone was removed: report it against the base it was last seen at.
    const removed = new Map();
    for (const baseInfo of new Map([...bases.values()].map((entry) => [entry.commit, entry])).values()) {
      const dir = await specsAt(baseInfo.commit);
      for (const api of dir ? contractNames(dir) : []) {
        if (!headNames.includes(api) && !removed.has(api)) removed.set(api, baseInfo);
      }
    }

    for (const api of headNames) {
      const baseInfo = bases.get(api);
      const changelogPath = join(relative(repo, specsDir), api, 'CHANGELOG.md');
      const changelogFile = join(specsDir, api, 'CHANGELOG.md');
      const changelog = existsSync(changelogFile) ? await readFile(changelogFile, 'utf8') : null;
      const head = await bundleContract(join(specsDir, api, 'openapi.yaml'));
      const baseDir = await specsAt(baseInfo.commit);
      const baseFile = baseDir && join(baseDir, api, 'openapi.yaml');
      const result = {
        api,
        base: baseInfo,
        headVersion: String(head.info?.version ?? ''),
        baseVersion: null,
        status: 'new',
        breaking: [],
        safe: [],
        review: [],
        annotations: 0,
      };
      if (baseFile && existsSync(baseFile)) {
        const before = await bundleContract(baseFile);
        Object.assign(result, { status: 'compared', baseVersion: String(before.info?.version ?? '') });
        Object.assign(result, classifyChanges(before, head));
      }
      result.problems = announcementProblems({
        headVersion: result.headVersion,
        baseVersion: result.baseVersion,
        changelog,
        breakingCount: result.breaking.length,
        changelogPath,
      });
      results.push(result);
    }
    for (const [api, baseInfo] of removed) {
      results.push({
        api,
        base: baseInfo,
        headVersion: null,
        baseVersion: null,
        status: 'removed',
        breaking: [`[Removed] the whole contract ${api}`],
        safe: [],
        review: [],
        annotations: 0,
        problems: [`contract ${api} was removed: every operation is gone (announce it, release, and tag the release)`],
      });
    }
    return { ok: results.every((result) => result.problems.length === 0), results };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function suggestedVersion(result) {
  const base = parseVersion(result.baseVersion);
  return base ? `${base.major + 1}.0.0` : '<next major>';
}

/** The human report: one block per contract, then what to do about each failure. */
export function formatReport({ results }) {
  const lines = [];
  for (const result of results) {
    const mark = result.problems.length === 0 ? 'ok  ' : 'FAIL';
    const where = `${result.base.kind} ${result.base.ref === result.base.commit ? '' : `${result.base.ref} `}(${result.base.commit.slice(0, 12)})`;
    const versions =
      result.status === 'compared'
        ? `${result.baseVersion} → ${result.headVersion}`
        : result.status === 'new'
          ? `${result.headVersion}, new since the base`
          : 'removed';
    lines.push(`${mark} ${result.api} ${versions}; base: ${where}`);
    if (result.status === 'compared') {
      lines.push(
        `     ${result.breaking.length} breaking, ${result.safe.length} safe, ${result.review.length} unclassified, ${result.annotations} documentation-only`,
      );
    }
    const list = (title, items) => {
      if (items.length === 0) return;
      lines.push(`     ${title}:`);
      for (const item of items) lines.push(`       - ${item}`);
    };
    list('breaking', result.breaking);
    list('safe', result.safe);
    list('unclassified (not judged; review by hand)', result.review);
    for (const problem of result.problems) lines.push(`     ✗ ${problem}`);
    if (result.problems.length > 0 && result.breaking.length > 0 && result.status === 'compared') {
      lines.push(
        `     To announce: set info.version to ${suggestedVersion(result)} (or later) and open CHANGELOG.md with`,
        `       ## [${suggestedVersion(result)}] - ${new Date().toISOString().slice(0, 10)}`,
        '       ### Breaking',
        ...result.breaking.map((item) => `       - ${item}`),
      );
    }
  }
  return lines.join('\n');
}

// Not import.meta.main: Node 20, still the machines' default `node`, lacks it and would silently do nothing.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const { values } = parseArgs({ options: { base: { type: 'string' }, specs: { type: 'string' } } });
  try {
    const report = await checkBreakingChanges({ specsDir: values.specs, base: values.base });
    console.log(formatReport(report));
    const failed = report.results.filter((result) => result.problems.length > 0).map((result) => result.api);
    console.log(
      failed.length === 0
        ? `breaking: ${report.results.length} contract(s) checked, no unannounced breaking change`
        : `breaking: FAILED for ${failed.join(', ')} (see specs/BREAKING-CHANGES.md)`,
    );
    process.exitCode = failed.length === 0 ? 0 : 1;
  } catch (error) {
    console.error(`breaking: ${error.message}`);
    process.exitCode = 2;
  }
}
