// `pnpm sandbox` as an integrator runs it: a process that prints its URLs and credentials, honours port overrides,
// `--partner` and credential variables (never printing a key of one's own), answers, and stops on Ctrl-C (SIGINT)
// with exit code 0. These runs name a partner (`--partner`), so no biller is started; the biller child's life is
// proven in examples.test.ts, which runs the client's examples against a whole sandbox.
import { ekoSecretKey } from '@bbps-kit/client';
import { afterAll, describe, expect, it } from 'vitest';
import { start, stopStarted, urlOf } from './cli-process.ts';

afterAll(stopStarted);

const ports = ['eko-bbps=0', 'digiledge-agent=0', 'kaleidofin-collect=0', '--partner', 'http://127.0.0.1:9'];

describe('pnpm sandbox', () => {
  it('prints the table on the ports asked, answers, and stops on SIGINT', async () => {
    const run = start(ports);
    const out = await run.ready;
    const url = urlOf(out, 'eko-bbps');
    expect(out).toContain('developer_key sandbox-developer-key, access key sandbox-access-key');
    expect(out).toMatch(/digiledge-agent\s+http:\/\/127\.0\.0\.1:\d+\s+x-api-key sandbox-key; tenantId FE41/);
    expect(out).toMatch(/kaleidofin-collect\s+http:\/\/127\.0\.0\.1:\d+\s+x-api-key sandbox-key/);
    expect(out).toMatch(/partner\s+http:\/\/127\.0\.0\.1:9\s+/);
    expect(out).not.toMatch(/^biller /m);
    for (const suffix of ['0001', '0002', '0003', '0004', '0005', '0009']) expect(out).toContain(`…${suffix}`);
    const digiledge = await fetch(
      `${urlOf(out, 'digiledge-agent')}/couapp/bills/fetch/byId?billId=5947f973-b595-484d-a19c-24a7668b058e`,
      {
        headers: { 'x-api-key': 'sandbox-key' },
      },
    );
    expect(digiledge.status).toBe(200);
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

  it('takes its credentials from the environment, and never prints a key of one’s own', async () => {
    const run = start(ports, {
      EKO_DEVELOPER_KEY: 'my-dev-key',
      EKO_ACCESS_KEY: 'my-secret-access-key',
      DIGILEDGE_API_KEY: 'my-digiledge-key',
      KALEIDOFIN_API_KEY: 'my-collect-key',
      PARTNER_API_KEY: 'my-partner-key',
    });
    const out = await run.ready;
    expect(out).toContain('developer_key my-dev-key, access key (from EKO_ACCESS_KEY)');
    expect(out).toContain('x-api-key (from DIGILEDGE_API_KEY)');
    expect(out).toContain('x-api-key (from KALEIDOFIN_API_KEY)');
    expect(out).toContain('x-api-key (from PARTNER_API_KEY)');
    for (const secret of ['my-secret-access-key', 'my-digiledge-key', 'my-collect-key', 'my-partner-key']) {
      expect(out).not.toContain(secret);
    }
    const collect = (key: string) =>
      fetch(`${urlOf(out, 'kaleidofin-collect')}/bills/status/15`, { headers: { 'x-api-key': key } });
    expect((await collect('my-collect-key')).status).toBe(200);
    expect((await collect('sandbox-key')).status).toBe(401);
    const url = urlOf(out, 'eko-bbps');
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
    const partner = start(['--partner', 'ftp://x']);
    await expect(partner.ready).rejects.toThrow(/exited 2/);
    expect(partner.stderr()).toMatch(/cannot read --partner "ftp:\/\/x"/);
  });
});
