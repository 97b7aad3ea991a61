// The Eko simulator's refusals: each is in Eko's envelope, validates against the contract's declared response for
// its status, and (for a request error) names the field that was wrong. Credentials: 401 when missing or unknown,
// 400 naming a malformed header, 403 for a wrong or stale signature.
import { ekoSecretKey } from '@bbps-kit/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchQuery, type Harness, inquiryByRef, inquiryByTid, payBody, startEko } from './harness.ts';

let eko: Harness;
beforeAll(async () => {
  eko = await startEko();
});
afterAll(() => eko.close());

const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  body: typeof body === 'string' ? body : JSON.stringify(body),
  headers,
});

describe('credentials', () => {
  for (const header of ['developer_key', 'secret-key', 'secret-key-timestamp']) {
    it(`a missing ${header} is 401 naming it`, async () => {
      const { [header]: _, ...rest } = eko.signed();
      const response = await fetch(`${eko.url}${fetchQuery('1234567890')}`, { headers: rest });
      const body = (await response.json()) as { message: string };
      expect(response.status).toBe(401);
      expect(eko.contract.response('fetchBill', 401, body).errors).toEqual([]);
      expect(body.message).toContain(header);
    });
  }

  it('an unknown developer_key is 401', async () => {
    const { status } = await eko.call('fetchBill', fetchQuery('1234567890'), { headers: { developer_key: 'nope' } });
    expect(status).toBe(401);
  });

  it('a timestamp in seconds is 400 naming secret-key-timestamp', async () => {
    const { status, body } = await eko.call('payBill', '/customer/payment/bbps', {
      ...post(payBody('55550000')),
      headers: { 'secret-key-timestamp': '1700000000' },
    });
    expect(status).toBe(400);
    expect(Object.keys(body.invalid_params)).toEqual(['secret-key-timestamp']);
  });

  it('a timestamp not of 13 digits is 400 naming it, even when signed correctly and within 5 minutes', async () => {
    // `+…` and `….0` read as the current time, so the signature check passes them on (the HMAC is over any text)
    // and the route's header schema refuses them; `not-a-time` is refused by the signature check's own schema.
    const { accessKey } = eko.sandbox.credentials;
    for (const timestamp of [`+${Date.now()}`, `${Date.now()}.0`, 'not-a-time']) {
      const headers = {
        ...eko.signed(),
        'secret-key-timestamp': timestamp,
        'secret-key': ekoSecretKey(accessKey, timestamp),
      };
      const { status, body } = await eko.call('fetchBill', fetchQuery('1234567890'), { headers });
      expect(status).toBe(400);
      expect(Object.keys(body.invalid_params)).toEqual(['secret-key-timestamp']);
    }
  });

  it('a malformed secret-key is 400 naming secret-key', async () => {
    const { status, body } = await eko.call('getTransaction', inquiryByTid('2882709962'), {
      headers: { 'secret-key': 'short' },
    });
    expect(status).toBe(400);
    expect(Object.keys(body.invalid_params)).toEqual(['secret-key']);
  });

  it('a wrong signature is 403', async () => {
    // The signature of one timestamp sent with another, a second earlier.
    const wrong = eko.signed();
    wrong['secret-key-timestamp'] = String(Number(wrong['secret-key-timestamp']) - 1000);
    const { status, body } = await eko.call('fetchBill', fetchQuery('1234567890'), { headers: wrong });
    expect(status).toBe(403);
    expect(body.message).toMatch(/secret-key does not match/);
  });

  it('a correct signature over a timestamp more than 5 minutes off is 403, either way; within 5 minutes it passes', async () => {
    for (const offset of [-301_000, 301_000]) {
      const { status, body } = await eko.call('getTransaction', inquiryByTid('2882709962'), {
        headers: eko.signed(Date.now() + offset),
      });
      expect(status).toBe(403);
      expect(body.message).toMatch(/secret-key-timestamp/);
    }
    for (const offset of [-290_000, 290_000]) {
      const { status } = await eko.call('getTransaction', inquiryByTid('2882709962'), {
        headers: eko.signed(Date.now() + offset),
      });
      expect(status).toBe(200);
    }
  });
});

