// Real HTTP through Prism's validation proxy (`--errors`): Prism checks each request and each of the
// server's answers against the spec, and turns any violation into an error response, which fails the test.
import type { AddressInfo } from 'node:net';
import { type RunningPrism as PrismProxy, startProxy } from '@bbps-kit/mocks';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { demoKeys } from '../src/config.ts';
import { createLogger } from '../src/logging.ts';
import { createLedger, pgliteEngine, type TestDatabase } from './support/db.ts';
import { ebppHeaders, example, kaleidofinHeaders } from './support/http.ts';

type Json = Record<string, unknown>;

describe('through Prism validation proxies, over a real socket', () => {
  let t: TestDatabase;
  let server: ReturnType<typeof serve>;
  let kaleidofin: PrismProxy;
  let ebpp: PrismProxy;
  // A deliberately wrong upstream, to show that this harness does catch a response that breaks the contract.
  let broken: PrismProxy;
  let brokenServer: ReturnType<typeof serve>;

  beforeAll(async () => {
    t = await createLedger(pgliteEngine, { demo: true });
    const app = buildApp({
      db: t.db,
      config: {
        kaleidofinApiKeys: [demoKeys.kaleidofinApiKey],
        ebppClientKey: demoKeys.ebppClientKey,
        ebppApiKeys: [demoKeys.ebppApiKey],
      },
      logger: createLogger(() => {}),
    });
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(info.port));
    });
    const upstream = `http://127.0.0.1:${port}`;
    const brokenPort = await new Promise<number>((resolve) => {
      const wrong = (request: Request) =>
        Response.json(request.url.endsWith('/bills/fetchBills') ? { data: {}, status: 0, success: true } : {}, {
          status: 200,
        });
      brokenServer = serve({ fetch: wrong, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(info.port));
    });
    [kaleidofin, ebpp, broken] = await Promise.all([
      startProxy('kaleidofin-partner', upstream),
      startProxy('ebpp-mpa', upstream),
      startProxy('kaleidofin-partner', `http://127.0.0.1:${brokenPort}`),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([kaleidofin?.stop(), ebpp?.stop(), broken?.stop()]);
    await new Promise((resolve) => brokenServer?.close(resolve));
    await new Promise((resolve) => server?.close(resolve));
    await t?.drop();
  });

  /** Sends through the proxy; a contract violation (Prism's own error) fails with Prism's explanation. */
  async function send(proxy: PrismProxy, path: string, init: RequestInit): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${proxy.url}${path}`, init);
    const text = await response.text();
    const violation = response.headers.get('content-type')?.includes('application/problem+json');
    expect(violation, `Prism reported a contract violation on ${path}: ${text}`).toBe(false);
    expect(response.headers.get('sl-violations'), `violations on ${path}`).toBeNull();
    return { status: response.status, body: JSON.parse(text) as Json };
  }
  const kPost = (path: string, json: unknown, headers: Record<string, string> = kaleidofinHeaders) =>
    send(kaleidofin, path, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });
  const ePost = (path: string, json: unknown, headers: Record<string, string> = ebppHeaders) =>
    send(ebpp, path, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });
  const eLookup = (form: Record<string, string>) =>
    send(ebpp, '/mpacustomers', {
      method: 'POST',
      headers: { ...ebppHeaders, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  const code = (answer: { status: number; body: Json }) =>
    answer.status === 200
      ? 200
      : 'error' in answer.body
        ? [answer.status, (answer.body.error as Json).code]
        : [answer.status, ((answer.body.errors as Json[])[0] as Json).code];

  it('the harness fails on a response that breaks the contract (negative control)', async () => {
    const response = await fetch(`${broken.url}/bills/fetchBills`, {
      method: 'POST',
      headers: { ...kaleidofinHeaders, 'content-type': 'application/json' },
      body: JSON.stringify([{ identifierKey: 'customerId', identifierValue: 'AY1234' }]),
    });
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.text()).toMatch(/VIOLATIONS|customerBills/);
  });

  it('Kaleidofin: the seed examples and every refusal keep the contract', async () => {
    const seed = await kPost(
      '/bills/fetchBills',
      await example('kaleidofin-partner', 'fetchBills', 'SeedFetchBillsRequest'),
    );
    expect(seed.body).toEqual(await example('kaleidofin-partner', 'fetchBills', 'SeedFetchBillsResponse'));
    const none = await kPost('/bills/fetchBills', [{ identifierKey: 'consumerId', identifierValue: 'AY5678' }]);
    expect((none.body.data as Json).billFetchStatus).toBe('NO_OUTSTANDING');
    expect(
      code(await kPost('/bills/fetchBills', [{ identifierKey: 'customerId', identifierValue: 'AY0000' }])),
    ).toEqual([404, 'CUSTOMER_NOT_FOUND']);
    const receiptRequest = await example('kaleidofin-partner', 'fetchReceipt', 'SeedFetchReceiptRequest');
    const first = await kPost('/bills/fetchReceipt', receiptRequest);
    expect(first.status).toBe(200);
    expect(await kPost('/bills/fetchReceipt', receiptRequest)).toEqual(first);
    const ack = (partnerBillId: string, amountPaid: number, transactionId: string) => ({
      systemBillId: 17,
      partnerBillId,
      paymentDetails: { billAmount: 1200, amountPaid, transactionId },
    });
    expect(code(await kPost('/bills/fetchReceipt', ack('TEST-124', 750.5, 'P1')))).toEqual([
      422,
      'AMOUNT_EXACTNESS_VIOLATED',
    ]);
    expect(code(await kPost('/bills/fetchReceipt', ack('TEST-124', 1200, 'P1')))).toBe(200);
    expect(code(await kPost('/bills/fetchReceipt', ack('TEST-124', 1000, 'P1')))).toEqual([
      409,
      'DUPLICATE_TRANSACTION_MISMATCH',
    ]);
    expect(code(await kPost('/bills/fetchReceipt', ack('TEST-124', 1200, 'P2')))).toEqual([422, 'BILL_ALREADY_PAID']);
    expect(code(await kPost('/bills/fetchReceipt', ack('NOPE', 1200, 'P3')))).toEqual([404, 'BILL_NOT_FOUND']);
    const valid = [{ identifierKey: 'customerId', identifierValue: 'AY1234' }];
    expect(code(await kPost('/bills/fetchBills', valid, { 'x-api-key': 'wrong' }))).toEqual([401, 'UNAUTHORIZED']);
  });

  it('EBPP: lookups, postings, reversal and refund keep the contract', async () => {
    expect(code(await eLookup({ account_number: 'LN-AY1234' }))).toBe(200);
    expect(code(await eLookup({ email: 'vishakha.kulkarni@gmail.com' }))).toBe(200);
    expect(code(await eLookup({ customer_reference: 'AY0871' }))).toBe(200);
    expect(code(await eLookup({ account_number: 'LN-AY9999' }))).toEqual([404, 'error_field']);
    expect(code(await eLookup({ ssn: '123456789' }))).toEqual([422, 'error_field']);

    const base = {
      ...((await example('ebpp-mpa', 'postPayment', 'PaymentPostingRequest')) as Json),
      amount: '1000.00',
    };
    const posted = await ePost('/paymentposting', base);
    expect(posted.status).toBe(200);
    expect(code(await ePost('/paymentposting', base))).toEqual([409, 'error_duplicate_posting']);
    expect(code(await ePost('/paymentposting', { ...base, id: '11', amount: '5000.00' }))).toEqual([
      422,
      'error_payment_amount_high',
    ]);
    expect(code(await ePost('/paymentposting', { ...base, id: '12', amount: '0.10' }))).toEqual([
      422,
      'error_payment_amount_low',
    ]);
    expect(
      code(
        await ePost('/paymentposting', {
          ...base,
          id: '13',
          customer: { customer_reference: 'AY0871' },
          customer_account: { account_number: 'LN-AY0871' },
        }),
      ),
    ).toEqual([422, 'error_account_closed']);
    expect(
      code(await ePost('/paymentposting', { ...base, id: '14', customer_account: { account_number: 'LN-X' } })),
    ).toEqual([404, 'error_field']);
    expect(code(await ePost('/paymentposting', { ...base, id: '15', currency_code3d: 'USD' }))).toEqual([
      422,
      'error_field',
    ]);

    const reversal = {
      ...base,
      status: 'returned',
      return_code: '04',
      payment_reference: posted.body.payment_reference,
    };
    expect(code(await ePost('/paymentreversalposting', reversal))).toBe(200);
    expect(code(await ePost('/paymentreversalposting', reversal))).toEqual([409, 'error_duplicate_posting']);
    expect(code(await ePost('/paymentreversalposting', { ...reversal, id: '404' }))).toEqual([404, 'error_field']);

    const second = await ePost('/paymentposting', { ...base, id: '7300018851', amount: '600.00' });
    const refund = (await example('ebpp-mpa', 'postPaymentRefund', 'PaymentRefundRequest')) as Json;
    const refundBody = {
      ...refund,
      refund_amount: '600.00',
      source_payment: { ...(refund.source_payment as Json), payment_reference: second.body.payment_reference },
    };
    expect(code(await ePost('/paymentrefundposting', refundBody))).toBe(200);
    expect(code(await ePost('/paymentrefundposting', refundBody))).toEqual([409, 'error_duplicate_posting']);
    expect(code(await ePost('/paymentrefundposting', { ...refundBody, id: '7400002299' }))).toEqual([
      422,
      'error_payment_amount_high',
    ]);
    expect(code(await ePost('/paymentposting', base, { ...ebppHeaders, 'api-key': 'wrong' }))).toEqual([
      401,
      'error_field',
    ]);
  });
});
