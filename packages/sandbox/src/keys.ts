// Comparing a caller's key or signature with the configured one without leaking, through timing, how much of it
// matched or how long it is: both sides are hashed to equal-length digests first.
import { hash, timingSafeEqual } from 'node:crypto';

// The one-shot hash, as the biller's key check uses: createHash().update().digest() costs twice as much.
const digest = (value: string): Buffer => hash('sha256', value, 'buffer');

export function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
