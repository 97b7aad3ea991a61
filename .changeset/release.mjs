// `pnpm release [--dry-run]`: versions @bbps-kit/contracts, money, client and conform with Changesets, writes their
// changelogs, builds, packs and checks the tarballs (publint --strict, @arethetypeswrong/cli esm-only), then publishes
// them with `changeset publish`. With --dry-run nothing is published and every file Changesets touched is put back, so
// the tree is as before; the tarballs stay in the printed folder.
//
// The contracts package's version moves with the specs: spec-versions.json (next to this file) holds each spec's
// info.version as of the last release; a spec whose version changed since then adds a changeset for
// @bbps-kit/contracts of the same size (major, minor or patch), the largest one winning, before `changeset version`.
import { execFileSync } from 'node:child_process';
import { existsSync, globSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { apiNames } from '../packages/contracts/src/generated/apis.ts';

const dryRun = process.argv.includes('--dry-run');
const root = resolve(import.meta.dirname, '..');
const published = ['contracts', 'money', 'client', 'conform'];
const bin = (name) =>
  [join(root, 'node_modules/.bin', name), join(root, 'test/node_modules/.bin', name)].find(existsSync);
const sh = (name, args, cwd = root) =>
  execFileSync(bin(name) ?? name, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

// 1. Spec versions → a changeset for the contracts package.
const baselineFile = join(import.meta.dirname, 'spec-versions.json');
const { '//': note, ...baseline } = readJson(baselineFile);
const current = Object.fromEntries(
  apiNames.map((api) => [
    api,
    readJson(join(root, `packages/contracts/src/generated/${api}.openapi.json`)).info.version,
  ]),
);
const levels = ['patch', 'minor', 'major'];
const sizeOf = (from, to) => {
  if (from === undefined) return 'minor'; // a new contract
  const [a, b] = [from, to].map((v) => v.split('.').map(Number));
  return a[0] !== b[0] ? 'major' : a[1] !== b[1] ? 'minor' : 'patch';
};
const moved = apiNames.filter((api) => baseline[api] !== current[api]);
const specChangeset = join(import.meta.dirname, 'contracts-follow-specs.md');

// Everything Changesets may write: every workspace manifest and changelog, and the changesets it consumes.
const snapshot = new Map();
if (dryRun) {
  const files = globSync(['**/package.json', '**/CHANGELOG.md', '.changeset/*'], {
    cwd: root,
    exclude: (path) => path.includes('node_modules') || path.startsWith('.git'),
  });
  for (const file of files) snapshot.set(join(root, file), readFileSync(join(root, file), 'utf8'));
}
const restore = () => {
  const now = globSync(['**/package.json', '**/CHANGELOG.md', '.changeset/*'], {
    cwd: root,
    exclude: (path) => path.includes('node_modules') || path.startsWith('.git'),
  });
  for (const file of now) if (!snapshot.has(join(root, file))) rmSync(join(root, file));
  for (const [file, text] of snapshot) writeFileSync(file, text);
};

try {
  if (moved.length > 0) {
    const size = moved
      .map((api) => sizeOf(baseline[api], current[api]))
      .sort((x, y) => levels.indexOf(y) - levels.indexOf(x))[0];
    const lines = moved.map((api) => `- ${api}: ${baseline[api] ?? '(new)'} → ${current[api]}`);
    writeFileSync(
      specChangeset,
      `---\n'@bbps-kit/contracts': ${size}\n---\n\nThe contracts' info.version moved:\n\n${lines.join('\n')}\n`,
    );
    console.log(`contracts follow the specs (${size}):\n${lines.join('\n')}`);
  } else console.log('specs: no info.version changed since the last release');

  // 2. Version and changelogs.
  const before = Object.fromEntries(
    published.map((p) => [p, readJson(join(root, 'packages', p, 'package.json')).version]),
  );
  process.stdout.write(sh('changeset', ['version']));
  for (const p of published) {
    const after = readJson(join(root, 'packages', p, 'package.json')).version;
    const changelog = readFileSync(join(root, 'packages', p, 'CHANGELOG.md'), 'utf8').split('\n## ')[1] ?? '';
    console.log(`\n@bbps-kit/${p}: ${before[p]} → ${after}\n## ${changelog.trim()}`);
  }

  // 3. Build, pack, check.
  sh('pnpm', [...published.flatMap((p) => ['--filter', `@bbps-kit/${p}`]), 'build']);
  const out = mkdtempSync(join(tmpdir(), 'bbps-kit-release-'));
  for (const p of published) {
    const dir = join(root, 'packages', p);
    const tarball = sh('pnpm', ['pack', '--pack-destination', out], dir).trim().split('\n').at(-1);
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    sh('publint', ['run', tarball, '--strict']);
    const exportsMap = readJson(join(dir, 'package.json')).publishConfig.exports;
    const entrypoints = Object.keys(exportsMap)
      .filter((key) => key !== './package.json')
      .flatMap((key) => (key.includes('*') ? apiNames.map((api) => key.replace('*', api)) : [key]));
    sh('attw', [tarball, '--profile', 'esm-only', '--format', 'ascii', '--entrypoints', ...entrypoints]);
    console.log(`${tarball}: ${files.length} files, ${readFileSync(tarball).length} bytes; publint and attw clean`);
  }

  // 4. Publish (never in a dry run), then remember the specs' versions.
  if (dryRun) console.log(`\ndry run: nothing published; the tarballs are in ${out}`);
  else {
    rmSync(specChangeset, { force: true });
    sh('changeset', ['publish']);
    writeFileSync(baselineFile, `${JSON.stringify({ '//': note, ...current }, null, 2)}\n`);
  }
} finally {
  if (dryRun) restore();
  else rmSync(specChangeset, { force: true });
}
