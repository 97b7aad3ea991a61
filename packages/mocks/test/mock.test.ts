import { Contract } from '@bbps-kit/contracts/validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badRequestExample } from '../src/front.ts';
import { type RunningPrism, startMock } from '../src/index.ts';

describe('kaleidofin-partner mock', () => {
  let mock: RunningPrism;
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

  it("answers a schema-invalid request with the contract's own 400 example, not a 422 business refusal", async () => {
    const response = await post('/bills/fetchReceipt', { systemBillId: 'not-a-number' });
    expect(response.status).toBe(400);
    expect(response.headers.get('sl-violations')).toContain('request');
    const body = await response.json();
    expect(body).toEqual(badRequestExample(contract, 'POST', '/bills/fetchReceipt')?.value);
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

describe('stopping a mock', () => {
  it('ends the Prism process group and frees the port', async () => {
    const mock = await startMock('eko-bbps');
    expect((await fetch(`${mock.url}/customer/payment/bbps/bill`)).status).toBeGreaterThanOrEqual(400);
    await mock.stop();
    await expect(fetch(`${mock.url}/customer/payment/bbps/bill`)).rejects.toThrow();
  }, 60_000);
});

describe('badRequestExample', () => {
  it('matches templated paths and returns undefined for unknown operations', async () => {
    const collect = await Contract.load('kaleidofin-collect');
    expect(badRequestExample(collect, 'GET', '/bills/status/19')?.mediaType).toBe('application/json');
    expect(badRequestExample(collect, 'GET', '/no/such/path')).toBeUndefined();
  });
});
