// The client's runnable examples (packages/client/examples) against a whole sandbox, as a newcomer runs them: the
// `pnpm sandbox` process with its biller child, and each example as a child process with its base URL and keys in
// the environment, exiting 0 with its story on stdout. Then Ctrl-C: the sandbox and its biller both stop.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billerDemoKeys, startDemoBiller } from '../src/biller/demo.ts';
import { start, stopStarted, urlOf } from './cli-process.ts';

const examples = fileURLToPath(new URL('../../client/examples/', import.meta.url));
let sandbox: ReturnType<typeof start>;
let table: string;

beforeAll(async () => {
  sandbox = start(['eko-bbps=0', 'digiledge-agent=0', 'kaleidofin-collect=0', 'biller=0']);
  table = await sandbox.ready;
}, 120_000);
afterAll(stopStarted);

function runExample(
  file: string,
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${examples}${file}`], { env: { ...process.env, ...env }, stdio: 'pipe' });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    child.once('exit', (code) => resolve({ code, out, err }));
  });
}

describe('packages/client/examples against pnpm sandbox', () => {
  it('eko.ts: the seed’s bill, and its payment settled by inquiry as the seed’s success', async () => {
    const run = await runExample('eko.ts', {
      EKO_BASE_URL: urlOf(table, 'eko-bbps'),
      EKO_DEVELOPER_KEY: 'sandbox-developer-key',
      EKO_ACCESS_KEY: 'sandbox-access-key',
    });
    expect(run, run.err).toMatchObject({ code: 0 });
    expect(run.out).toContain('bill MSEB-202406-0042: ₹1,350.00');
    expect(run.out).toContain('payment REQ-20260101-001 (tid 2882709962): success');
  });

  it('digiledge.ts: fetch, poll, pay once, poll the payment to success', async () => {
    const run = await runExample('digiledge.ts', {
      DIGILEDGE_BASE_URL: urlOf(table, 'digiledge-agent'),
      DIGILEDGE_API_KEY: 'sandbox-key',
    });
    expect(run, run.err).toMatchObject({ code: 0 });
    expect(run.out).toContain('bill EMI-7710485-0325: ₹56.00');
    expect(run.out).toMatch(/payment vkL5Q79lukhzL4dSHatditBwzin\d{8}: success ₹56\.00/);
  });

  it('kaleidofin-collect.ts: the seed customer’s first bill, paid through collect into the demo biller', async () => {
    const run = await runExample('kaleidofin-collect.ts', {
      KALEIDOFIN_COLLECT_BASE_URL: urlOf(table, 'kaleidofin-collect'),
      KALEIDOFIN_API_KEY: 'sandbox-key',
    });
    expect(run, run.err).toMatchObject({ code: 0 });
    expect(run.out).toContain('bill 18 (JuneInstallment): ₹1,000.00');
    expect(run.out).toMatch(/bill 18: PAYMENT_SUCCESSFUL, receipt R\d+/);
  });

  it('ebpp.ts: the lookup and a payment posting against the sandbox’s demo biller', async () => {
    const run = await runExample('ebpp.ts', {
      EBPP_BASE_URL: urlOf(table, 'biller'),
      EBPP_CLIENT_KEY: billerDemoKeys.ebppClientKey,
      EBPP_API_KEY: billerDemoKeys.ebppApiKey,
    });
    expect(run, run.err).toMatchObject({ code: 0 });
    expect(run.out).toContain('on LN-AY1234');
  });

  it('kaleidofin-partner.ts: the seed’s bills from a demo biller of its own, the first acknowledged with a receipt', async () => {
    // Its own biller: the sandbox's has had both seed bills paid by the examples above.
    const biller = await startDemoBiller(0);
    try {
      const run = await runExample('kaleidofin-partner.ts', {
        KALEIDOFIN_PARTNER_BASE_URL: biller.server.url,
        PARTNER_API_KEY: billerDemoKeys.kaleidofinApiKey,
      });
      expect(run, run.err).toMatchObject({ code: 0 });
      expect(run.out).toMatch(/^\S.*: 2 bill\(s\), first \S+ ₹[\d,.]+\nreceipt R\d+ at \S+\n$/);
    } finally {
      await biller.close();
    }
  }, 60_000);

  it('Ctrl-C stops the sandbox and its biller child', async () => {
    const biller = urlOf(table, 'biller');
    expect((await fetch(`${biller}/healthz`)).status).toBe(200);
    sandbox.child.kill('SIGINT');
    expect(await sandbox.exited).toBe(0);
    await expect(fetch(`${biller}/healthz`)).rejects.toThrow();
  });
});
