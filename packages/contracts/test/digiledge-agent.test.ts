import { beforeAll, describe, expect, it } from 'vitest';
import { Contract } from '../src/validator.ts';
import { expectEveryExampleValidWhereUsed, expectRejected } from './support.ts';

let contract: Contract;
beforeAll(async () => {
  contract = await Contract.load('digiledge-agent');
});

describe('digiledge-agent: seed examples', () => {
  it('seed example SeedPayBillRequest validates', () => {
    const verdict = contract.requestBody('payBill', contract.example('SeedPayBillRequest'));
    expect(verdict.errors).toEqual([]);
    expect(verdict.valid).toBe(true);
  });

  it('seed example SeedPayBillResponse validates', () => {
    const verdict = contract.response('payBill', 200, contract.example('SeedPayBillResponse'));
    expect(verdict.errors).toEqual([]);
    expect(verdict.valid).toBe(true);
  });

  it('the seed examples are kept verbatim (key order, nulls, string statusCode, txnAmount)', () => {
    const request = contract.example('SeedPayBillRequest') as Record<string, unknown>;
    expect(Object.keys(request)).toEqual([
      'tenantId',
      'actionType',
      'amountBreakSet',
      'amountOptions',
      'billId',
      'billerCategory',
      'billerId',
      'billerName',
      'customerMobNo',
      'customerParams',
      'paymentMode',
      'paymentChannel',
      'paymentInformation',
      'deviceBlockTags',
      'refId',
      'txnAmount',
    ]);
    expect(request.amountBreakSet).toBeNull();
    expect(request.txnAmount).toBe(5600);
    const response = contract.example('SeedPayBillResponse') as Record<string, unknown>;
    expect(Object.keys(response)).toHaveLength(16);
    expect(response.txnAmount).toBe(0);
    expect(response.genericResponse).toEqual({
      statusCode: '200',
      status: 'success',
      message: 'Bill Payment Initiated',
      remarks: '',
    });
  });
});

