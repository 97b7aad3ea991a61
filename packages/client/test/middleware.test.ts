// The clients' middleware and transport wiring, on a recording fetch: what goes on the wire, what is retried,
// what is never re-sent.
import { inspect } from 'node:util';
import { Contract } from '@bbps-kit/contracts/validator';
import { describe, expect, it } from 'vitest';
import {
  createDigiledgeClient,
  createEbppClient,
  createEkoClient,
  createKaleidofinCollectClient,
  createKaleidofinPartnerClient,
  type EkoPayBillInput,
  HttpError,
  isOutcomeUnknown,
  lookupEbppCustomers,
  OutcomeUnknownError,
  payDigiledgeBill,
  payEkoBill,
  postKaleidofinPayment,
  TimeoutError,
  unwrap,
} from '../src/index.ts';
import { ekoSeedFetchBillQuery } from './eko-seed.ts';
import { json, networkError, recordingFetch, type Step, status } from './recording-fetch.ts';

const BASE = 'https://api.test';
const UAT_KEY = 'd2fe1d99-6298-4af2-8cc5-d97dcf46df30';
const FIXED_CLOCK = () => 1_700_000_000_000;
const fastRetry = { baseDelayMs: 1, maxDelayMs: 2 };

function eko(script: Step[], options: { accessKey?: string; requestHash?: boolean; timeoutMs?: number } = {}) {
  const recorder = recordingFetch(script);
  const client = createEkoClient({
    baseUrl: BASE,
    developerKey: 'dev-key-0123456789abcdef',
    accessKey: options.accessKey ?? UAT_KEY,
    now: FIXED_CLOCK,
    requestHash: options.requestHash,
    timeoutMs: options.timeoutMs,
    retry: fastRetry,
    fetch: recorder.fetch,
  });
  return { client, calls: recorder.calls };
}

const query = ekoSeedFetchBillQuery(await Contract.load('eko-bbps'));
const payment: EkoPayBillInput = { ...query, client_ref_id: 'REQ-1', amountPaise: 135000n };
const { amountPaise: _paise, ...paymentFields } = payment;
const payBody = { ...paymentFields, amount: '1350' };
const paySuccess = { status: 0, message: 'ok', tx_status: '0', data: { tid: '2882709962', amount: '1350' } };

