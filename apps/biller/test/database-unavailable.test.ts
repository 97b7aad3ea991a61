// A database that cannot be reached: what counts as that, and how every operation answers it (503 in its own
// contract's envelope, with Retry-After, never a 500). The real outage, with a real PostgreSQL server stopped and
// backends terminated, is test/fault/outage.test.ts; here a database stands in that fails as pg does.
import { describe, expect, it } from 'vitest';
import type { Db } from '../src/db/db.ts';
import { DatabaseUnavailableError, isConnectionFailure } from '../src/db/unavailable.ts';
import { ebppHeaders, example, expectConforms, kaleidofinHeaders, testApp } from './support/http.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('what counts as the database being unavailable', () => {
  it.each([
    ['a terminated backend (57P01)', withCode('terminating connection due to administrator command', '57P01')],
    ['a server shutting down (57P03)', withCode('the database system is shutting down', '57P03')],
    ['a connection exception (08006)', withCode('connection failure', '08006')],
    ['too many connections (53300)', withCode('sorry, too many clients already', '53300')],
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
    ['a connection pg saw end', new Error('Connection terminated unexpectedly')],
    ['a pool that timed out connecting', new Error('timeout exceeded when trying to connect')],
    ['a refusal on every address', new AggregateError([withCode('refused', 'ECONNREFUSED')], '')],
    ['the cause of a wrapper', new Error('wrapped', { cause: withCode('refused', 'ECONNREFUSED') })],
  ])('%s', (_, error) => {
    expect(isConnectionFailure(error)).toBe(true);
  });

  it.each([
    ['a unique violation (23505)', withCode('duplicate key value violates unique constraint', '23505')],
    ['a syntax error (42601)', withCode('syntax error at or near', '42601')],
    ['a statement timeout (57014)', withCode('canceling statement due to statement timeout', '57014')],
    ['a plain error', new Error('bill R1 vanished while being paid')],
    ['a value that is not an error', 'ECONNREFUSED'],
  ])('not %s', (_, error) => {
    expect(isConnectionFailure(error)).toBe(false);
  });
});

/** A database whose every call fails the way a stopped PostgreSQL server does. */
function unreachableDb(): Db {
  const fail = () => Promise.reject(new DatabaseUnavailableError(withCode('connect ECONNREFUSED', 'ECONNREFUSED')));
  return { kind: 'postgres', query: fail, exec: fail, runOnce: fail, transaction: fail, close: async () => {} };
}

describe('every operation answers 503 in its contract envelope while the database is unreachable', () => {
  const { call, logLines } = testApp(unreachableDb());

  it.each([
    ['kaleidofin-partner', 'fetchBills', '/bills/fetchBills', 'SeedFetchBillsRequest'],
    ['kaleidofin-partner', 'fetchReceipt', '/bills/fetchReceipt', 'SeedFetchReceiptRequest'],
  ] as const)('%s %s', async (api, operationId, path, name) => {
    const answer = await call('POST', path, {
      headers: kaleidofinHeaders,
      json: await example(api, operationId, name),
    });
    expect([answer.status, answer.body.error.code, answer.headers.get('retry-after')]).toEqual([
      503,
      'SERVICE_UNAVAILABLE',
      '2',
    ]);
    await expectConforms(api, operationId, answer);
  });

  it.each([
    ['postPayment', '/paymentposting', 'PaymentPostingRequest'],
    ['postPaymentReversal', '/paymentreversalposting', 'PaymentCancelledReversalRequest'],
    ['postPaymentRefund', '/paymentrefundposting', 'PaymentRefundRequest'],
  ] as const)('ebpp-mpa %s', async (operationId, path, name) => {
    const answer = await call('POST', path, {
      headers: ebppHeaders,
      json: await example('ebpp-mpa', operationId, name),
    });
    expect([answer.status, answer.body.errors[0].code, answer.headers.get('retry-after')]).toEqual([
      503,
      'error_field',
      '2',
    ]);
    await expectConforms('ebpp-mpa', operationId, answer);
  });

  it('ebpp-mpa lookupCustomers, and /healthz says unavailable', async () => {
    const lookup = await call('POST', '/mpacustomers', {
      headers: ebppHeaders,
      form: { customer_reference: 'AY1234' },
    });
    expect(lookup.status).toBe(503);
    await expectConforms('ebpp-mpa', 'lookupCustomers', lookup);
    const health = await call('GET', '/healthz');
    expect([health.status, health.body]).toEqual([503, { status: 'unavailable' }]);
    // Logged as a warning with the cause, never as an unhandled error.
    expect(logLines.some((line) => line.includes('"database unavailable"'))).toBe(true);
    expect(logLines.some((line) => line.includes('"unhandled error"'))).toBe(false);
  });
});
