// The breaking-change guard (scripts/breaking.mjs) on throwaway git repositories: a small split contract is
// committed, changed and committed again, and the guard must call each change what it is and fail exactly
// when a breaking change goes unannounced.
//
// Run with `node --test test/` (the `test` script of @bbps-kit/specs).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { checkBreakingChanges } from '../scripts/breaking.mjs';
import { parseChangelog } from '../scripts/breaking-changelog.mjs';

const execFileAsync = promisify(execFile);
const breakingScript = fileURLToPath(new URL('../scripts/breaking.mjs', import.meta.url));
const API = 'fixture-api';

// One path file per path and one schema file per schema, as the real contracts are split, so the guard has to
// bundle both sides before it can compare them.
const fixture = {
  'openapi.yaml': `openapi: 3.1.0
info:
  title: Fixture orders API
  version: 1.0.0
  license:
    name: MIT
    identifier: MIT
paths:
  /orders:
    $ref: paths/orders.yaml
  /orders/{orderId}:
    $ref: paths/orders_{orderId}.yaml
`,
  'paths/orders.yaml': `post:
  operationId: createOrder
  summary: Create an order
  requestBody:
    required: true
    content:
      application/json:
        schema:
          $ref: ../components/schemas/NewOrder.yaml
  responses:
    '201':
      description: The order
      content:
        application/json:
          schema:
            $ref: ../components/schemas/Order.yaml
`,
  'paths/orders_{orderId}.yaml': `get:
  operationId: getOrder
  summary: Read an order
  parameters:
    - name: orderId
      in: path
      required: true
      schema:
        type: string
  responses:
    '200':
      description: The order
      content:
        application/json:
          schema:
            $ref: ../components/schemas/Order.yaml
`,
  'components/schemas/NewOrder.yaml': `type: object
required: [item, quantity]
properties:
  item:
    type: string
  quantity:
    type: integer
  channel:
    type: string
    enum: [WEB, APP, AGENT]
`,
  'components/schemas/Order.yaml': `type: object
required: [id, item, quantity]
properties:
  id:
    type: string
  item:
    type: string
  quantity:
    type: integer
  note:
    type: string
`,
  'CHANGELOG.md': changelog([['1.0.0', '### Added\n\n- Initial contract.']]),
};

function changelog(entries) {
  return `# Changelog\n\n## [Unreleased]\n\n${entries.map(([version, body]) => `## [${version}] - 2026-11-22\n\n${body}\n`).join('\n')}`;
}

