// Contract tests of specs/kaleidofin-collect: the seed's samples validate verbatim, every example validates where
// it is used, and payloads that break the contract are rejected with the offending field named.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Contract } from '../src/validator.ts';
import { exampleChanger, expectEveryExampleValidWhereUsed, expectRejected, REMOVE } from './support.ts';

/** The contracts' source folder (the specs package), whose example files are counted here. */
const specsDir = dirname(createRequire(import.meta.url).resolve('@bbps-kit/specs/package.json'));

let contract: Contract;
beforeAll(async () => {
  contract = await Contract.load('kaleidofin-collect');
});
/** `changed(name, path, value)`: a copy of an example with one value replaced, or removed with REMOVE. */
const changed = exampleChanger(() => contract);

describe('seed examples validate', () => {
  it('seed example SeedFetchCustomerBillsRequest validates', () => {
    expect(
      contract.requestBody('fetchCustomerBills', contract.example('SeedFetchCustomerBillsRequest')).errors,
    ).toEqual([]);
  });
  it('seed example SeedFetchCustomerBillsResponse validates', () => {
    expect(
      contract.response('fetchCustomerBills', 200, contract.example('SeedFetchCustomerBillsResponse')).errors,
    ).toEqual([]);
  });
  it('seed example SeedGetBillStatusResponse validates', () => {
    expect(contract.response('getBillStatus', 200, contract.example('SeedGetBillStatusResponse')).errors).toEqual([]);
  });
  it('seed example SeedPostPaymentRequest validates', () => {
    expect(contract.requestBody('postPayment', contract.example('SeedPostPaymentRequest')).errors).toEqual([]);
  });
  it('seed example SeedPostPaymentResponse validates', () => {
    expect(contract.response('postPayment', 200, contract.example('SeedPostPaymentResponse')).errors).toEqual([]);
  });
});

describe('every example', () => {
  it('validates against the request body or response that uses it, and none is unused', () => {
    const used = expectEveryExampleValidWhereUsed(contract);
    // Every example file in the spec folder is reached from an operation (the bundle names them after the file).
    const files = readdirSync(join(specsDir, 'kaleidofin-collect/components/examples'));
    expect(used).toEqual(files.map((file) => file.replace(/\.yaml$/, '')).sort());
  });

  it('path parameter examples validate', () => {
    for (const [operationId, name] of [
      ['fetchCustomerBills', 'billerId'],
      ['getBillStatus', 'systemBillId'],
    ] as const) {
      const parameter = contract.parameters(operationId).find((p) => p.name === name && p.in === 'path');
      expect(parameter?.example, name).toBeDefined();
      expect(contract.parameter(operationId, name, parameter?.example, 'path').errors, name).toEqual([]);
    }
  });

  it('every operation declares 400, 401, 404 and 500 in the error envelope', () => {
    for (const op of contract.operations()) {
      for (const status of ['400', '401', '404', '500']) {
        expect(Object.keys(op.operation.responses), `${op.operationId} ${status}`).toContain(status);
      }
    }
    expect(Object.keys(contract.operation('postPayment').operation.responses)).toContain('422');
  });
});

describe('path parameters reject', () => {
  it('a billerId that breaks the pattern or is too long', () => {
    const billerId = (value: unknown) => contract.parameter('fetchCustomerBills', 'billerId', value, 'path');
    expectRejected(billerId('AYFIN 01/..'), '/billerId');
    expectRejected(billerId('A'.repeat(51)), '/billerId');
  });
  it('a systemBillId that is zero or not an integer', () => {
    const systemBillId = (value: unknown) => contract.parameter('getBillStatus', 'systemBillId', value, 'path');
    expectRejected(systemBillId(0), '/systemBillId');
    expectRejected(systemBillId(15.5), '/systemBillId');
  });
});

