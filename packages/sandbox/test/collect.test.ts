// The Kaleidofin collect simulator on a real socket, in front of the real demo biller (apps/biller, in memory): the
// seed's fetch end to end, a payment through collect lowering what the biller's EBPP lookup shows, reposts, each
// magic-value row, the partner's refusals mapped to collect's errors, and each request error in the envelope
// naming its field. Every answer is checked against the contract (http.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billerDemoKeys, type DemoBiller, startDemoBiller } from '../src/biller/demo.ts';
import { type CollectSandbox, createCollectSandbox } from '../src/collect/app.ts';
import { listen, type RunningServer } from '../src/server.ts';
import { type Answer, contractCaller, json } from './http.ts';

let biller: DemoBiller;
let sandbox: CollectSandbox;
let server: RunningServer;
const { contract, call } = await contractCaller(
  'kaleidofin-collect',
  () => server.url,
  () => ({ 'x-api-key': 'sandbox-key' }),
);
const example = <T = Record<string, unknown>>(name: string) => structuredClone(contract.example(name)) as T;

beforeAll(async () => {
  biller = await startDemoBiller(0);
  sandbox = await createCollectSandbox({
    lostAnswerHoldMs: 0,
    partner: { baseUrl: biller.server.url, apiKey: billerDemoKeys.kaleidofinApiKey },
  });
  server = await listen(sandbox.app, 0);
}, 120_000);
afterAll(async () => {
  await server?.close();
  await biller?.close();
});

const fetchBills = (identifiers: object, billerId = 'AYFIN0000001') =>
  call('fetchCustomerBills', `/bills/fetch/${billerId}`, json(identifiers));
const status = (id: number | string) => call('getBillStatus', `/bills/status/${id}`);
let txns = 0;
// A fresh transactionId; without a suffix it ends in a letter, so that no magic value applies.
const txn = (suffix = 'Z') => `SBX${process.pid}N${++txns}${suffix}`;
const pay = (systemBillId: number, amountPaid: number, transactionId: string) =>
  call('postPayment', '/bills/payment', json({ systemBillId, transactionId, amountPaid, paymentDate: '2026-12-01' }));

/** What the biller's EBPP lookup shows LN-AY1234 owes. */
async function ebppBalance(): Promise<string> {
  const response = await fetch(`${biller.server.url}/mpacustomers`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'client-key': billerDemoKeys.ebppClientKey,
      'api-key': billerDemoKeys.ebppApiKey,
    },
    body: 'account_number=LN-AY1234',
  });
  const body = (await response.json()) as { customers: { customer_accounts: { current_balance: string }[] }[] };
  return body.customers[0]?.customer_accounts[0]?.current_balance ?? 'none';
}

