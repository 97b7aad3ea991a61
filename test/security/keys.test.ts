// Missing, wrong and rotated keys on every biller operation. The biller is built with two accepted keys per
// list (a rotation in progress): both work; after the rotation the removed key fails; anything else is 401 in
// the contract's envelope, whatever its length or bytes, and never a 5xx.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type ApiName, Contract } from '@bbps-kit/contracts/validator';
import { serve } from '@hono/node-server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoBiller, type Keys } from '../fuzz/support/harness.ts';

const secret = (prefix: string) => `${prefix}_${randomBytes(18).toString('base64url').replaceAll('-', 'x')}`;
const old = { kaleidofin: secret('kold'), ebpp: secret('eold') };
const fresh = { kaleidofin: secret('knew'), ebpp: secret('enew') };
const clientKey = secret('client');
const rotating: Keys = {
  kaleidofinApiKeys: [old.kaleidofin, fresh.kaleidofin],
  ebppClientKey: clientKey,
  ebppApiKeys: [old.ebpp, fresh.ebpp],
};
const rotated: Keys = { kaleidofinApiKeys: [fresh.kaleidofin], ebppClientKey: clientKey, ebppApiKeys: [fresh.ebpp] };

type App = { request: (path: string, init: RequestInit) => Response | Promise<Response> };
interface Operation {
  api: ApiName;
  operationId: string;
  path: string;
  form?: boolean;
  /** A body this call should succeed with (unique per call, so postings never collide). */
  body: (app: App, n: number) => Promise<string>;
}

let serial = 0;
const unique = () => `${Date.now() % 1e9}${String(++serial).padStart(4, '0')}`;
const payment = (id: string) => ({
  id,
  amount: '1.00',
  currency_code3d: 'INR',
  confirmation_number: 'KEYS1',
  status: 'processed',
  payment_date: '2025-03-05',
  payment_method: 'ach',
  payment_schedule_type: 'one_time_payment',
  customer: { customer_reference: 'FZ1' },
  customer_account: { account_number: 'LN-FZ1' },
  funding_account: {},
  payment_network_response: {},
  custom_fields: {},
});
const goodEbpp = { 'client-key': clientKey, 'api-key': fresh.ebpp, 'content-type': 'application/json' };
async function posted(app: App): Promise<{ id: string; reference: string }> {
  const id = unique();
  const response = await app.request('/paymentposting', {
    method: 'POST',
    headers: goodEbpp,
    body: JSON.stringify(payment(id)),
  });
  expect(response.status).toBe(200);
  return { id, reference: ((await response.json()) as { payment_reference: string }).payment_reference };
}

const operations: Operation[] = [
  {
    api: 'kaleidofin-partner',
    operationId: 'fetchBills',
    path: '/bills/fetchBills',
    body: async () => JSON.stringify([{ identifierKey: 'customerId', identifierValue: 'FZ1' }]),
  },
  {
    api: 'kaleidofin-partner',
    operationId: 'fetchReceipt',
    path: '/bills/fetchReceipt',
    body: async () =>
      JSON.stringify({
        systemBillId: 1,
        partnerBillId: 'FZ-ANY',
        paymentDetails: { billAmount: 100000, amountPaid: 1, transactionId: `KEYS-${unique()}` },
      }),
  },
  {
    api: 'ebpp-mpa',
    operationId: 'lookupCustomers',
    path: '/mpacustomers',
    form: true,
    body: async () => 'account_number=LN-FZ1',
  },
  {
    api: 'ebpp-mpa',
    operationId: 'postPayment',
    path: '/paymentposting',
    body: async () => JSON.stringify(payment(unique())),
  },
  {
    api: 'ebpp-mpa',
    operationId: 'postPaymentReversal',
    path: '/paymentreversalposting',
    body: async (app) => {
      const { id, reference } = await posted(app);
      return JSON.stringify({ ...payment(id), status: 'returned', payment_reference: reference });
    },
  },
  {
    api: 'ebpp-mpa',
    operationId: 'postPaymentRefund',
    path: '/paymentrefundposting',
    body: async (app) => {
      const { id } = await posted(app);
      return JSON.stringify({
        id: unique(),
        refund_amount: '0.50',
        status: 'processed',
        confirmation_number: 'KEYSR1',
        source_payment: { id },
      });
    },
  },
];