describe('fetchCustomerBills rejects', () => {
  it('a Bill Identifier without identifierKey', () => {
    expectRejected(
      contract.requestBody(
        'fetchCustomerBills',
        changed('SeedFetchCustomerBillsRequest', [0, 'identifierKey'], REMOVE),
      ),
      'identifierKey',
    );
  });
  it('an empty identifierValue (too short) or a too-long one', () => {
    expectRejected(
      contract.requestBody('fetchCustomerBills', changed('SeedFetchCustomerBillsRequest', [1, 'identifierValue'], '')),
      '/1/identifierValue',
    );
    expectRejected(
      contract.requestBody(
        'fetchCustomerBills',
        changed('SeedFetchCustomerBillsRequest', [1, 'identifierValue'], 'v'.repeat(101)),
      ),
      '/1/identifierValue',
    );
  });
  it('an empty list', () => {
    expectRejected(contract.requestBody('fetchCustomerBills', []), '(root)');
  });
  it('a response with an unknown billStatus', () => {
    expectRejected(
      contract.response(
        'fetchCustomerBills',
        200,
        changed('SeedFetchCustomerBillsResponse', ['bills', 0, 'billStatus'], 'PAID'),
      ),
      '/bills/0/billStatus',
    );
  });
  it('a response with a numeric statusCode (wrong type)', () => {
    expectRejected(
      contract.response('fetchCustomerBills', 200, changed('SeedFetchCustomerBillsResponse', ['statusCode'], 0)),
      '/statusCode',
    );
  });
  it('a response with a bad generatedDate, or a bill without systemBillId', () => {
    expectRejected(
      contract.response(
        'fetchCustomerBills',
        200,
        changed('SeedFetchCustomerBillsResponse', ['bills', 1, 'generatedDate'], '2020/08/01'),
      ),
      '/bills/1/generatedDate',
    );
    expectRejected(
      contract.response(
        'fetchCustomerBills',
        200,
        changed('SeedFetchCustomerBillsResponse', ['bills', 1, 'systemBillId'], REMOVE),
      ),
      'systemBillId',
    );
  });
});

describe('getBillStatus rejects', () => {
  it('an unknown billStatus', () => {
    expectRejected(
      contract.response(
        'getBillStatus',
        200,
        changed('SeedGetBillStatusResponse', ['billStatus', 'billStatus'], 'DONE'),
      ),
      '/billStatus/billStatus',
    );
  });
  it('a receipt that is missing or a number', () => {
    expectRejected(
      contract.response('getBillStatus', 200, changed('SeedGetBillStatusResponse', ['billStatus', 'receipt'], REMOVE)),
      'receipt',
    );
    expectRejected(
      contract.response('getBillStatus', 200, changed('SeedGetBillStatusResponse', ['billStatus', 'receipt'], 123)),
      '/billStatus/receipt',
    );
  });
});

describe('postPayment rejects', () => {
  it('a transactionId that breaks the pattern or is too long', () => {
    expectRejected(
      contract.requestBody('postPayment', changed('SeedPostPaymentRequest', ['transactionId'], 'TXN#1278 29')),
      '/transactionId',
    );
    expectRejected(
      contract.requestBody('postPayment', changed('SeedPostPaymentRequest', ['transactionId'], '1'.repeat(65))),
      '/transactionId',
    );
  });
  it('a paymentDate that is not YYYY-MM-DD', () => {
    expectRejected(
      contract.requestBody('postPayment', changed('SeedPostPaymentRequest', ['paymentDate'], '30-07-2020')),
      '/paymentDate',
    );
  });
  it('an amountPaid that is zero or a string', () => {
    expectRejected(
      contract.requestBody('postPayment', changed('SeedPostPaymentRequest', ['amountPaid'], 0)),
      '/amountPaid',
    );
    expectRejected(
      contract.requestBody('postPayment', changed('SeedPostPaymentRequest', ['amountPaid'], '1000')),
      '/amountPaid',
    );
  });
  it('a body without systemBillId', () => {
    expectRejected(
      contract.requestBody('postPayment', changed('SeedPostPaymentRequest', ['systemBillId'], REMOVE)),
      'systemBillId',
    );
  });
});

describe('error envelope', () => {
  it('rejects statusCode "0" or success true on an error', () => {
    expectRejected(
      contract.response('postPayment', 422, changed('ErrorBillExpired', ['statusCode'], '0')),
      '/statusCode',
    );
    expectRejected(
      contract.response('getBillStatus', 404, changed('ErrorBillNotFound', ['success'], true)),
      '/success',
    );
  });
  it('rejects an error without statusMessage', () => {
    expectRejected(
      contract.response('fetchCustomerBills', 401, changed('ErrorUnauthorized', ['statusMessage'], REMOVE)),
      'statusMessage',
    );
  });
});