describe('collect in front of the demo biller', () => {
  it('the seed’s request (name vishakha, consumerId AY1234) returns the seed’s two bills', async () => {
    const answer = await fetchBills(example<object>('SeedFetchCustomerBillsRequest'));
    expect(answer.status).toBe(200);
    // The partner names its bills without a space (JuneInstallment); the collect seed prints one. Both are free text.
    const withoutNames = (bills: { billName: string }[]) => bills.map(({ billName: _, ...rest }) => rest);
    const seed = example<{ bills: { billName: string }[] }>('SeedFetchCustomerBillsResponse');
    expect(withoutNames(answer.body.bills)).toEqual(withoutNames(seed.bills));
    expect(answer.body.bills.map((b: { billName: string }) => b.billName.replace(' ', ''))).toEqual(
      seed.bills.map((b) => b.billName.replace(' ', '')),
    );
  });

  it('paying bill 18 through collect takes the biller’s receipt and lowers its EBPP balance; a repost changes nothing', async () => {
    expect(await ebppBalance()).toBe('2200.00');
    const transactionId = txn();
    const paid = await pay(18, 1000, transactionId);
    expect(paid.body.billStatus).toMatchObject({ systemBillId: 18, billStatus: 'PAYMENT_SUCCESSFUL' });
    expect(paid.body.billStatus.receipt).toMatch(/^R\d+/);
    expect(await ebppBalance()).toBe('1200.00');
    expect((await status(18)).body).toEqual(paid.body);
    expect(await pay(18, 1000, transactionId)).toEqual(paid);
    expect(await ebppBalance()).toBe('1200.00');
    const other = await pay(18, 1000, txn());
    expect(other.status).toBe(422);
    expect(other.body.statusMessage).toBe(`Bill 18 is already paid (receipt ${paid.body.billStatus.receipt})`);
    // The partner no longer lists it; bill 17 is still owed.
    const left = await fetchBills([{ identifierKey: 'consumerId', identifierValue: 'AY1234' }]);
    expect(left.body.bills.map((b: { systemBillId: number }) => b.systemBillId)).toEqual([17]);
  });

  it('the seed’s other examples: bill 19 paid (the seed payment is a repost), bill 15 created', async () => {
    const seedPay = example<Record<string, unknown>>('SeedPostPaymentRequest');
    expect(await call('postPayment', '/bills/payment', json(seedPay))).toEqual({
      status: 200,
      body: example('SeedPostPaymentResponse'),
    });
    expect((await status(15)).body).toEqual(example('SeedGetBillStatusResponse'));
    expect((await pay(15, 10, txn())).status).toBe(422);
  });
});

describe('scripted outcomes by the last four characters of transactionId (bill 17, ₹1,200)', () => {
  const states = async (n: number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push((await status(17)).body.billStatus.billStatus);
    return out;
  };

  it('0001: PAYMENT_FAILED (final), the partner not asked; the bill can be paid again', async () => {
    const answer = await pay(17, 1200, txn('0001'));
    expect(answer.body.billStatus.billStatus).toBe('PAYMENT_FAILED');
    expect(await states(2)).toEqual(['PAYMENT_FAILED', 'PAYMENT_FAILED']);
    expect(await ebppBalance()).toBe('1200.00');
  });

  it('0003: BILL_CREATED (pending) at the payment and first inquiry, then PAYMENT_FAILED', async () => {
    expect((await pay(17, 1200, txn('0003'))).body.billStatus.billStatus).toBe('BILL_CREATED');
    expect(await states(3)).toEqual(['BILL_CREATED', 'PAYMENT_FAILED', 'PAYMENT_FAILED']);
    expect(await ebppBalance()).toBe('1200.00');
  });

  it('0005: 500 in the envelope, nothing recorded, the partner not asked', async () => {
    const before = sandbox.ledger.paymentCount();
    expect(await pay(17, 1200, txn('0005'))).toEqual({ status: 500, body: example('ErrorInternal') });
    expect(sandbox.ledger.paymentCount()).toBe(before);
    expect(await ebppBalance()).toBe('1200.00');
  });

  it('0002: pending at the payment and first inquiry; from the second, the partner’s receipt', async () => {
    const transactionId = txn('0002');
    expect((await pay(17, 1200, transactionId)).body.billStatus.billStatus).toBe('BILL_CREATED');
    expect(await states(1)).toEqual(['BILL_CREATED']);
    expect(await ebppBalance()).toBe('1200.00');
    const done = await status(17);
    expect(done.body.billStatus).toMatchObject({
      billStatus: 'PAYMENT_SUCCESSFUL',
      receipt: expect.stringMatching(/^R/),
    });
    expect(await ebppBalance()).toBe('0.00');
  });

  it('0004: the partner’s receipt is taken but the answer is lost; an inquiry shows it', async () => {
    const found = await fetchBills([{ identifierKey: 'consumerId', identifierValue: 'SAMPLE' }]);
    const bill = found.body.bills[0] as { systemBillId: number; billAmount: number };
    await expect(
      fetch(`${server.url}/bills/payment`, {
        ...json({
          systemBillId: bill.systemBillId,
          transactionId: txn('0004'),
          amountPaid: bill.billAmount,
          paymentDate: '2026-12-01',
        }),
        headers: { 'content-type': 'application/json', 'x-api-key': 'sandbox-key' },
      }),
    ).rejects.toThrow();
    expect((await status(bill.systemBillId)).body.billStatus).toMatchObject({
      billStatus: 'PAYMENT_SUCCESSFUL',
      receipt: expect.stringMatching(/^R/),
    });
  });

  it('0009: no such customer (404), the partner not asked', async () => {
    const answer = await fetchBills([{ identifierKey: 'consumerId', identifierValue: 'AY0009' }]);
    expect(answer).toEqual({ status: 404, body: example('ErrorCustomerNotFound') });
  });
});

