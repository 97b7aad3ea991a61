// Generates everything this package derives from the contracts in specs/, into src/generated/ (committed; nobody
// edits it by hand, and biome.json leaves it alone):
//   apis.ts              the list of contracts (from @bbps-kit/specs/contracts)
//   <api>.openapi.json   the contract bundled into one document (local $refs): what the validator reads at run time
//   <api>.ts             TypeScript types, by openapi-typescript
//   <api>.zod.ts         zod 4 runtime schemas, by @hey-api/openapi-ts's zod plugin (see README.md for the choice)
//   <api>.operations.ts  one route per operation (method, path, operationId, security, x-bbps-retry, request and
//                        response schemas per status), in the shape @hono/zod-openapi's createRoute takes
//   <api>.rules.ts       the retry rule of each operation, the x-bbps-outcome tables and the security schemes
//                        (each credential's header name): what the client reads, and the servers' key checks
// With --check it generates into a temporary folder instead and fails when anything differs from what is
// committed (the freshness test runs this). `--specs DIR` reads the contracts from another copy of specs/ (the
// one-edit test regenerates from an edited copy).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiNames } from '@bbps-kit/specs/contracts';
import { bundle, createConfig } from '@redocly/openapi-core';
import { inputForZod, operationsModule, rulesModule, withEmailPattern, withObjectChecks } from './modules.mjs';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const specsOption = process.argv.indexOf('--specs');
const specsDir =
  specsOption >= 0 ? process.argv[specsOption + 1] : dirname(require.resolve('@bbps-kit/specs/package.json'));
const typescriptCli = join(dirname(require.resolve('openapi-typescript/package.json')), 'bin/cli.js');
const heyApiCli = join(dirname(require.resolve('@hey-api/openapi-ts/package.json')), 'bin/run.js');
const check = process.argv.includes('--check');
const committed = join(packageDir, 'src/generated');
const work = mkdtempSync(join(tmpdir(), 'contracts-generate-'));
// Everything is generated into a temporary folder first; then --check compares, and a plain run copies what
// changed into src/generated (never emptying it, so a build or typecheck running alongside always sees whole files).
const target = join(work, 'generated');

function run(command, args, cwd) {
  const result = spawnSync(process.execPath, [command, ...args], { cwd, encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(`${relative(packageDir, command)} ${args.join(' ')}\n${result.stdout}${result.stderr}`);
}

try {
  mkdirSync(target, { recursive: true });
  writeFileSync(
    join(target, 'apis.ts'),
    `// Generated from @bbps-kit/specs/contracts by scripts/generate.mjs. Do not edit.\n\n` +
      `/** The contracts, in the order the portal lists them. */\n` +
      `export const apiNames = ${JSON.stringify(apiNames, null, 2).replaceAll('"', "'")} as const;\n\n` +
      `export type ApiName = (typeof apiNames)[number];\n`,
  );
  const config = await createConfig({});
  for (const api of apiNames) {
    const source = join(specsDir, api, 'openapi.yaml');
    const { bundle: bundled, problems } = await bundle({ ref: source, config, dereference: false });
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) throw new Error(`${source}: ${errors.map((p) => p.message).join('; ')}`);
    const document = bundled.parsed;
    writeFileSync(join(target, `${api}.openapi.json`), `${JSON.stringify(document, null, 2)}\n`);

    run(
      typescriptCli,
      [source, '--output', join(target, `${api}.ts`), '--redocly', 'redocly.yaml', '--root-types'],
      packageDir,
    );

    // What the zod plugin cannot express is covered here, as modules.mjs `unsupported` lists: it reads a copy of
    // the contract rewritten for it, and its output gets the checks it leaves out.
    const input = join(work, `${api}.input.json`);
    writeFileSync(input, JSON.stringify(inputForZod(document)));
    const out = join(work, `${api}.zod`);
    writeFileSync(join(work, `${api}.config.mjs`), heyApiConfig(input, out));
    run(heyApiCli, ['-f', join(work, `${api}.config.mjs`)], packageDir);
    const zod = withEmailPattern(withObjectChecks(document, readFileSync(join(out, 'zod.gen.ts'), 'utf8')));
    writeFileSync(join(target, `${api}.zod.ts`), zod);

    writeFileSync(join(target, `${api}.operations.ts`), operationsModule(api, document, zod));
    writeFileSync(join(target, `${api}.rules.ts`), rulesModule(api, document));
  }

  const names = (dir) => readdirSync(dir).sort();
  mkdirSync(committed, { recursive: true });
  const read = (dir, name) => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch {
      return undefined;
    }
  };
  const stale = [...new Set([...names(committed), ...names(target)])].filter(
    (name) => read(committed, name) !== read(target, name),
  );
  if (check) {
    if (stale.length > 0) {
      console.error(`stale: src/generated/{${stale.join(',')}} (run \`pnpm generate\` and commit)`);
      process.exitCode = 1;
    }
  } else {
    for (const name of stale) {
      const fresh = read(target, name);
      if (fresh === undefined) rmSync(join(committed, name));
      else writeFileSync(join(committed, name), fresh);
    }
  }
} catch (error) {
  console.error(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** @hey-api/openapi-ts's configuration: the zod plugin only, pinned behaviour (see README.md). */
function heyApiConfig(input, output) {
  return `export default {
  input: ${JSON.stringify(input)},
  output: { path: ${JSON.stringify(output)}, postProcess: [] },
  logs: { level: 'silent', file: false },
  plugins: [
    {
      name: 'zod',
      metadata: false,
      dates: { offset: true },
      // int64 values in these contracts are JSON numbers (ids); keep them z.int() rather than the plugin's
      // z.coerce.bigint(), which accepts strings and parses into BigInt (hey-api #1802). An undocumented hook:
      // @hey-api/openapi-ts is pinned to an exact version for it.
      '~resolvers': {
        number(ctx) {
          if (ctx.schema.format === 'int64' || ctx.schema.format === 'uint64') {
            ctx.utils.shouldCoerceToBigInt = () => false;
            ctx.utils.maybeBigInt = (value) => ctx.$.fromValue(value);
            ctx.utils.getIntegerLimit = () => undefined;
          }
          return undefined;
        },
      },
    },
  ],
};
`;
}
