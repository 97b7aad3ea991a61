// The whole test suite: lint, typecheck and every package's tests through turbo, then biome. It streams
// everything and ends with one plain summary line that adds up the runners' own counts.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0, skipped: 0 };

// vitest: "Tests  3 failed | 40 passed | 2 skipped (45)"; node --test: "ℹ pass 5" / "# pass 5".
function count(rawLine) {
  const line = stripVTControlCharacters(rawLine);
  const vitest = line.match(/\bTests\s+(.*)\(\d+\)\s*$/);
  if (vitest) {
    for (const [, n, what] of vitest[1].matchAll(/(\d+) (passed|failed|skipped|todo)/g)) {
      totals[what === 'todo' ? 'skipped' : what] += Number(n);
    }
    return;
  }
  const node = line.match(/(?:ℹ|#) (pass|fail|skipped|todo) (\d+)\s*$/);
  if (node) totals[{ pass: 'passed', fail: 'failed', skipped: 'skipped', todo: 'skipped' }[node[1]]] += Number(node[2]);
}

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let pending = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(count);
    });
    child.on('close', (code) => {
      count(pending);
      resolve(code ?? 1);
    });
  });
}

const turbo = await run(bin('turbo'), ['run', 'lint', 'typecheck', 'test', '--continue', '--output-logs=full']);
const biome = await run(bin('biome'), ['check', '.']);
console.log(`\nbbps-kit: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
if (turbo !== 0 || biome !== 0) {
  console.log(
    `FAILED: ${turbo !== 0 ? 'turbo run lint typecheck test' : ''} ${biome !== 0 ? 'biome check' : ''}`.trim(),
  );
  process.exit(1);
}
if (totals.passed === 0) {
  console.log('FAILED: no test ran');
  process.exit(1);
}
