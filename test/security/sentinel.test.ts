// Sentinel secrets: unique random strings sent where secrets and customer data travel (the key headers,
// Authorization, Cookie, the query string, card and account numbers, ssn, email, names, free text) through
// every operation, on the paths that succeed and the ones that fail (401, 400, 404/409/422, 413, a database
// fault's 500). Every log line the biller writes is captured (its injected logger, plus anything written to
// stdout, stderr or the console while it runs), and no sentinel may appear in any of them, not even 8
// characters of one.
import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { demoBiller, type Keys } from '../fuzz/support/harness.ts';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const alnum = (n: number) => [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join('');
const digits = (n: number) => String(randomInt(1, 10)) + Array.from({ length: n - 1 }, () => randomInt(0, 10)).join('');

/** Every sentinel sent, with how much of it may never show: all of it and any 8 consecutive characters. */
const long: string[] = [];
const short: string[] = [];
const sentinel = (n = 24) => {
  const value = alnum(n);
  (n >= 8 ? long : short).push(value);
  return value;
};
const digitSentinel = (n: number) => {
  const value = digits(n);
  (n >= 8 ? long : short).push(value);
  return value;
};

const keys: Keys = {
  kaleidofinApiKeys: [sentinel(), sentinel()],
  ebppClientKey: sentinel(),
  ebppApiKeys: [sentinel(), sentinel()],
};
const kaleidofinOk = { 'x-api-key': keys.kaleidofinApiKeys[1] as string };
const ebppOk = { 'client-key': keys.ebppClientKey, 'api-key': keys.ebppApiKeys[1] as string };
const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };

/** Headers that carry secrets on every request, whatever the operation. */
const extraSecrets = () => ({
  authorization: `Bearer ${sentinel()}`,
  'proxy-authorization': `Basic ${sentinel()}`,
  cookie: `session=${sentinel()}; csrf=${sentinel()}`,
});
const query = () => `?token=${sentinel()}&api_key=${sentinel()}`;

let serial = 0;
const postingId = () => `${Date.now() % 1e9}${String(++serial).padStart(4, '0')}`;
function payment(id: string, overrides: Record<string, unknown> = {}) {
  return {
    id,
    amount: '1.00',
    currency_code3d: 'INR',
    confirmation_number: sentinel(20),
    status: 'processed',
    payment_date: '2025-03-05',
    payment_method: 'visa_debit',
    payment_schedule_type: 'one_time_payment',
    card_cvv_number: digitSentinel(4),
    token: sentinel(),
    comments: `${sentinel()} ${sentinel()}`,
    customer: {
      customer_reference: 'FZ1',
      first_name: sentinel(),
      last_name: sentinel(),
      email: `${sentinel()}@example.in`,
      mobile_phone: digitSentinel(10),
    },
    customer_account: { account_number: 'LN-FZ1', account_holder_name: sentinel() },
    funding_account: {
      account_type: 'card',
      account_number: `************${sentinel(4)}`,
      account_holder_name: sentinel(),
      issuer_name: sentinel(),
      aba_routing_number: digitSentinel(9),
      expiry_date: '09/28',
    },
    payment_network_response: { payment_auth_code: sentinel(20), payment_response_msg: sentinel() },
    custom_fields: { pan: digitSentinel(16), nested: { secret: sentinel() } },
    ...overrides,
  };
}

type App = Awaited<ReturnType<typeof demoBiller>>['app'];
interface Sent {
  path: string;
  headers: Record<string, string>;
  body: string;
}

