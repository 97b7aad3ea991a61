// Installs the workspace with the pinned pnpm, on a machine that has only Node and npm. Runs on whatever
// Node is on PATH (often 20); afterwards node_modules/.bin holds Node 24 and pnpm, which every script uses.
// A root script that runs this and then more Node must name `node_modules/.bin/node` explicitly: the shell
// running the script has already looked up (and hashed) `node` as the old one before this installed Node 24.
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

function localNodeVersion() {
  if (!existsSync(bin('node'))) return 'missing';
  return execFileSync(bin('node'), ['--version'], { encoding: 'utf8' }).trim();
}

function isSupported(version) {
  const [major, minor] = version.replace('v', '').split('.').map(Number);
  return major > 24 || (major === 24 && minor >= 18);
}

// pnpm keeps a copy of the lockfile it installed; when it equals ours, the install is current.
function installIsCurrent() {
  const installed = join(root, 'node_modules', '.pnpm', 'lock.yaml');
  return (
    existsSync(installed) &&
    readFileSync(installed, 'utf8') === readFileSync(join(root, 'pnpm-lock.yaml'), 'utf8') &&
    isSupported(localNodeVersion())
  );
}

if (!installIsCurrent()) {
  const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const pnpm = existsSync(bin('pnpm')) ? [bin('pnpm')] : ['npx', '--yes', packageManager];
  const args = ['install', '--prefer-offline', ...(process.env.CI ? ['--frozen-lockfile'] : [])];
  execFileSync(pnpm[0], [...pnpm.slice(1), ...args], { cwd: root, stdio: 'inherit' });
}

// pnpm's shim for the `node` bin is a shell script that runs Node as a child without `exec`, so SIGTERM sent
// to a server started through it (`pnpm start`) stops the shell and orphans Node. A symlink to the binary
// itself lets signals reach the process, so graceful shutdown works.
const shim = bin('node');
if (existsSync(shim) && !lstatSync(shim).isSymbolicLink()) {
  rmSync(shim);
  symlinkSync(join('..', 'node', 'bin', 'node'), shim);
}

const version = localNodeVersion();
if (!isSupported(version)) {
  console.error(
    `setup: node_modules/.bin/node is ${version}, not Node >= 24.18: pnpm skipped the \`node\` package's install script.\n` +
      'Keep `node` under onlyBuiltDependencies in pnpm-workspace.yaml, delete node_modules and run `npm run setup` again.',
  );
  process.exit(1);
}
