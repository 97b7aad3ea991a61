// What the front in front of each Prism mock answers: a 400 that names the field that was wrong, in the contract's
// envelope; broken URLs and bodies refused before they reach Prism; and then
// 10,000 malformed requests spread over the five mocks, made from each operation's own example request: broken
// percent-escapes in paths and queries, bodies cut short or of the wrong type, fields of the wrong type, odd
// methods, media types and paths. Every answer must be the contract's (no 5xx; JSON; valid against the status the
// operation declares), and every mock must still answer its example requests afterwards without a restart.
import { apiNames, Contract } from '@bbps-kit/contracts/validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../src/index.ts';
import { type ExampleRequest, exampleRequest, send, sendRaw } from './requests.ts';

const total = Number(process.env.FUZZ_TOTAL ?? 10_000);
const concurrency = 12;

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const badEscapes = ['%zz', '%', '%e0%', '%G1', '%%', '%c3%28', '%ff%fe', '%u0041'];
const junkValues: unknown[] = [null, 0, -1, 1e308, '', ' ', 'x'.repeat(300), [], {}, [null], { a: 1 }, true, '0:0'];

function mutate(request: ExampleRequest, next: () => number): ExampleRequest {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const [path = '/', query] = request.path.split('?');
  const kind = Math.floor(next() * 9);
  switch (kind) {
    case 0: {
      const segments = path.split('/');
      const at = 1 + Math.floor(next() * (segments.length - 1));
      segments[at] = `${segments[at]}${pick(badEscapes)}`;
      return { ...request, path: segments.join('/') + (query ? `?${query}` : '') };
    }
    case 1:
      return { ...request, path: `${path}?${query ? `${query}&` : ''}${pick(['a', 'b%zz', '%'])}=${pick(badEscapes)}` };
    case 2:
      return {
        ...request,
        headers: { ...request.headers, 'content-type': 'application/json' },
        body: (request.body ?? '{"a":1}').slice(0, Math.floor(next() * (request.body?.length ?? 7))),
      };
    case 3: {
      if (!request.body || !request.headers['content-type']?.includes('json')) return mutate(request, next);
      const body = JSON.parse(request.body) as unknown;
      const target = Array.isArray(body) ? (body[0] as Record<string, unknown>) : (body as Record<string, unknown>);
      const key = pick(Object.keys(target));
      target[key] = pick(junkValues);
      return { ...request, body: JSON.stringify(body) };
    }
    case 4:
      return { ...request, body: pick(['', '[]', '{}', 'null', '"x"', '1', '\u0000\u0001', '<xml/>']) };
    case 5:
      return {
        ...request,
        headers: {
          ...request.headers,
          'content-type': pick([
            'text/plain',
            'application/xml',
            'multipart/form-data',
            'application/json; charset=latin1',
            'x',
          ]),
        },
      };
    case 6:
      return {
        ...request,
        method: pick(['PATCH', 'DELETE', 'PUT', 'OPTIONS', request.method === 'GET' ? 'POST' : 'GET']),
        ...(request.method === 'GET' ? {} : { body: undefined }),
      };
    case 7:
      return {
        ...request,
        path: pick([
          `${path}/x`,
          `${path}:`,
          `/${path}`,
          `${path}/..`,
          `${path.replace(/[^/]+$/, ':::')}`,
          '/%2F%2E%2E',
          `${path}#x`,
        ]),
      };
    default: {
      const headers = { ...request.headers };
      const name = pick(Object.keys(headers));
      headers[name] = pick(['', ' ', 'x'.repeat(2000), 'ä', '0', 'null']).replace('ä', '%C3%A4');
      return { ...request, headers };
    }
  }
}

// The five mocks, started once for every test in this file (each start costs seconds of CPU). What their
// supervisors say (a restart) goes into the failure messages.
const supervisor: string[] = [];
const mocks = new Map<string, { api: string; mock: RunningMock; contract: Contract; requests: ExampleRequest[] }>();
beforeAll(async () => {
  await Promise.all(
    apiNames.map(async (api) => {
      const [mock, contract] = await Promise.all([
        startMock(api, { log: (line) => supervisor.push(line) }),
        Contract.load(api),
      ]);
      const requests = contract.operations().map((op) => exampleRequest(contract, op));
      mocks.set(api, { api, mock, contract, requests });
    }),
  );
}, 60_000);
afterAll(async () => {
  await Promise.all([...mocks.values()].map(({ mock }) => mock.stop()));
});

const setup = (api: string, operationId: string) => {
  const { contract, mock } = mocks.get(api) as { contract: Contract; mock: RunningMock };
  return { contract, mock, request: exampleRequest(contract, contract.operation(operationId)) };
};
const json = async (response: Response) => JSON.parse(await response.text()) as Record<string, unknown>;

