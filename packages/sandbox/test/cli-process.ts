// `pnpm sandbox` as a child process, for the tests: its table once printed (`ready`), its exit, its stderr, and
// each service's URL read from the table.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

const started = new Set<ReturnType<typeof spawn>>();

/** For afterAll: stops, by its pid, every sandbox a test started and did not stop (a failed test's). */
export function stopStarted(): void {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
}

export function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
  started.add(child);
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('x-sandbox-delay-ms')) resolve(out);
    });
    void exited.then((code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  return { child, ready, exited, stderr: () => err };
}

export function urlOf(table: string, service: string): string {
  const url = table.match(new RegExp(`^${service}\\s+(http://127\\.0\\.0\\.1:\\d+)`, 'm'))?.[1];
  expect(url, `${service} in\n${table}`).toBeDefined();
  return url as string;
}
