// `pnpm --filter @bbps-kit/specs lint`: redocly lint (rules in redocly.yaml), then Spectral's spectral:oas
// (.spectral.yaml), over the contracts listed in contracts.mjs, the one list of them.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiNames } from './contracts.mjs';

const specsRoot = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const bin = (pkg, file) => join(dirname(require.resolve(`${pkg}/package.json`)), file);
const roots = apiNames.map((api) => `${api}/openapi.yaml`);

const steps = [
  [bin('@redocly/cli', 'bin/cli.js'), 'lint', '--format=stylish', ...roots],
  [
    bin('@stoplight/spectral-cli', 'dist/index.js'),
    'lint',
    '--ruleset',
    '.spectral.yaml',
    '--fail-severity=error',
    ...roots,
  ],
];
for (const [cli, ...args] of steps) {
  const run = spawnSync(process.execPath, [cli, ...args], {
    cwd: specsRoot,
    stdio: 'inherit',
    env: { ...process.env, REDOCLY_TELEMETRY: 'off' },
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
