// The real process: `node src/main.ts` as `pnpm start` runs it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { demoKeys } from '../src/config.ts';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const running: ChildProcess[] = [];
const dirs: string[] = [];

function start(env: Record<string, string>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'biller-'));
  dirs.push(dataDir);
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<number>((resolve, reject) => {
    const poll = setInterval(() => {
      const line = out.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (line) {
        clearInterval(poll);
        resolve(JSON.parse(line).port);
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(poll);
      reject(new Error(`exited with ${code}: ${out}`));
    });
  });
  // Not every test waits for it; an early exit must not become an unhandled rejection.
  listening.catch(() => {});
  return { child, output: () => out, exited, listening };
}

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the biller process', () => {
  it('refuses to start without keys outside demo mode, and says which variable is missing', async () => {
    const { exited, output } = start({ BILLER_DEMO: '0', KALEIDOFIN_API_KEYS: 'k' });
    expect(await exited).toBe(1);
    expect(output()).toMatch(/EBPP_CLIENT_KEY is not set/);
    expect(output()).toMatch(/EBPP_API_KEYS is not set/);
    expect(output()).not.toMatch(/KALEIDOFIN_API_KEYS is not set/);
  });

  it('starts in demo mode, serves, and on SIGTERM finishes the request in flight before it exits', async () => {
    const { child, listening, exited, output } = start({});
    const port = await listening;
    expect(await (await fetch(`http://127.0.0.1:${port}/healthz`)).json()).toEqual({ status: 'ok' });

    // A request whose body is still arriving when the signal comes.
    const body = JSON.stringify([{ identifierKey: 'customerId', identifierValue: 'AY1234' }]);
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString();
    });
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /bills/fetchBills HTTP/1.1\r\nhost: x\r\nconnection: close\r\ncontent-type: application/json\r\n` +
        `x-api-key: ${demoKeys.kaleidofinApiKey}\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.end(body.slice(10));
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toContain('"consumerId":"AY1234"');
    expect(await exited).toBe(0);
    const logs = output();
    expect(logs.indexOf('"msg":"shutting down"')).toBeLessThan(logs.indexOf('"path":"/bills/fetchBills"'));
    expect(logs).toContain('"msg":"stopped"');
    expect(logs).not.toContain(demoKeys.kaleidofinApiKey);
  });
});