describe('API keys on every biller operation', () => {
  let biller: Awaited<ReturnType<typeof demoBiller>>;
  let afterRotation: App;
  const contracts = new Map<ApiName, Contract>();
  let requests = 0;

  beforeAll(async () => {
    biller = await demoBiller(rotating);
    afterRotation = biller.build(rotated);
    for (const api of ['kaleidofin-partner', 'ebpp-mpa'] as const) contracts.set(api, await Contract.load(api));
  }, 180_000);
  afterAll(async () => {
    console.log(`[security keys] ${requests} requests`);
    await biller?.db.close();
  });

  const keyHeaders = (op: Operation, keys: { kaleidofin?: string; client?: string; api?: string }) => {
    const headers: Record<string, string> = {
      'content-type': op.form ? 'application/x-www-form-urlencoded' : 'application/json',
    };
    if (op.api === 'kaleidofin-partner') {
      if (keys.kaleidofin !== undefined) headers['x-api-key'] = keys.kaleidofin;
    } else {
      if (keys.client !== undefined) headers['client-key'] = keys.client;
      if (keys.api !== undefined) headers['api-key'] = keys.api;
    }
    return headers;
  };
  const call = async (app: App, op: Operation, headers: Record<string, string>, body?: string) => {
    requests += 1;
    const response = await app.request(op.path, {
      method: 'POST',
      headers,
      body: body ?? (await op.body(app, requests)),
    });
    const text = await response.text();
    return { status: response.status, text, body: JSON.parse(text) };
  };
  /** 401 in the contract's envelope, naming the header where the envelope has a field. */
  const expectRefused = (op: Operation, answer: { status: number; text: string; body: unknown }, field?: string) => {
    expect(answer.status, answer.text).toBe(401);
    const contract = contracts.get(op.api) as Contract;
    expect(contract.response(op.operationId, 401, answer.body).errors, answer.text).toEqual([]);
    if (op.api === 'kaleidofin-partner') {
      expect(answer.body).toMatchObject({ success: false, status: 401, error: { code: 'UNAUTHORIZED' } });
    } else {
      expect(answer.body).toMatchObject({ errors: [{ code: 'error_field', field }] });
    }
  };
  const expectAccepted = (op: Operation, answer: { status: number; text: string; body: unknown }) => {
    expect(answer.status, answer.text).toBe(200);
    const contract = contracts.get(op.api) as Contract;
    expect(contract.response(op.operationId, 200, answer.body).errors).toEqual([]);
  };
  // For EBPP the presented value goes in api-key (the list that rotates); client-key is one value.
  const withKey = (op: Operation, key: string) =>
    op.api === 'kaleidofin-partner' ? { kaleidofin: key } : { client: clientKey, api: key };
  const oldKey = (op: Operation) => (op.api === 'kaleidofin-partner' ? old.kaleidofin : old.ebpp);
  const newKey = (op: Operation) => (op.api === 'kaleidofin-partner' ? fresh.kaleidofin : fresh.ebpp);
  const apiField = (op: Operation) => (op.api === 'kaleidofin-partner' ? undefined : 'api-key');

  for (const op of operations) {
    describe(op.operationId, () => {
      it('during a rotation both the old and the new key work; after it the removed key is 401', async () => {
        expectAccepted(op, await call(biller.app, op, keyHeaders(op, withKey(op, oldKey(op)))));
        expectAccepted(op, await call(biller.app, op, keyHeaders(op, withKey(op, newKey(op)))));
        expectRefused(op, await call(afterRotation, op, keyHeaders(op, withKey(op, oldKey(op)))), apiField(op));
        expectAccepted(op, await call(afterRotation, op, keyHeaders(op, withKey(op, newKey(op)))));
      });

      it('a missing key header is 401 in the contract envelope, naming the header', async () => {
        if (op.api === 'kaleidofin-partner') {
          expectRefused(op, await call(biller.app, op, keyHeaders(op, {}), '{}'));
          return;
        }
        expectRefused(op, await call(biller.app, op, keyHeaders(op, {}), '{}'), 'client-key');
        expectRefused(op, await call(biller.app, op, keyHeaders(op, { api: fresh.ebpp }), '{}'), 'client-key');
        expectRefused(op, await call(biller.app, op, keyHeaders(op, { client: clientKey }), '{}'), 'api-key');
      });

      it('a wrong key is 401: wrong client-key, wrong api-key, the other contract’s key, keys in the wrong header', async () => {
        if (op.api === 'kaleidofin-partner') {
          for (const key of [fresh.ebpp, clientKey, 'wrong'])
            expectRefused(op, await call(biller.app, op, keyHeaders(op, { kaleidofin: key }), '{}'));
          const misplaced = {
            'content-type': 'application/json',
            'api-key': fresh.kaleidofin,
            authorization: `Bearer ${fresh.kaleidofin}`,
          };
          expectRefused(op, await call(biller.app, op, misplaced, '{}'));
          return;
        }
        expectRefused(
          op,
          await call(biller.app, op, keyHeaders(op, { client: 'wrong', api: fresh.ebpp }), '{}'),
          'client-key',
        );
        expectRefused(
          op,
          await call(biller.app, op, keyHeaders(op, { client: clientKey, api: 'wrong' }), '{}'),
          'api-key',
        );
        expectRefused(
          op,
          await call(biller.app, op, keyHeaders(op, { client: clientKey, api: fresh.kaleidofin }), '{}'),
          'api-key',
        );
        expectRefused(
          op,
          await call(biller.app, op, keyHeaders(op, { client: fresh.ebpp, api: clientKey }), '{}'),
          'client-key',
        );
        expectRefused(
          op,
          await call(biller.app, op, keyHeaders(op, { client: 'wrong', api: 'wrong' }), '{}'),
          'client-key',
        );
      });

      it('keys of every length and shape are compared without error: 401, never a 5xx', async () => {
        const real = newKey(op);
        const last = real.at(-1) === 'a' ? 'b' : 'a';
        const shapes: Record<string, string> = {
          empty: '',
          'one character': 'k',
          'same length, last character differs': real.slice(0, -1) + last,
          'same length, first character differs': (real[0] === 'a' ? 'b' : 'a') + real.slice(1),
          'the key plus one character': `${real}x`,
          'the key minus its last character': real.slice(0, -1),
          'the key in upper case': real.toUpperCase(),
          '10 KB': 'k'.repeat(10 * 1024),
          '10 KB starting with the key': real.repeat(Math.ceil((10 * 1024) / real.length)),
          'Latin-1 bytes': 'é'.repeat(real.length),
          'both rotation keys in one header': `${oldKey(op)}, ${newKey(op)}`,
        };
        for (const [name, key] of Object.entries(shapes)) {
          const answer = await call(biller.app, op, keyHeaders(op, withKey(op, key)), '{}');
          expect(answer.status, name).toBeLessThan(500);
          expectRefused(op, answer, apiField(op));
        }
        // Header whitespace is not part of the value (Fetch strips it), so a padded key is the key.
        expect((await call(biller.app, op, keyHeaders(op, withKey(op, ` ${real}\t`)))).status).toBe(200);
      });

      it('random keys (any length, any byte) are 401 and never a 5xx', async () => {
        const accepted = new Set([...rotating.kaleidofinApiKeys, ...rotating.ebppApiKeys, clientKey]);
        const byte = fc.oneof(
          fc.integer({ min: 0x20, max: 0x7e }),
          fc.integer({ min: 0x80, max: 0xff }),
          fc.constant(0x09),
        );
        const key = fc
          .oneof(
            fc.string({ unit: byte.map((c) => String.fromCharCode(c)), maxLength: 80 }),
            fc.string({ unit: byte.map((c) => String.fromCharCode(c)), minLength: 1000, maxLength: 12_000 }),
          )
          .filter((k) => !accepted.has(k.replace(/^[\t ]+|[\t ]+$/g, '')));
        await fc.assert(
          fc.asyncProperty(key, fc.boolean(), async (presented, inClientKey) => {
            const keys =
              op.api === 'kaleidofin-partner'
                ? { kaleidofin: presented }
                : inClientKey
                  ? { client: presented, api: fresh.ebpp }
                  : { client: clientKey, api: presented };
            const answer = await call(biller.app, op, keyHeaders(op, keys), '{}');
            expect(answer.status, JSON.stringify(presented.slice(0, 40))).toBeLessThan(500);
            expectRefused(
              op,
              answer,
              op.api === 'kaleidofin-partner' ? undefined : inClientKey ? 'client-key' : 'api-key',
            );
          }),
          { numRuns: 60 },
        );
      });
    });
  }

  it('over a real socket too: a 10 KB key is a 401, a 20 KB one is refused by node (431), never a 5xx', async () => {
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: biller.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const send = (key: string) =>
        fetch(`${base}/bills/fetchBills`, {
          method: 'POST',
          headers: { 'x-api-key': key, 'content-type': 'application/json' },
          body: '[]',
        });
      const tenKb = await send('k'.repeat(10 * 1024));
      expect([tenKb.status, ((await tenKb.json()) as { error: { code: string } }).error.code]).toEqual([
        401,
        'UNAUTHORIZED',
      ]);
      const twentyKb = await send('k'.repeat(20 * 1024));
      expect(twentyKb.status).toBe(431);
      const good = await send(fresh.kaleidofin);
      expect(good.status).toBe(400); // past the key check: the empty list is refused by validation
      requests += 3;
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
