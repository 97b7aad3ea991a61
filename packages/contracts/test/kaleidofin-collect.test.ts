// Contract tests of specs/kaleidofin-collect: the seed's samples validate verbatim, every example validates where
// it is used, and payloads that break the contract are rejected with the offending field named.
import { readdirSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { Contract, type Verdict } from '../src/validator.ts';

let contract: Contract;
beforeAll(async () => {
  contract = await Contract.load('kaleidofin-collect');
});

type Path = (string | number)[];
const REMOVE = Symbol('remove');

function example(name: string): unknown {
  const found = contract.document.components?.examples?.[name] as { value?: unknown } | undefined;
  if (!found) throw new Error(`kaleidofin-collect has no example ${name}`);
  return found.value;
}

/** A deep copy of an example with one value replaced (or removed) at `path`. */
function changed(name: string, path: Path, value: unknown): unknown {
  const copy = structuredClone(example(name));
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (value === REMOVE) delete node[last];
  else node[last] = value;
  return copy;
}

function expectRejected(verdict: Verdict, mention: string): void {
  expect(verdict.valid).toBe(false);
  expect(verdict.errors.join('\n')).toContain(mention);
}

/**
 * The validator has no method for path parameters, so their (ref-free) schemas are checked with a plain Ajv here.
 */
function pathParameter(name: string): { example: unknown; check: (value: unknown) => boolean } {
  const parameter = contract.resolve(contract.document.components?.parameters?.[name]) as {
    example: unknown;
    schema: unknown;
  };
  const validate = new Ajv2020({ strict: false }).compile(contract.resolve(parameter.schema) as object);
  return { example: parameter.example, check: (value) => validate(value) as boolean };
}

describe('seed examples validate', () => {
  it('seed example SeedFetchCustomerBillsRequest validates', () => {
    expect(contract.requestBody('fetchCustomerBills', example('SeedFetchCustomerBillsRequest')).errors).toEqual([]);
  });
  it('seed example SeedFetchCustomerBillsResponse validates', () => {
    expect(contract.response('fetchCustomerBills', 200, example('SeedFetchCustomerBillsResponse')).errors).toEqual([]);
  });
  it('seed example SeedGetBillStatusResponse validates', () => {
    expect(contract.response('getBillStatus', 200, example('SeedGetBillStatusResponse')).errors).toEqual([]);
  });
  it('seed example SeedPostPaymentRequest validates', () => {
    expect(contract.requestBody('postPayment', example('SeedPostPaymentRequest')).errors).toEqual([]);
  });
  it('seed example SeedPostPaymentResponse validates', () => {
    expect(contract.response('postPayment', 200, example('SeedPostPaymentResponse')).errors).toEqual([]);
  });
});

describe('every example', () => {
  it('validates against the request body or response that uses it, and none is unused', () => {
    const used = new Set<string>();
    const failures: string[] = [];
    const examplesOf = (media: unknown): Record<string, { $ref?: string }> =>
      (media as { examples?: Record<string, { $ref?: string }> } | undefined)?.examples ?? {};
    const nameOf = (ref: { $ref?: string }): string => {
      const name = ref.$ref?.replace('#/components/examples/', '');
      if (!name || name === ref.$ref)
        throw new Error(`example is not a components/examples $ref: ${JSON.stringify(ref)}`);
      return name;
    };
    for (const op of contract.operations()) {
      const body = op.operation.requestBody?.content['application/json'];
      for (const ref of Object.values(examplesOf(body))) {
        const name = nameOf(ref);
        used.add(name);
        const verdict = contract.requestBody(op.operationId, example(name));
        if (!verdict.valid) failures.push(`${op.operationId} request ${name}: ${verdict.errors.join('; ')}`);
      }
      for (const [status, response] of Object.entries(op.operation.responses)) {
        const resolved = contract.resolve(response) as { content?: Record<string, unknown> };
        for (const ref of Object.values(examplesOf(resolved.content?.['application/json']))) {
          const name = nameOf(ref);
          used.add(name);
          const verdict = contract.response(op.operationId, status, example(name));
          if (!verdict.valid) failures.push(`${op.operationId} ${status} ${name}: ${verdict.errors.join('; ')}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(Object.keys(contract.document.components?.examples ?? {}).filter((n) => !used.has(n))).toEqual([]);
    // Every example file in the spec folder is reached from an operation (the bundle names them after the file).
    const files = readdirSync(new URL('../../../specs/kaleidofin-collect/components/examples/', import.meta.url));
    expect([...used].sort()).toEqual(files.map((file) => file.replace(/\.yaml$/, '')).sort());
  });

  it('path parameter examples validate', () => {
    for (const name of ['BillerId', 'SystemBillId']) {
      const parameter = pathParameter(name);
      expect(parameter.check(parameter.example), name).toBe(true);
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
    const billerId = pathParameter('BillerId');
    expect(billerId.check('AYFIN 01/..')).toBe(false);
    expect(billerId.check('A'.repeat(51))).toBe(false);
  });
  it('a systemBillId that is zero or not an integer', () => {
    const systemBillId = pathParameter('SystemBillId');
    expect(systemBillId.check(0)).toBe(false);
    expect(systemBillId.check(15.5)).toBe(false);
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
