// The Eko simulator's state and scripted outcomes, one test per row of the README's magic-value table, plus the
// seed examples answered as printed, the fetch token, exactly-once per client_ref_id and the not-found answer.
// Every answer is validated against the contract by the harness.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchQuery, type Harness, inquiryByRef, inquiryByTid, newRef, payBody, startEko } from './harness.ts';

let eko: Harness;
// The lost answer is held for 2 s here (36 s by default), so the client's give-up is rehearsed quickly.
beforeAll(async () => {
  eko = await startEko({ lostAnswerHoldMs: 2_000 });
});
afterAll(() => eko.close());

const pay = (body: unknown, headers: Record<string, string> = {}) =>
  eko.call('payBill', '/customer/payment/bbps', { method: 'POST', body: JSON.stringify(body), headers });
const byTid = (tid: string) => eko.call('getTransaction', inquiryByTid(tid));
const byRef = (ref: string) => eko.call('getTransactionByClientRefId', inquiryByRef(ref));

describe('the seed examples work as printed', () => {
  it('fetching the seed account returns FetchBillSuccess', async () => {
    const { status, body } = await eko.call('fetchBill', fetchQuery('1234567890'));
    expect(status).toBe(200);
    expect(body).toEqual(eko.contract.example('FetchBillSuccess'));
  });
  it('paying SeedPayBillRequest (its token, its client_ref_id) returns PayBillSuccess, and pays nothing new', async () => {
    const before = eko.sandbox.ledger.transactionCount();
    const { status, body } = await pay(eko.contract.example('SeedPayBillRequest'));
    expect(status).toBe(200);
    expect(body).toEqual(eko.contract.example('PayBillSuccess'));
    expect(eko.sandbox.ledger.transactionCount()).toBe(before);
  });
  it('the inquiry by the seed tid returns TransactionSuccess', async () => {
    expect((await byTid('2882709962')).body).toEqual(eko.contract.example('TransactionSuccess'));
  });
  it('the inquiry by the seed client_ref_id REQ-20260101-002 returns TransactionRefundPending', async () => {
    expect((await byRef('REQ-20260101-002')).body).toEqual(eko.contract.example('TransactionRefundPending'));
  });
  it('PayBillRequestMinimal (no token, no client_ref_id) pays successfully', async () => {
    const { body } = await pay(eko.contract.example('PayBillRequestMinimal'));
    expect(body).toMatchObject({ status: 0, tx_status: '0', data: { amount: '499.50', utility_acc_no: '9812345678' } });
  });
});

describe('state', () => {
  it('fetch returns a bill for the account asked; pay must carry its token back with the exact amount', async () => {
    const { body: bill } = await eko.call('fetchBill', fetchQuery('700012345678'));
    expect(bill).toMatchObject({ status: 0, response_type_id: 1052, data: { customer_name: 'ASHA RAO' } });
    const { billfetchresponse, bill_amount } = bill.data;
    expect(bill_amount).toMatch(/^[0-9]+00$/);
    expect((await eko.call('fetchBill', fetchQuery('700012345678'))).body.data.bill_amount).toBe(bill_amount);
    const rupees = String(Number(bill_amount) / 100);

    const other = await pay(payBody('700099999999', { billfetchresponse, amount: rupees }));
    expect(other.status).toBe(400);
    expect(Object.keys(other.body.invalid_params)).toEqual(['billfetchresponse']);

    const wrong = await pay(payBody('700012345678', { billfetchresponse, amount: String(Number(rupees) + 1) }));
    expect(wrong.body).toMatchObject({ status: 208, response_type_id: 208, tx_status: '1' });
    expect((await byTid(wrong.body.data.tid)).body.tx_status).toBe('1');

    const ref = newRef();
    const right = await pay(payBody('700012345678', { billfetchresponse, amount: rupees, client_ref_id: ref }));
    expect(right.body).toMatchObject({ status: 0, response_type_id: 333, tx_status: '0' });
    expect(right.body.data).toMatchObject({ amount: rupees, client_ref_id: ref, utility_acc_no: '700012345678' });
  });

  it('pay records a transaction with a new tid, the amount and the client_ref_id sent; both inquiries return it', async () => {
    const ref = newRef();
    const { body } = await pay(payBody('55551234', { amount: '777', client_ref_id: ref }));
    const { tid } = body.data;
    expect(Number.isSafeInteger(Number(tid))).toBe(true);
    expect(tid).not.toBe('2882709962');
    const expected = { tx_status: '0', data: { tid, amount: '777', client_ref_id: ref, utility_acc_no: '55551234' } };
    expect((await byTid(tid)).body).toMatchObject(expected);
    expect((await byRef(ref)).body).toMatchObject(expected);
    const another = await pay(payBody('55551234', { amount: '777' }));
    expect(another.body.data.tid).not.toBe(tid);
  });

  it('a repeated client_ref_id never pays twice: it answers the first transaction', async () => {
    const ref = newRef();
    const first = await pay(payBody('55552222', { amount: '100', client_ref_id: ref }));
    const count = eko.sandbox.ledger.transactionCount();
    const again = await pay(payBody('55553333', { amount: '999', client_ref_id: ref }));
    expect(again.body).toEqual(first.body);
    expect(eko.sandbox.ledger.transactionCount()).toBe(count);
  });

  it("an unknown tid or client_ref_id gets Eko's not-found answer: status ≠ 0, no tx_status, no data", async () => {
    for (const { status, body } of [await byTid('1999999999'), await byRef('NEVER-SENT')]) {
      expect(status).toBe(200);
      expect(body.status).not.toBe(0);
      expect(body.tx_status).toBeUndefined();
      expect(body.data).toBeUndefined();
      expect(body.message).toMatch(/No transaction found/);
    }
  });
});

