// Contract tests of specs/kaleidofin-partner: the seed's samples validate verbatim, every example validates where
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
  contract = await Contract.load('kaleidofin-partner');
});
/** `changed(name, path, value)`: a copy of an example with one value replaced, or removed with REMOVE. */
const changed = exampleChanger(() => contract);

describe('seed examples validate', () => {
  it('seed example SeedFetchBillsRequest validates', () => {
    expect(contract.requestBody('fetchBills', contract.example('SeedFetchBillsRequest')).errors).toEqual([]);
  });
  it('seed example SeedFetchBillsResponse validates', () => {
    expect(contract.response('fetchBills', 200, contract.example('SeedFetchBillsResponse')).errors).toEqual([]);
  });
  it('seed example SeedFetchReceiptRequest validates', () => {
    expect(contract.requestBody('fetchReceipt', contract.example('SeedFetchReceiptRequest')).errors).toEqual([]);
  });
  it('seed example SeedFetchReceiptResponse validates', () => {
    expect(contract.response('fetchReceipt', 200, contract.example('SeedFetchReceiptResponse')).errors).toEqual([]);
  });
});

describe('every example', () => {
  it('validates against the request body or response that uses it, and none is unused', () => {
    const used = expectEveryExampleValidWhereUsed(contract);
    // Every example file in the spec folder is reached from an operation (the bundle names them after the file).
    const files = readdirSync(join(specsDir, 'kaleidofin-partner/components/examples'));
    expect(used).toEqual(files.map((file) => file.replace(/\.yaml$/, '')).sort());
  });

  it('every operation declares 400, 401, 404, 413, 415 and 500 in the error envelope', () => {
    for (const op of contract.operations()) {
      for (const status of ['400', '401', '404', '413', '415', '500']) {
        expect(Object.keys(op.operation.responses), `${op.operationId} ${status}`).toContain(status);
      }
    }
    expect(Object.keys(contract.operation('fetchReceipt').operation.responses)).toEqual(
      expect.arrayContaining(['409', '422']),
    );
  });
});

describe('fetchBills rejects', () => {
  it('a Bill Identifier without identifierValue', () => {
    expectRejected(
      contract.requestBody('fetchBills', changed('SeedFetchBillsRequest', [1, 'identifierValue'], REMOVE)),
      'identifierValue',
    );
  });
  it('an empty identifierValue (too short)', () => {
    expectRejected(
      contract.requestBody('fetchBills', changed('SeedFetchBillsRequest', [1, 'identifierValue'], '')),
      '/1/identifierValue',
    );
  });
  it('a too-long identifierKey', () => {
    expectRejected(
      contract.requestBody('fetchBills', changed('SeedFetchBillsRequest', [0, 'identifierKey'], 'k'.repeat(51))),
      '/0/identifierKey',
    );
  });
  it('a numeric identifierValue (wrong type)', () => {
    expectRejected(
      contract.requestBody('fetchBills', changed('SeedFetchBillsRequest', [1, 'identifierValue'], 1234)),
      '/1/identifierValue',
    );
  });
  it('an empty list or an object in place of the array', () => {
    expectRejected(contract.requestBody('fetchBills', []), '(root)');
    expectRejected(
      contract.requestBody('fetchBills', { identifierKey: 'name', identifierValue: 'vishakha' }),
      '(root)',
    );
  });
});