// The three cases of issue 12, where the canned 400 example named another field.
describe('a 400 names the field that was wrong, in the envelope', () => {
  it('Eko: a secret-key that is not a signature', async () => {
    const { contract, mock, request } = setup('eko-bbps', 'fetchBill');
    expect((await send(mock.url, request)).status).toBe(200);
    const response = await send(mock.url, { ...request, headers: { ...request.headers, 'secret-key': 'bad' } });
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(Object.keys(body.invalid_params as object)).toEqual(['secret-key']);
    expect(contract.response('fetchBill', 400, body).errors).toEqual([]);
  });

  it('Digiledge: a 3-character tenantId', async () => {
    const { contract, mock, request } = setup('digiledge-agent', 'fetchBill');
    const body = JSON.parse(request.body as string);
    const response = await send(mock.url, { ...request, body: JSON.stringify({ ...body, tenantId: 'abc' }) });
    expect(response.status).toBe(400);
    const answer = await json(response);
    expect(answer.genericResponse).toMatchObject({ statusCode: '400', message: expect.stringMatching(/^tenantId /) });
    expect(contract.response('fetchBill', 400, answer).errors).toEqual([]);
  });

  it('EBPP: every wrong field of a payment posting, one error each', async () => {
    const { contract, mock, request } = setup('ebpp-mpa', 'postPayment');
    const body = JSON.parse(request.body as string);
    const wrong = { ...body, currency_code3d: 'rupees', amount: 'ten' };
    const response = await send(mock.url, { ...request, body: JSON.stringify(wrong) });
    expect(response.status).toBe(400);
    const answer = await json(response);
    const fields = (answer.errors as { field?: string }[]).map((error) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['currency_code3d', 'amount']));
    expect(fields).not.toContain('account_number');
    expect(contract.response('postPayment', 400, answer).errors).toEqual([]);
  });

  it("a path parameter keeps the contract's spelling (Prism lowercases it)", async () => {
    const { contract, mock } = setup('kaleidofin-collect', 'getBillStatus');
    const response = await fetch(`${mock.url}/bills/status/abc`, { headers: { 'x-api-key': 'k' } });
    expect(response.status).toBe(400);
    const answer = await json(response);
    expect(answer.statusMessage).toMatch(/^systemBillId /);
    expect(contract.response('getBillStatus', 400, answer).errors).toEqual([]);
  });

  it.each([
    ['eko-bbps', 'getTransaction', '/tools/reference/transaction/abc%zz?initiator_id=9962981729', 'tid'],
    ['eko-bbps', 'getTransactionByClientRefId', '/tools/reference/transaction/client_ref_id:%zz', 'clientRefId'],
    ['eko-bbps', 'fetchBill', '/customer/payment/bbps/bill?utility_acc_no=12%zz', 'utility_acc_no'],
    ['kaleidofin-collect', 'getBillStatus', '/bills/status/1%zz', 'systemBillId'],
  ])('%s: a malformed percent-escape (%s) is a 400 from the front naming %s', async (api, operationId, path, field) => {
    const { contract, mock, request } = setup(api, operationId);
    const response = await fetch(mock.url + path, { headers: request.headers });
    expect(response.status).toBe(400);
    const answer = await json(response);
    expect(JSON.stringify(answer)).toContain(`${field} has a malformed percent-escape`);
    expect(contract.response(operationId, 400, answer).errors).toEqual([]);
    // Prism never saw it, so it still answers.
    expect((await send(mock.url, request)).status).toBe(200);
    expect(mock.restarts()).toBe(0);
  });

  it("Prism's own errors (no such path) come in the contract's envelope, not RFC 7807", async () => {
    const { contract, mock, request } = setup('ebpp-mpa', 'postPayment');
    const response = await send(mock.url, { ...request, path: '/no/such/path' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const answer = await json(response);
    expect(contract.response('postPayment', 404, answer).errors).toEqual([]);
  });

  it('a JSON body that does not parse is a 400 from the front', async () => {
    const { contract, mock, request } = setup('ebpp-mpa', 'postPayment');
    const response = await send(mock.url, { ...request, body: '{"amount": ' });
    expect(response.status).toBe(400);
    const answer = await json(response);
    expect(JSON.stringify(answer)).toContain('body is not valid JSON');
    expect(contract.response('postPayment', 400, answer).errors).toEqual([]);
  });
});

describe('the five mocks under 10,000 malformed requests', () => {
  it('answers each in the contract, and every mock still answers its examples', async () => {
    const next = random(12);
    const entries = [...mocks.values()];
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    const worker = async () => {
      while (sent < total) {
        const index = sent++;
        const { api, mock, contract, requests } = entries[index % entries.length] as (typeof entries)[number];
        const base = requests[Math.floor(next() * requests.length)] as ExampleRequest;
        const request = mutate(structuredClone(base), next);
        const where = `#${index} ${api}: ${request.method} ${request.path.slice(0, 120)}`;
        try {
          const { status, text } = await sendRaw(mock.url, request);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status >= 500) {
            failures.push(`${where} → ${status} ${text.slice(0, 200)}`);
            continue;
          }
          const body = JSON.parse(text) as unknown;
          const operation = contract.operation(base.operationId);
          const sameRoute = request.method === base.method && request.path.split('?')[0] === base.path.split('?')[0];
          if (sameRoute && String(status) in operation.operation.responses) {
            const errors = contract.response(base.operationId, status, body).errors;
            if (errors.length > 0)
              failures.push(`${where} → ${status} invalid: ${JSON.stringify(errors).slice(0, 300)}`);
          }
        } catch (error) {
          failures.push(`${where} → ${String(error)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    expect(failures.slice(0, 10), supervisor.join('\n')).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(total);
    // Most mutations break the request; a few happen to leave it valid (a junk header Prism ignores).
    expect(statuses.get(400) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(total / 2);

    for (const { api, mock, contract, requests } of entries) {
      expect(mock.restarts(), api).toBe(0);
      for (const request of requests) {
        const response = await send(mock.url, request);
        expect(response.status, `${request.operationId}: ${await response.clone().text()}`).toBe(200);
        expect(contract.response(request.operationId, 200, await response.json()).errors).toEqual([]);
      }
    }
  }, 90_000);
});
