// Contract tests of specs/eko-bbps: the seeds' example values validate, every example validates where it is used,
// the documented signing vectors recompute, and payloads that break the contract are rejected naming the field.
import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { Contract, type Verdict } from '../src/validator.ts';
import { exampleChanger, expectEveryExampleValidWhereUsed, expectRejected, type Path, REMOVE } from './support.ts';

let contract: Contract;
beforeAll(async () => {
  contract = await Contract.load('eko-bbps');
});
/** `changed(name, path, value)`: a copy of an example with one value replaced, or removed with REMOVE. */
const changed = exampleChanger(() => contract);

/**
 * Validates query, path and header values of an operation: each given value against its parameter's schema (errors
 * read `/<parameter name> <message>`), and each required parameter present.
 */
function validateParameters(operationId: string, values: Record<string, unknown>): Verdict {
  const errors: string[] = [];
  for (const parameter of contract.parameters(operationId)) {
    if (!(parameter.name in values)) {
      if (parameter.required) errors.push(`/${parameter.name} is required`);
      continue;
    }
    errors.push(...contract.parameter(operationId, parameter.name, values[parameter.name], parameter.in).errors);
  }
  return { valid: errors.length === 0, errors };
}

// The seed's `example:` values, verbatim, for every query parameter of Fetch BBPS Bill (seed 003).
const seedFetchBillQuery: Record<string, unknown> = {
  initiator_id: '9962981729',
  user_code: '20810200',
  utility_acc_no: '1234567890',
  confirmation_mobile_no: '9999988888',
  sender_name: 'Ramesh Kumar',
  operator_id: '83',
  source_ip: '192.168.1.1',
  latlong: '28.6139,77.2090',
  hc_channel: 0,
  dob: '15/08/1985',
  cycle_number: '202406',
  authenticator: 'mypassword123',
};

const requiredFetchBillQuery = Object.fromEntries(
  Object.entries(seedFetchBillQuery).filter(
    ([name]) => !['hc_channel', 'dob', 'cycle_number', 'authenticator'].includes(name),
  ),
);

const signatureHeaders = {
  developer_key: 'dev-key-0123456789abcdef',
  'secret-key': 'qIir8tILHtqxO1Mu3/fC3pVElIa0oIxXMRDUP0463Bc=',
  'secret-key-timestamp': '1700000000000',
};

describe('seed examples validate', () => {
  it('seed example SeedPayBillRequest validates', () => {
    expect(contract.requestBody('payBill', contract.example('SeedPayBillRequest')).errors).toEqual([]);
  });

  it('seed example SeedPayBillRequest holds every body field of the seed, in the seed order', () => {
    expect(Object.keys(contract.example('SeedPayBillRequest') as object)).toEqual([
      'initiator_id',
      'user_code',
      'client_ref_id',
      'utility_acc_no',
      'confirmation_mobile_no',
      'sender_name',
      'operator_id',
      'amount',
      'source_ip',
      'latlong',
      'billfetchresponse',
      'dob',
      'postalcode',
    ]);
  });

  it.each(Object.entries(seedFetchBillQuery))(
    'seed example of fetchBill query parameter %s is in the spec and validates',
    (name, value) => {
      const parameter = contract.parameters('fetchBill').find((p) => p.name === name && p.in === 'query');
      expect(parameter?.example).toEqual(value);
      expect(validateParameters('fetchBill', { ...requiredFetchBillQuery, [name]: value }).errors).toEqual([]);
    },
  );
});

