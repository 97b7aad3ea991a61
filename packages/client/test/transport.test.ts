import fc from 'fast-check';
import createClient from 'openapi-fetch';
import { describe, expect, it, vi } from 'vitest';
import { NetworkError, OutcomeUnknownError, TimeoutError } from '../src/errors.ts';
import { createTransport, IDEMPOTENT_HEADER, type RetryEvent, type TransportOptions } from '../src/transport.ts';
import { json, networkError, recordingFetch, recordingSleep, type Step, status } from './recording-fetch.ts';

const BILL = 'https://biller.test/bills/42';
const PAY = 'https://biller.test/payments';
const PAYMENT_BODY = JSON.stringify({ client_ref_id: 'REF123', amount: '1350' });

function setup(script: Step[], options: TransportOptions = {}) {
  const recorder = recordingFetch(script);
  const sleeper = recordingSleep();
  const events: RetryEvent[] = [];
  const transport = createTransport({
    fetch: recorder.fetch,
    sleep: sleeper.sleep,
    random: () => 0.5,
    retry: { retries: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
    onRetry: (event) => events.push(event),
    ...options,
  });
  return { transport, calls: recorder.calls, delays: sleeper.delays, events };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

function pay(transport: (input: Request) => Promise<Response>, init: RequestInit = {}): Promise<Response> {
  return transport(
    new Request(PAY, { method: 'POST', body: PAYMENT_BODY, headers: { 'content-type': 'application/json' }, ...init }),
  );
}

describe('requests safe to repeat (GET)', () => {
  it('retries 503s with exponential backoff, then returns the success', async () => {
    const { transport, calls, delays } = setup([status(503), status(502), json({ amount: '1350' })]);
    const response = await transport(BILL);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ amount: '1350' });
    expect(calls).toHaveLength(3);
    // random() = 0.5 of ceilings 100, 200
    expect(delays).toEqual([50, 100]);
  });

  it.each([408, 429, 502, 503, 504])('retries %i', async (code) => {
    const { transport, calls } = setup([status(code), status(200)]);
    expect((await transport(BILL)).status).toBe(200);
    expect(calls).toHaveLength(2);
  });

  it.each([400, 401, 403, 404, 409, 422, 500, 501])('returns %i at once, without throwing', async (code) => {
    const { transport, calls } = setup([status(code, {}, '{"error":"x"}')]);
    const response = await transport(BILL);
    expect(response.status).toBe(code);
    expect(await response.text()).toBe('{"error":"x"}');
    expect(calls).toHaveLength(1);
  });

  it('returns the last retryable response once retries run out', async () => {
    const { transport, calls, delays } = setup([status(503), status(503), status(503), status(503, {}, 'down')]);
    const response = await transport(BILL);
    expect(response.status).toBe(503);
    expect(await response.text()).toBe('down');
    expect(calls).toHaveLength(4);
    expect(delays).toEqual([50, 100, 200]);
  });

  it('caps the backoff ceiling at maxDelayMs', async () => {
    const { transport, delays } = setup(
      Array.from({ length: 6 }, () => status(503)),
      {
        random: () => 0.999,
        retry: { retries: 5, baseDelayMs: 100, maxDelayMs: 500 },
      },
    );
    await transport(BILL);
    expect(delays).toEqual([99, 199, 399, 499, 499]);
  });

  it('draws every delay uniformly below its ceiling (full jitter)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 1_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        async (draws, baseDelayMs, maxDelayMs) => {
          const queue = [...draws];
          const { transport, delays } = setup(draws.map(() => status(503)).concat(status(200)), {
            random: () => queue.shift() ?? 0,
            retry: { retries: draws.length, baseDelayMs, maxDelayMs },
          });
          expect((await transport(BILL)).status).toBe(200);
          delays.forEach((delay, i) => {
            const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** i);
            expect(delay).toBeGreaterThanOrEqual(0);
            expect(delay).toBeLessThanOrEqual(Math.max(0, ceiling));
            expect(delay).toBe(Math.floor((draws[i] ?? 0) * ceiling));
          });
        },
      ),
    );
  });

  it('retries network errors and timeouts, then succeeds', async () => {
    const { transport, calls, events } = setup([networkError(), 'hang', json({ ok: true })], { timeoutMs: 20 });
    expect((await transport(BILL)).status).toBe(200);
    expect(calls).toHaveLength(3);
    expect(events.map((e) => e.reason)).toEqual(['network', 'timeout']);
    expect(events[0]).toMatchObject({ attempt: 1, method: 'GET', url: BILL });
  });

  it('throws NetworkError after the last network failure', async () => {
    const { transport, calls } = setup([networkError(), networkError(), networkError(), networkError()]);
    const error = await rejection(transport(BILL));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ kind: 'network', attempts: 4, method: 'GET', url: BILL });
    expect((error as NetworkError).cause).toBeInstanceOf(TypeError);
    expect(calls).toHaveLength(4);
  });

  it('fires the per-attempt timeout and throws TimeoutError at the end', async () => {
    const { transport, calls } = setup(['hang', 'hang'], { timeoutMs: 15, retry: { retries: 1 } });
    const started = performance.now();
    const error = await rejection(transport(BILL));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ kind: 'timeout', timeoutMs: 15, attempts: 2 });
    expect(calls).toHaveLength(2);
    expect(calls.every((c) => c.init?.signal?.aborted)).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('leaves no timer behind once an attempt is answered', async () => {
    vi.useFakeTimers();
    try {
      const { transport } = setup([status(503), json({ ok: true })], { timeoutMs: 30_000 });
      const response = await transport(BILL);
      expect(response.status).toBe(200);
      expect(response.url).toBe(BILL);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends a single attempt with retry: false', async () => {
    const { transport, calls } = setup([status(503)], { retry: false });
    expect((await transport(BILL)).status).toBe(503);
    expect(calls).toHaveLength(1);
  });

  it('retries HEAD and OPTIONS too', async () => {
    for (const method of ['HEAD', 'OPTIONS']) {
      const { transport, calls } = setup([status(503), status(204)]);
      expect((await transport(BILL, { method })).status).toBe(204);
      expect(calls).toHaveLength(2);
    }
  });
});