describe('scripted outcomes by the last four characters of utility_acc_no', () => {
  it('0001: the payment fails, final', async () => {
    const { body } = await pay(payBody('99990001'));
    expect(body).toMatchObject({ tx_status: '1', txstatus_desc: 'Fail' });
    for (let i = 0; i < 3; i++) expect((await byTid(body.data.tid)).body.tx_status).toBe('1');
  });

  it('0002: pending, then successful from the second inquiry on', async () => {
    const { body } = await pay(payBody('99990002'));
    expect(body.tx_status).toBe('2');
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push((await byTid(body.data.tid)).body.tx_status);
    expect(seen).toEqual(['2', '0', '0', '0']);
    expect((await byTid(body.data.tid)).body.data.operator_ref_id).not.toBe('');
  });

  it('0003: pending, then refund pending, then refunded', async () => {
    const ref = newRef();
    const { body } = await pay(payBody('99990003', { client_ref_id: ref }));
    expect(body.tx_status).toBe('2');
    const seen = [];
    for (let i = 0; i < 3; i++) seen.push((await byRef(ref)).body.tx_status);
    expect(seen).toEqual(['3', '4', '4']);
  });

  it('0004: recorded as successful, the answer lost (connection held, then closed); an inquiry shows the success', async () => {
    const ref = newRef();
    const count = eko.sandbox.ledger.transactionCount();
    const started = Date.now();
    const lost = fetch(`${eko.url}/customer/payment/bbps`, {
      method: 'POST',
      headers: eko.signed(),
      body: JSON.stringify(payBody('99990004', { client_ref_id: ref, amount: '250' })),
    });
    await expect(lost).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(eko.sandbox.ledger.transactionCount()).toBe(count + 1);
    expect((await byRef(ref)).body).toMatchObject({ tx_status: '0', data: { client_ref_id: ref, amount: '250' } });
    // The repeat an integrator must not send is still answered with the first transaction, never a second one.
    expect((await pay(payBody('99990004', { client_ref_id: ref, amount: '250' }))).body.tx_status).toBe('0');
    expect(eko.sandbox.ledger.transactionCount()).toBe(count + 1);
  });

  it('0004 with a client that gives up first: the sandbox still records the payment', async () => {
    const ref = newRef();
    const lost = fetch(`${eko.url}/customer/payment/bbps`, {
      method: 'POST',
      headers: eko.signed(),
      body: JSON.stringify(payBody('12340004', { client_ref_id: ref })),
      signal: AbortSignal.timeout(200),
    });
    await expect(lost).rejects.toThrow();
    expect((await byRef(ref)).body.tx_status).toBe('0');
  });

  it("0005: a 5xx in Eko's envelope, nothing recorded", async () => {
    const ref = newRef();
    const count = eko.sandbox.ledger.transactionCount();
    const { status, body } = await pay(payBody('99990005', { client_ref_id: ref }));
    expect(status).toBe(500);
    expect(body).toMatchObject({ status: 500, response_status_id: -1 });
    expect(eko.sandbox.ledger.transactionCount()).toBe(count);
    expect((await byRef(ref)).body.tx_status).toBeUndefined();
  });

  it('0009: the bill fetch finds no such customer (1468)', async () => {
    const { status, body } = await eko.call('fetchBill', fetchQuery('99990009'));
    expect(status).toBe(200);
    expect(body).toMatchObject({ response_type_id: 1468, data: {} });
    expect(body.status).not.toBe(0);
  });

  it('x-sandbox-delay-ms delays any answer', async () => {
    const started = Date.now();
    const { status } = await eko.call('getTransaction', inquiryByTid('2882709962'), {
      headers: { 'x-sandbox-delay-ms': '400' },
    });
    expect(status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
  });
});

describe('exactly once under concurrency', () => {
  it('20 simultaneous payments with one client_ref_id record one transaction and all get its answer', async () => {
    const ref = newRef();
    const count = eko.sandbox.ledger.transactionCount();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => pay(payBody('55554444', { client_ref_id: ref, amount: '10' }))),
    );
    expect(new Set(answers.map((a) => a.body.data.tid)).size).toBe(1);
    expect(eko.sandbox.ledger.transactionCount()).toBe(count + 1);
  });
});