describe('fetchBills responses that break the contract are rejected', () => {
  it('an unknown billFetchStatus', () => {
    expectRejected(
      contract.response('fetchBills', 200, changed('SeedFetchBillsResponse', ['data', 'billFetchStatus'], 'PENDING')),
      '/data/billFetchStatus',
    );
  });
  it('an unknown amountExactness', () => {
    expectRejected(
      contract.response(
        'fetchBills',
        200,
        changed('SeedFetchBillsResponse', ['data', 'customerBills', 'bills', 0, 'amountExactness'], 'EXACTLY'),
      ),
      '/data/customerBills/bills/0/amountExactness',
    );
  });
  it('a phoneNumber that breaks the 10-digit pattern', () => {
    expectRejected(
      contract.response(
        'fetchBills',
        200,
        changed('SeedFetchBillsResponse', ['data', 'customer', 'info', 'phoneNumber'], '+91 77060 57010'),
      ),
      '/data/customer/info/phoneNumber',
    );
  });
  it('a dueDate that is not YYYY-MM-DD', () => {
    expectRejected(
      contract.response(
        'fetchBills',
        200,
        changed('SeedFetchBillsResponse', ['data', 'customerBills', 'bills', 1, 'dueDate'], '15-08-2020'),
      ),
      '/data/customerBills/bills/1/dueDate',
    );
  });
  it('a billAmount sent as a string, or negative', () => {
    expectRejected(
      contract.response(
        'fetchBills',
        200,
        changed('SeedFetchBillsResponse', ['data', 'customerBills', 'bills', 0, 'billAmount'], '1000'),
      ),
      '/data/customerBills/bills/0/billAmount',
    );
    expectRejected(
      contract.response(
        'fetchBills',
        200,
        changed('SeedFetchBillsResponse', ['data', 'customerBills', 'bills', 0, 'billAmount'], -1),
      ),
      '/data/customerBills/bills/0/billAmount',
    );
  });
  it('a bill without partnerBillId', () => {
    expectRejected(
      contract.response(
        'fetchBills',
        200,
        changed('SeedFetchBillsResponse', ['data', 'customerBills', 'bills', 0, 'partnerBillId'], REMOVE),
      ),
      'partnerBillId',
    );
  });
  it('a success answer with a non-zero status', () => {
    expectRejected(contract.response('fetchBills', 200, changed('SeedFetchBillsResponse', ['status'], 1)), '/status');
  });
});

describe('fetchReceipt rejects', () => {
  it('a transactionId that breaks the pattern', () => {
    expectRejected(
      contract.requestBody(
        'fetchReceipt',
        changed('SeedFetchReceiptRequest', ['paymentDetails', 'transactionId'], 'TXN 2020/12'),
      ),
      '/paymentDetails/transactionId',
    );
  });
  it('a too-long transactionId', () => {
    expectRejected(
      contract.requestBody(
        'fetchReceipt',
        changed('SeedFetchReceiptRequest', ['paymentDetails', 'transactionId'], '9'.repeat(65)),
      ),
      '/paymentDetails/transactionId',
    );
  });
  it('an empty partnerBillId (too short)', () => {
    expectRejected(
      contract.requestBody('fetchReceipt', changed('SeedFetchReceiptRequest', ['partnerBillId'], '')),
      '/partnerBillId',
    );
  });
  it('an amountPaid of zero', () => {
    expectRejected(
      contract.requestBody('fetchReceipt', changed('SeedFetchReceiptRequest', ['paymentDetails', 'amountPaid'], 0)),
      '/paymentDetails/amountPaid',
    );
  });
  it('a systemBillId sent as a string (wrong type)', () => {
    expectRejected(
      contract.requestBody('fetchReceipt', changed('SeedFetchReceiptRequest', ['systemBillId'], '14')),
      '/systemBillId',
    );
  });
  it('paymentDetails without transactionId', () => {
    expectRejected(
      contract.requestBody(
        'fetchReceipt',
        changed('SeedFetchReceiptRequest', ['paymentDetails', 'transactionId'], REMOVE),
      ),
      'transactionId',
    );
  });
  it('a receipt whose date is not a date-time, or that has no id', () => {
    expectRejected(
      contract.response(
        'fetchReceipt',
        200,
        changed('SeedFetchReceiptResponse', ['data', 'receipt', 'date'], '2020-08-31'),
      ),
      '/data/receipt/date',
    );
    expectRejected(
      contract.response('fetchReceipt', 200, changed('SeedFetchReceiptResponse', ['data', 'receipt', 'id'], REMOVE)),
      'id',
    );
  });
});

describe('error envelope', () => {
  it('rejects an unknown error code', () => {
    expectRejected(
      contract.response('fetchReceipt', 422, changed('ErrorBillAlreadyPaid', ['error', 'code'], 'NOPE')),
      '/error/code',
    );
  });
  it('rejects success true or status 0 on an error', () => {
    expectRejected(
      contract.response('fetchBills', 404, changed('ErrorCustomerNotFound', ['success'], true)),
      '/success',
    );
    expectRejected(contract.response('fetchBills', 500, changed('ErrorInternal', ['status'], 0)), '/status');
  });
  it('rejects an error without a message', () => {
    expectRejected(
      contract.response('fetchBills', 401, changed('ErrorUnauthorized', ['error', 'message'], REMOVE)),
      'message',
    );
  });
});