describe('digiledge-agent: every example', () => {
  it('every example in components/examples is used and validates against the place it is used', () => {
    expectEveryExampleValidWhereUsed(contract);
  });

  it('every parameter example validates against its schema', () => {
    let seen = 0;
    for (const op of contract.operations()) {
      for (const parameter of contract.parameters(op.operationId)) {
        expect(parameter.example, `${op.operationId} ${parameter.name}`).toBeDefined();
        // Each parameter's schema is a named component schema.
        expect(parameter.schema).toMatchObject({ $ref: expect.stringMatching(/^#\/components\/schemas\/./) });
        const verdict = contract.parameter(op.operationId, parameter.name, parameter.example, parameter.in);
        expect(verdict.errors).toEqual([]);
        seen += 1;
      }
    }
    expect(seen).toBe(3);
  });

  it('every operation is secured and declares 400, 401, 500 with examples', () => {
    const ids = contract.operations().map((op) => op.operationId);
    expect(ids).toEqual(['fetchBill', 'getFetchedBill', 'payBill', 'getPaymentByTxnId', 'getPaymentByClientReqId']);
    for (const op of contract.operations()) {
      const security = (op.operation as { security?: unknown[] }).security;
      expect(security, op.operationId).toEqual([{ DigiledgeApiKey: [] }]);
      for (const status of ['400', '401', '500']) {
        expect(Object.keys(op.operation.responses), op.operationId).toContain(status);
      }
    }
  });
});

describe('digiledge-agent: payBill rejects wrong payloads', () => {
  const seed = () => contract.example('SeedPayBillRequest') as Record<string, unknown>;

  it('accepts the table spelling customerParamsRequest.tags in place of customerParams', () => {
    const body = seed();
    body.customerParamsRequest = { tags: body.customerParams };
    delete body.customerParams;
    expect(contract.requestBody('payBill', body).errors).toEqual([]);
  });

  it('accepts both the seed spelling "DEbit Card" and "Debit Card", and the split-out ATM channel', () => {
    for (const paymentMode of ['DEbit Card', 'Debit Card']) {
      expect(contract.requestBody('payBill', { ...seed(), paymentMode, paymentChannel: 'ATM' }).errors).toEqual([]);
    }
  });

  it('rejects an unknown paymentMode', () => {
    expectRejected(contract.requestBody('payBill', { ...seed(), paymentMode: 'Debit card' }), '/paymentMode');
  });

  it('rejects the collapsed channel row "Internet Banking (Post-login) ATM"', () => {
    const verdict = contract.requestBody('payBill', { ...seed(), paymentChannel: 'Internet Banking (Post-login) ATM' });
    expectRejected(verdict, '/paymentChannel');
  });

  it('rejects an unknown device block tag name', () => {
    const body = seed();
    body.deviceBlockTags = [{ name: 'LOCATION', value: 'x' }];
    expectRejected(contract.requestBody('payBill', body), '/deviceBlockTags/0/name');
  });

  it('rejects a refId that breaks the 35-alphanumeric pattern', () => {
    expectRejected(
      contract.requestBody('payBill', { ...seed(), refId: 'vkL5Q79lukhzL4dSHatditBwzin-0751743' }),
      '/refId',
    );
  });

  it('rejects a refId of 34 characters', () => {
    expectRejected(
      contract.requestBody('payBill', { ...seed(), refId: 'vkL5Q79lukhzL4dSHatditBwzin2075174' }),
      '/refId',
    );
  });

  it('rejects a tenantId longer than 4 and a billerId shorter than 14', () => {
    expectRejected(contract.requestBody('payBill', { ...seed(), tenantId: 'FE411' }), '/tenantId');
    expectRejected(contract.requestBody('payBill', { ...seed(), billerId: 'KIFS00000NATS' }), '/billerId');
  });

  it('rejects a missing mandatory billId', () => {
    const body = seed();
    delete body.billId;
    expectRejected(contract.requestBody('payBill', body), 'billId');
  });

  it('rejects a body with neither customerParams nor customerParamsRequest', () => {
    const body = seed();
    delete body.customerParams;
    expectRejected(contract.requestBody('payBill', body), 'customerParams');
  });

  it('rejects customerParamsRequest without tags', () => {
    const body = seed();
    delete body.customerParams;
    body.customerParamsRequest = {};
    expectRejected(contract.requestBody('payBill', body), 'tags');
  });

  it('rejects txnAmount as a string and as a fraction of a paisa', () => {
    expectRejected(contract.requestBody('payBill', { ...seed(), txnAmount: '5600' }), '/txnAmount');
    expectRejected(contract.requestBody('payBill', { ...seed(), txnAmount: 56.5 }), '/txnAmount');
  });

  it('rejects amountOptions of the wrong type', () => {
    expectRejected(contract.requestBody('payBill', { ...seed(), amountOptions: 'false' }), '/amountOptions');
  });

  it('response: accepts the table spelling (billid, generalResp, numeric statusCode)', () => {
    const verdict = contract.response('payBill', 200, contract.example('PayBillResponseTableSpelling'));
    expect(verdict.errors).toEqual([]);
  });

  it('response: rejects an unknown payment status and a non-numeric statusCode', () => {
    const response = contract.example('SeedPayBillResponse') as Record<string, unknown>;
    expectRejected(contract.response('payBill', 200, { ...response, status: 'BILL_PAYMENT_DONE' }), '/status');
    const block = { ...(response.genericResponse as object), statusCode: '2OO' };
    expectRejected(
      contract.response('payBill', 200, { ...response, genericResponse: block }),
      '/genericResponse/statusCode',
    );
  });

  it('errors: the envelope needs genericResponse or generalResp, with a known status', () => {
    expectRejected(contract.response('payBill', 401, { message: 'Unauthorized' }), 'genericResponse');
    const block = { statusCode: '401', status: 'denied', message: 'Unauthorized' };
    expectRejected(contract.response('payBill', 401, { generalResp: block }), '/generalResp/status');
  });
});

describe('digiledge-agent: fetchBill rejects wrong payloads', () => {
  const body = () => contract.example('FetchBillRequest') as Record<string, unknown>;

  it('rejects an unknown paymentChannel', () => {
    expectRejected(contract.requestBody('fetchBill', { ...body(), paymentChannel: 'Branch' }), '/paymentChannel');
  });

  it('rejects a billerId with punctuation', () => {
    expectRejected(contract.requestBody('fetchBill', { ...body(), billerId: 'KIFS-0000NATST' }), '/billerId');
  });

  it('rejects customerMobNo as a number and of 11 digits', () => {
    expectRejected(contract.requestBody('fetchBill', { ...body(), customerMobNo: 8281970522 }), '/customerMobNo');
    expectRejected(contract.requestBody('fetchBill', { ...body(), customerMobNo: '08281970522' }), '/customerMobNo');
  });

  it('rejects a missing refId and missing customer params', () => {
    const missingRef = body();
    delete missingRef.refId;
    expectRejected(contract.requestBody('fetchBill', missingRef), 'refId');
    const missingParams = body();
    delete missingParams.customerParams;
    expectRejected(contract.requestBody('fetchBill', missingParams), 'customerParamsRequest');
  });

  it('rejects a customer param without a value', () => {
    expectRejected(
      contract.requestBody('fetchBill', { ...body(), customerParams: [{ name: 'APPLICATION NUMBER' }] }),
      'value',
    );
  });
});

describe('digiledge-agent: getFetchedBill rejects wrong payloads', () => {
  const bill = () => contract.example('FetchedBillSuccess') as Record<string, unknown>;
  const withBill = (changes: Record<string, unknown>) => ({
    ...bill(),
    billerResponse: { ...(bill().billerResponse as object), ...changes },
  });

  it('rejects an unknown fetch status and a missing status', () => {
    expectRejected(contract.response('getFetchedBill', 200, { ...bill(), status: 'BILL_FETCHED' }), '/status');
    const missing = bill();
    delete missing.status;
    expectRejected(contract.response('getFetchedBill', 200, missing), 'status');
  });

  it('rejects a bill amount in rupees with decimals (must be a string of paise)', () => {
    expectRejected(
      contract.response('getFetchedBill', 200, withBill({ billAmount: '5600.00' })),
      '/billerResponse/billAmount',
    );
    expectRejected(
      contract.response('getFetchedBill', 200, withBill({ billAmount: 560000 })),
      '/billerResponse/billAmount',
    );
  });

  it('rejects a due date that is not YYYY-MM-DD', () => {
    expectRejected(
      contract.response('getFetchedBill', 200, withBill({ dueDate: '10-03-2025' })),
      '/billerResponse/dueDate',
    );
  });

  it('rejects an unknown amount exactness', () => {
    const verdict = contract.response('getFetchedBill', 200, withBill({ amountExactness: 'EXACT_UP' }));
    expectRejected(verdict, '/billerResponse/amountExactness');
  });

  it('rejects more than 4 additionalInfo items', () => {
    const item = { name: 'k', value: 'v' };
    const verdict = contract.response('getFetchedBill', 200, {
      ...bill(),
      additionalInfo: [item, item, item, item, item],
    });
    expectRejected(verdict, '/additionalInfo');
  });
});

describe('digiledge-agent: payment polls reject wrong payloads', () => {
  const payment = () => contract.example('PaymentSuccess') as Record<string, unknown>;

  it('getPaymentByTxnId rejects an unknown status', () => {
    const verdict = contract.response('getPaymentByTxnId', 200, { ...payment(), status: 'BILL_PAYMENT_DEEMED' });
    expectRejected(verdict, '/status');
  });

  it('getPaymentByTxnId rejects a txnAmount with a fraction of a paisa, or negative', () => {
    expectRejected(contract.response('getPaymentByTxnId', 200, { ...payment(), txnAmount: 5600.5 }), '/txnAmount');
    expectRejected(contract.response('getPaymentByTxnId', 200, { ...payment(), txnAmount: -1 }), '/txnAmount');
  });

  it('getPaymentByClientReqId rejects a txnId longer than a UUID and an unknown paymentMode', () => {
    const longId = `${payment().txnId as string}-0`;
    expectRejected(contract.response('getPaymentByClientReqId', 200, { ...payment(), txnId: longId }), '/txnId');
    expectRejected(
      contract.response('getPaymentByClientReqId', 200, { ...payment(), paymentMode: 'Paytm' }),
      '/paymentMode',
    );
  });

  it('clientReqId is a refId: 35 alphanumerics', () => {
    expect(contract.schema('RefId', 'vkL5Q79lukhzL4dSHatditBwzin20751743').valid).toBe(true);
    expect(contract.schema('RefId', 'CLIENT-REQ-1').valid).toBe(false);
  });
});
