// `pnpm sandbox` as an integrator runs it: a process that is ready well under 5 s, prints its URLs and credentials,
// honours a port override and credential variables (never printing an access key of one's own), answers signed
// requests, and stops on Ctrl-C (SIGINT) with exit code 0.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ekoSecretKey } from '@bbps-kit/client';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
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

describe('pnpm sandbox', () => {
  it('is ready in under 5 s on the port asked, prints the table, answers, and stops on SIGINT', async () => {
    const started = Date.now();
    const run = start(['eko-bbps=0']);
    const out = await run.ready;
    expect(Date.now() - started).toBeLessThan(5_000);
    const url = out.match(/eko-bbps\s+(http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    expect(url).toBeDefined();
    expect(out).toContain('developer_key sandbox-developer-key, access key sandbox-access-key');
    for (const suffix of ['0001', '0002', '0003', '0004', '0005', '0009']) expect(out).toContain(`…${suffix}`);
    const timestamp = String(Date.now());
    const response = await fetch(`${url}/tools/reference/transaction/2882709962?initiator_id=9962981729`, {
      headers: {
        developer_key: 'sandbox-developer-key',
        'secret-key-timestamp': timestamp,
        'secret-key': ekoSecretKey('sandbox-access-key', timestamp),
      },
    });
    expect(response.status).toBe(200);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it('takes its credentials from EKO_DEVELOPER_KEY and EKO_ACCESS_KEY, and never prints the access key', async () => {
    const run = start(['eko-bbps=0'], { EKO_DEVELOPER_KEY: 'my-dev-key', EKO_ACCESS_KEY: 'my-secret-access-key' });
    const out = await run.ready;
    expect(out).toContain('developer_key my-dev-key, access key (from EKO_ACCESS_KEY)');
    expect(out).not.toContain('my-secret-access-key');
    const url = out.match(/eko-bbps\s+(http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    const timestamp = String(Date.now());
    const headers = (accessKey: string) => ({
      developer_key: 'my-dev-key',
      'secret-key-timestamp': timestamp,
      'secret-key': ekoSecretKey(accessKey, timestamp),
    });
    const path = `${url}/tools/reference/transaction/2882709962?initiator_id=9962981729`;
    expect((await fetch(path, { headers: headers('my-secret-access-key') })).status).toBe(200);
    expect((await fetch(path, { headers: headers('sandbox-access-key') })).status).toBe(403);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
  });

  it('refuses an argument it cannot read, with exit code 2', async () => {
    const run = start(['eko=1']);
    await expect(run.ready).rejects.toThrow(/exited 2/);
    expect(run.stderr()).toMatch(/cannot read "eko=1"/);
  });
});