describe('Retry-After', () => {
  it('is honoured in seconds', async () => {
    const { transport, delays } = setup([status(503, { 'retry-after': '1' }), status(200)], {
      retry: { maxDelayMs: 5_000 },
    });
    await transport(BILL);
    expect(delays).toEqual([1_000]);
  });

  it('is honoured as an HTTP date', async () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    const { transport, delays } = setup(
      [status(429, { 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' }), status(200)],
      { now: () => now, retry: { maxDelayMs: 10_000 } },
    );
    await transport(BILL);
    expect(delays).toEqual([3_000]);
  });

  it('is capped by maxDelayMs', async () => {
    const { transport, delays } = setup([status(503, { 'retry-after': '3600' }), status(200)]);
    await transport(BILL);
    expect(delays).toEqual([1_000]);
  });

  it('a date in the past means now', async () => {
    const { transport, delays } = setup([status(503, { 'retry-after': 'Thu, 01 Jan 1970 00:00:00 GMT' }), status(200)]);
    await transport(BILL);
    expect(delays).toEqual([0]);
  });

  it.each(['soon', '5.5', '-1', ''])('falls back to backoff when it reads %j', async (value) => {
    const { transport, delays } = setup([status(503, { 'retry-after': value }), status(200)]);
    await transport(BILL);
    expect(delays).toEqual([50]);
  });
});

describe('payments (POST, not marked idempotent)', () => {
  it('a timeout is attempted once and reported as OutcomeUnknownError', async () => {
    const { transport, calls, delays } = setup(['hang', json({})], { timeoutMs: 15 });
    const error = await rejection(pay(transport));
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error).toMatchObject({ kind: 'outcome-unknown', reason: 'timeout', method: 'POST', url: PAY });
    expect((error as OutcomeUnknownError).cause).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toMatch(/inquire, do not re-send/);
    expect(calls).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('a network error is attempted once and reported as OutcomeUnknownError', async () => {
    const { transport, calls } = setup([networkError(), json({})]);
    const error = await rejection(pay(transport));
    expect(error).toMatchObject({ kind: 'outcome-unknown', reason: 'network' });
    expect((error as OutcomeUnknownError).cause).toBeInstanceOf(NetworkError);
    expect(calls).toHaveLength(1);
  });

  it.each([
    [503, {}],
    [429, { 'retry-after': '1' }],
    [502, {}],
    [504, {}],
    [500, {}],
  ])('HTTP %i is returned as a refusal after exactly one attempt', async (code, headers) => {
    const { transport, calls, delays } = setup([status(code, headers, '{"status":1}'), json({})]);
    const response = await pay(transport);
    expect(response.status).toBe(code);
    expect(await response.text()).toBe('{"status":1}');
    expect(calls).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('PUT, PATCH and DELETE are not repeated either', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const { transport, calls } = setup([status(503), json({})]);
      expect((await transport(PAY, { method })).status).toBe(503);
      expect(calls).toHaveLength(1);
    }
  });

  it('a caller abort in flight is OutcomeUnknownError, because the request may have arrived', async () => {
    const controller = new AbortController();
    const { transport, calls } = setup(['hang']);
    const pending = pay(transport, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error('user gave up'));
    const error = await rejection(pending);
    expect(error).toMatchObject({ kind: 'outcome-unknown', reason: 'aborted' });
    expect((error as OutcomeUnknownError).cause).toEqual(new Error('user gave up'));
    expect(calls).toHaveLength(1);
  });

  it('a caller abort before sending is the plain abort reason, and nothing is sent', async () => {
    const { transport, calls } = setup([json({})]);
    const error = await rejection(pay(transport, { signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
    expect(calls).toHaveLength(0);
  });

  it('x-bbps-idempotent: 0 makes even a GET single-shot', async () => {
    const { transport, calls } = setup([networkError(), json({})]);
    const error = await rejection(transport(BILL, { headers: { [IDEMPOTENT_HEADER]: '0' } }));
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.headers).not.toHaveProperty(IDEMPOTENT_HEADER);
  });
});

describe('POST marked idempotent', () => {
  it('is retried, replays the body identically and never sends the marker header', async () => {
    const { transport, calls } = setup([status(503), networkError(), json({ ok: true })]);
    const request = new Request(PAY.replace('payments', 'inquiry'), {
      method: 'POST',
      body: PAYMENT_BODY,
      headers: { 'content-type': 'application/json', [IDEMPOTENT_HEADER]: '1', 'secret-key': 'sig' },
    });
    expect((await transport(request)).status).toBe(200);
    expect(calls).toHaveLength(3);
    for (const call of calls) {
      expect(call.body).toBe(PAYMENT_BODY);
      expect(call.request.method).toBe('POST');
      expect(call.headers).toEqual({ 'content-type': 'application/json', 'secret-key': 'sig' });
    }
    expect(request.bodyUsed).toBe(false);
  });

  it('replays a streamed body too', async () => {
    const { transport, calls } = setup([status(502), status(200)]);
    const bytes = new TextEncoder().encode(PAYMENT_BODY);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 10));
        controller.enqueue(bytes.slice(10));
        controller.close();
      },
    });
    const init = { method: 'POST', body, duplex: 'half', headers: { [IDEMPOTENT_HEADER]: '1' } } as RequestInit;
    expect((await transport(PAY, init)).status).toBe(200);
    expect(calls.map((c) => c.body)).toEqual([PAYMENT_BODY, PAYMENT_BODY]);
  });
});

