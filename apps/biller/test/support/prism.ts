// A small Prism validation proxy for the integration suite (a shared helper is planned in packages/mocks).
// Prism has no readiness endpoint: spawn its script with this Node, wait for "Prism is listening on <url>",
// and kill its whole process group when done.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

const prismCli = fileURLToPath(
  new URL('../../../../packages/mocks/node_modules/@stoplight/prism-cli/dist/index.js', import.meta.url),
);

export const specFile = (api: string) =>
  fileURLToPath(new URL(`../../../../specs/${api}/openapi.yaml`, import.meta.url));

export interface PrismProxy {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** `prism proxy <spec> <upstream> --errors`: any request or response breaking the contract becomes an error. */
export function startPrismProxy(api: string, upstream: string, timeoutMs = 60_000): Promise<PrismProxy> {
  const child = spawn(
    process.execPath,
    [prismCli, 'proxy', specFile(api), upstream, '--errors', '--port', '0', '--host', '127.0.0.1'],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } },
  );
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop(child);
      reject(new Error(`Prism (${api}) not ready after ${timeoutMs} ms:\n${log}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      log = (log + stripVTControlCharacters(chunk.toString())).slice(-100_000);
      const ready = /Prism is listening on (http:\/\/\S+)/.exec(log);
      if (ready?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.on('data', (more: Buffer) => {
          log = (log + stripVTControlCharacters(more.toString())).slice(-100_000);
        });
        resolve({ url: ready[1].replace(/\/$/, ''), output: () => log, stop: () => stop(child) });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      log += stripVTControlCharacters(chunk.toString());
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism (${api}) exited with ${code} before it was ready:\n${log}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (child.exitCode !== null || pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    try {
      process.kill(-pid, 'SIGTERM'); // the whole group: Prism may fork
    } catch {
      resolve();
    }
  });
}
