// The real process: `node src/main.ts` as `pnpm start` runs it.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
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
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    stderr += chunk.toString();
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
  return { child, output: () => out, stdout: () => stdout, stderr: () => stderr, exited, listening };
}

/** A port free right now (closed again before the biller takes it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The TCP ports a process listens on, from Linux's /proc (its socket inodes, matched against the LISTEN rows of
 * /proc/net/tcp and tcp6). Undefined where there is no /proc. Node's binary may be started by a wrapper script: the
 * process tree below `pid` is searched.
 */
function listeningPorts(pid: number): number[] | undefined {
  if (!existsSync('/proc/net/tcp')) return undefined;
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) {
    for (const task of readdirSync(`/proc/${pids[i]}/task`)) {
      const children = readFileSync(`/proc/${pids[i]}/task/${task}/children`, 'utf8').trim();
      if (children) pids.push(...children.split(/\s+/).map(Number));
    }
  }
  const inodes = new Set<string>();
  for (const p of pids) {
    for (const fd of readdirSync(`/proc/${p}/fd`)) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${p}/fd/${fd}`));
        if (match) inodes.add(match[1] as string);
      } catch {}
    }
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const row of readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
      const cols = row.trim().split(/\s+/);
      // local_address is HEX_IP:HEX_PORT, st 0A is LISTEN, inode is the tenth column.
      if (cols[3] === '0A' && inodes.has(cols[9] as string))
        ports.add(Number.parseInt(cols[1]?.split(':')[1] ?? '', 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
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
    const { child, listening, exited, output, stdout } = start({});
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
    // The banner names the demo keys on stderr; the JSON logs never carry a key.
    expect(stdout()).not.toContain(demoKeys.kaleidofinApiKey);
  });

  it('in demo mode first says where everything is, and sends / to the docs', async () => {
    const port = await freePort();
    const { listening, stdout, stderr } = start({ PORT: String(port) });
    expect(await listening).toBe(port);
    const banner = stderr();
    expect(banner).toContain('demo mode');
    expect(banner).toContain(`http://127.0.0.1:${port}/docs/`);
    for (const key of Object.values(demoKeys)) expect(banner).toContain(key);
    expect(banner).toContain(`curl -s -X POST http://127.0.0.1:${port}/bills/fetchBills`);
    // Before any JSON line, and not a JSON line itself.
    expect(stdout().split('\n')[0]).toMatch(/^\{"time":/);
    expect(banner).not.toMatch(/^\{/m);

    // The banner's request works as printed (the shell's quoting undone: the body between the single quotes).
    const body = /-d '([^']+)'/.exec(banner)?.[1] ?? '';
    const answer = await fetch(`http://127.0.0.1:${port}/bills/fetchBills`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': demoKeys.kaleidofinApiKey },
      body,
    });
    expect([
      answer.status,
      ((await answer.json()) as { data: { customer: { info: { consumerId: string } } } }).data.customer.info.consumerId,
    ]).toEqual([200, 'AY1234']);

    const root = await fetch(`http://127.0.0.1:${port}/`, { redirect: 'manual' });
    expect([root.status, root.headers.get('location')]).toEqual([302, '/docs/']);
    const unknown = await fetch(`http://127.0.0.1:${port}/nope`);
    expect(unknown.status).toBe(404);
  });

  it('prints no banner outside demo mode, and without METRICS_PORT listens on one port only', async () => {
    const { child, listening, stderr, stdout } = start({
      BILLER_DEMO: '0',
      KALEIDOFIN_API_KEYS: 'k-1',
      EBPP_CLIENT_KEY: 'client_1',
      EBPP_API_KEYS: 'a-1',
    });
    const port = await listening;
    expect(stderr()).toBe('');
    expect(stdout()).not.toContain('metrics listening');
    const ports = child.pid === undefined ? undefined : listeningPorts(child.pid);
    if (ports !== undefined) expect(ports).toEqual([port]);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
  });

  it('with METRICS_PORT serves /metrics there, on loopback, and not on the biller port', async () => {
    const { child, listening, stdout } = start({ METRICS_PORT: '0' });
    const port = await listening;
    const line = stdout()
      .split('\n')
      .find((l) => l.includes('"msg":"metrics listening"'));
    expect(line).toBeDefined();
    const logged = JSON.parse(line as string) as { host: string; port: number };
    expect(logged.host).toBe('127.0.0.1');
    const ports = child.pid === undefined ? undefined : listeningPorts(child.pid);
    if (ports !== undefined) expect(ports).toEqual([port, logged.port].sort((a, b) => a - b));

    await fetch(`http://127.0.0.1:${port}/healthz`);
    const scraped = await fetch(`http://127.0.0.1:${logged.port}/metrics`);
    expect(scraped.status).toBe(200);
    const text = await scraped.text();
    expect(text).toMatch(/^biller_http_requests_total\{contract="none",operation="healthz",status="200"\} 1$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
  });

  it('refuses a bad METRICS_PORT by name', async () => {
    const { exited, output } = start({ METRICS_PORT: 'nine' });
    expect(await exited).toBe(1);
    expect(output()).toMatch(/METRICS_PORT must be a port number \(0-65535\), got "nine"/);
  });
});