describe('every example', () => {
  it('validates against the request body or response that uses it, and none is unused', () => {
    expectEveryExampleValidWhereUsed(contract);
  });

  it('every parameter example validates against its parameter schema', () => {
    const failures: string[] = [];
    for (const op of contract.operations()) {
      for (const parameter of contract.parameters(op.operationId)) {
        // Each parameter's schema is a named component schema.
        expect(parameter.schema, parameter.name).toMatchObject({
          $ref: expect.stringMatching(/^#\/components\/schemas\/./),
        });
        const verdict = contract.parameter(op.operationId, parameter.name, parameter.example, parameter.in);
        if (!verdict.valid) failures.push(`${op.operationId} ${parameter.name}: ${verdict.errors.join('; ')}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('shape of the contract', () => {
  it('has the four operations', () => {
    expect(contract.operations().map((op) => `${op.operationId} ${op.method.toUpperCase()} ${op.path}`)).toEqual([
      'fetchBill GET /customer/payment/bbps/bill',
      'payBill POST /customer/payment/bbps',
      'getTransaction GET /tools/reference/transaction/{tid}',
      'getTransactionByClientRefId GET /tools/reference/transaction/client_ref_id:{clientRefId}',
    ]);
  });

  it('every operation requires the three signature headers together and declares 400, 401, 403 and 500', () => {
    for (const op of contract.operations()) {
      const security = (op.operation as { security?: Record<string, string[]>[] }).security;
      expect(security, op.operationId).toEqual([{ EkoDeveloperKey: [], EkoSecretKey: [], EkoSecretKeyTimestamp: [] }]);
      expect(Object.keys(op.operation.responses), op.operationId).toEqual(['200', '400', '401', '403', '500']);
    }
  });

  it('each signature header is declared twice, as a scheme and as a header parameter, under one name', () => {
    // The sandbox parses the headers it reads by the schemes' names with the parameters' generated schema.
    const schemes = contract.document.components?.securitySchemes as Record<string, { name: string }>;
    for (const op of contract.operations()) {
      const headers = contract
        .parameters(op.operationId)
        .filter((p) => p.in === 'header')
        .map((p) => p.name);
      for (const scheme of Object.values(schemes)) expect(headers, op.operationId).toContain(scheme.name);
    }
  });

  it('the signing test vectors documented in the spec recompute', () => {
    const sign = (accessKey: string, message: string): string =>
      createHmac('sha256', Buffer.from(accessKey).toString('base64')).update(message).digest('base64');
    const schemes = contract.document.components?.securitySchemes as Record<string, { description: string }>;
    const secretKeyDoc = schemes.EkoSecretKey?.description ?? '';
    expect(secretKeyDoc).toContain(sign('test-access-key-123', '1700000000000'));
    expect(secretKeyDoc).toContain(sign('d2fe1d99-6298-4af2-8cc5-d97dcf46df30', '1700000000000'));
    expect(sign('test-access-key-123', '1700000000000')).toBe('88lqTf9ew69XbVbeczjxVL8/B4vibfp1MvTi1mIj2Xo=');
    const requestHash = contract.parameters('payBill').find((p) => p.name === 'request_hash');
    const hash = sign(
      'd2fe1d99-6298-4af2-8cc5-d97dcf46df30',
      `${'1700000000000'}${'1234567890'}${'1350'}${'20810200'}`,
    );
    expect(hash).toBe('5zfrJS+zS5D/ERn1A7BJb4jzzCaHKP9fBpbEDptrjsU=');
    expect(requestHash?.description).toContain(hash);
  });
});

describe('fetchBill rejects', () => {
  it('an unknown hc_channel', () => {
    expectRejected(validateParameters('fetchBill', { ...requiredFetchBillQuery, hc_channel: 2 }), '/hc_channel');
  });
  it('a dob that is not DD/MM/YYYY', () => {
    expectRejected(validateParameters('fetchBill', { ...requiredFetchBillQuery, dob: '1985-08-15' }), '/dob');
  });
  it('a latlong with a semicolon', () => {
    expectRejected(
      validateParameters('fetchBill', { ...requiredFetchBillQuery, latlong: '28.6139;77.2090' }),
      '/latlong',
    );
  });
  it('a source_ip that is not an IP address', () => {
    expectRejected(
      validateParameters('fetchBill', { ...requiredFetchBillQuery, source_ip: '999.1.1.1' }),
      '/source_ip',
    );
  });
  it('an empty sender_name', () => {
    expectRejected(validateParameters('fetchBill', { ...requiredFetchBillQuery, sender_name: '' }), '/sender_name');
  });
  it('a missing latlong', () => {
    const { latlong: _, ...query } = requiredFetchBillQuery;
    expectRejected(validateParameters('fetchBill', query), '/latlong is required');
  });
  it('an hc_channel of the wrong type', () => {
    expectRejected(
      validateParameters('fetchBill', { ...requiredFetchBillQuery, hc_channel: 'instant' }),
      '/hc_channel',
    );
  });
  it('a secret-key-timestamp in seconds', () => {
    expectRejected(
      validateParameters('fetchBill', {
        ...requiredFetchBillQuery,
        ...signatureHeaders,
        'secret-key-timestamp': '1700000000',
      }),
      '/secret-key-timestamp',
    );
  });
  it('a response whose bill_amount is a number', () => {
    expectRejected(
      contract.response('fetchBill', 200, changed('FetchBillSuccess', ['data', 'bill_amount'], 135000)),
      '/data/bill_amount',
    );
  });
  it('a response whose due_date is not a date', () => {
    expectRejected(
      contract.response('fetchBill', 200, changed('FetchBillSuccess', ['data', 'due_date'], '20/01/2026')),
      '/data/due_date',
    );
  });
  it('a response without status', () => {
    expectRejected(contract.response('fetchBill', 200, changed('FetchBillSuccess', ['status'], REMOVE)), "'status'");
  });
});

describe('payBill rejects', () => {
  const body = (path: Path, value: unknown): Verdict =>
    contract.requestBody('payBill', changed('SeedPayBillRequest', path, value));
  it('an amount that is a number (it is a string of rupees)', () => {
    expectRejected(body(['amount'], 1350), '/amount');
  });
  it('an amount with thousands separators or three decimals', () => {
    expectRejected(body(['amount'], '1,350'), '/amount');
    expectRejected(body(['amount'], '1350.005'), '/amount');
  });
  it('a dob that is not DD/MM/YYYY', () => {
    expectRejected(body(['dob'], '15-08-1985'), '/dob');
  });
  it('a latlong without the comma', () => {
    expectRejected(body(['latlong'], '28.6139 77.2090'), '/latlong');
  });
  it('a source_ip that is not an IP address', () => {
    expectRejected(body(['source_ip'], 'localhost'), '/source_ip');
  });
  it('a postalcode that is not 6 digits, or is a string', () => {
    expectRejected(body(['postalcode'], 40001), '/postalcode');
    expectRejected(body(['postalcode'], '400001'), '/postalcode');
  });
  it('a client_ref_id longer than 20 characters', () => {
    expectRejected(body(['client_ref_id'], 'REQ-20260101-001-XXXX'), '/client_ref_id');
  });
  it('an empty operator_id', () => {
    expectRejected(body(['operator_id'], ''), '/operator_id');
  });
  it('an initiator_id that is not a 10-digit mobile number', () => {
    expectRejected(body(['initiator_id'], '99629817'), '/initiator_id');
  });
  it('a missing required field', () => {
    for (const field of ['initiator_id', 'user_code', 'utility_acc_no', 'amount', 'source_ip', 'latlong']) {
      expectRejected(body([field], REMOVE), `'${field}'`);
    }
  });
  it('a malformed request_hash header', () => {
    expectRejected(validateParameters('payBill', { request_hash: 'not-a-signature' }), '/request_hash');
  });
  it('a response with an unknown tx_status, or tx_status as a number', () => {
    expectRejected(contract.response('payBill', 200, changed('PayBillSuccess', ['tx_status'], '7')), '/tx_status');
    expectRejected(contract.response('payBill', 200, changed('PayBillSuccess', ['tx_status'], 0)), '/tx_status');
  });
  it('a validation error whose invalid_params is not field -> message', () => {
    expectRejected(
      contract.response('payBill', 400, changed('ValidationError', ['invalid_params', 'initiator_id'], 17)),
      '/invalid_params/initiator_id',
    );
    expectRejected(
      contract.response('payBill', 400, changed('ValidationError', ['invalid_params'], {})),
      '/invalid_params',
    );
  });
  it('an error without message', () => {
    expectRejected(contract.response('payBill', 500, changed('InternalError', ['message'], REMOVE)), "'message'");
  });
});

describe('transaction inquiry rejects', () => {
  it('a tid holding the client_ref_id: form (that is the other operation)', () => {
    expectRejected(
      validateParameters('getTransaction', { tid: 'client_ref_id:REQ-20260101-001', initiator_id: '9962981729' }),
      '/tid',
    );
  });
  it('a missing initiator_id', () => {
    expectRejected(validateParameters('getTransaction', { tid: '2882709962' }), '/initiator_id is required');
    expectRejected(
      validateParameters('getTransactionByClientRefId', { clientRefId: 'REQ-1' }),
      '/initiator_id is required',
    );
  });
  it('a clientRefId longer than 20 characters, or empty', () => {
    const initiator_id = '9962981729';
    expectRejected(
      validateParameters('getTransactionByClientRefId', { clientRefId: 'REQ-20260101-001-XXXX', initiator_id }),
      '/clientRefId',
    );
    expectRejected(
      validateParameters('getTransactionByClientRefId', { clientRefId: '', initiator_id }),
      '/clientRefId',
    );
  });
  it('a response with an unknown tx_status', () => {
    expectRejected(
      contract.response('getTransaction', 200, changed('TransactionSuccess', ['tx_status'], 'SUCCESS')),
      '/tx_status',
    );
    expectRejected(
      contract.response('getTransactionByClientRefId', 200, changed('TransactionRefundPending', ['tx_status'], '9')),
      '/tx_status',
    );
  });
  it('a response whose data.amount is a number', () => {
    expectRejected(
      contract.response('getTransaction', 200, changed('TransactionSuccess', ['data', 'amount'], 1350)),
      '/data/amount',
    );
  });
});