describe('refusals, in the envelope naming the field', () => {
  const messageOf = (answer: Answer) => String(answer.body.statusMessage);

  it('the partner’s refusal maps to collect’s: an unknown customer, an amount the bill does not allow', async () => {
    expect(await fetchBills([{ identifierKey: 'consumerId', identifierValue: 'NOBODY' }])).toEqual({
      status: 404,
      body: example('ErrorCustomerNotFound'),
    });
    const found = await fetchBills([{ identifierKey: 'consumerId', identifierValue: 'AY5678' }]);
    expect(found.body.bills).toEqual([]);
  });

  it('names the field of an invalid body or path', async () => {
    const empty = await fetchBills([
      { identifierKey: 'name', identifierValue: 'x' },
      { identifierKey: 'consumerId', identifierValue: '' },
    ]);
    expect(empty.status).toBe(400);
    expect(messageOf(empty)).toMatch(/^\[1\]\.identifierValue /);
    const noDate = await call(
      'postPayment',
      '/bills/payment',
      json({ systemBillId: 17, transactionId: txn(), amountPaid: 1 }),
    );
    expect(noDate.status).toBe(400);
    expect(messageOf(noDate)).toMatch(/^paymentDate /);
    const textId = await status('bill-15');
    expect(textId.status).toBe(400);
    expect(messageOf(textId)).toMatch(/^systemBillId /);
    expect(
      (
        await call('fetchCustomerBills', '/bills/fetch/AYFIN0000001', {
          method: 'POST',
          body: '[',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400);
  });

  it('401, 404 (biller, bill, path), 405 and 415 in the envelope', async () => {
    expect(await fetchBills([{ identifierKey: 'consumerId', identifierValue: 'AY1234' }], 'AYFIN0000999')).toEqual({
      status: 404,
      body: example('ErrorBillerNotFound'),
    });
    expect(await status(999)).toEqual({ status: 404, body: example('ErrorBillNotFound') });
    expect((await call('getBillStatus', '/bills/status/17', { headers: { 'x-api-key': 'nope' } })).body).toEqual(
      example('ErrorUnauthorized'),
    );
    expect((await call(undefined, '/bills/status/17/more')).status).toBe(404);
    expect((await call('postPayment', '/bills/payment')).status).toBe(405);
    expect(
      (
        await call('postPayment', '/bills/payment', {
          method: 'POST',
          body: 'x',
          headers: { 'content-type': 'text/plain' },
        })
      ).status,
    ).toBe(415);
  });

  it('a partner that cannot be reached is collect’s 500, with nothing recorded', async () => {
    const lonely = await createCollectSandbox({
      partner: { baseUrl: 'http://127.0.0.1:9', apiKey: 'k', timeoutMs: 2_000 },
    });
    const lonelyServer = await listen(lonely.app, 0);
    try {
      const response = await fetch(`${lonelyServer.url}/bills/fetch/AYFIN0000001`, {
        ...json([{ identifierKey: 'consumerId', identifierValue: 'AY1234' }]),
        headers: { 'content-type': 'application/json', 'x-api-key': 'sandbox-key' },
      });
      expect(response.status).toBe(500);
      expect(contract.response('fetchCustomerBills', 500, await response.json()).errors).toEqual([]);
    } finally {
      await lonelyServer.close();
    }
  });
});
