// Constant-time key checks, part 1 of 2 (part 2, timing.test.ts, measures). Why two kinds of proof:
//
// 1. Here, the implementation property, asserted strictly (this is what the suite relies on): keyChecker
//    (@bbps-kit/contract-app, src/keys.ts) hashes the presented key to a fixed 32-byte SHA-256 digest and compares it with
//    crypto.timingSafeEqual against EVERY configured digest, with no early exit, whatever the presented key's
//    length or content and whichever key matches; and each HTTP request runs every comparison of its
//    contract (EBPP: client-key and all api-keys, even when client-key is already wrong). Shown with spies
//    on node:crypto.
// 2. In timing.test.ts, a timing measurement, printed, and asserted only with a generous bound. A statistical test of a few
//    hundred nanoseconds on a shared 2-core CI machine (other test files run in parallel) would flake at any
//    tight threshold, so the bound is loose (the medians of interleaved batches within 1.5x of each other, best
//    of three rounds) and is there to catch a gross regression such as a plain string comparison of very long
//    keys; the printed numbers are for a human. A positive control (=== on 10 KB strings) is measured the same
//    way and printed, to show what a real leak looks like at this resolution.

import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return {
    ...actual,
    default: actual,
    timingSafeEqual: vi.fn(actual.timingSafeEqual),
    hash: vi.fn(actual.hash),
  };
});

const { keyChecker } = await import('@bbps-kit/contract-app');
const { demoBiller } = await import('../fuzz/support/harness.ts');

const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);
const hashSpy = vi.mocked(crypto.hash);
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

describe('the key comparison is constant-time by construction', () => {
  beforeEach(() => {
    timingSafeEqual.mockClear();
    hashSpy.mockClear();
  });

  const key = fc.string({ unit: 'binary', minLength: 1, maxLength: 64 });
  const presented = (accepted: string[]) =>
    fc.oneof(
      fc.constant(undefined),
      fc.constant(''),
      fc.string({ unit: 'binary', maxLength: 64 }),
      fc.string({ maxLength: 10_240, minLength: 5_000 }),
      fc.constantFrom(...accepted),
      fc.constantFrom(...accepted).map((k) => `${k.slice(0, -1)}${k.at(-1) === 'a' ? 'b' : 'a'}`),
      fc.constantFrom(...accepted).map((k) => `${k}x`),
    );

  it('hashes the presented key once, to 32 bytes, and compares it with every configured key, matched or not', () => {
    fc.assert(
      fc.property(
        fc
          .uniqueArray(key, { minLength: 1, maxLength: 4 })
          .chain((accepted) => fc.tuple(fc.constant(accepted), presented(accepted))),
        ([accepted, given]) => {
          const check = keyChecker(accepted);
          timingSafeEqual.mockClear();
          hashSpy.mockClear();
          const result = check(given);

          expect(result).toBe(given !== undefined && given.length > 0 && accepted.includes(given));
          // One digest of the presented key per check (the configured ones were digested once, up front).
          expect(hashSpy).toHaveBeenCalledTimes(1);
          expect(hashSpy.mock.calls[0]?.[0]).toBe('sha256');
          // Every configured key is compared, even after a match, and always on two 32-byte digests.
          expect(timingSafeEqual).toHaveBeenCalledTimes(accepted.length);
          const expectedDigest = sha256(given ?? '');
          timingSafeEqual.mock.calls.forEach(([a, b], i) => {
            expect([(a as Buffer).length, (b as Buffer).length]).toEqual([32, 32]);
            expect(Buffer.compare(a as Buffer, expectedDigest)).toBe(0);
            expect(Buffer.compare(b as Buffer, sha256(accepted[i] as string))).toBe(0);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a match on the first key still runs the comparisons with the others (no early exit)', () => {
    const check = keyChecker(['first', 'second', 'third']);
    timingSafeEqual.mockClear();
    expect(check('first')).toBe(true);
    expect(timingSafeEqual).toHaveBeenCalledTimes(3);
    expect(timingSafeEqual.mock.results.map((r) => r.value)).toEqual([true, false, false]);
  });
});

describe('every HTTP request runs every comparison of its contract', () => {
  let biller: Awaited<ReturnType<typeof demoBiller>>;
  const keys = {
    kaleidofinApiKeys: ['k-one', 'k-two', 'k-three'],
    ebppClientKey: 'client_one',
    ebppApiKeys: ['e-one', 'e-two'],
  };
  beforeAll(async () => {
    biller = await demoBiller(keys);
  }, 180_000);
  afterAll(async () => {
    await biller?.db.close();
  });

  it('Kaleidofin: one comparison per configured x-api-key, whatever is sent', async () => {
    const sent: Record<string, string>[] = [
      {},
      { 'x-api-key': 'k-one' },
      { 'x-api-key': 'k-three' },
      { 'x-api-key': 'nope' },
    ];
    for (const headers of sent) {
      timingSafeEqual.mockClear();
      await biller.app.request('/bills/fetchBills', {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: '[]',
      });
      expect(timingSafeEqual, JSON.stringify(headers)).toHaveBeenCalledTimes(3);
    }
  });

  it('EBPP: client-key and every api-key are compared even when client-key is already wrong', async () => {
    for (const path of ['/mpacustomers', '/paymentposting', '/paymentreversalposting', '/paymentrefundposting']) {
      const sent: Record<string, string>[] = [
        {},
        { 'client-key': 'wrong' },
        { 'client-key': 'wrong', 'api-key': 'e-one' },
        { 'client-key': 'client_one', 'api-key': 'wrong' },
        { 'client-key': 'client_one', 'api-key': 'e-two' },
      ];
      for (const headers of sent) {
        timingSafeEqual.mockClear();
        await biller.app.request(path, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: '{}',
        });
        expect(timingSafeEqual, `${path} ${JSON.stringify(headers)}`).toHaveBeenCalledTimes(
          1 + keys.ebppApiKeys.length,
        );
      }
    }
  });
});
