import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('the committed src/generated files match what pnpm generate writes from specs/ now (types, zod schemas, operations, rules, bundled specs)', () => {
  const script = fileURLToPath(new URL('../scripts/generate.mjs', import.meta.url));
  const run = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  // On failure: run `pnpm generate` at the root and commit the result.
  expect(run.stderr + run.stdout).not.toMatch(/out of date|stale/i);
  expect(run.status).toBe(0);
}, 120_000); // five openapi-typescript runs: seconds alone, much longer on a loaded 2-core CI machine
