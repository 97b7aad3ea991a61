import { Contract } from '@bbps-kit/contracts/validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../src/index.ts';
import { exampleRequest, send } from './requests.ts';

const json = async (response: Response) => JSON.parse(await response.text()) as Record<string, unknown>;

describe('kaleidofin-partner mock', () => {
  let mock: RunningMock;
  let contract: Contract;
  const examples = () => contract.document.components?.examples as Record<string, { value: unknown }>;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(mock.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'any-key', ...headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    [mock, contract] = await Promise.all([startMock('kaleidofin-partner'), Contract.load('kaleidofin-partner')]);
  }, 60_000);
  afterAll(() => mock?.stop());

  it("answers the seed's fetchBills request with the seed's response", async () => {
    const response = await post('/bills/fetchBills', examples().SeedFetchBillsRequest?.value);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(examples().SeedFetchBillsResponse?.value);
  });

  it("answers a schema-invalid request with a 400 in the contract's envelope naming the field, not a 422", async () => {
    const seed = examples().SeedFetchReceiptRequest?.value as object;
    const response = await post('/bills/fetchReceipt', { ...seed, systemBillId: 'not-a-number' });
    expect(response.status).toBe(400);
    expect(response.headers.get('sl-violations')).toContain('request');
    const body = await json(response);
    expect(body.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'systemBillId' });
    expect(contract.response('fetchReceipt', 400, body)).toEqual({ valid: true, errors: [] });
  });

  it('still serves the 422 example when a valid request asks for it', async () => {
    const response = await post('/bills/fetchReceipt', examples().SeedFetchReceiptRequest?.value, {
      prefer: 'code=422',
    });
    expect(response.status).toBe(422);
    expect(contract.response('fetchReceipt', 422, await response.json()).valid).toBe(true);
  });

  it('answers a request without the x-api-key header with the 401 envelope', async () => {
    const response = await fetch(`${mock.url}/bills/fetchBills`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[]',
    });
    expect(response.status).toBe(401);
    expect(contract.response('fetchBills', 401, await response.json()).valid).toBe(true);
  });
});

describe('a supervised Prism', () => {
  it('is restarted when it stops answering or dies, with a line on stderr and 503s in the envelope meanwhile; stop() ends it', async () => {
    const lines: string[] = [];
    const [mock, contract] = await Promise.all([
      startMock('eko-bbps', { log: (line) => lines.push(line), upstreamTimeoutMs: 1_500 }),
      Contract.load('eko-bbps'),
    ]);
    try {
      const request = exampleRequest(contract, contract.operation('getTransaction'));
      const answered = async () => {
        for (;;) {
          const response = await send(mock.url, request);
          if (response.status !== 503) return response;
          expect(response.headers.get('retry-after')).toBe('1');
          // Eko declares no 503: the envelope is that of its 500.
          const body = await json(response);
          expect(body).toMatchObject({ status: 503, response_status_id: -1 });
          expect(contract.response('getTransaction', 500, body).errors).toEqual([]);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      };
      // The crash issue 12 found: a broken escape sent to Prism itself (the front never passes one on).
      const internal = mock.output().match(/Prism is listening on (http:\/\/[^\s/]+)/)?.[1];
      await fetch(`${internal}/tools/reference/transaction/abc%zz`, { headers: request.headers }).catch(() => 0);
      const first = await send(mock.url, request);
      expect(first.status).toBe(503);
      expect((await answered()).status).toBe(200);
      expect(mock.restarts()).toBe(1);
      expect(lines[0]).toMatch(/^mock eko-bbps: Prism (exited \(code 1\)|stopped answering \(.*\)); restarting it$/);
      expect(lines[1]).toBe('mock eko-bbps: Prism restarted');

      // A Prism that hangs (here: stopped) is given up on after upstreamTimeoutMs.
      process.kill(mock.pid() as number, 'SIGSTOP');
      expect((await send(mock.url, request)).status).toBe(503);
      expect(lines[2]).toMatch(/^mock eko-bbps: Prism stopped answering \(.*\); restarting it$/);
      expect((await answered()).status).toBe(200);
      expect(mock.restarts()).toBe(2);

      // Stopping ends the Prism process group and frees the port.
      const pid = mock.pid() as number;
      await mock.stop();
      await expect(fetch(mock.url)).rejects.toThrow();
      expect(() => process.kill(pid, 0)).toThrow();
    } finally {
      await mock.stop();
    }
  }, 60_000);
});
