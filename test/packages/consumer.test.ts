// The published packages as a backend team gets them: @bbps-kit/contracts, money, client and conform are built and
// packed (`pnpm pack`, which applies publishConfig and turns workspace:^ into real ranges), checked with publint and
// @arethetypeswrong/cli, then installed with plain npm into a fresh project under os.tmpdir(), outside the workspace
// (no pnpm, no links). A TypeScript program (consumer/main.ts) is compiled with the repository's TypeScript under
// strict + exactOptionalPropertyTypes, with module nodenext and again with moduleResolution bundler, and run on
// Node 22 and Node 24 from the npm registry's `node` package against a Prism mock of Eko started here; a plain
// CommonJS program (consumer/main.cjs) require()s the client on Node 22.12, the oldest Node the packages' engines
// allow (require() of an ES module needs no flag from there on). The conformance kit (@bbps-kit/conform) is packed
// and installed the same way, and its bin runs by plain `npx bbps-conform` on Node 22.12 against a demo biller
// served here. Slow on a cold npm cache: timeouts are wide.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildApp, createLogger, type Db, demoKeys, openPglite, prepareDatabase } from '@bbps-kit/biller';
import { apiNames } from '@bbps-kit/contracts';
import { type RunningPrism, startMock } from '@bbps-kit/mocks';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const bin = (name: string) => join(root, 'node_modules/.bin', name);
const suiteBin = (name: string) => join(import.meta.dirname, '../node_modules/.bin', name);
const here = join(import.meta.dirname, 'consumer');
const packages = ['contracts', 'money', 'client', 'conform'] as const;
const minutes = (n: number) => n * 60_000;

