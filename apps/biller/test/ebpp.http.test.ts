import { afterEach, beforeEach, expect, it } from 'vitest';
import { createLedger, forEachEngine, type TestDatabase } from './support/db.ts';
import { type Answer, ebppHeaders, example, expectConforms, kaleidofinHeaders, testApp } from './support/http.ts';

const api = 'ebpp-mpa';
type Json = Record<string, unknown>;

forEachEngine('EBPP MPA API over HTTP', (engine) => {
  let t: TestDatabase;
  let call: ReturnType<typeof testApp>['call'];
  beforeEach(async () => {
    t = await createLedger(engine, { demo: true });
    ({ call } = testApp(t.db));
  });
  afterEach(async () => {
    await t.drop();
  });

  const lookup = async (form: Record<string, string>) => {
    const answer = await call('POST', '/mpacustomers', { headers: ebppHeaders, form });
    await expectConforms(api, 'lookupCustomers', answer);
    return answer;
  };
  const post = async (path: string, operationId: string, json: unknown) => {
    const answer = await call('POST', path, { headers: ebppHeaders, json });
    await expectConforms(api, operationId, answer);
    return answer;
  };
  // The spec's own posting example, adjusted to the demo loan (which owes 2200.00).
  const payment = async (overrides: Json = {}): Promise<Json> => ({
    ...((await example(api, 'postPayment', 'PaymentPostingRequest')) as Json),
    amount: '1500.00',
    ...overrides,
  });
  const pay = async (overrides: Json = {}) => post('/paymentposting', 'postPayment', await payment(overrides));
  const firstError = (answer: Answer) => [answer.status, answer.body.errors[0].code, answer.body.errors[0].field];

  it('looks up every profile on a loan, and one profile by each implemented criterion', async () => {
    const byAccount = await lookup({ account_number: 'LN-AY1234' });
    expect(byAccount.status).toBe(200);
    expect(byAccount.body.customers.map((c: Json) => c.customer_reference)).toEqual(['AY1234', 'AY1235']);
    expect(byAccount.body.customers[0].customer_accounts[0]).toMatchObject({
      account_number: 'LN-AY1234',
      current_balance: '2200.00',
      payoff_amount: '2200.00',
      minimum_payment_due: '1200.00',
      payment_due_date: '2020-08-15',
      status: 'active',
    });
    for (const name of ['LookupByCustomerReferenceRequest', 'LookupByEmailRequest', 'LookupByLookupReferenceRequest']) {
      const answer = await lookup((await example(api, 'lookupCustomers', name)) as Record<string, string>);
      expect(answer.body.customers.map((c: Json) => c.customer_reference)).toEqual(['AY1234']);
    }
    const closed = await lookup({ customer_reference: 'AY0871' });
    expect(closed.body.customers[0].customer_accounts[0]).toMatchObject({ status: 'closed', current_balance: '0.00' });
  });

  it('answers lookups it cannot serve with the documented errors', async () => {
    expect(firstError(await lookup({ account_number: 'LN-AY9999' }))).toEqual([404, 'error_field', 'account_number']);
    expect(firstError(await lookup({ customer_reference: 'AY1234', account_number: 'LN-SAMPLE' }))).toEqual([
      404,
      'error_field',
      'customer_reference',
    ]);
    expect(firstError(await lookup({ ssn: '123456789' }))).toEqual([422, 'error_field', 'ssn']);
    expect(firstError(await lookup({}))).toEqual([400, 'error_field', undefined]);
    expect(firstError(await lookup({ account_number: 'LN AY 1234' }))).toEqual([400, 'error_field', 'account_number']);
  });

  it('posts a payment once: a repeat is error_duplicate_posting and changes nothing', async () => {
    const first = await pay();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      id: '7300018829',
      confirmation_number: 'EBP5K2M9Q7X4',
      payment_reference: expect.stringMatching(/^R\d{4,}$/),
      status: 'processing',
      amount: '1500.00',
      currency_code3d: 'INR',
      account_number: 'LN-AY1234',
    });
    expect(firstError(await pay())).toEqual([409, 'error_duplicate_posting', 'id']);
    const after = await lookup({ customer_reference: 'AY1234' });
    expect(after.body.customers[0].customer_accounts[0].current_balance).toBe('700.00');
    // Kaleidofin sees it too: July's 1200 is paid, 700 of June's 1000 is still due.
    const { call: k } = testApp(t.db);
    const bills = await k('POST', '/bills/fetchBills', {
      headers: kaleidofinHeaders,
      json: [{ identifierKey: 'customerId', identifierValue: 'AY1234' }],
    });
    expect(bills.body.data.customerBills.bills).toMatchObject([{ partnerBillId: 'TESTING-002', billAmount: 700 }]);
  });

  it("lets the co-borrower pay the shared loan, with the spec's co-borrower example", async () => {
    const body = { ...((await example(api, 'postPayment', 'CoBorrowerCardPaymentPostingRequest')) as Json) };
    const answer = await post('/paymentposting', 'postPayment', { ...body, amount: '600.00' });
    expect(answer.status).toBe(200);
  });

  it('refuses postings with the seed codes', async () => {
    const account = (account_number: string) => ({ customer_account: { account_number } });
    expect(
      firstError(await pay({ id: '1', ...account('LN-AY0871'), customer: { customer_reference: 'AY0871' } })),
    ).toEqual([422, 'error_account_closed', 'customer_account.account_number']);
    await t.db.query(`UPDATE accounts SET status = 'queued_for_repair' WHERE account_number = 'LN-AY1234'`);
    expect(firstError(await pay({ id: '2' }))).toEqual([
      422,
      'error_account_status_invalid',
      'customer_account.account_number',
    ]);
    await t.db.query(`UPDATE accounts SET status = 'active' WHERE account_number = 'LN-AY1234'`);
    expect(firstError(await pay({ id: '3', amount: '0.50' }))).toEqual([422, 'error_payment_amount_low', 'amount']);
    expect(firstError(await pay({ id: '4', amount: '2200.01' }))).toEqual([422, 'error_payment_amount_high', 'amount']);
    expect(firstError(await pay({ id: '5', ...account('LN-AY9999') }))).toEqual([
      404,
      'error_field',
      'customer_account.account_number',
    ]);
    expect(firstError(await pay({ id: '6', currency_code3d: 'USD' }))).toEqual([422, 'error_field', 'currency_code3d']);
    expect(firstError(await pay({ id: '7', status: 'declined' }))).toEqual([422, 'error_posting_rejected', 'status']);
    expect(firstError(await pay({ id: '8', customer: { customer_reference: 'AY5678' } }))).toEqual([
      422,
      'error_field',
      'customer.customer_reference',
    ]);
    const [count] = await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM payments');
    expect(count?.n).toBe(0n);
  });

  it('reports every invalid field of a posting', async () => {
    const body = await payment({ amount: '12,450.00', payment_date: '2025-02-30', id: 'abc' });
    delete body.customer_account;
    const answer = await post('/paymentposting', 'postPayment', body);
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((e: Json) => e.field).sort()).toEqual([
      'amount',
      'customer_account',
      'id',
      'payment_date',
    ]);
  });

  it('reverses a posting exactly once', async () => {
    const posted = await pay({ amount: '1200.00' });
    const reversal = await payment({
      amount: '1200.00',
      status: 'returned',
      return_code: '04',
      payment_reference: posted.body.payment_reference,
    });
    const first = await post('/paymentreversalposting', 'postPaymentReversal', reversal);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      status: 'returned',
      amount: '1200.00',
      payment_reference: posted.body.payment_reference,
    });
    expect(firstError(await post('/paymentreversalposting', 'postPaymentReversal', reversal))).toEqual([
      409,
      'error_duplicate_posting',
      'id',
    ]);
    const after = await lookup({ account_number: 'LN-AY1234', customer_reference: 'AY1234' });
    expect(after.body.customers[0].customer_accounts[0].current_balance).toBe('2200.00');
    expect(firstError(await post('/paymentreversalposting', 'postPaymentReversal', { ...reversal, id: '99' }))).toEqual(
      [404, 'error_field', 'id'],
    );
    expect(
      firstError(await post('/paymentreversalposting', 'postPaymentReversal', { ...reversal, amount: '1.00' })),
    ).toEqual([422, 'error_field', 'amount']);
  });

  it('a posting, a reversal and a refund each reach the database once (one round trip)', async () => {
    let calls = 0;
    const counted = new Proxy(t.db, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        const counts = key === 'query' || key === 'runOnce' || key === 'transaction';
        return (...args: unknown[]) => {
          if (counts) calls++;
          return value.apply(target, args);
        };
      },
    });
    const { call: counting } = testApp(counted);
    const send = async (path: string, operationId: string, json: unknown) => {
      calls = 0;
      const answer = await counting('POST', path, { headers: ebppHeaders, json });
      await expectConforms(api, operationId, answer);
      return { status: answer.status, calls, body: answer.body };
    };
    const posted = await send('/paymentposting', 'postPayment', await payment({ id: '7300018851', amount: '1000.00' }));
    expect([posted.status, posted.calls]).toEqual([200, 1]);
    const refund = (await example(api, 'postPaymentRefund', 'PaymentRefundRequest')) as Json;
    const refunded = await send('/paymentrefundposting', 'postPaymentRefund', {
      ...refund,
      refund_amount: '100.00',
      source_payment: { ...(refund.source_payment as Json), amount: '1000.00' },
    });
    expect([refunded.status, refunded.calls]).toEqual([200, 1]);
    const reversal = await payment({
      id: '7300018851',
      amount: '1000.00',
      status: 'returned',
      payment_reference: posted.body.payment_reference,
    });
    const reversed = await send('/paymentreversalposting', 'postPaymentReversal', reversal);
    expect([reversed.status, reversed.calls, reversed.body.amount]).toEqual([200, 1, '900.00']);
    // A repost is answered from that one call too.
    expect((await send('/paymentposting', 'postPayment', await payment({ id: '7300018851' }))).calls).toBe(1);
  });

  it('a reversal quoting another payment_reference changes nothing and names the field', async () => {
    const posted = await pay({ amount: '1200.00' });
    const reversal = await payment({ amount: '1200.00', status: 'returned', return_code: '04' });
    for (const reference of ['R999999', 'not-a-receipt']) {
      const answer = await post('/paymentreversalposting', 'postPaymentReversal', {
        ...reversal,
        payment_reference: reference,
      });
      expect(firstError(answer)).toEqual([422, 'error_field', 'payment_reference']);
      expect(answer.body.errors[0].message).toContain(posted.body.payment_reference);
    }
    const after = await lookup({ account_number: 'LN-AY1234', customer_reference: 'AY1234' });
    expect(after.body.customers[0].customer_accounts[0].current_balance).toBe('1000.00');
  });

  it('a refund whose source_payment.id is unknown finds the payment by the biller reference it quotes', async () => {
    const posted = await pay({ id: '7300018851', amount: '1000.00' });
    const refund = (await example(api, 'postPaymentRefund', 'PaymentRefundRequest')) as Json;
    const answer = await post('/paymentrefundposting', 'postPaymentRefund', {
      ...refund,
      refund_amount: '250.00',
      source_payment: {
        ...(refund.source_payment as Json),
        id: '7300099999',
        amount: '1000.00',
        payment_reference: posted.body.payment_reference,
      },
    });
    expect([answer.status, answer.body.payment_reference]).toEqual([200, posted.body.payment_reference]);
  });

  it('refunds against source_payment, never more than it', async () => {
    const posted = await pay({ id: '7300018851', amount: '1000.00' });
    const refund = (await example(api, 'postPaymentRefund', 'PaymentRefundRequest')) as Json;
    const source = {
      ...(refund.source_payment as Json),
      payment_reference: posted.body.payment_reference,
      amount: '1000.00',
    };
    const partial = await post('/paymentrefundposting', 'postPaymentRefund', {
      ...refund,
      refund_amount: '600.00',
      source_payment: source,
    });
    expect(partial.status).toBe(200);
    expect(partial.body).toMatchObject({
      id: '7400002291',
      refund_amount: '600.00',
      payment_reference: posted.body.payment_reference,
      refund_reference: expect.stringMatching(/^RF\d{4,}$/),
    });
    expect(
      firstError(
        await post('/paymentrefundposting', 'postPaymentRefund', {
          ...refund,
          refund_amount: '600.00',
          source_payment: source,
        }),
      ),
    ).toEqual([409, 'error_duplicate_posting', 'id']);
    expect(
      firstError(
        await post('/paymentrefundposting', 'postPaymentRefund', {
          ...refund,
          id: '7400002292',
          refund_amount: '400.01',
          source_payment: source,
        }),
      ),
    ).toEqual([422, 'error_payment_amount_high', 'refund_amount']);
    const rest = await post('/paymentrefundposting', 'postPaymentRefund', {
      ...refund,
      id: '7400002293',
      refund_amount: undefined,
      source_payment: source,
    });
    expect(rest.body.refund_amount).toBe('400.00');
    expect(
      firstError(
        await post('/paymentrefundposting', 'postPaymentRefund', {
          ...refund,
          id: '7400002294',
          source_payment: { id: '1' },
        }),
      ),
    ).toEqual([404, 'error_field', 'source_payment.id']);
    const after = await lookup({ customer_reference: 'AY1234' });
    expect(after.body.customers[0].customer_accounts[0].current_balance).toBe('2200.00');
  });
});
