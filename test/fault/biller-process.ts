// The biller as the fault suites run it: the real process (`node apps/biller/src/main.ts`), one per call, on
// PostgreSQL or on an embedded PGlite folder. Every process started here is tracked, so a failing test still
// stops what it started (SIGTERM, then SIGKILL).
import { type ChildProcess, spawn } from 'node:child_process';
import { type Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { demoKeys } from '@bbps-kit/biller';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const billerMain = fileURLToPath(import.meta.resolve('@bbps-kit/biller/main'));
export const importCli = fileURLToPath(import.meta.resolve('@bbps-kit/biller/import-cli'));

export type Target = { engine: 'postgres'; url: string } | { engine: 'pglite'; dataDir: string };

export const ebppHeaders = {
  'client-key': demoKeys.ebppClientKey,
  'api-key': demoKeys.ebppApiKey,
} as const;
export const kaleidofinHeaders = { 'x-api-key': demoKeys.kaleidofinApiKey } as const;

/**
 * A clean environment for a biller process: nothing inherited but PATH and HOME (and
 * FAULT_BILLER_NODE_OPTIONS as NODE_OPTIONS), so a DATABASE_URL or DATA_DIR in the caller's shell cannot point
 * a test at the wrong database.
 */
export function billerEnv(target: Target, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: '0',
    BILLER_DEMO: '1',
    KALEIDOFIN_API_KEYS: demoKeys.kaleidofinApiKey,
    EBPP_CLIENT_KEY: demoKeys.ebppClientKey,
    EBPP_API_KEYS: demoKeys.ebppApiKey,
    ...(target.engine === 'postgres' ? { DATABASE_URL: target.url } : { DATA_DIR: target.dataDir }),
    // Node options for the biller only (a profiler, or a loader hook that plants a bug to check that these
    // suites catch it), never the test runner's own.
    ...(process.env.FAULT_BILLER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.FAULT_BILLER_NODE_OPTIONS } : {}),
    ...extra,
  };
}

export interface LogLine {
  msg?: string;
  level?: string;
  status?: number;
  [field: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface BillerProcess {
  readonly label: string;
  readonly child: ChildProcess;
  /** The port from the `listening` log line; rejects if the process exits before it listens. */
  readonly listening: Promise<number>;
  readonly exited: Promise<Exit>;
  /** Whether the `listening` line has been seen. */
  isListening(): boolean;
  /** Every JSON log line except the per-request ones (those are only counted, by status). */
  events(): LogLine[];
  /** Requests the process logged, by HTTP status. */
  requestStatuses(): Map<number, number>;
  /** The last 64 KiB of raw stdout and stderr, for evidence when something goes wrong. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<Exit>;
  /** SIGKILL, and wait until the process is gone. */
  kill(): Promise<Exit>;
}

const running = new Set<BillerProcess>();
const outputCap = 64 * 1024;

export function startBiller(env: Record<string, string>, label = 'biller'): BillerProcess {
  const child = spawn(process.execPath, [billerMain], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let raw = '';
  let partial = '';
  let listeningSeen = false;
  const events: LogLine[] = [];
  const statuses = new Map<number, number>();
  let onListening: (port: number) => void = () => {};
  const keep = (text: string) => {
    raw += text;
    if (raw.length > outputCap * 2) raw = raw.slice(-outputCap);
  };
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    keep(chunk);
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const text of lines) {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        continue;
      }
      if (line.msg === 'request' && typeof line.status === 'number') {
        statuses.set(line.status, (statuses.get(line.status) ?? 0) + 1);
        continue;
      }
      events.push(line);
      if (line.msg === 'listening' && typeof line.port === 'number') {
        listeningSeen = true;
        onListening(line.port);
      }
    }
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', keep);

  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const listening = new Promise<number>((resolve, reject) => {
    onListening = resolve;
    void exited.then(({ code, signal }) => {
      reject(new Error(`${label} exited (code ${code}, signal ${signal}) before listening:\n${raw.slice(-4000)}`));
    });
  });
  // Callers that kill a process before it listens never await this.
  listening.catch(() => {});

  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const proc: BillerProcess = {
    label,
    child,
    listening,
    exited,
    isListening: () => listeningSeen,
    events: () => events,
    requestStatuses: () => statuses,
    output: () => raw.slice(-outputCap),
    async stop(graceMs = 5_000) {
      if (!gone()) child.kill('SIGTERM');
      const force = setTimeout(() => {
        if (!gone()) child.kill('SIGKILL');
      }, graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(force);
      }
    },
    async kill() {
      if (!gone()) child.kill('SIGKILL');
      return exited;
    },
  };
  running.add(proc);
  void exited.then(() => running.delete(proc));
  return proc;
}

/** Stops every biller process still running (SIGTERM, then SIGKILL after `graceMs`). */
export async function stopAllBillers(graceMs = 5_000): Promise<void> {
  await Promise.all([...running].map((proc) => proc.stop(graceMs)));
}

// Last resort if the test process itself goes away: no biller outlives it.
process.once('exit', () => {
  for (const proc of running) proc.child.kill('SIGKILL');
});

export interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * One POST over node:http, through `agent` (which bounds the connections). Rejects on any transport failure
 * (refused, reset, no answer within `timeoutMs`): then the caller cannot know whether it was applied.
 */
export function post(
  agent: Agent,
  port: number,
  path: string,
  headers: Record<string, string>,
  body: { json: unknown } | { form: Record<string, string> },
  timeoutMs = 30_000,
): Promise<Answer> {
  const [contentType, payload] =
    'json' in body
      ? ['application/json', JSON.stringify(body.json)]
      : ['application/x-www-form-urlencoded', new URLSearchParams(body.form).toString()];
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { ...headers, 'content-type': contentType, 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export async function getStatus(port: number, path: string): Promise<Answer> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5_000) });
  const headers: Answer['headers'] = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { status: response.status, body: await response.text(), headers };
}
