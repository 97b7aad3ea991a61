// Whatever arrives, the answer is a 4xx or 2xx in the contract's envelope: never a 5xx, never a stack trace.
// Bodies are random JSON, and valid bodies with one field replaced by random JSON.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedger, pgliteEngine, type TestDatabase } from './support/db.ts';
import { ebppHeaders, example, expectConforms, kaleidofinHeaders, testApp } from './support/http.ts';

type Json = Record<string, unknown>;

const targets = [
  {
    api: 'kaleidofin-partner',
    op: 'fetchBills',
    path: '/bills/fetchBills',
    headers: kaleidofinHeaders,
    example: 'SeedFetchBillsRequest',
  },
  {
    api: 'kaleidofin-partner',
    op: 'fetchReceipt',
    path: '/bills/fetchReceipt',
    headers: kaleidofinHeaders,
    example: 'SeedFetchReceiptRequest',
  },
  {
    api: 'ebpp-mpa',
    op: 'postPayment',
    path: '/paymentposting',
    headers: ebppHeaders,
    example: 'PaymentPostingRequest',
  },
  {
    api: 'ebpp-mpa',
    op: 'postPaymentReversal',
    path: '/paymentreversalposting',
    headers: ebppHeaders,
    example: 'PaymentReturnedReversalRequest',
  },
  {
    api: 'ebpp-mpa',
    op: 'postPaymentRefund',
    path: '/paymentrefundposting',
    headers: ebppHeaders,
    example: 'PaymentRefundRequest',
  },
] as const;

/** Replaces the value at a random path of `value` (objects and arrays) with `replacement`. */
function mutate(value: unknown, choices: number[], replacement: unknown): unknown {
  if (choices.length === 0 || value === null || typeof value !== 'object') return replacement;
  const [choice = 0, ...rest] = choices;
  if (Array.isArray(value)) {
    if (value.length === 0) return replacement;
    const copy = [...value];
    const index = choice % copy.length;
    copy[index] = mutate(copy[index], rest, replacement);
    return copy;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[choice % keys.length] as string;
  return { ...(value as Json), [key]: mutate((value as Json)[key], rest, replacement) };
}

describe('no input makes the server fail', () => {
  let t: TestDatabase;
  let call: ReturnType<typeof testApp>['call'];
  beforeAll(async () => {
    t = await createLedger(pgliteEngine, { demo: true });
    ({ call } = testApp(t.db));
  });
  afterAll(async () => {
    await t.drop();
  });

  for (const target of targets) {
    it(`${target.op}: random bodies and mutated valid bodies get a contract answer below 500`, async () => {
      const valid = await example(target.api, target.op, target.example);
      const body = fc.oneof(
        fc.jsonValue(),
        fc.tuple(fc.array(fc.nat(), { maxLength: 4 }), fc.jsonValue()).map(([path, v]) => mutate(valid, path, v)),
        fc
          .tuple(
            fc.array(fc.nat(), { maxLength: 4 }),
            fc.constantFrom(undefined, -1, 1e300, 0.1 + 0.2, '', 'a\u0000b', 'x'.repeat(200), '9'.repeat(30)),
          )
          .map(([path, v]) => mutate(valid, path, v)),
      );
      await fc.assert(
        fc.asyncProperty(body, async (json) => {
          const answer = await call('POST', target.path, { headers: target.headers, json: json ?? null });
          expect(answer.status, answer.text).toBeLessThan(500);
          await expectConforms(target.api, target.op, answer);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('lookupCustomers: random forms get a contract answer below 500', async () => {
    const keys = fc.constantFrom('customer_reference', 'account_number', 'ssn', 'email', 'lookup_reference', 'other');
    await fc.assert(
      fc.asyncProperty(fc.dictionary(keys, fc.string({ maxLength: 120 })), async (form) => {
        const answer = await call('POST', '/mpacustomers', { headers: ebppHeaders, form });
        expect(answer.status, answer.text).toBeLessThan(500);
        await expectConforms('ebpp-mpa', 'lookupCustomers', answer);
      }),
      { numRuns: 100 },
    );
  });
});