describe('request errors name the field', () => {
  const cases: [string, string, string, RequestInit | undefined, string][] = [
    [
      'fetchBill',
      'a missing query field',
      fetchQuery('1234567890').replace(/&sender_name=[^&]*/, ''),
      undefined,
      'sender_name',
    ],
    ['fetchBill', 'a bad ip', fetchQuery('1234567890', { source_ip: '300.1.1.1' }), undefined, 'source_ip'],
    ['fetchBill', 'a bad hc_channel', fetchQuery('1234567890', { hc_channel: '7' }), undefined, 'hc_channel'],
    [
      'payBill',
      'a rupee amount with 3 decimals',
      '/customer/payment/bbps',
      post(payBody('55550000', { amount: '1.234' })),
      'amount',
    ],
    [
      'payBill',
      'a 21-character client_ref_id',
      '/customer/payment/bbps',
      post(payBody('55550000', { client_ref_id: 'X'.repeat(21) })),
      'client_ref_id',
    ],
    [
      'payBill',
      'a postalcode as text',
      '/customer/payment/bbps',
      post(payBody('55550000', { postalcode: '400001' })),
      'postalcode',
    ],
    [
      'payBill',
      'a missing utility_acc_no',
      '/customer/payment/bbps',
      post(payBody('55550000', { utility_acc_no: undefined })),
      'utility_acc_no',
    ],
    ['payBill', 'malformed JSON', '/customer/payment/bbps', post('{"initiator_id":'), 'body'],
    [
      'payBill',
      'a billfetchresponse never issued',
      '/customer/payment/bbps',
      post(payBody('55550000', { billfetchresponse: 'forged' })),
      'billfetchresponse',
    ],
    [
      'getTransaction',
      'a tid with a colon (a mistyped prefix)',
      '/tools/reference/transaction/client-ref-id:X?initiator_id=9962981729',
      undefined,
      'tid',
    ],
    ['getTransaction', 'a missing initiator_id', '/tools/reference/transaction/2882709962', undefined, 'initiator_id'],
    [
      'getTransaction',
      'a malformed percent-escape',
      '/tools/reference/transaction/abc%zz?initiator_id=99',
      undefined,
      'initiator_id',
    ],
    [
      'getTransactionByClientRefId',
      'a 21-character client_ref_id',
      inquiryByRef('Y'.repeat(21)),
      undefined,
      'clientRefId',
    ],
    [
      'getTransactionByClientRefId',
      'a bad initiator_id',
      '/tools/reference/transaction/client_ref_id:R1?initiator_id=12',
      undefined,
      'initiator_id',
    ],
    [
      'fetchBill',
      'a bad x-sandbox-delay-ms',
      fetchQuery('1234567890'),
      { headers: { 'x-sandbox-delay-ms': '60001' } },
      'x-sandbox-delay-ms',
    ],
  ];
  for (const [operationId, what, path, init, field] of cases) {
    it(`${operationId}: ${what} → 400 naming ${field}`, async () => {
      const { status, body } = await eko.call(operationId, path, init);
      expect(status).toBe(400);
      expect(body.response_type_id).toBe(-1);
      expect(Object.keys(body.invalid_params)).toContain(field);
      expect(body.invalid_params[field]).toMatch(new RegExp(`^${field.replace(/[-]/g, '\\-')} `));
    });
  }
});

describe('query text is read as the contract types it', () => {
  it('every optional fetch parameter, hc_channel 0 and 1 included, is accepted', async () => {
    for (const hc_channel of ['0', '1']) {
      const extra = { hc_channel, dob: '15/08/1985', cycle_number: '7', authenticator: 'secret' };
      const { status, body } = await eko.call('fetchBill', fetchQuery('1234567890', extra));
      expect(status).toBe(200);
      expect(body.status).toBe(0);
    }
  });
  it('a query parameter sent twice is 400 naming it', async () => {
    const { status, body } = await eko.call('fetchBill', `${fetchQuery('1234567890')}&initiator_id=9962981729`);
    expect(status).toBe(400);
    expect(body.invalid_params).toEqual({ initiator_id: 'initiator_id must be sent once' });
  });
});

describe('what the framework would otherwise answer is in the envelope too', () => {
  it('an unknown route is 404', async () => {
    const { status } = await eko.call(undefined, '/customer/payment/nowhere');
    expect(status).toBe(404);
  });
  it('a wrong method is 405 with Allow', async () => {
    const response = await fetch(`${eko.url}/customer/payment/bbps`, { headers: eko.signed() });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(eko.contract.schema('ErrorResponse', await response.json()).errors).toEqual([]);
  });
  it('a body that is not JSON is 415', async () => {
    const { status } = await eko.call(undefined, '/customer/payment/bbps', {
      ...post('initiator_id=1'),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(status).toBe(415);
  });
  it('an oversize body is 413', async () => {
    const { status } = await eko.call(
      undefined,
      '/customer/payment/bbps',
      post(payBody('55550000', { pad: 'x'.repeat(70_000) })),
    );
    expect(status).toBe(413);
  });
});
