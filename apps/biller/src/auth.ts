// API-key checks for both contracts. Keys are compared by their SHA-256 digests with timingSafeEqual:
// digests have one length whatever the key's, and every configured key is compared on every request, so the
// time taken says nothing about how close a guess was nor which key matched.
import { hash, timingSafeEqual } from 'node:crypto';

// The one-shot hash: createHash().update().digest() cost twice as much, on every request.
const digest = (value: string): Buffer => hash('sha256', value, 'buffer');

export type KeyCheck = (presented: string | undefined) => boolean;

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
