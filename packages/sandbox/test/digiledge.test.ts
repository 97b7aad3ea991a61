// The Digiledge simulator on a real socket: the contract's examples as printed, the asynchronous fetch and payment
// with their polls, each magic-value row, and each request error in the envelope naming its field. Every answer
// is checked against the contract (http.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDigiledgeSandbox, type DigiledgeSandbox } from '../src/digiledge/app.ts';
import { listen, type RunningServer } from '../src/server.ts';
import { type Answer, contractCaller, json } from './http.ts';

let sandbox: DigiledgeSandbox;
let server: RunningServer;
const api = await contractCaller(
  'digiledge-agent',
  () => server.url,
  () => ({ 'x-api-key': 'sandbox-key' }),
);
const { contract, call } = api;
const example = <T = Record<string, unknown>>(name: string) => structuredClone(contract.example(name)) as T;

beforeAll(async () => {
  sandbox = await createDigiledgeSandbox({ lostAnswerHoldMs: 0 });
  server = await listen(sandbox.app, 0);
});
afterAll(() => server.close());

let refs = 0;
/** A fresh 35-character refId. */
const newRef = () => `SBXTEST${String(process.pid).padStart(8, '0')}${String(++refs).padStart(20, '0')}`.slice(0, 35);
const fetchRequest = (param: string) => ({
  ...example('FetchBillRequest'),
  refId: newRef(),
  customerParams: [{ name: 'APPLICATION NUMBER', value: param }],
});
const fetchBill = (param: string) => call('fetchBill', '/couapp/agent/bills/fetch', json(fetchRequest(param)));
const poll = (billId: string) => call('getFetchedBill', `/couapp/bills/fetch/byId?billId=${billId}`);
const byTxn = (txnId: string) => call('getPaymentByTxnId', `/couapp/transactions/payment/byTxnId?txnId=${txnId}`);
const byRef = (refId: string) =>
  call('getPaymentByClientReqId', `/couapp/transactions/payment/byClientId?clientReqId=${refId}`);

/** Fetches and polls a bill for `param`, then pays it; the payment's refId and answer. */
async function payFor(param: string): Promise<{ refId: string; answer: Answer }> {
  const ack = await fetchBill(param);
  const bill = await poll(ack.body.billId);
  const refId = newRef();
  const body = {
    ...example('SeedPayBillRequest'),
    refId,
    billId: ack.body.billId,
    customerParams: [{ name: 'APPLICATION NUMBER', value: param }],
    txnAmount: Number(bill.body.billerResponse.billAmount),
  };
  return { refId, answer: await call('payBill', '/couapp/agent/bills/payment', json(body)) };
}

describe('the contract examples, as printed', () => {
  it('the seed fetch is acknowledged with a billId, and its poll shows the seed’s bill', async () => {
    const ack = await call('fetchBill', '/couapp/agent/bills/fetch', json(example('FetchBillRequest')));
    expect(ack.status).toBe(200);
    expect(ack.body.status).toBe('BILL_FETCH_REQUESTED');
    expect(ack.body.genericResponse.message).toBe('Bill Fetch Requested');
    const bill = await poll(ack.body.billId);
    expect(bill.body.status).toBe('BILL_FETCH_SUCCESS');
    expect(bill.body.billerResponse).toEqual(example<{ billerResponse: unknown }>('FetchedBillSuccess').billerResponse);
  });

  it('the seed’s billIds and payments poll as printed; the seed payment gets the seed’s txnId, once', async () => {
    expect((await poll('5947f973-b595-484d-a19c-24a7668b058e')).body).toEqual(example('FetchedBillSuccess'));
    expect((await poll('2c9e4b7a-1f3d-4a8e-b6c5-9d0e7f1a2b3c')).body).toEqual(example('FetchedBillFailed'));
    expect((await byTxn('7e1d2a9b-3c4f-4b6a-8d2e-5f0a1b9c8d7e')).body).toEqual(example('PaymentFailed'));
    const paid = await call('payBill', '/couapp/agent/bills/payment', json(example('SeedPayBillRequest')));
    expect(paid.body).toEqual(example('SeedPayBillResponse'));
    const again = await call('payBill', '/couapp/agent/bills/payment', json(example('SeedPayBillRequest')));
    expect(again).toEqual({ status: 422, body: example('ErrorDuplicateRefId') });
    const success = await byTxn('fdd28ccc-90bd-4719-8adf-26e085d18d54');
    expect(success.body).toMatchObject({
      status: 'BILL_PAYMENT_SUCCESS',
      txnAmount: 5600,
      refId: example<{ refId: string }>('SeedPayBillRequest').refId,
    });
  });
});

