// The same spec-driven classes as in-process.test.ts, a few hundred of them, over a real HTTP socket
// (@hono/node-server on port 0): real Content-Length and chunked bodies, node's HTTP parser in front of Hono.
// Then what only a raw socket can send: requests node's parser refuses before the app runs.
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { serve } from '@hono/node-server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bodyLimitBytes,
  type Draft,
  duplicateKeyDrafts,
  malformedDrafts,
  mediaTypeDrafts,
  mutationDrafts,
  randomDrafts,
  routeDrafts,
  sizeDrafts,
  toRequest,
  validDrafts,
} from './support/cases.ts';
import { demoBiller, overSocket, type Send, Tally } from './support/harness.ts';
import { kaleidofinHeaders, loadTargets, type Target } from './support/targets.ts';

const minimumRequests = 300;
const classes: { name: string; drafts: (target: Target) => fc.Arbitrary<Draft>; runs: number }[] = [
  { name: 'valid', drafts: validDrafts, runs: 12 },
  { name: 'mutations', drafts: mutationDrafts, runs: 20 },
  { name: 'media types', drafts: mediaTypeDrafts, runs: 8 },
  { name: 'sizes (real Content-Length, and chunked)', drafts: sizeDrafts, runs: 6 },
  { name: 'random bodies and examples', drafts: randomDrafts, runs: 4 },
  { name: 'duplicate keys', drafts: duplicateKeyDrafts, runs: 5 },
  { name: 'malformed', drafts: malformedDrafts, runs: 8 },
  { name: 'routes and methods', drafts: routeDrafts, runs: 6 },
];

/** Writes raw bytes on a fresh connection and returns what came back before the server closed it (or 3 s). */
function raw(port: number, request: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => resolve(Buffer.concat(chunks).toString('latin1'));
    socket.setTimeout(3000, () => {
      socket.destroy();
      done();
    });
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? done() : reject(error)));
    socket.write(request);
  });
}
const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1]);

describe('fuzz: every biller operation, over a real socket', () => {
  const tally = new Tally();
  let biller: Awaited<ReturnType<typeof demoBiller>>;
  let server: ReturnType<typeof serve>;
  let port = 0;
  let targets: Target[];
  let send: Send;
  let started = 0;

  beforeAll(async () => {
    biller = await demoBiller();
    targets = await loadTargets(tally.memory);
    server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: biller.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    port = (server.address() as AddressInfo).port;
    send = overSocket(`http://127.0.0.1:${port}`);
    started = performance.now();
  }, 180_000);

  afterAll(async () => {
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `[fuzz socket] ${tally.total} requests in ${seconds.toFixed(1)} s = ${(tally.total / seconds).toFixed(0)} requests/s\n` +
        `[fuzz socket] ${tally.summary()}`,
    );
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await biller?.db.close();
  });

  for (const operationId of [
    'fetchBills',
    'fetchReceipt',
    'lookupCustomers',
    'postPayment',
    'postPaymentReversal',
    'postPaymentRefund',
  ]) {
    it(`${operationId}: every class of input`, async () => {
      const t = targets.find((candidate) => candidate.operationId === operationId) as Target;
      for (const { drafts, runs } of classes) {
        await fc.assert(
          fc.asyncProperty(drafts(t), async (draft) => {
            await tally.fuzz(send, await toRequest(t, draft));
          }),
          { numRuns: runs, endOnFailure: true },
        );
      }
    });
  }

  it('after a 413 on a large body, the connection is closed, not handed back to the client as reusable', async () => {
    // node-server drains an unread body for at most 500 ms and then destroys the socket; a 413 announcing
    // keep-alive let the client reuse that socket, and its next request failed with "other side closed".
    for (let round = 0; round < 3; round++) {
      const big = await fetch(`http://127.0.0.1:${port}/bills/fetchBills`, {
        method: 'POST',
        headers: { ...kaleidofinHeaders, 'content-type': 'application/json' },
        body: new Uint8Array(1024 * 1024).fill(32),
      });
      tally.total += 1;
      expect([big.status, big.headers.get('connection')]).toEqual([413, 'close']);
      await big.text();
      for (let i = 0; i < 3; i++) {
        const small = await fetch(`http://127.0.0.1:${port}/bills/fetchBills`, {
          method: 'POST',
          headers: { ...kaleidofinHeaders, 'content-type': 'application/json' },
          body: '[]',
        });
        tally.total += 1;
        expect(small.status).toBe(400);
        await small.text();
      }
    }
  });

  it('a declared Content-Length over the limit is refused from the header, before the body arrives', async () => {
    const response = await raw(
      port,
      `POST /bills/fetchBills HTTP/1.1\r\nHost: x\r\nx-api-key: ${kaleidofinHeaders['x-api-key']}\r\n` +
        `content-type: application/json\r\ncontent-length: ${bodyLimitBytes + 1}\r\n\r\n[`,
    );
    tally.total += 1;
    expect(statusOf(response), response).toBe(413);
    expect(response).toContain('"PAYLOAD_TOO_LARGE"');
  });

  it('a chunked body over the limit is counted as it arrives and refused', async () => {
    const body = `[${' '.repeat(bodyLimitBytes)}]`;
    const response = await raw(
      port,
      `POST /bills/fetchBills HTTP/1.1\r\nHost: x\r\nx-api-key: ${kaleidofinHeaders['x-api-key']}\r\n` +
        `content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n` +
        `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`,
    );
    tally.total += 1;
    expect(statusOf(response), response.slice(0, 300)).toBe(413);
  });

  it('requests node refuses before the app runs get a 4xx, never a 5xx, and the server stays up', async () => {
    const cases: { name: string; request: string; statuses: number[] }[] = [
      {
        name: 'Content-Length and Transfer-Encoding together (request smuggling)',
        request:
          'POST /paymentposting HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 4\r\n' +
          'transfer-encoding: chunked\r\n\r\n0\r\n\r\n',
        statuses: [400],
      },
      {
        name: 'two different Content-Lengths',
        request: 'POST /paymentposting HTTP/1.1\r\nHost: x\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\n{}',
        statuses: [400],
      },
      {
        name: 'a header of 20 KB (over node’s 16 KB header limit)',
        request: `POST /bills/fetchBills HTTP/1.1\r\nHost: x\r\nx-api-key: ${'k'.repeat(20 * 1024)}\r\n\r\n`,
        statuses: [431],
      },
      {
        name: 'a control character in a header value',
        request: 'POST /mpacustomers HTTP/1.1\r\nHost: x\r\napi-key: a\u0001b\r\ncontent-length: 0\r\n\r\n',
        statuses: [400],
      },
      {
        name: 'a malformed chunked body',
        request:
          'POST /paymentrefundposting HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\n' +
          'transfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
        statuses: [400],
      },
      {
        name: 'not HTTP at all',
        request: '\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n',
        statuses: [400],
      },
    ];
    for (const { name, request, statuses } of cases) {
      const response = await raw(port, Buffer.from(request, 'latin1'));
      tally.total += 1;
      expect(statuses, `${name}: ${response.slice(0, 200)}`).toContain(statusOf(response));
    }
    // A body that never arrives in full, then a closed connection: nothing for the app to answer, nothing broken.
    await raw(
      port,
      'POST /paymentposting HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"id":',
    ).catch(() => '');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
  }, 60_000);

  it(`sent at least ${minimumRequests} requests over the socket, every one checked`, () => {
    expect(tally.total).toBeGreaterThanOrEqual(minimumRequests);
  });
});
