// Comparing what a caller presents with a secret, in constant time, for every contract that takes a key or a
// signature (the biller's API keys, the sandbox's keys and Eko's `secret-key`), and reading each key from the header
// its contract names.
import { hash, timingSafeEqual } from 'node:crypto';
import { apiKeyHeaders, type SecurityScheme } from '@bbps-kit/contracts';
import type { Context } from 'hono';
import type { Problem } from './index.ts';

// The one-shot hash: createHash().update().digest() costs twice as much, on every request.
const digest = (value: string): Buffer => hash('sha256', value, 'buffer');

export type KeyCheck = (presented: string | undefined) => boolean;

/**
 * A check of a presented key against the accepted ones. Keys are compared by their SHA-256 digests with
 * timingSafeEqual: digests have one length whatever the key's, and every accepted key is compared on every call,
 * so the time taken says nothing about how close a guess was, how long the key is, nor which key matched. The
 * accepted keys are hashed once, here, so a check costs one hash.
 */
export function keyChecker(acceptedKeys: readonly string[]): KeyCheck {
  const accepted = acceptedKeys.map(digest);
  return (presented) => {
    const given = digest(presented ?? '');
    let match = false;
    for (const key of accepted) {
      // Non-short-circuit OR: keep comparing after a match.
      match = timingSafeEqual(given, key) || match;
    }
    return presented !== undefined && presented.length > 0 && match;
  };
}

/**
 * Whether a presented signature is the expected one, for a signature whose length is public (an HMAC's encoding
 * always has the same length): compared in constant time over its bytes, with no hashing; only a wrong length
 * returns early, which tells a caller nothing it did not know.
 */
export function signatureMatches(presented: string, expected: string): boolean {
  const given = Buffer.from(presented, 'utf8');
  const wanted = Buffer.from(expected, 'utf8');
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * The credentials check of a contract whose security schemes are API keys in headers: each scheme's header, read by
 * the name the contract gives it, against that scheme's KeyCheck. Every check runs on every request, so the answer's
 * timing does not say which key was wrong; the 401 names the first wrong one in the contract's order of schemes.
 */
export function apiKeyAuth<S extends Readonly<Record<string, SecurityScheme>>>(
  schemes: S,
  checks: { readonly [K in keyof S]: KeyCheck },
): (c: Context) => Problem | undefined {
  const headers = Object.entries(apiKeyHeaders(schemes)).map(([scheme, name]) => {
    const check = checks[scheme as keyof S];
    if (typeof check !== 'function') throw new Error(`apiKeyAuth: no check for scheme ${scheme}`);
    return { name, check };
  });
  // A contract without schemes would let every request in: refused when the server is built, not at run time.
  if (headers.length === 0) throw new Error('apiKeyAuth: the contract declares no security scheme');
  return (c) => {
    let wrong: string | undefined;
    for (const { name, check } of headers) {
      if (!check(c.req.header(name))) wrong ??= name;
    }
    return wrong === undefined ? undefined : { kind: 'unauthorized', header: wrong };
  };
}
