// A PostgreSQL server of the test's own: a fresh cluster (initdb) in a temporary folder on a free port, which the
// test may stop and start as it likes without touching the machine's shared server or any other suite using it.
// initdb refuses to run as root, so as root every server command runs as the `postgres` user (runuser).
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  adminUrl: string;
  port: number;
  isRunning(): boolean;
  start(): Promise<void>;
  /** A fast shutdown: every backend is terminated, then the server stops listening. */
  stop(): Promise<void>;
  /** Stops the server if it runs and deletes its folder. */
  destroy(): Promise<void>;
}

/** The folder with initdb and pg_ctl: PG_BINDIR, else the newest /usr/lib/postgresql/<version>/bin. */
function binDir(): string | undefined {
  if (process.env.PG_BINDIR) return process.env.PG_BINDIR;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(root, versions[0], 'bin');
}

/** runuser, by its path: /usr/sbin is not on every PATH (CI runs with a minimal one). */
const runuser = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((path) => existsSync(path));

/** Why a private server cannot be had here, or undefined when it can. */
export function privatePostgresUnavailable(): string | undefined {
  if (!binDir()) return 'no PostgreSQL server binaries (initdb, pg_ctl): set PG_BINDIR';
  if (userInfo().uid === 0 && !runuser) return 'running as root without runuser, and initdb refuses root';
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  if (!bin) throw new Error(privatePostgresUnavailable());
  const asRoot = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), 'private-pg-'));
  if (asRoot) chownSync(dir, Number(await run('id', ['-u', 'postgres'])), Number(await run('id', ['-g', 'postgres'])));
  const data = join(dir, 'data');
  const port = await freePort();

  function run(command: string, args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(command, args, { timeout: 60_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} ${args.join(' ')}: ${error.message}\n${stdout}${stderr}`));
        else resolve(stdout.trim());
      });
    });
  }
  const server = (tool: string, args: string[]) =>
    asRoot && runuser ? run(runuser, ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);

  await server('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  let running = false;
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    // A test server: durability off, nothing a crash of the machine would need.
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=60',
  ].join(' ');
  const handle: PrivatePostgres = {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    isRunning: () => running,
    async start() {
      await server('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
      running = true;
    },
    async stop() {
      await server('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
      running = false;
    },
    async destroy() {
      try {
        if (running) await handle.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  try {
    await handle.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return handle;
}
