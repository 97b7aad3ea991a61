import { afterEach, beforeEach, expect, it } from 'vitest';
import { createLedger, forEachEngine, type TestDatabase } from './support/db.ts';
import { type Answer, example, expectConforms, kaleidofinHeaders, testApp } from './support/http.ts';

const api = 'kaleidofin-partner';

forEachEngine('Kaleidofin partner API over HTTP', (engine) => {
  let t: TestDatabase;
  let call: ReturnType<typeof testApp>['call'];
  beforeEach(async () => {
    t = await createLedger(engine, { demo: true });
    ({ call } = testApp(t.db));
  });
  afterEach(async () => {
    await t.drop();
  });

  const fetchBills = async (json: unknown) => {
    const answer = await call('POST', '/bills/fetchBills', { headers: kaleidofinHeaders, json });
    await expectConforms(api, 'fetchBills', answer);
    return answer;
  };
  const fetchReceipt = async (json: unknown) => {
    const answer = await call('POST', '/bills/fetchReceipt', { headers: kaleidofinHeaders, json });
    await expectConforms(api, 'fetchReceipt', answer);
    return answer;
  };
  const receipt = (overrides: { partnerBillId?: string; amountPaid?: number; transactionId?: string }) => ({
    systemBillId: 18,
    partnerBillId: overrides.partnerBillId ?? 'TESTING-002',
    paymentDetails: {
      billAmount: 1000,
      amountPaid: overrides.amountPaid ?? 1000,
      transactionId: overrides.transactionId ?? 'T1',
    },
  });
  const errorOf = (answer: Answer) => [answer.status, answer.body.error.code, answer.body.error.field];

  it("answers the seed's fetchBills request with the seed's response, byte for byte", async () => {
    const answer = await fetchBills(await example(api, 'fetchBills', 'SeedFetchBillsRequest'));
    expect(answer.status).toBe(200);
    const printed = await example(api, 'fetchBills', 'SeedFetchBillsResponse');
    expect(answer.body).toEqual(printed);
    expect(answer.text).toBe(JSON.stringify(printed));
  });

  it("answers the spec's NO_OUTSTANDING example as printed", async () => {
    const answer = await fetchBills(await example(api, 'fetchBills', 'FetchBillsByConsumerIdRequest'));
    expect(answer.text).toBe(JSON.stringify(await example(api, 'fetchBills', 'FetchBillsNoOutstandingResponse')));
  });

  it('finds the customer by phone number too, and refuses unknown or unusable identifiers', async () => {
    const byPhone = await fetchBills([{ identifierKey: 'phoneNumber', identifierValue: '7706057010' }]);
    expect(byPhone.body.data.customer.info.consumerId).toBe('AY1234');
    const unknown = await fetchBills([
      { identifierKey: 'name', identifierValue: 'vishakha' },
      { identifierKey: 'customerId', identifierValue: 'AY9999' },
    ]);
    expect(errorOf(unknown)).toEqual([404, 'CUSTOMER_NOT_FOUND', '[1].identifierValue']);
    const twoValues = await fetchBills([
      { identifierKey: 'customerId', identifierValue: 'AY1234' },
      { identifierKey: 'consumerId', identifierValue: 'AY1235' },
    ]);
    expect(errorOf(twoValues)).toEqual([404, 'CUSTOMER_NOT_FOUND', '[0].identifierValue']);
    const nul = await fetchBills([{ identifierKey: 'customerId', identifierValue: 'AY\u00001234' }]);
    expect(errorOf(nul)).toEqual([404, 'CUSTOMER_NOT_FOUND', '[0].identifierValue']);
    const onlyName = await fetchBills([{ identifierKey: 'name', identifierValue: 'vishakha' }]);
    expect(errorOf(onlyName)).toEqual([400, 'INVALID_REQUEST', '[0].identifierKey']);
  });

  it("records the seed's fetchReceipt once and repeats the same receipt", async () => {
    const seed = await example(api, 'fetchReceipt', 'SeedFetchReceiptRequest');
    const first = await fetchReceipt(seed);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      status: 0,
      success: true,
      data: { receipt: { id: expect.stringMatching(/^R\d{4,}$/) } },
    });
    expect(first.body.data.receipt.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const again = await fetchReceipt(seed);
    expect(again.text).toBe(first.text);
    const [count] = await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM payments');
    expect(count?.n).toBe(1n);
  });

  it('refuses what the contract names: exactness, paid bills, mismatched repeats, unknown bills', async () => {
    expect(errorOf(await fetchReceipt(receipt({ amountPaid: 900 })))).toEqual([
      422,
      'AMOUNT_EXACTNESS_VIOLATED',
      'paymentDetails.amountPaid',
    ]);
    expect((await fetchReceipt(receipt({}))).status).toBe(200);
    expect(errorOf(await fetchReceipt(receipt({ amountPaid: 900 })))).toEqual([
      409,
      'DUPLICATE_TRANSACTION_MISMATCH',
      'paymentDetails.transactionId',
    ]);
    expect(errorOf(await fetchReceipt(receipt({ transactionId: 'T2' })))).toEqual([
      422,
      'BILL_ALREADY_PAID',
      'partnerBillId',
    ]);
    expect(errorOf(await fetchReceipt(receipt({ partnerBillId: 'SAMPLE-999', transactionId: 'T3' })))).toEqual([
      404,
      'BILL_NOT_FOUND',
      'partnerBillId',
    ]);
  });

  it('names the offending field of an invalid body, never answering 5xx', async () => {
    const cases: [unknown, string | undefined][] = [
      [[{ identifierKey: 'customerId', identifierValue: '' }], '[0].identifierValue'],
      [[], undefined],
      [{ identifierKey: 'customerId' }, undefined],
    ];
    for (const [body, field] of cases) {
      const answer = await fetchBills(body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('INVALID_REQUEST');
      expect(answer.body.error.field).toBe(field);
    }
    const receipts: [unknown, string][] = [
      [
        { ...receipt({}), paymentDetails: { billAmount: 1000, amountPaid: 0, transactionId: 'T' } },
        'paymentDetails.amountPaid',
      ],
      [
        { ...receipt({}), paymentDetails: { billAmount: 1000, amountPaid: 10.123, transactionId: 'T' } },
        'paymentDetails.amountPaid',
      ],
      [
        { ...receipt({}), paymentDetails: { billAmount: 1000, amountPaid: 1000, transactionId: 'bad id' } },
        'paymentDetails.transactionId',
      ],
      [{ ...receipt({}), systemBillId: 1.5 }, 'systemBillId'],
      [{ partnerBillId: 'X', paymentDetails: {} }, 'systemBillId'],
    ];
    for (const [body, field] of receipts) {
      const answer = await fetchReceipt(body);
      expect([answer.status, answer.body.error.code, answer.body.error.field]).toEqual([400, 'INVALID_REQUEST', field]);
    }
  });

  it('shows a Kaleidofin payment in what EBPP looks up', async () => {
    await fetchReceipt(receipt({}));
    const { call: c } = testApp(t.db);
    const lookup = await c('POST', '/mpacustomers', {
      headers: { 'client-key': 'demo-client', 'api-key': 'demo-ebpp-key' },
      form: { account_number: 'LN-AY1234' },
    });
    expect(lookup.body.customers[0].customer_accounts[0].current_balance).toBe('1200.00');
    const seed = await fetchBills([{ identifierKey: 'customerId', identifierValue: 'AY1234' }]);
    expect(seed.body.data.customerBills.bills.map((b: { partnerBillId: string }) => b.partnerBillId)).toEqual([
      'TEST-124',
    ]);
  });
});