// npm and npx must not inherit pnpm's npm_config_* settings (registry overrides, workspace flags) from the suite.
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm|pnpm)_/i.test(key) && key !== 'NODE_OPTIONS'),
);
async function sh(file: string, args: string[], cwd: string, timeout = minutes(3)) {
  try {
    return await run(file, args, { cwd, env: cleanEnv, timeout, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${file} ${args.join(' ')} (in ${cwd}) failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

const work = mkdtempSync(join(tmpdir(), 'bbps-kit-packages-'));
const packs = join(work, 'packs');
const project = join(work, 'project');
const tarballs: Record<(typeof packages)[number], string> = { contracts: '', money: '', client: '', conform: '' };
// '22.12': the engines' lower bound, for the CommonJS consumer and the conform bin.
const nodes: Record<'22' | '24' | '22.12', string> = { '22': '', '24': '', '22.12': '' };
let mock: RunningPrism;
let biller: { url: string; server: ReturnType<typeof serve>; db: Db } | undefined;

beforeAll(async () => {
  const buildAndPack = async () => {
    await sh(bin('pnpm'), [...packages.flatMap((p) => ['--filter', `@bbps-kit/${p}`]), 'build'], root, minutes(4));
    await Promise.all(
      packages.map(async (p) => {
        const { stdout } = await sh(bin('pnpm'), ['pack', '--pack-destination', packs], join(root, 'packages', p));
        tarballs[p] = stdout.trim().split('\n').at(-1) as string;
      }),
    );
  };
  // Resolve each Node binary once (npx caches the `node` package) and run it directly afterwards. npx mostly waits
  // on the registry, so it runs beside the build (CPU) instead of after it: about 20 s less on a loaded machine.
  const resolveNode = async (major: keyof typeof nodes) => {
    const { stdout } = await sh('npx', ['-y', `node@${major}`, '-p', 'process.execPath'], work, minutes(4));
    nodes[major] = stdout.trim().split('\n').at(-1) as string;
  };
  const started = Promise.all([buildAndPack(), resolveNode('22'), resolveNode('24'), resolveNode('22.12')]);
  mock = await startMock('eko-bbps');
  await started;
}, minutes(10));

afterAll(async () => {
  await mock?.stop();
  if (biller) {
    await new Promise((done) => biller?.server.close(done));
    await biller.db.close();
  }
  rmSync(work, { recursive: true, force: true });
});

describe('the packed tarballs', () => {
  const list = async (tarball: string) => (await sh('tar', ['tzf', tarball], work)).stdout.trim().split('\n');
  const manifest = async (tarball: string) =>
    JSON.parse((await sh('tar', ['xzfO', tarball, 'package/package.json'], work)).stdout) as Record<string, unknown>;

  it.each(packages)('@bbps-kit/%s holds only dist, README, LICENSE, CHANGELOG and package.json', async (p) => {
    const files = await list(tarballs[p]);
    // The conformance kit also ships its demo fixtures (`--fixtures demo`).
    const stray = files.filter(
      (f) =>
        !/^package\/(dist\/.+\.(js|d\.ts|json)|README\.md|LICENSE|CHANGELOG\.md|package\.json)$/.test(f) &&
        !(p === 'conform' && /^package\/fixtures\/demo\.[a-z-]+\.json$/.test(f)),
    );
    expect(stray).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['package/LICENSE', 'package/README.md', 'package/dist/index.js']));
    if (p === 'contracts')
      for (const api of apiNames) expect(files).toContain(`package/dist/generated/${api}.openapi.json`);
    const pkg = await manifest(tarballs[p]);
    expect(JSON.stringify(pkg)).not.toMatch(/workspace:|\.\/src\//);
    expect(pkg).toMatchObject({ type: 'module', license: 'MIT', engines: { node: '>=22.12' } });
    if (p === 'conform') expect(pkg.bin).toEqual({ 'bbps-conform': './dist/bin.js' });
    expect(pkg.private).toBeUndefined();
    expect(Object.keys((pkg.dependencies ?? {}) as object)).not.toContain('@redocly/openapi-core');
  });

  it.each(packages)('@bbps-kit/%s passes publint --strict', async (p) => {
    const { stdout } = await sh(suiteBin('publint'), ['run', tarballs[p], '--strict'], root);
    expect(stdout).toContain('All good!');
  });

  // ES modules only: the esm-only profile leaves out node10 and CommonJS-from-node16 resolution, which attw still
  // reports as a problem although Node 22.12+ and TypeScript 5.8+ (module nodenext) require() an ES module.
  it.each(packages)('@bbps-kit/%s has no problems under @arethetypeswrong/cli (esm-only)', async (p) => {
    const entrypoints =
      p === 'contracts'
        ? [
            '.',
            './validator',
            ...apiNames.flatMap((api) => ['schemas', 'operations', 'rules'].map((k) => `./${k}/${api}`)),
          ]
        : ['.'];
    const { stdout } = await sh(
      suiteBin('attw'),
      [tarballs[p], '--profile', 'esm-only', '--format', 'json', '--entrypoints', ...entrypoints],
      root,
    );
    // The JSON lists the ignored resolutions' findings too; the exit code (checked by sh) and this list do not.
    const report = JSON.parse(stdout) as { analysis: { problems: { resolutionKind?: string }[] } };
    const ignored = new Set(['node10', 'node16-cjs']);
    expect(report.analysis.problems.filter((problem) => !ignored.has(problem.resolutionKind ?? ''))).toEqual([]);
  });
});

describe('a project outside the workspace', () => {
  beforeAll(async () => {
    rmSync(project, { recursive: true, force: true });
    await sh('mkdir', ['-p', project], work);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'bbps-consumer', private: true, type: 'module' }),
    );
    await sh(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        ...packages.map((p) => tarballs[p]),
        '@types/node@^24',
      ],
      project,
      minutes(5),
    );
    copyFileSync(join(here, 'main.ts'), join(project, 'main.ts'));
    copyFileSync(join(here, 'main.cjs'), join(project, 'main.cjs'));
    const strict = {
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: false,
    };
    const common = { target: 'es2023', lib: ['es2023', 'dom'], types: ['node'], ...strict };
    const configs = {
      nodenext: { ...common, module: 'nodenext', moduleResolution: 'nodenext', outDir: 'out-nodenext' },
      bundler: { ...common, module: 'esnext', moduleResolution: 'bundler', outDir: 'out-bundler' },
    };
    for (const [name, compilerOptions] of Object.entries(configs))
      writeFileSync(join(project, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions, files: ['main.ts'] }));
  }, minutes(6));

  it('installs the four tarballs with npm, each with real dependencies and no TypeScript source', async () => {
    for (const p of packages) {
      const installed = JSON.parse(readFileSync(join(project, 'node_modules/@bbps-kit', p, 'package.json'), 'utf8'));
      expect(installed.version).toMatch(/^\d+\.\d+\.\d+/);
    }
    const { stdout } = await sh('npm', ['ls', '--all', '--parseable'], project);
    expect(stdout).not.toMatch(/\/work\/main|packages\/(contracts|money|client|conform)$/m);
  });

  const expected = {
    billPath: '/customer/payment/bbps/bill',
    signed: [
      'GET /customer/payment/bbps/bill',
      'POST /customer/payment/bbps',
      'GET /tools/reference/transaction/2882709971',
      'GET /tools/reference/transaction/client_ref_id:REQ-20260101-002',
    ],
    billAmountPaise: '135000',
    payment: { state: 'pending', tid: '2882709971' },
    // The mock answers every inquiry by tid with its TransactionSuccess example and by client_ref_id with
    // TransactionRefundPending (tx_status "3", final: the payment failed and its refund is on its way).
    settled: { state: 'success', tid: '2882709962', amountPaise: '135000' },
    byReference: { state: 'refund-pending', txStatus: '3' },
    money: { rupees: '1350.50', paise: '135050' },
    validator: { valid: true },
  };

  for (const resolution of ['nodenext', 'bundler'] as const) {
    describe(`compiled with ${resolution} resolution`, () => {
      beforeAll(async () => {
        await sh(bin('tsc'), ['-p', `tsconfig.${resolution}.json`], project, minutes(2));
      }, minutes(3));

      for (const major of ['22', '24'] as const) {
        it(`runs on Node ${major}: signed fetch, a pending payment polled to its end, paise, the validator`, async () => {
          const { stdout } = await sh(nodes[major], [`out-${resolution}/main.js`, mock.url], project, minutes(1));
          const result = JSON.parse(stdout.trim().split('\n').at(-1) as string);
          expect(result).toMatchObject({ ...expected, node: major });
          expect(result.formatted).toContain('1,350');
          expect(result.validator.invalid.join('\n')).toMatch(/amount/);
        });
      }
    });
  }

  it('a CommonJS program require()s the client on Node 22.12 and fetches a bill', async () => {
    const { stdout } = await sh(nodes['22.12'], ['main.cjs', mock.url], project, minutes(1));
    expect(JSON.parse(stdout.trim().split('\n').at(-1) as string)).toMatchObject({ billAmountPaise: '135000' });
  });

  // npx runs the bin's `#!/usr/bin/env node` with the first node on PATH: Node 22.12's here.
  const npxOn22 = (args: string[]) =>
    run('npx', ['--no-install', 'bbps-conform', ...args], {
      cwd: project,
      env: { ...cleanEnv, PATH: `${dirname(nodes['22.12'])}:${cleanEnv.PATH ?? ''}` },
      timeout: minutes(1),
    }).catch((error: { code?: number; stdout?: string; stderr?: string }) => error);

  it('npx bbps-conform --help works from the installed tarball on Node 22.12', async () => {
    const help = await npxOn22(['--help']);
    expect(help.stdout).toContain('Usage:\n  bbps-conform <kaleidofin-partner|ebpp-mpa>');
    expect('code' in help ? help.code : 0).toBe(0);
  });

  it('npx bbps-conform checks a demo biller with the shipped demo fixtures, and reports a failure', async () => {
    const db = await openPglite();
    await prepareDatabase(db, { demo: true });
    const config = {
      kaleidofinApiKeys: [demoKeys.kaleidofinApiKey],
      ebppClientKey: demoKeys.ebppClientKey,
      ebppApiKeys: [demoKeys.ebppApiKey],
    };
    const app = buildApp({ db, config, logger: createLogger(() => {}) });
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((ready) => server.once('listening', ready));
    biller = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, db };
    const checks = ['lookup', 'posting', 'auth', 'amount-limits'].join(',');
    const pass = await npxOn22(['ebpp-mpa', '--url', biller.url, '--fixtures', 'demo', '--only', checks]);
    expect(pass.stdout).toMatch(/PASS {2}lookup\.found/);
    expect(pass.stdout).toMatch(/PASS {2}amount-limits\.LN-AY1234/);
    expect(pass.stdout).toMatch(/\d+ passed, 0 failed/);
    expect('code' in pass ? pass.code : 0).toBe(0);
    // Nothing listens on port 9: every check fails, exit 1.
    const fail = await npxOn22([
      'ebpp-mpa',
      '--url',
      'http://127.0.0.1:9',
      '--fixtures',
      'demo',
      '--only',
      'lookup.not-found',
    ]);
    expect(fail.stdout).toContain('FAIL  lookup.not-found');
    expect('code' in fail ? fail.code : 0).toBe(1);
  });
});