const scratchDirs = [];
after(() => Promise.all(scratchDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function git(repo, ...args) {
  const { stdout } = await execFileAsync('git', args, { cwd: repo });
  return stdout.trim();
}

/** A new repository whose first commit holds the fixture (or `first`, when given) under specs/fixture-api. */
async function repository(first = fixture) {
  const repo = await mkdtemp(join(tmpdir(), 'bbps-breaking-test-'));
  scratchDirs.push(repo);
  await git(repo, 'init', '--quiet', '--initial-branch=main');
  await git(repo, 'config', 'user.email', 'test@example.invalid');
  await git(repo, 'config', 'user.name', 'breaking test');
  await git(repo, 'config', 'commit.gpgsign', 'false');
  await writeFile(join(repo, 'README.md'), 'throwaway\n');
  await writeFiles(repo, first);
  await commit(repo, 'first');
  return repo;
}

async function writeFiles(repo, files) {
  for (const [name, content] of Object.entries(files)) {
    const file = join(repo, 'specs', API, name);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

async function commit(repo, message) {
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '--quiet', '--allow-empty', '-m', message);
}

/** Applies edits (file name → function of the old text, or new text) and commits them. */
async function change(repo, edits) {
  for (const [name, edit] of Object.entries(edits)) {
    const file = join(repo, 'specs', API, name);
    if (edit === null) {
      await rm(file);
      continue;
    }
    const old = await readFile(file, 'utf8').catch(() => '');
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, typeof edit === 'function' ? edit(old) : edit);
  }
  await commit(repo, 'change');
}

async function check(repo, options = {}) {
  const report = await checkBreakingChanges({ specsDir: join(repo, 'specs'), ...options });
  const result = report.results.find((entry) => entry.api === API);
  assert.ok(result, `no result for ${API}`);
  return { ...result, ok: report.ok };
}

const replace = (from, to) => (text) => {
  assert.ok(text.includes(from), `fixture does not contain ${JSON.stringify(from)}`);
  return text.replace(from, to);
};

/** Merges sets of edits; two edits of one file apply in order. */
const combine = (...sets) => {
  const merged = {};
  for (const set of sets) {
    for (const [name, edit] of Object.entries(set)) {
      const earlier = merged[name];
      merged[name] = typeof earlier === 'function' && typeof edit === 'function' ? (text) => edit(earlier(text)) : edit;
    }
  }
  return merged;
};

const bumpTo = (version) => ({
  'openapi.yaml': replace('version: 1.0.0', `version: ${version}`),
});

const breakingCases = {
  'removing an operation': {
    'openapi.yaml': replace('  /orders/{orderId}:\n    $ref: paths/orders_{orderId}.yaml\n', ''),
    'paths/orders_{orderId}.yaml': null,
  },
  'removing a response field': {
    'components/schemas/Order.yaml': replace('  note:\n    type: string\n', ''),
  },
  'narrowing an enum of the request': {
    'components/schemas/NewOrder.yaml': replace('[WEB, APP, AGENT]', '[WEB, APP]'),
  },
  'adding a required request field': {
    'components/schemas/NewOrder.yaml': (text) =>
      `${text.replace('required: [item, quantity]', 'required: [item, quantity, customerId]')}  customerId:\n    type: string\n`,
  },
  'changing the type of a request field': {
    'components/schemas/NewOrder.yaml': replace('quantity:\n    type: integer', 'quantity:\n    type: string'),
  },
  'changing the type of a response field': {
    'components/schemas/Order.yaml': replace('quantity:\n    type: integer', 'quantity:\n    type: string'),
  },
};

describe('breaking changes without a major bump fail', () => {
  for (const [name, edits] of Object.entries(breakingCases)) {
    test(name, async () => {
      const repo = await repository();
      await change(repo, edits);
      const result = await check(repo);
      assert.equal(result.status, 'compared');
      assert.ok(result.breaking.length > 0, `not reported as breaking; safe: ${result.safe.join(' | ')}`);
      assert.equal(result.ok, false);
      assert.match(result.problems.join('\n'), /major was not bumped \(1\.0\.0 → 1\.0\.0/);
    });
  }

  test('the report names what broke', async () => {
    const repo = await repository();
    await change(repo, breakingCases['removing an operation']);
    const removed = await check(repo);
    assert.deepEqual(removed.breaking, ['[Removed] operation GET /orders/{orderId}']);

    await change(repo, breakingCases['narrowing an enum of the request']);
    const narrowed = await check(repo);
    assert.ok(narrowed.breaking.some((item) => /possible values of `channel` in Request Body/.test(item)));
  });
});

describe('safe changes pass', () => {
  test('an optional request field and a new operation are safe', async () => {
    const repo = await repository();
    await change(repo, {
      'components/schemas/NewOrder.yaml': (text) => `${text}  note:\n    type: string\n`,
      'openapi.yaml': (text) => `${text}  /orders/{orderId}/cancel:\n    $ref: paths/orders_{orderId}_cancel.yaml\n`,
      'paths/orders_{orderId}_cancel.yaml': `post:
  operationId: cancelOrder
  summary: Cancel an order
  parameters:
    - name: orderId
      in: path
      required: true
      schema:
        type: string
  responses:
    '204':
      description: Cancelled
`,
    });
    const result = await check(repo);
    assert.deepEqual(result.breaking, []);
    assert.ok(result.safe.includes('[Added] operation POST /orders/{orderId}/cancel'), result.safe.join(' | '));
    assert.ok(
      result.safe.some((item) => /property `note`.*Request Body/.test(item)),
      result.safe.join(' | '),
    );
    assert.deepEqual(result.problems, []);
    assert.equal(result.ok, true);
  });

  test('a contract that did not exist at the base is new, not breaking', async () => {
    const repo = await repository({});
    await change(repo, fixture);
    const result = await check(repo);
    assert.equal(result.status, 'new');
    assert.deepEqual(result.breaking, []);
    assert.equal(result.ok, true);
  });
});

describe('announcing a breaking change', () => {
  test('passes with a major bump and a CHANGELOG entry listing it', async () => {
    const repo = await repository();
    await change(
      repo,
      combine(breakingCases['removing a response field'], bumpTo('2.0.0'), {
        'CHANGELOG.md': changelog([
          ['2.0.0', '### Breaking\n\n- Removed `note` from the order (responses of createOrder and getOrder).'],
          ['1.0.0', '### Added\n\n- Initial contract.'],
        ]),
      }),
    );
    const result = await check(repo);
    assert.ok(result.breaking.length > 0);
    assert.deepEqual(result.problems, []);
    assert.equal(result.ok, true);
  });

  test('fails with a major bump whose CHANGELOG entry has no Breaking section', async () => {
    const repo = await repository();
    await change(
      repo,
      combine(breakingCases['removing a response field'], bumpTo('2.0.0'), {
        'CHANGELOG.md': changelog([
          ['2.0.0', '### Changed\n\n- Tidied the order.'],
          ['1.0.0', '### Added\n\n- Initial contract.'],
        ]),
      }),
    );
    const result = await check(repo);
    assert.equal(result.ok, false);
    assert.match(result.problems.join('\n'), /no "### Breaking" section/);
  });

  test('fails with a minor bump even when the CHANGELOG lists the change', async () => {
    const repo = await repository();
    await change(
      repo,
      combine(breakingCases['removing a response field'], bumpTo('1.1.0'), {
        'CHANGELOG.md': changelog([
          ['1.1.0', '### Breaking\n\n- Removed `note`.'],
          ['1.0.0', '### Added\n\n- Initial contract.'],
        ]),
      }),
    );
    const result = await check(repo);
    assert.equal(result.ok, false);
    assert.match(result.problems.join('\n'), /major was not bumped \(1\.0\.0 → 1\.1\.0/);
  });

  test('info.version must equal the newest CHANGELOG version, breaking change or not', async () => {
    const repo = await repository();
    await change(repo, bumpTo('1.0.1'));
    const result = await check(repo);
    assert.deepEqual(result.breaking, []);
    assert.equal(result.ok, false);
    assert.match(result.problems.join('\n'), /info\.version is 1\.0\.1 but the newest entry .* is 1\.0\.0/);
  });
});

describe('the base', () => {
  test('defaults to the newest release tag, <api>@* or v*', async () => {
    const repo = await repository();
    await change(
      repo,
      combine(breakingCases['removing an operation'], bumpTo('2.0.0'), {
        'CHANGELOG.md': changelog([
          ['2.0.0', '### Breaking\n\n- Removed GET /orders/{orderId}.'],
          ['1.0.0', '### Added\n\n- Initial contract.'],
        ]),
      }),
    );
    await git(repo, 'tag', `${API}@2.0.0`);
    await change(repo, breakingCases['narrowing an enum of the request']);

    const sinceTag = await check(repo);
    assert.equal(sinceTag.base.ref, `${API}@2.0.0`);
    assert.equal(sinceTag.base.kind, 'release tag');
    assert.equal(sinceTag.baseVersion, '2.0.0');
    assert.equal(sinceTag.breaking.length, 1, sinceTag.breaking.join(' | '));
    assert.equal(sinceTag.ok, false);

    await git(repo, 'tag', 'v9.0.0');
    const sinceRepoTag = await check(repo);
    assert.equal(sinceRepoTag.base.ref, 'v9.0.0');
    assert.deepEqual(sinceRepoTag.breaking, []);

    const given = await check(repo, { base: 'HEAD~2' });
    assert.equal(given.baseVersion, '1.0.0');
    assert.ok(given.breaking.includes('[Removed] operation GET /orders/{orderId}'));
  });
});

describe('the command', () => {
  async function run(repo) {
    try {
      const { stdout } = await execFileAsync(process.execPath, [breakingScript, '--specs', join(repo, 'specs')]);
      return { code: 0, stdout };
    } catch (error) {
      return { code: error.code, stdout: error.stdout };
    }
  }

  test('exits 1 on an unannounced breaking change and says how to announce it', async () => {
    const repo = await repository();
    await change(repo, breakingCases['removing an operation']);
    const { code, stdout } = await run(repo);
    assert.equal(code, 1, stdout);
    assert.match(stdout, /FAIL fixture-api 1\.0\.0 → 1\.0\.0/);
    assert.match(stdout, /- \[Removed\] operation GET \/orders\/\{orderId\}/);
    assert.match(stdout, /## \[2\.0\.0\] - \d{4}-\d\d-\d\d\n\s+### Breaking/);
  });

  test('exits 0 when nothing breaks', async () => {
    const repo = await repository();
    const { code, stdout } = await run(repo);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /no unannounced breaking change/);
  });
});

test('parseChangelog reads Keep a Changelog entries and skips Unreleased', () => {
  const entries = parseChangelog(
    changelog([
      ['2.0.0', '### Breaking\n\n- one\n- two\n\n### Added\n\n- three'],
      ['1.0.0', '### Added\n\n- first'],
    ]),
  );
  assert.deepEqual(
    entries.map((entry) => [entry.version, entry.sections]),
    [
      ['2.0.0', { Breaking: ['one', 'two'], Added: ['three'] }],
      ['1.0.0', { Added: ['first'] }],
    ],
  );
});