describe('caller abort of a request safe to repeat', () => {
  it('stops retries during the backoff', async () => {
    const controller = new AbortController();
    const { transport, calls } = setup([status(503), status(200)], {
      sleep: async (_ms, signal) => {
        controller.abort(new Error('shutting down'));
        signal?.throwIfAborted();
      },
    });
    const error = await rejection(transport(BILL, { signal: controller.signal }));
    expect(error).toEqual(new Error('shutting down'));
    expect(calls).toHaveLength(1);
  });

  it('stops a real backoff wait at once', async () => {
    const controller = new AbortController();
    const { transport, calls } = setup([status(503), status(200)], {
      sleep: undefined,
      retry: { retries: 1, baseDelayMs: 60_000, maxDelayMs: 60_000 },
      random: () => 0.99,
    });
    const pending = transport(BILL, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    const started = performance.now();
    const error = await rejection(pending);
    expect((error as DOMException).name).toBe('AbortError');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(calls).toHaveLength(1);
  });

  it('in flight rejects with the abort reason and is not retried', async () => {
    const controller = new AbortController();
    const { transport, calls } = setup(['hang', status(200)]);
    const pending = transport(BILL, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    expect(((await rejection(pending)) as DOMException).name).toBe('AbortError');
    expect(calls).toHaveLength(1);
  });
});

describe('plumbing', () => {
  it('forwards non-standard init keys (undici dispatcher) to the underlying fetch', async () => {
    const { transport, calls } = setup([status(200)]);
    const dispatcher = { name: 'agent' } as unknown as RequestInit['dispatcher'];
    await transport(BILL, { dispatcher });
    expect(calls[0]?.init?.dispatcher).toBe(dispatcher);
  });

  it('calls the underlying fetch with a URL string and a RequestInit, never a Request', async () => {
    const seen: [unknown, RequestInit | undefined][] = [];
    const transport = createTransport({
      fetch: async (input, init) => {
        seen.push([input, init]);
        return status(200);
      },
    });
    const request = new Request(PAY, { method: 'POST', body: PAYMENT_BODY, redirect: 'manual' });
    await transport(request);
    const [input, init] = seen[0] ?? [];
    expect(input).toBe(PAY);
    expect(init).not.toBeInstanceOf(Request);
    expect(init).toMatchObject({ method: 'POST', redirect: 'manual' });
    expect(init?.signal).toBeInstanceOf(AbortSignal);
    expect(request.bodyUsed).toBe(false);
  });

  it('lets init replace what the Request carries, as fetch(request, init) does', async () => {
    const { transport, calls } = setup([status(200)]);
    const request = new Request(PAY, { method: 'POST', body: 'old', headers: { 'x-a': '1' } });
    await transport(request, { body: PAYMENT_BODY, headers: { 'x-b': '2' }, signal: undefined });
    expect(calls[0]?.body).toBe(PAYMENT_BODY);
    expect(calls[0]?.headers).toMatchObject({ 'x-b': '2' });
    expect(calls[0]?.headers).not.toHaveProperty('x-a');
    expect(calls[0]?.request.method).toBe('POST');
  });

  it('replays a form body with the content type it implies', async () => {
    const { transport, calls } = setup([status(503), status(200)]);
    const body = new URLSearchParams({ account_number: 'A1' });
    await transport(PAY, { method: 'POST', body, headers: { [IDEMPOTENT_HEADER]: '1' } });
    expect(calls.map((c) => c.body)).toEqual(['account_number=A1', 'account_number=A1']);
    expect(calls.map((c) => c.headers['content-type'])).toEqual([
      'application/x-www-form-urlencoded;charset=UTF-8',
      'application/x-www-form-urlencoded;charset=UTF-8',
    ]);
  });

  it('throws a bad URL at once, without sending', async () => {
    const { transport, calls } = setup([status(200)]);
    await expect(transport('/relative', { method: 'POST' })).rejects.toThrow(TypeError);
    expect(calls).toHaveLength(0);
  });

  it('rejects nonsense options early', () => {
    expect(() => createTransport({ timeoutMs: 0 })).toThrow(RangeError);
    expect(() => createTransport({ retry: { retries: -1 } })).toThrow(RangeError);
    expect(() => createTransport({ retry: { retries: 1.5 } })).toThrow(RangeError);
    expect(() => createTransport({ retry: { baseDelayMs: Number.NaN } })).toThrow(RangeError);
  });
});

interface TestPaths {
  '/bills/{id}': {
    get: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: { [name: string]: unknown }; content: { 'application/json': { amount: string } } };
        503: { headers: { [name: string]: unknown }; content: { 'application/json': { message: string } } };
      };
    };
  };
  '/payments': {
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody: { content: { 'application/json': { client_ref_id: string; amount: string } } };
      responses: {
        200: { headers: { [name: string]: unknown }; content: { 'application/json': { tid: string } } };
        503: { headers: { [name: string]: unknown }; content: { 'application/json': { message: string } } };
      };
    };
  };
}