describe('scripted outcomes by the last four characters of the first customer parameter', () => {
  const statuses = async (refId: string, txnId: string) => [
    (await byRef(refId)).body.status,
    (await byTxn(txnId)).body.status,
    (await byRef(refId)).body.status,
  ];

  it('any other value: BILL_PAYMENT_INITIATED, then BILL_PAYMENT_SUCCESS from the first poll', async () => {
    const { refId, answer } = await payFor('7710485');
    expect(answer.body.status).toBe('BILL_PAYMENT_INITIATED');
    expect(await statuses(refId, answer.body.txnId)).toEqual(Array(3).fill('BILL_PAYMENT_SUCCESS'));
  });

  it('0001: BILL_PAYMENT_FAILED, final', async () => {
    const { refId, answer } = await payFor('AC0001');
    expect(await statuses(refId, answer.body.txnId)).toEqual(Array(3).fill('BILL_PAYMENT_FAILED'));
  });

  it('0002: pending at the first poll, successful from the second on', async () => {
    const { refId, answer } = await payFor('AC0002');
    expect(await statuses(refId, answer.body.txnId)).toEqual([
      'BILL_PAYMENT_PENDING',
      'BILL_PAYMENT_SUCCESS',
      'BILL_PAYMENT_SUCCESS',
    ]);
  });

  it('0003: pending at the first poll, failed from the second on', async () => {
    const { refId, answer } = await payFor('AC0003');
    expect(await statuses(refId, answer.body.txnId)).toEqual([
      'BILL_PAYMENT_PENDING',
      'BILL_PAYMENT_FAILED',
      'BILL_PAYMENT_FAILED',
    ]);
  });

  it('0004: the payment is recorded as successful but its answer is lost; a poll by clientReqId shows it', async () => {
    const ack = await fetchBill('AC0004');
    const bill = await poll(ack.body.billId);
    const refId = newRef();
    const before = sandbox.ledger.paymentCount();
    const body = {
      ...example('SeedPayBillRequest'),
      refId,
      billId: ack.body.billId,
      customerParams: [{ name: 'APPLICATION NUMBER', value: 'AC0004' }],
      txnAmount: Number(bill.body.billerResponse.billAmount),
    };
    await expect(
      fetch(`${server.url}/couapp/agent/bills/payment`, {
        ...json(body),
        headers: { 'content-type': 'application/json', 'x-api-key': 'sandbox-key' },
      }),
    ).rejects.toThrow();
    expect(sandbox.ledger.paymentCount()).toBe(before + 1);
    expect((await byRef(refId)).body.status).toBe('BILL_PAYMENT_SUCCESS');
  });

  it('0005: 500 in the envelope, nothing recorded (the same refId can be sent again)', async () => {
    const before = sandbox.ledger.paymentCount();
    const { refId, answer } = await payFor('AC0005');
    expect(answer).toEqual({ status: 500, body: example('ErrorInternal') });
    expect(sandbox.ledger.paymentCount()).toBe(before);
    expect((await byRef(refId)).status).toBe(404);
  });

  it('0009: the fetch is accepted, its poll shows BILL_FETCH_FAILED, and that bill cannot be paid', async () => {
    const ack = await fetchBill('AC0009');
    const bill = await poll(ack.body.billId);
    expect(bill.body.status).toBe('BILL_FETCH_FAILED');
    expect(bill.body.genericResponse.remarks).toContain('AC0009');
    const body = { ...example('SeedPayBillRequest'), refId: newRef(), billId: ack.body.billId };
    const refused = await call('payBill', '/couapp/agent/bills/payment', json(body));
    expect(refused.status).toBe(422);
  });
});

