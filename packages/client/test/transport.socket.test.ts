// The same guarantees over a real HTTP socket and Node's own fetch: what the server actually receives.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NetworkError, OutcomeUnknownError, TimeoutError } from '../src/errors.ts';
import { createTransport, IDEMPOTENT_HEADER } from '../src/transport.ts';

interface Hit {
  method: string;
  url: string;
  body: string;
  headers: IncomingMessage['headers'];
}

let server: Server;
let base: string;
const hits: Hit[] = [];
let flaky = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      hits.push({
        method: req.method ?? '',
        url: req.url ?? '',
        body: Buffer.concat(chunks).toString(),
        headers: req.headers,
      });
      if (req.url === '/slow') return; // never answers
      if (req.url === '/stall') {
        // Headers and the first bytes of the body, then nothing.
        res.writeHead(200, { 'content-type': 'application/json' }).write('{"ok":');
        return;
      }
      if (req.url === '/reset') {
        req.socket.destroy();
        return;
      }
      if (req.url === '/flaky' && flaky++ < 2) {
        res.writeHead(503, { 'retry-after': '0' }).end('{"message":"busy"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  hits.length = 0;
  flaky = 0;
});

// Two transports so that only the timeout tests depend on a timeout: on a loaded 2-core CI machine a 100 ms
// budget made ordinary requests time out too, and a timed-out attempt still reaches the server.
const retry = { retries: 2, baseDelayMs: 1, maxDelayMs: 5 };
const transport = createTransport({ timeoutMs: 10_000, retry });
const impatient = createTransport({ timeoutMs: 500, retry });

/** The server records a request when its body has arrived, which can trail the client's error under load:
 * wait until `count` requests are in, then a little longer so that an unexpected extra one shows up too. */
async function serverSaw(count: number): Promise<Hit[]> {
  const deadline = Date.now() + 5_000;
  while (hits.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setTimeout(resolve, 200));
  return hits;
}
const body = JSON.stringify({ client_ref_id: 'REF123', amount: '1350' });

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('over a real socket', () => {
  it('a GET is retried through 503s and the server sees every attempt', async () => {
    const response = await transport(`${base}/flaky`);
    expect(response.status).toBe(200);
    expect(hits.map((h) => h.method)).toEqual(['GET', 'GET', 'GET']);
  });

  it('a payment that times out reaches the server exactly once', async () => {
    const error = await rejection(impatient(`${base}/slow`, { method: 'POST', body }));
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect((error as OutcomeUnknownError).reason).toBe('timeout');
    expect(await serverSaw(1)).toHaveLength(1);
    expect(hits[0]?.body).toBe(body);
  });

  it('a payment whose connection is reset reaches the server exactly once', async () => {
    const error = await rejection(transport(`${base}/reset`, { method: 'POST', body }));
    expect(error).toMatchObject({ kind: 'outcome-unknown', reason: 'network' });
    expect(await serverSaw(1)).toHaveLength(1);
  });

  it('a payment answered 503 is returned after one attempt', async () => {
    const response = await transport(`${base}/flaky`, { method: 'POST', body });
    expect(response.status).toBe(503);
    expect(hits).toHaveLength(1);
  });

  it('an idempotent-marked POST replays the same body and never leaks the marker', async () => {
    const response = await transport(`${base}/flaky`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', [IDEMPOTENT_HEADER]: '1' },
    });
    expect(response.status).toBe(200);
    expect(hits.map((h) => h.body)).toEqual([body, body, body]);
    expect(hits.every((h) => h.headers[IDEMPOTENT_HEADER] === undefined)).toBe(true);
  });

  it('a GET that keeps timing out ends in TimeoutError after every attempt', async () => {
    const error = await rejection(impatient(`${base}/slow`));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(await serverSaw(3)).toHaveLength(3);
  });

  it('a GET whose body stalls after the headers times out on every attempt', async () => {
    const error = await rejection(impatient(`${base}/stall`));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(await serverSaw(3)).toHaveLength(3);
  });

  it('a payment whose body stalls after the headers is an unknown outcome, sent once', async () => {
    const error = await rejection(impatient(`${base}/stall`, { method: 'POST', body }));
    expect(error).toMatchObject({ kind: 'outcome-unknown', reason: 'timeout' });
    expect(await serverSaw(1)).toHaveLength(1);
  });

  it('returns the answer with its body read and the url it came from', async () => {
    const response = await transport(`${base}/ok`);
    expect(response.url).toBe(`${base}/ok`);
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('a GET that keeps being reset ends in NetworkError', async () => {
    const error = await rejection(transport(`${base}/reset`));
    expect(error).toBeInstanceOf(NetworkError);
    expect(await serverSaw(3)).toHaveLength(3);
  });
});