describe('as the fetch of an openapi-fetch client', () => {
  it('retries a GET and hands back data', async () => {
    const { transport, calls } = setup([json({ message: 'busy' }, 503), json({ amount: '1350' })]);
    const client = createClient<TestPaths>({ baseUrl: 'https://biller.test', fetch: transport });
    const { data, error } = await client.GET('/bills/{id}', { params: { path: { id: '42' } } });
    expect(error).toBeUndefined();
    expect(data).toEqual({ amount: '1350' });
    expect(calls).toHaveLength(2);
  });

  it('returns a payment 503 as `error` after one attempt', async () => {
    const { transport, calls } = setup([json({ message: 'busy' }, 503), json({ tid: 'T1' })]);
    const client = createClient<TestPaths>({ baseUrl: 'https://biller.test', fetch: transport });
    const { data, error, response } = await client.POST('/payments', {
      body: { client_ref_id: 'REF123', amount: '1350' },
    });
    expect(data).toBeUndefined();
    expect(error).toEqual({ message: 'busy' });
    expect(response.status).toBe(503);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.body).toBe(PAYMENT_BODY);
  });

  it('throws OutcomeUnknownError out of client.POST on a payment timeout', async () => {
    const { transport, calls } = setup(['hang'], { timeoutMs: 15 });
    const client = createClient<TestPaths>({ baseUrl: 'https://biller.test', fetch: transport });
    const error = await rejection(client.POST('/payments', { body: { client_ref_id: 'REF123', amount: '1350' } }));
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(calls).toHaveLength(1);
  });

  it('lets a caller mark one POST idempotent through headers', async () => {
    const { transport, calls } = setup([json({ message: 'busy' }, 503), json({ tid: 'T1' })]);
    const client = createClient<TestPaths>({ baseUrl: 'https://biller.test', fetch: transport });
    const { data } = await client.POST('/payments', {
      body: { client_ref_id: 'REF123', amount: '1350' },
      headers: { [IDEMPOTENT_HEADER]: '1' },
    });
    expect(data).toEqual({ tid: 'T1' });
    expect(calls.map((c) => c.body)).toEqual([PAYMENT_BODY, PAYMENT_BODY]);
    expect(calls.every((c) => !(IDEMPOTENT_HEADER in c.headers))).toBe(true);
  });
});