describe('refusals, in the envelope naming the field', () => {
  const remarksOf = (answer: Answer) =>
    `${answer.body.genericResponse.message} | ${answer.body.genericResponse.remarks}`;

  it('names each invalid field of a body, a query parameter and the delay header', async () => {
    const shortTenant = await call(
      'fetchBill',
      '/couapp/agent/bills/fetch',
      json({ ...fetchRequest('1'), tenantId: 'FE4' }),
    );
    expect(shortTenant.status).toBe(400);
    expect(remarksOf(shortTenant)).toMatch(/^Invalid request: tenantId .*\| tenantId: /);
    const shortRef = await call(
      'payBill',
      '/couapp/agent/bills/payment',
      json({ ...example('SeedPayBillRequest'), refId: 'X'.repeat(34) }),
    );
    expect(remarksOf(shortRef)).toMatch(/refId/);
    expect(remarksOf(shortRef)).not.toMatch(/tenantId/);
    const noBillId = await call('getFetchedBill', '/couapp/bills/fetch/byId');
    expect(noBillId.status).toBe(400);
    expect(remarksOf(noBillId)).toMatch(/billId/);
    const badClientReqId = await byRef('short');
    expect(remarksOf(badClientReqId)).toMatch(/clientReqId/);
    const delay = await call('getFetchedBill', '/couapp/bills/fetch/byId?billId=x', {
      headers: { 'x-sandbox-delay-ms': 'soon' },
    });
    expect(delay.status).toBe(400);
    expect(remarksOf(delay)).toMatch(/x-sandbox-delay-ms/);
    const malformed = await call('fetchBill', '/couapp/agent/bills/fetch', {
      method: 'POST',
      body: '{',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
  });

  it('401 without the key, with another key, or for another tenant', async () => {
    expect(
      (
        await call(
          'fetchBill',
          '/couapp/agent/bills/fetch',
          json(fetchRequest('1'), { headers: { 'x-api-key': 'wrong' } }),
        )
      ).body,
    ).toEqual(example('ErrorUnauthorized'));
    const other = await call(
      'fetchBill',
      '/couapp/agent/bills/fetch',
      json({ ...fetchRequest('1'), tenantId: 'AB12' }),
    );
    expect(other.status).toBe(401);
    expect(remarksOf(other)).toMatch(/tenant FE41, not AB12/);
  });

  it('404 for an unknown billId or payment; 422 for a wrong amount or a paid bill', async () => {
    expect((await poll('00000000-0000-0000-0000-000000000000')).status).toBe(404);
    expect((await byTxn('no-such-txn')).status).toBe(404);
    const ack = await fetchBill('7710485');
    const bill = await poll(ack.body.billId);
    const pay = (amount: number) =>
      call(
        'payBill',
        '/couapp/agent/bills/payment',
        json({ ...example('SeedPayBillRequest'), refId: newRef(), billId: ack.body.billId, txnAmount: amount }),
      );
    const due = Number(bill.body.billerResponse.billAmount);
    const wrong = await pay(due - 600);
    expect(wrong.status).toBe(422);
    expect(wrong.body.genericResponse.message).toBe(
      example<{ genericResponse: { message: string } }>('ErrorAmountMismatch').genericResponse.message,
    );
    expect((await pay(due)).status).toBe(200);
    expect(remarksOf(await pay(due))).toMatch(/already paid/);
  });

  it('unknown path 404, wrong method 405, wrong media type 415, all in the envelope', async () => {
    expect((await call(undefined, '/couapp/nothing')).status).toBe(404);
    const wrongMethod = await call('fetchBill', '/couapp/agent/bills/fetch');
    expect(wrongMethod.status).toBe(405);
    const text = await call('fetchBill', '/couapp/agent/bills/fetch', {
      method: 'POST',
      body: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
  });
});
