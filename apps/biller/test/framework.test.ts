// What happens before (or instead of) a handler: keys, bad bodies, unknown routes, oversize bodies, faults;
// plus request ids and what the logs may contain. Each answer is in the envelope of the path's contract.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyLimitBytes } from '../src/app.ts';
import { demoKeys } from '../src/config.ts';
import { createLedger, pgliteEngine, type TestDatabase } from './support/db.ts';
import { ebppHeaders, expectConforms, kaleidofinHeaders, testApp } from './support/http.ts';

describe('framework errors, request ids and logs', () => {
  let t: TestDatabase;
  let harness: ReturnType<typeof testApp>;
  beforeAll(async () => {
    t = await createLedger(pgliteEngine, { demo: true });
    harness = testApp(t.db);
  });
  afterAll(async () => {
    await t.drop();
  });
  const call = (...args: Parameters<ReturnType<typeof testApp>['call']>) => harness.call(...args);
  const big = 'x'.repeat(bodyLimitBytes + 1);

  it('Kaleidofin paths answer every framework error in the Kaleidofin envelope', async () => {
    const cases = [
      { raw: '[{"identifierKey":', type: 'application/json', status: 400, code: 'INVALID_REQUEST' },
      { raw: 'customerId=AY1234', type: 'text/plain', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
      { raw: `["${big}"]`, type: 'application/json', status: 413, code: 'PAYLOAD_TOO_LARGE' },
    ];
    for (const { raw, type, status, code } of cases) {
      const answer = await call('POST', '/bills/fetchBills', {
        headers: { ...kaleidofinHeaders, 'content-type': type },
        raw,
      });
      expect([answer.status, answer.body.error.code]).toEqual([status, code]);
      expect(answer.body).toMatchObject({ success: false, status });
      await expectConforms('kaleidofin-partner', 'fetchBills', answer);
    }
    const badKeys: Record<string, string>[] = [{}, { 'x-api-key': 'wrong' }, { 'x-api-key': demoKeys.ebppApiKey }];
    for (const headers of badKeys) {
      const answer = await call('POST', '/bills/fetchReceipt', { headers, json: {} });
      expect([answer.status, answer.body.error.code]).toEqual([401, 'UNAUTHORIZED']);
      await expectConforms('kaleidofin-partner', 'fetchReceipt', answer);
    }
    const wrongMethod = await call('GET', '/bills/fetchBills', { headers: kaleidofinHeaders });
    expect([wrongMethod.status, wrongMethod.body.error.code, wrongMethod.headers.get('allow')]).toEqual([
      405,
      'METHOD_NOT_ALLOWED',
      'POST',
    ]);
    const unknown = await call('POST', '/bills/payBill', { headers: kaleidofinHeaders, json: {} });
    expect([unknown.status, unknown.body.success, unknown.body.error.code]).toEqual([404, false, 'NOT_FOUND']);
  });

  it('EBPP paths answer every framework error in the EBPP envelope, within its declared statuses', async () => {
    const only = (answer: { body: { errors: { code: string; field?: string }[] } }) => [
      answer.body.errors[0]?.code,
      answer.body.errors[0]?.field,
    ];
    const noClient = await call('POST', '/paymentposting', { headers: { 'api-key': demoKeys.ebppApiKey }, json: {} });
    expect([noClient.status, ...only(noClient)]).toEqual([401, 'error_field', 'client-key']);
    expect(noClient.body.errors[0]?.message).toBe('client-key is missing or unknown');
    const wrongApi = await call('POST', '/mpacustomers', {
      headers: { 'client-key': demoKeys.ebppClientKey, 'api-key': 'nope' },
      form: { account_number: 'LN-AY1234' },
    });
    expect([wrongApi.status, ...only(wrongApi)]).toEqual([401, 'error_field', 'api-key']);
    expect(wrongApi.body.errors[0]?.message).toBe(
      'api-key is missing or does not match the key configured for this client',
    );
    await expectConforms('ebpp-mpa', 'lookupCustomers', wrongApi);

    const malformed = await call('POST', '/paymentposting', {
      headers: { ...ebppHeaders, 'content-type': 'application/json' },
      raw: '{"amount":',
    });
    expect([malformed.status, only(malformed)[0]]).toEqual([400, 'error_field']);
    await expectConforms('ebpp-mpa', 'postPayment', malformed);
    const formToJson = await call('POST', '/paymentposting', { headers: ebppHeaders, form: { amount: '1' } });
    expect([formToJson.status, ...only(formToJson)]).toEqual([400, 'error_field', 'content-type']);
    const jsonToForm = await call('POST', '/mpacustomers', { headers: ebppHeaders, json: { account_number: 'x' } });
    expect([jsonToForm.status, ...only(jsonToForm)]).toEqual([400, 'error_field', 'content-type']);
    await expectConforms('ebpp-mpa', 'lookupCustomers', jsonToForm);
    const tooBig = await call('POST', '/paymentrefundposting', {
      headers: { ...ebppHeaders, 'content-type': 'application/json' },
      raw: `{"comments":"${big}"}`,
    });
    expect([tooBig.status, only(tooBig)[0]]).toEqual([400, 'error_field']);
    await expectConforms('ebpp-mpa', 'postPaymentRefund', tooBig);
    const wrongMethod = await call('GET', '/paymentposting', { headers: ebppHeaders });
    expect([wrongMethod.status, only(wrongMethod)[0]]).toEqual([405, 'error_field']);
    const unknown = await call('POST', '/paymentposting/extra', { headers: ebppHeaders, json: {} });
    expect([unknown.status, only(unknown)[0]]).toEqual([404, 'error_field']);
  });

  it('other paths answer in the neutral envelope', async () => {
    const answer = await call('GET', '/nope');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error: { code: 'NOT_FOUND', message: 'No route GET /nope' } });
    expect((await call('GET', '/healthz')).body).toEqual({ status: 'ok' });
  });

  it('echoes the caller’s request id, or makes one', async () => {
    const given = await call('GET', '/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await call('GET', '/healthz', { headers: { 'x-request-id': 'not an id\u0007' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const onError = await call('POST', '/bills/fetchBills', { headers: { 'x-request-id': 'err-1' }, json: [] });
    expect(onError.headers.get('x-request-id')).toBe('err-1');
  });

  it('logs one JSON line per request, with no keys and no bodies', async () => {
    const { call: logged, logLines } = testApp(t.db);
    await logged('POST', '/bills/fetchBills', {
      headers: { ...kaleidofinHeaders, 'x-request-id': 'log-1' },
      json: [{ identifierKey: 'customerId', identifierValue: 'AY1234' }],
    });
    await logged('POST', '/paymentposting', { headers: ebppHeaders, json: { card_cvv_number: '987' } });
    expect(logLines).toHaveLength(2);
    const first = JSON.parse(logLines[0] ?? '{}');
    expect(first).toMatchObject({ level: 'info', msg: 'request', method: 'POST', path: '/bills/fetchBills' });
    expect(first).toMatchObject({ status: 200, request_id: 'log-1', duration_ms: expect.any(Number) });
    const all = logLines.join('\n');
    for (const secret of [demoKeys.kaleidofinApiKey, demoKeys.ebppApiKey, demoKeys.ebppClientKey, 'AY1234', '987']) {
      expect(all).not.toContain(secret);
    }
  });

  it('answers a database fault with a 500 in the contract’s envelope, and a failing health check', async () => {
    const broken = await createLedger(pgliteEngine, { demo: true });
    const { call: faulty, logLines } = testApp(broken.db);
    await broken.db.close();
    const kaleidofin = await faulty('POST', '/bills/fetchBills', {
      headers: kaleidofinHeaders,
      json: [{ identifierKey: 'customerId', identifierValue: 'AY1234' }],
    });
    expect([kaleidofin.status, kaleidofin.body.error.code]).toEqual([500, 'INTERNAL_ERROR']);
    await expectConforms('kaleidofin-partner', 'fetchBills', kaleidofin);
    const ebpp = await faulty('POST', '/mpacustomers', { headers: ebppHeaders, form: { account_number: 'LN-AY1234' } });
    expect([ebpp.status, ebpp.body.errors[0].code, ebpp.body.errors[0].field]).toEqual([500, 'error_field', undefined]);
    await expectConforms('ebpp-mpa', 'lookupCustomers', ebpp);
    expect((await faulty('GET', '/healthz')).status).toBe(503);
    expect(kaleidofin.text).not.toMatch(/stack|at .*\.ts/);
    expect(logLines.some((line) => JSON.parse(line).msg === 'unhandled error')).toBe(true);
  });
});