describe('no secret reaches a log line', () => {
  let biller: Awaited<ReturnType<typeof demoBiller>>;
  const captured: string[] = [];
  const answers: { status: number; text: string; headers: string }[] = [];
  const restore: (() => void)[] = [];

  beforeAll(async () => {
    biller = await demoBiller(keys);
    // Anything the biller (or a library under it) writes outside the injected logger.
    const record = (...args: unknown[]) => {
      captured.push(args.map((a) => (a instanceof Uint8Array ? Buffer.from(a).toString() : String(a))).join(' '));
      return true;
    };
    for (const stream of [process.stdout, process.stderr]) {
      const spy = vi.spyOn(stream, 'write').mockImplementation(record as never);
      restore.push(() => spy.mockRestore());
    }
    for (const name of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
      const spy = vi.spyOn(console, name).mockImplementation(record as never);
      restore.push(() => spy.mockRestore());
    }
  }, 180_000);

  afterAll(async () => {
    for (const undo of restore) undo();
    console.log(
      `[security sentinel] ${answers.length} requests, ${biller?.logLines.length ?? 0} log lines and ${captured.length} other writes checked for ${long.length + short.length} sentinels`,
    );
    await biller?.db.close().catch(() => {});
  });

  const send = async (app: App, sent: Sent) => {
    const response = await app.request(sent.path, { method: 'POST', headers: sent.headers, body: sent.body });
    const text = await response.text();
    const headers: string[] = [];
    response.headers.forEach((value, name) => {
      headers.push(`${name}: ${value}`);
    });
    answers.push({ status: response.status, text, headers: headers.join('\n') });
    return response.status;
  };

  /** Requests for every operation, each carrying fresh sentinels; `statuses` are what each should get. */
  function requests(): { name: string; sent: Sent; statuses: number[] }[] {
    const k = (extra: Record<string, string> = {}) => ({ ...kaleidofinOk, ...json, ...extraSecrets(), ...extra });
    const e = (extra: Record<string, string> = {}) => ({ ...ebppOk, ...json, ...extraSecrets(), ...extra });
    const paid = postingId();
    return [
      // Kaleidofin
      {
        name: 'fetchBills found (200)',
        sent: {
          path: '/bills/fetchBills',
          headers: k(),
          body: JSON.stringify([
            { identifierKey: 'customerId', identifierValue: 'FZ1' },
            { identifierKey: 'name', identifierValue: sentinel() },
          ]),
        },
        statuses: [200],
      },
      {
        name: 'fetchBills unknown customer (404)',
        sent: {
          path: `/bills/fetchBills${query()}`,
          headers: k(),
          body: JSON.stringify([
            { identifierKey: 'customerId', identifierValue: sentinel() },
            { identifierKey: 'phoneNumber', identifierValue: digitSentinel(10) },
          ]),
        },
        statuses: [404],
      },
      {
        name: 'fetchBills wrong key (401)',
        sent: {
          path: '/bills/fetchBills',
          headers: k({ 'x-api-key': sentinel() }),
          body: JSON.stringify([{ identifierKey: 'customerId', identifierValue: sentinel() }]),
        },
        statuses: [401],
      },
      {
        name: 'fetchReceipt paid (200), then the same transaction with another amount (409)',
        sent: {
          path: '/bills/fetchReceipt',
          headers: k(),
          body: JSON.stringify({
            systemBillId: Number(digitSentinel(12)),
            partnerBillId: 'FZ-ANY',
            paymentDetails: { billAmount: 1, amountPaid: 1, transactionId: `T${paid}` },
          }),
        },
        statuses: [200],
      },
      {
        name: 'fetchReceipt conflict (409)',
        sent: {
          path: '/bills/fetchReceipt',
          headers: k(),
          body: JSON.stringify({
            systemBillId: 1,
            partnerBillId: 'FZ-ANY',
            paymentDetails: { billAmount: 1, amountPaid: 2, transactionId: `T${paid}` },
          }),
        },
        statuses: [409],
      },
      {
        name: 'fetchReceipt unknown bill (404)',
        sent: {
          path: '/bills/fetchReceipt',
          headers: k(),
          body: JSON.stringify({
            systemBillId: 1,
            partnerBillId: sentinel(),
            paymentDetails: { billAmount: 1, amountPaid: 1, transactionId: sentinel() },
          }),
        },
        statuses: [404],
      },
      {
        name: 'fetchReceipt invalid (400)',
        sent: {
          path: '/bills/fetchReceipt',
          headers: k(),
          body: JSON.stringify({
            systemBillId: 1,
            partnerBillId: sentinel(),
            paymentDetails: { billAmount: 1, amountPaid: 1, transactionId: `${sentinel()} !` },
          }),
        },
        statuses: [400],
      },
      {
        name: 'fetchReceipt malformed JSON (400)',
        sent: {
          path: '/bills/fetchReceipt',
          headers: k(),
          body: `{"partnerBillId":"${sentinel()}","paymentDetails":{"transactionId":"${sentinel()}"`,
        },
        statuses: [400],
      },
      {
        name: 'fetchBills oversize (413)',
        sent: {
          path: '/bills/fetchBills',
          headers: k(),
          body: JSON.stringify(
            Array.from({ length: 1200 }, () => ({ identifierKey: 'customerId', identifierValue: sentinel() })),
          ),
        },
        statuses: [413],
      },
      {
        name: 'fetchBills wrong content type (415)',
        sent: {
          path: '/bills/fetchBills',
          headers: k({ 'content-type': 'text/plain' }),
          body: `customerId=${sentinel()}`,
        },
        statuses: [415],
      },
      // EBPP
      {
        name: 'lookup by ssn (422)',
        sent: {
          path: '/mpacustomers',
          headers: e(form),
          body: new URLSearchParams({ ssn: digitSentinel(9) }).toString(),
        },
        statuses: [422],
      },
      {
        name: 'lookup by email and reference (404)',
        sent: {
          path: `/mpacustomers${query()}`,
          headers: e(form),
          body: new URLSearchParams({
            email: `${sentinel()}@example.in`,
            customer_reference: sentinel(),
            lookup_reference: sentinel(),
          }).toString(),
        },
        statuses: [404],
      },
      {
        name: 'lookup found (200)',
        sent: {
          path: '/mpacustomers',
          headers: e(form),
          body: new URLSearchParams({ account_number: 'LN-FZ1', email: 'fuzz.one@example.in' }).toString(),
        },
        statuses: [200],
      },
      {
        name: 'lookup invalid (400)',
        sent: {
          path: '/mpacustomers',
          headers: e(form),
          body: new URLSearchParams({ ssn: sentinel(), email: sentinel() }).toString(),
        },
        statuses: [400],
      },
      {
        name: 'lookup wrong api-key (401)',
        sent: {
          path: '/mpacustomers',
          headers: e({ ...form, 'api-key': sentinel() }),
          body: new URLSearchParams({ ssn: digitSentinel(9) }).toString(),
        },
        statuses: [401],
      },
      {
        name: 'lookup wrong client-key (401)',
        sent: {
          path: '/mpacustomers',
          headers: e({ ...form, 'client-key': sentinel(), 'x-api-key': sentinel() }),
          body: 'account_number=LN-FZ1',
        },
        statuses: [401],
      },
      {
        name: 'payment posted (200)',
        sent: { path: '/paymentposting', headers: e(), body: JSON.stringify(payment(paid)) },
        statuses: [200],
      },
      {
        name: 'payment reposted (409)',
        sent: { path: '/paymentposting', headers: e(), body: JSON.stringify(payment(paid)) },
        statuses: [409],
      },
      {
        name: 'payment refused (422)',
        sent: {
          path: '/paymentposting',
          headers: e(),
          body: JSON.stringify(payment(postingId(), { amount: '99999999.00' })),
        },
        statuses: [422],
      },
      {
        name: 'payment unknown account (404)',
        sent: {
          path: '/paymentposting',
          headers: e(),
          body: JSON.stringify(payment(postingId(), { customer_account: { account_number: sentinel() } })),
        },
        statuses: [404],
      },
      {
        name: 'payment invalid card data (400)',
        sent: {
          path: '/paymentposting',
          headers: e(),
          body: JSON.stringify(
            payment(postingId(), { card_cvv_number: sentinel(), funding_account: { account_number: sentinel() } }),
          ),
        },
        statuses: [400],
      },
      {
        name: 'payment wrong keys (401)',
        sent: {
          path: '/paymentposting',
          headers: e({ 'client-key': sentinel(), 'api-key': sentinel() }),
          body: JSON.stringify(payment(postingId())),
        },
        statuses: [401],
      },
      {
        name: 'payment malformed (400)',
        sent: { path: '/paymentposting', headers: e(), body: JSON.stringify(payment(postingId())).slice(0, -40) },
        statuses: [400],
      },
      {
        name: 'payment oversize (400)',
        sent: {
          path: '/paymentposting',
          headers: e(),
          body: JSON.stringify(payment(postingId(), { comments: sentinel().repeat(3000) })),
        },
        statuses: [400],
      },
      {
        name: 'reversal with a wrong reference (422)',
        sent: {
          path: '/paymentreversalposting',
          headers: e(),
          body: JSON.stringify(payment(paid, { status: 'returned', payment_reference: sentinel() })),
        },
        statuses: [422],
      },
      {
        name: 'reversal (200)',
        sent: {
          path: '/paymentreversalposting',
          headers: e(),
          body: JSON.stringify(payment(paid, { status: 'returned', return_code: 'r01' })),
        },
        statuses: [200],
      },
      {
        name: 'reversal unknown payment (404)',
        sent: {
          path: '/paymentreversalposting',
          headers: e(),
          body: JSON.stringify(payment(postingId(), { status: 'returned' })),
        },
        statuses: [404],
      },
      {
        name: 'refund unknown payment (404)',
        sent: {
          path: '/paymentrefundposting',
          headers: e(),
          body: JSON.stringify({
            id: postingId(),
            status: 'processed',
            confirmation_number: sentinel(20),
            comments: sentinel(),
            custom_fields: { secret: sentinel() },
            source_payment: {
              id: postingId(),
              payment_reference: sentinel(),
              funding_account: { account_number: `****${sentinel(4)}`, account_holder_name: sentinel() },
              customer: { customer_reference: sentinel(), email: `${sentinel()}@example.in` },
            },
          }),
        },
        statuses: [404],
      },
      {
        name: 'refund invalid (400)',
        sent: {
          path: '/paymentrefundposting',
          headers: e(),
          body: JSON.stringify({
            id: sentinel(),
            status: 'processed',
            confirmation_number: `${sentinel()}!`,
            source_payment: { id: sentinel() },
          }),
        },
        statuses: [400],
      },
      {
        name: 'refund wrong content type (400)',
        sent: { path: '/paymentrefundposting', headers: e({ 'content-type': 'text/plain' }), body: sentinel() },
        statuses: [400],
      },
    ];
  }

  it('through every operation, on success and on every refusal', async () => {
    // A refundable payment first, so the refund path succeeds too.
    const refundable = postingId();
    expect(
      await send(biller.app, {
        path: '/paymentposting',
        headers: { ...ebppOk, ...json },
        body: JSON.stringify(payment(refundable)),
      }),
    ).toBe(200);
    const refund = {
      id: postingId(),
      refund_amount: '0.50',
      status: 'processed',
      confirmation_number: sentinel(20),
      comments: sentinel(),
      source_payment: { id: refundable, funding_account: { account_number: `****${sentinel(4)}` } },
    };
    expect(
      await send(biller.app, {
        path: '/paymentrefundposting',
        headers: { ...ebppOk, ...json, ...extraSecrets() },
        body: JSON.stringify(refund),
      }),
    ).toBe(200);
    for (const { name, sent, statuses } of requests()) {
      expect(statuses, name).toContain(await send(biller.app, sent));
    }
  });

  it('through every operation when the database fails (500), the path that logs error details', async () => {
    await biller.db.close();
    for (const { name, sent } of requests()) {
      expect(await send(biller.app, sent), name).toBeLessThanOrEqual(500);
    }
    expect(answers.filter((a) => a.status === 500).length).toBeGreaterThanOrEqual(10);
    expect(biller.logLines.some((line) => JSON.parse(line).msg === 'unhandled error')).toBe(true);
  });

  /** Every place a sentinel shows in `lines`: any 8 characters of a long one; a short one whole, in line data. */
  function leaks(lines: string[]): string[] {
    const found: string[] = [];
    for (const line of lines) {
      for (const value of long) {
        for (let i = 0; i + 8 <= value.length; i++) {
          const piece = value.slice(i, i + 8);
          if (line.includes(piece)) found.push(`"${piece}" of a sentinel in ${line.slice(0, 300)}`);
        }
      }
      // Values too short for a distinctive 8-character piece (a 4-digit CVV, the 4 characters after a card
      // mask) are looked for whole in the data of each line: without the fields the server makes itself (time,
      // a generated request id, the duration) and without stack frames (code locations), whose digits could
      // match by chance. The error message, where data could leak, stays in.
      let data = line;
      try {
        const {
          time: _t,
          request_id: _r,
          duration_ms: _d,
          error,
          ...rest
        } = JSON.parse(line) as Record<string, unknown>;
        data = JSON.stringify({ ...rest, message: (error as { message?: string } | undefined)?.message });
      } catch {}
      for (const value of short)
        if (data.includes(value)) found.push(`short sentinel ${value} in ${data.slice(0, 300)}`);
    }
    return found;
  }

  it('no sentinel, nor any 8 characters of one, is in any log line or other output', () => {
    const lines = [...biller.logLines, ...captured];
    expect(biller.logLines.length).toBeGreaterThanOrEqual(answers.length);
    expect(leaks(lines)).toEqual([]);
    // Negative controls: the check does see a leak, of 8 characters or of a short value.
    const piece = (long[0] as string).slice(5, 13);
    expect(
      leaks([...lines, JSON.stringify({ level: 'info', msg: 'request', note: `x${piece}y` })]).length,
    ).toBeGreaterThan(0);
    expect(
      leaks([JSON.stringify({ level: 'error', msg: 'unhandled error', error: { message: `bad ${short[0]}` } })]).length,
    ).toBeGreaterThan(0);
  });

  it('no answer echoes a key', () => {
    const secrets = [...keys.kaleidofinApiKeys, keys.ebppClientKey, ...keys.ebppApiKeys];
    for (const { text, headers } of answers) {
      for (const secret of secrets) expect(text + headers).not.toContain(secret.slice(0, 8));
    }
  });
});