describe('Eko signing', () => {
  it.each([
    ['test-access-key-123', '88lqTf9ew69XbVbeczjxVL8/B4vibfp1MvTi1mIj2Xo='],
    [UAT_KEY, 'qIir8tILHtqxO1Mu3/fC3pVElIa0oIxXMRDUP0463Bc='],
  ])('reproduces the facts-file vector for access key %s', async (accessKey, secretKey) => {
    const { client, calls } = eko([json({ status: 0, message: 'ok' })], { accessKey });
    await client.GET('/customer/payment/bbps/bill', { params: { query } });
    expect(calls[0]?.headers).toMatchObject({
      developer_key: 'dev-key-0123456789abcdef',
      'secret-key-timestamp': '1700000000000',
      'secret-key': secretKey,
      'content-type': 'application/json',
    });
  });

  it('signs every request with the clock at send time', async () => {
    let now = 1_700_000_000_000;
    const recorder = recordingFetch([json(paySuccess), json(paySuccess)]);
    const client = createEkoClient({
      baseUrl: BASE,
      developerKey: 'd',
      accessKey: UAT_KEY,
      now: () => now,
      fetch: recorder.fetch,
    });
    await payEkoBill(client, payment);
    now += 61_000;
    await payEkoBill(client, payment);
    const stamps = recorder.calls.map((call) => call.headers['secret-key-timestamp']);
    expect(stamps).toEqual(['1700000000000', '1700000061000']);
    expect(recorder.calls[0]?.headers['secret-key']).not.toBe(recorder.calls[1]?.headers['secret-key']);
  });

  it('sends request_hash only when flagged, over the body as sent, and leaves the body intact', async () => {
    const flagged = eko([json(paySuccess)], { requestHash: true });
    await payEkoBill(flagged.client, payment);
    const sent = flagged.calls[0];
    expect(sent?.headers.request_hash).toBe('5zfrJS+zS5D/ERn1A7BJb4jzzCaHKP9fBpbEDptrjsU=');
    expect(JSON.parse(sent?.body ?? '')).toMatchObject({
      amount: '1350',
      utility_acc_no: '1234567890',
      user_code: '20810200',
    });

    const plain = eko([json(paySuccess)]);
    await payEkoBill(plain.client, payment);
    expect(plain.calls[0]?.headers).not.toHaveProperty('request_hash');
    expect(plain.calls[0]?.body).toBe(sent?.body);
  });

  it('sends no request_hash on a GET even when flagged', async () => {
    const { client, calls } = eko([json({ status: 0, message: 'ok' })], { requestHash: true });
    await client.GET('/tools/reference/transaction/{tid}', {
      params: { path: { tid: '2882709962' }, query: { initiator_id: '9962981729' } },
    });
    expect(calls[0]?.headers).not.toHaveProperty('request_hash');
    expect(calls[0]?.request.url).toBe(`${BASE}/tools/reference/transaction/2882709962?initiator_id=9962981729`);
  });

  it('puts the client_ref_id inquiry on its own path, prefix intact', async () => {
    const { client, calls } = eko([json({ status: 0, message: 'ok' })]);
    await client.GET('/tools/reference/transaction/client_ref_id:{clientRefId}', {
      params: { path: { clientRefId: 'REQ-20260101-001' }, query: { initiator_id: '9962981729' } },
    });
    expect(new URL(calls[0]?.request.url ?? '').pathname).toBe(
      '/tools/reference/transaction/client_ref_id:REQ-20260101-001',
    );
  });

  it('sends no auth headers at all when the credentials are missing', async () => {
    const recorder = recordingFetch([json({ status: 401, message: 'no' }, 401)]);
    const client = createEkoClient({ baseUrl: BASE, developerKey: '', accessKey: '', fetch: recorder.fetch });
    const answer = await client.GET('/customer/payment/bbps/bill', { params: { query } });
    expect(answer.response.status).toBe(401);
    const headers = recorder.calls[0]?.headers ?? {};
    for (const name of ['developer_key', 'secret-key', 'secret-key-timestamp', 'request_hash']) {
      expect(headers).not.toHaveProperty(name);
    }
  });

  it('pays the amount as Eko rupee text from bigint paise', async () => {
    const { client, calls } = eko([json(paySuccess), json(paySuccess)]);
    await payEkoBill(client, { ...payment, amountPaise: 135050n });
    await payEkoBill(client, { ...payment, amountPaise: 1n });
    expect(calls.map((call) => JSON.parse(call.body).amount)).toEqual(['1350.50', '0.01']);
  });
});

describe('API-key headers', () => {
  it('Kaleidofin partner sends x-api-key', async () => {
    const recorder = recordingFetch([json({})]);
    const client = createKaleidofinPartnerClient({ baseUrl: BASE, apiKey: 'partner-key', fetch: recorder.fetch });
    await client.POST('/bills/fetchBills', { body: [{ identifierKey: 'customerId', identifierValue: 'AY1234' }] });
    expect(recorder.calls[0]?.headers['x-api-key']).toBe('partner-key');
  });

  it('Kaleidofin collect and Digiledge send x-api-key (their specs’ apiKey schemes)', async () => {
    const recorder = recordingFetch([json({}), json({})]);
    const collect = createKaleidofinCollectClient({ baseUrl: BASE, apiKey: 'ou-key', fetch: recorder.fetch });
    const digiledge = createDigiledgeClient({ baseUrl: BASE, apiKey: 'tenant-key', fetch: recorder.fetch });
    await collect.GET('/bills/status/{systemBillId}', { params: { path: { systemBillId: 15 } } });
    await digiledge.GET('/couapp/bills/fetch/byId', { params: { query: { billId: 'b-1' } } });
    expect(recorder.calls.map((call) => call.headers['x-api-key'])).toEqual(['ou-key', 'tenant-key']);
    expect(recorder.calls[0]?.request.url).toBe(`${BASE}/bills/status/15`);
  });

  it('EBPP sends client-key and api-key without the caller passing the client-key parameter', async () => {
    const recorder = recordingFetch([json({ customers: [] })]);
    const client = createEbppClient({
      baseUrl: BASE,
      clientKey: 'ebpp_ayfin_01',
      apiKey: 'api-secret',
      fetch: recorder.fetch,
    });
    await client.POST('/mpacustomers', { body: { account_number: 'LN-AY1234' } });
    expect(recorder.calls[0]?.headers).toMatchObject({ 'client-key': 'ebpp_ayfin_01', 'api-key': 'api-secret' });
  });

  it('never sends the transport’s idempotency marker on the wire', async () => {
    const recorder = recordingFetch([json({})]);
    const client = createKaleidofinPartnerClient({ baseUrl: BASE, apiKey: 'k', fetch: recorder.fetch });
    await client.POST('/bills/fetchBills', { body: [] });
    expect(Object.keys(recorder.calls[0]?.headers ?? {})).not.toContain('x-bbps-idempotent');
  });
});