describe('the answer, read into memory under the deadline', () => {
  const answer = () =>
    new Response('{"status":0,"name":"Ravi ₹"}', {
      status: 200,
      statusText: 'OK',
      headers: { 'content-type': 'application/json', 'x-trace': 't1' },
    });

  it('reads once, as any Response: the second read fails and bodyUsed says so', async () => {
    const { transport } = setup([answer()]);
    const response = await transport(BILL);
    expect(response).toBeInstanceOf(Response);
    expect([response.status, response.statusText, response.ok, response.url]).toEqual([200, 'OK', true, BILL]);
    expect(response.headers.get('x-trace')).toBe('t1');
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toEqual({ status: 0, name: 'Ravi ₹' });
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
    expect(() => response.body?.getReader()).toThrow(TypeError);
  });

  it('gives the same bytes as text, bytes, a stream, a blob and a clone', async () => {
    const text = '{"status":0,"name":"Ravi ₹"}';
    const read = async () => (await setup([answer()]).transport(BILL)) as Response;
    expect(await (await read()).text()).toBe(text);
    expect(new TextDecoder().decode(await (await read()).bytes())).toBe(text);
    expect(new TextDecoder().decode(await (await read()).arrayBuffer())).toBe(text);
    expect(await new Response((await read()).body).text()).toBe(text);
    const blob = await (await read()).blob();
    expect([blob.type, await blob.text()]).toEqual(['application/json', text]);
    const original = await read();
    const clone = original.clone();
    expect([await clone.text(), clone.url, await original.text()]).toEqual([text, BILL, text]);
  });

  it('keeps a 204 bodiless', async () => {
    const response = await setup([status(204)]).transport(BILL);
    expect([response.status, response.body, await response.text()]).toEqual([204, null, '']);
  });
});
