// Every process the benchmarks start goes through here: servers under test, load generators, imports,
// pgbench. Each runs in its own process group, so stopping it also stops what it forks (Prism), and each is
// tracked, so `stopAll()` (called on exit, Ctrl-C and errors) leaves nothing behind.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = new URL('../../', import.meta.url).pathname;
export const logDir = join(repoRoot, '.data/bench/logs');

const running = new Set<ChildProcess>();

interface SpawnOptions {
  env?: Record<string, string | undefined>;
  /** Where stdout and stderr go; piped to the caller when undefined. */
  logFile?: string;
}

function startTracked(command: string, args: string[], options: SpawnOptions): ChildProcess {
  let fd: number | undefined;
  if (options.logFile) {
    mkdirSync(logDir, { recursive: true });
    fd = openSync(options.logFile, 'w');
  }
  const child = spawn(command, args, {
    cwd: repoRoot,
    detached: true,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', fd ?? 'pipe', fd ?? 'pipe'],
  });
  if (fd !== undefined) closeSync(fd);
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

export function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {} // the group is already gone
  };
  signal('SIGTERM');
  const force = setTimeout(() => signal('SIGKILL'), 5_000);
  return exited.finally(() => clearTimeout(force));
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map(stop));
}

/** Runs a command to completion and returns its output; throws on a non-zero exit. */
export function run(
  command: string,
  args: string[],
  options: SpawnOptions = {},
): Promise<{ stdout: string; stderr: string }> {
  const child = startTracked(command, args, options);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${stderr}${stdout}`));
    });
  });
}

export interface Server {
  url: string;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * Starts a server whose output goes to a log file (cheap for the server, and readable afterwards), and waits
 * until a line matches `ready`, whose first group is the port or URL it listens on.
 */
export async function startServer(options: {
  name: string;
  /** The program to run: this Node when undefined. */
  command?: string;
  args: string[];
  env?: Record<string, string | undefined>;
  ready: RegExp;
  timeoutMs?: number;
}): Promise<Server> {
  const logFile = join(logDir, `${options.name}.log`);
  const child = startTracked(options.command ?? process.execPath, options.args, { env: options.env, logFile });
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    const log = readFileSync(logFile, 'utf8');
    const match = options.ready.exec(log);
    if (match?.[1]) {
      const url = /^\d+$/.test(match[1]) ? `http://127.0.0.1:${match[1]}` : match[1].replace(/\/$/, '');
      return { url, pid: child.pid as number, logFile, stop: () => stop(child) };
    }
    const ended = child.exitCode !== null || child.signalCode !== null;
    if (ended || Date.now() > deadline) {
      await stop(child);
      throw new Error(
        `${options.name} ${ended ? 'exited' : 'was not ready in time'}; its log (${logFile}):\n${log.slice(-4000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The fields of /proc/<pid>/stat after the command name (which may hold spaces), so that index 0 is the state
 * (field 3 in proc(5)); undefined once the process is gone.
 */
function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The parent's process id (field 4 in proc(5)). */
export function parentPid(pid: number): number {
  return Number(statFields(pid)?.[1]);
}

/**
 * CPU time (milliseconds) the process has used so far; 0 once it is gone. utime and stime (fields 14, 15) plus
 * cutime and cstime (16, 17): the CPU of children that have exited and been waited for, which would otherwise go
 * uncounted.
 */
export function cpuMs(pid: number): number {
  const fields = statFields(pid);
  if (fields === undefined) return 0;
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return (ticks * 1000) / clockTicks;
}
const clockTicks = 100; // USER_HZ: 100 on every Linux this runs on

/** CPU used so far by a process, its descendants alive now, and those that have exited (PostgreSQL backends). */
export function treeCpuMs(root: number): number {
  return processTree(root).reduce((sum, pid) => sum + cpuMs(pid), 0);
}

/** The process and all its descendants (Prism runs under the mock's wrapper). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (fields === undefined) continue; // exited meanwhile
    const ppid = Number(fields[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i] as number) ?? []));
  return tree;
}