describe('EBPP form body', () => {
  const lookup = { customer_reference: 'AY 1234&co', email: 'vishakha.kulkarni+emi@gmail.com' };
  const wire = 'customer_reference=AY+1234%26co&email=vishakha.kulkarni%2Bemi%40gmail.com';

  it('the plain typed call goes out as a real form', async () => {
    const recorder = recordingFetch([json({ customers: [] })]);
    const client = createEbppClient({ baseUrl: BASE, clientKey: 'c', apiKey: 'a', fetch: recorder.fetch });
    await client.POST('/mpacustomers', { body: lookup });
    expect(recorder.calls[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(recorder.calls[0]?.body).toBe(wire);
  });

  it('lookupEbppCustomers (bodySerializer + exact content type) sends the same bytes', async () => {
    const recorder = recordingFetch([json({ customers: [] })]);
    const client = createEbppClient({ baseUrl: BASE, clientKey: 'c', apiKey: 'a', fetch: recorder.fetch });
    expect(await lookupEbppCustomers(client, lookup)).toEqual({ customers: [] });
    expect(recorder.calls[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(recorder.calls[0]?.body).toBe(wire);
  });

  it('a form content type with parameters is kept as the caller sent it', async () => {
    const recorder = recordingFetch([json({ customers: [] })]);
    const client = createEbppClient({ baseUrl: BASE, clientKey: 'c', apiKey: 'a', fetch: recorder.fetch });
    await client.POST('/mpacustomers', {
      body: { account_number: 'LN-AY1234' },
      bodySerializer: (body) => new URLSearchParams(body as Record<string, string>).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    });
    expect(recorder.calls[0]?.body).toBe('account_number=LN-AY1234');
    expect(recorder.calls[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8');
  });

  it('postings stay JSON', async () => {
    const recorder = recordingFetch([json({})]);
    const client = createEbppClient({ baseUrl: BASE, clientKey: 'c', apiKey: 'a', fetch: recorder.fetch });
    await client.POST('/paymentrefundposting', {
      body: { id: '1', status: 'processed', confirmation_number: 'X', source_payment: { id: '2' } },
    });
    expect(recorder.calls[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(recorder.calls[0]?.body ?? '')).toMatchObject({ id: '1' });
  });
});

describe('retries: reads repeat, payments never', () => {
  it('retries a read done by POST (Kaleidofin fetchBills) on 503', async () => {
    const recorder = recordingFetch([status(503), json({ status: 0 })]);
    const client = createKaleidofinPartnerClient({
      baseUrl: BASE,
      apiKey: 'k',
      retry: fastRetry,
      fetch: recorder.fetch,
    });
    const answer = await client.POST('/bills/fetchBills', { body: [] });
    expect(answer.response.status).toBe(200);
    expect(recorder.calls).toHaveLength(2);
    expect(recorder.calls[1]?.body).toBe('[]');
  });

  it('retries EBPP lookup and Kaleidofin fetchCustomerBills after a network failure', async () => {
    const recorder = recordingFetch([networkError(), json({ customers: [] }), networkError(), json({})]);
    const ebpp = createEbppClient({
      baseUrl: BASE,
      clientKey: 'c',
      apiKey: 'a',
      retry: fastRetry,
      fetch: recorder.fetch,
    });
    const collect = createKaleidofinCollectClient({
      baseUrl: BASE,
      apiKey: 'k',
      retry: fastRetry,
      fetch: recorder.fetch,
    });
    await lookupEbppCustomers(ebpp, { account_number: 'A1' });
    await collect.POST('/bills/fetch/{billerId}', { params: { path: { billerId: 'B1' } }, body: [] });
    expect(recorder.calls).toHaveLength(4);
    expect(recorder.calls[1]?.body).toBe('account_number=A1');
  });

  it('retries Eko and Digiledge inquiries (GET)', async () => {
    const recorder = recordingFetch([status(502), json({ status: 0, message: 'ok' }), status(504), json({})]);
    const client = createEkoClient({
      baseUrl: BASE,
      developerKey: 'd',
      accessKey: 'a',
      retry: fastRetry,
      fetch: recorder.fetch,
    });
    const digiledge = createDigiledgeClient({ baseUrl: BASE, apiKey: 'k', retry: fastRetry, fetch: recorder.fetch });
    await client.GET('/tools/reference/transaction/{tid}', {
      params: { path: { tid: '1' }, query: { initiator_id: '9' } },
    });
    await digiledge.GET('/couapp/transactions/payment/byTxnId', { params: { query: { txnId: 't' } } });
    expect(recorder.calls).toHaveLength(4);
  });

  it('a read that keeps timing out ends in TimeoutError, not OutcomeUnknownError', async () => {
    const recorder = recordingFetch(['hang', 'hang', 'hang']);
    const client = createKaleidofinPartnerClient({
      baseUrl: BASE,
      apiKey: 'k',
      timeoutMs: 20,
      retry: fastRetry,
      fetch: recorder.fetch,
    });
    await expect(client.POST('/bills/fetchBills', { body: [] })).rejects.toBeInstanceOf(TimeoutError);
    expect(recorder.calls).toHaveLength(3);
  });

  const payments: [
    string,
    (fetch: ReturnType<typeof recordingFetch>['fetch'], timeoutMs?: number) => Promise<unknown>,
  ][] = [
    [
      'Eko payBill',
      (fetch, timeoutMs) =>
        payEkoBill(
          createEkoClient({ baseUrl: BASE, developerKey: 'd', accessKey: 'a', retry: fastRetry, timeoutMs, fetch }),
          payment,
        ),
    ],
    [
      'Digiledge payBill',
      (fetch, timeoutMs) =>
        payDigiledgeBill(createDigiledgeClient({ baseUrl: BASE, apiKey: 'k', retry: fastRetry, timeoutMs, fetch }), {
          tenantId: 'FE41',
          refId: 'vkL5Q79lukhzL4dSHatditBwzin20751743',
          billerId: 'KIFS00000NATST',
          billerName: 'KIFS',
          billerCategory: 'Loan Repayment',
          customerMobNo: '8281970522',
          paymentChannel: 'Agent',
          deviceBlockTags: [],
          amountOptions: false,
          billId: 'b-1',
          paymentMode: 'UPI',
          paymentInformation: 'x@abc',
          amountPaise: 5600n,
        }),
    ],
    [
      'Kaleidofin postPayment',
      (fetch, timeoutMs) =>
        postKaleidofinPayment(
          createKaleidofinCollectClient({ baseUrl: BASE, apiKey: 'k', retry: fastRetry, timeoutMs, fetch }),
          { systemBillId: 19, transactionId: 'T1', amountPaidPaise: 100000n, paymentDate: '2020-07-30' },
        ),
    ],
    [
      'Kaleidofin partner fetchReceipt',
      async (fetch, timeoutMs) =>
        unwrap(
          await createKaleidofinPartnerClient({ baseUrl: BASE, apiKey: 'k', retry: fastRetry, timeoutMs, fetch }).POST(
            '/bills/fetchReceipt',
            {
              body: {
                systemBillId: 14,
                partnerBillId: 'P',
                paymentDetails: { billAmount: 1000, amountPaid: 1000, transactionId: 'T1' },
              },
            },
          ),
        ),
    ],
    [
      'EBPP postPaymentReversal',
      async (fetch, timeoutMs) =>
        unwrap(
          await createEbppClient({
            baseUrl: BASE,
            clientKey: 'c',
            apiKey: 'a',
            retry: fastRetry,
            timeoutMs,
            fetch,
          }).POST(
            '/paymentreversalposting',
            // The shape is irrelevant here; only the path's retry rule is under test.
            { body: { id: '1' } as never },
          ),
        ),
    ],
  ];

  it.each(payments)('%s: a 503 is answered once and reported as outcome unknown', async (_name, pay) => {
    const recorder = recordingFetch([status(503, {}, '{"error":"busy"}'), json({})]);
    const error = await pay(recorder.fetch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(503);
    expect(isOutcomeUnknown(error)).toBe(true);
    expect(recorder.calls).toHaveLength(1);
  });

  it.each(payments)('%s: a network failure throws OutcomeUnknownError after one attempt', async (_name, pay) => {
    const recorder = recordingFetch([networkError(), json({})]);
    const error = await pay(recorder.fetch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect((error as OutcomeUnknownError).reason).toBe('network');
    expect(recorder.calls).toHaveLength(1);
  });

  it.each(payments)(
    '%s: a timeout throws OutcomeUnknownError (reason timeout) after one attempt',
    async (_name, pay) => {
      const recorder = recordingFetch(['hang', json({})]);
      const error = await pay(recorder.fetch, 20).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OutcomeUnknownError);
      expect((error as OutcomeUnknownError).reason).toBe('timeout');
      expect(isOutcomeUnknown(error)).toBe(true);
      expect(recorder.calls).toHaveLength(1);
    },
  );

  it('a refusal (4xx) is an HttpError with the envelope, not an unknown outcome', async () => {
    const envelope = { status: 1, message: 'Please enter a valid amount', response_type_id: -1 };
    const { client } = eko([json(envelope, 400)]);
    const error = await payEkoBill(client, payment).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).envelope).toEqual(envelope);
    expect(isOutcomeUnknown(error)).toBe(false);
  });

  it('a caller cannot make a payment repeatable with the idempotency header', async () => {
    const { client, calls } = eko([status(503), json(paySuccess)]);
    const answer = await client.POST('/customer/payment/bbps', {
      body: payBody,
      headers: { 'x-bbps-idempotent': '1' },
    });
    expect(answer.response.status).toBe(503);
    expect(calls).toHaveLength(1);
  });
});

describe('secrets stay out of errors', () => {
  it('neither the access key, its signature, nor API keys appear in thrown errors', async () => {
    const recorder = recordingFetch([networkError(), json({ error: 'x' }, 401)]);
    const client = createEkoClient({
      baseUrl: BASE,
      developerKey: 'DEVKEY-SECRET',
      accessKey: 'ACCESS-SECRET',
      now: FIXED_CLOCK,
      fetch: recorder.fetch,
    });
    const ebpp = createEbppClient({
      baseUrl: BASE,
      clientKey: 'CLIENT-SECRET',
      apiKey: 'API-SECRET',
      fetch: recorder.fetch,
    });
    const unknown = await payEkoBill(client, payment).catch((e: unknown) => e);
    const refused = await lookupEbppCustomers(ebpp, { account_number: 'A' }).catch((e: unknown) => e);
    const signature = recorder.calls[0]?.headers['secret-key'] ?? 'unset';
    for (const error of [unknown, refused]) {
      const text = `${String(error)} ${inspect(error, { depth: 10, showHidden: true })} ${JSON.stringify(error)}`;
      for (const secret of ['DEVKEY-SECRET', 'ACCESS-SECRET', signature, 'CLIENT-SECRET', 'API-SECRET']) {
        expect(text).not.toContain(secret);
      }
    }
  });
});
