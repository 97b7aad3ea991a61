import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { apiNames, Contract } from '../src/validator.ts';

it('the committed src/generated files match what pnpm generate writes from specs/ now (types, zod schemas, operations, rules, bundled specs)', () => {
  const script = fileURLToPath(new URL('../scripts/generate.mjs', import.meta.url));
  const run = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  // On failure: run `pnpm generate` at the root and commit the result.
  expect(run.stderr + run.stdout).not.toMatch(/out of date|stale/i);
  expect(run.status).toBe(0);
}, 120_000); // five openapi-typescript runs: seconds alone, much longer on a loaded 2-core CI machine

it('each rules module carries its contract’s security schemes (type, in, name): the headers clients set and servers read', async () => {
  for (const api of apiNames) {
    const module = (await import(`../src/generated/${api}.rules.ts`)) as { securitySchemes: object };
    const schemes = (await Contract.load(api)).document.components?.securitySchemes ?? {};
    const expected = Object.fromEntries(
      Object.entries(schemes as Record<string, Record<string, unknown>>).map(
        ([name, { type, in: where, name: header }]) => [name, { type, in: where, name: header }],
      ),
    );
    expect(Object.keys(expected).length, api).toBeGreaterThan(0);
    expect(module.securitySchemes, api).toEqual(expected);
    // In the spec's order: a 401 names the first wrong key in that order.
    expect(Object.keys(module.securitySchemes), api).toEqual(Object.keys(expected));
  }
});
