// Comparing a caller's key or signature with the configured one without leaking, through timing, how much of it
// matched or how long it is: both sides are hashed to equal-length digests first.
import { createHash, timingSafeEqual } from 'node:crypto';

export function constantTimeEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
