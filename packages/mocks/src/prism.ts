// Starting and stopping Prism, in one place for `pnpm mock`, the contract tests and the benchmarks.
// Prism never exits by itself and has no readiness endpoint: we spawn its script with this Node (about a
// second faster than `pnpm exec`), wait for "Prism is listening on <url>", and kill its whole process group.
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { type ApiName, apiNames, Contract, specPath } from '@bbps-kit/contracts/validator';
import { type FrontOptions, startFront, type Upstream } from './front.ts';

export { type ApiName, apiNames };

/** The sandbox's fixed ports, as the README lists them. */
export const defaultMockPorts: Record<ApiName, number> = {
  'kaleidofin-partner': 4010,
  'kaleidofin-collect': 4011,
  'digiledge-agent': 4012,
  'eko-bbps': 4013,
  'ebpp-mpa': 4014,
};

const maxLogChars = 64 * 1024;
const prismCli = join(
  dirname(createRequire(import.meta.url).resolve('@stoplight/prism-cli/package.json')),
  'dist/index.js',
);

/** The contract Prism serves: the split source spec, which Prism resolves itself. */
export const specFile = specPath;

export interface RunningPrism {
  api: ApiName;
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:4013 */
  url: string;
  /** Everything Prism printed so far (its request log), for test diagnostics. */
  output(): string;
  stop(): Promise<void>;
}

/** One Prism process. */
interface PrismProcess extends RunningPrism {
  child: ChildProcess;
  pid: number | undefined;
  /** True once the process has exited. */
  exited(): boolean;
}

export interface PrismOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  readyTimeoutMs?: number;
}

/**
 * A mock server answering from the contract's examples, validating requests and security. Prism listens on
 * a free internal port behind a thin front (see front.ts) that owns the requested port. Prism is supervised:
 * when it exits, or stops answering (the front reports refused connections and timeouts), it is killed and
 * started again on a new internal port, with a line on stderr; the front answers 503 meanwhile.
 */
export async function startMock(api: ApiName, options: MockOptions = {}): Promise<RunningMock> {
  const { log = (line: string) => console.error(line) } = options;
  let current: PrismProcess | undefined;
  let stopped = false;
  let restarts = 0;
  let previousOutput = '';

  const spawnPrism = () =>
    startPrism(api, ['mock', specFile(api)], { ...options, port: 0 }, (code, signal) => {
      if (!stopped && current?.exited()) restart(`exited (${signal ?? `code ${code}`})`);
    });

  const restart = (why: string) => {
    const dead = current;
    if (!dead || stopped) return;
    // A Prism given up on is not asked to shut down gracefully: it may be hung or stopped.
    current = undefined;
    previousOutput += dead.output();
    log(`mock ${api}: Prism ${why}; restarting it`);
    void (async () => {
      await stopGroup(dead.child, 'SIGKILL');
      while (!stopped) {
        try {
          const prism = await spawnPrism();
          if (stopped) return void (await prism.stop());
          current = prism;
          restarts += 1;
          log(`mock ${api}: Prism restarted`);
          return;
        } catch (error) {
          log(`mock ${api}: Prism did not start again (${(error as Error).message.split('\n')[0]}); retrying`);
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
      }
    })();
  };

  const [contract, first] = await Promise.all([Contract.load(api), spawnPrism()]);
  current = first;
  const upstream: Upstream = {
    url: () => current?.url,
    failed: (url, reason) => {
      if (current?.url === url) restart(`stopped answering (${reason})`);
    },
  };
  try {
    const front = await startFront(contract, upstream, options.port ?? 0, options.host ?? '127.0.0.1', options);
    return {
      api,
      url: front.url,
      output: () => previousOutput + (current?.output() ?? ''),
      pid: () => current?.pid,
      restarts: () => restarts,
      stop: async () => {
        stopped = true;
        await Promise.all([front.close(), current?.stop()]);
      },
    };
  } catch (error) {
    stopped = true;
    await first.stop();
    throw error;
  }
}

export interface MockOptions extends PrismOptions, FrontOptions {
  /** Where the supervisor's lines go (stderr by default). */
  log?: (line: string) => void;
}

export interface RunningMock extends RunningPrism {
  /** The running Prism's process id, undefined while it restarts. */
  pid(): number | undefined;
  /** How many times Prism has been started again. */
  restarts(): number;
}

/**
 * A validation proxy in front of a real server: with `--errors` any request or response that breaks the
 * contract becomes an error response, so a test that goes through it fails on a contract violation.
 */
export function startProxy(api: ApiName, upstream: string, options: PrismOptions = {}): Promise<RunningPrism> {
  return startPrism(api, ['proxy', specFile(api), upstream, '--errors'], options);
}

function startPrism(
  api: ApiName,
  args: string[],
  options: PrismOptions,
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void,
): Promise<PrismProcess> {
  const { port = 0, host = '127.0.0.1', readyTimeoutMs = 30_000 } = options;
  // Below 'info' Prism no longer prints "Prism is listening", the only sign that it is ready.
  const child = spawn(process.execPath, [prismCli, ...args, '--port', String(port), '--host', host], {
    detached: true, // its own process group, so stop() also ends anything it forks
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'development', FORCE_COLOR: '0' },
  });
  // Prism logs every request: chunks are kept and trimmed now and then, not re-concatenated on each one.
  let chunks: string[] = [];
  let size = 0;
  const log = () => {
    const text = chunks.join('').slice(-maxLogChars);
    chunks = [text];
    size = text.length;
    return text;
  };
  const running: PrismProcess = {
    api,
    url: '',
    output: log,
    child,
    pid: child.pid,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    stop: () => stopGroup(child),
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`Prism for ${api} not ready after ${readyTimeoutMs} ms`)),
      readyTimeoutMs,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      void stopGroup(child);
      reject(new Error(`${error.message}\n${log()}`));
    };
    const onData = (chunk: Buffer) => {
      const text = stripVTControlCharacters(chunk.toString());
      chunks.push(text);
      size += text.length;
      if (size > 2 * maxLogChars) log();
      if (running.url) return;
      const ready = log().match(/Prism is listening on (http:\/\/\S+)/);
      if (ready?.[1]) {
        clearTimeout(timer);
        running.url = ready[1].replace(/\/$/, '');
        resolve(running);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', fail);
    child.once('exit', (code, signal) => {
      if (!running.url) fail(new Error(`Prism for ${api} exited with code ${code} before it was ready`));
      else onExit?.(code, signal);
    });
  });
}

function stopGroup(child: ChildProcess, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    process.kill(-child.pid, signal);
  } catch {
    return Promise.resolve(); // the group is already gone
  }
  const forced = setTimeout(() => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {}
  }, 3_000);
  return exited.finally(() => clearTimeout(forced));
}
