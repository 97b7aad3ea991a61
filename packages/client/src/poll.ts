/**
 * Polls a status until it is final. Generic on purpose: what "pending" means is each vendor's business
 * (see pending.ts: Eko tx_status 2/5/6 and unknown values, Digiledge BILL_FETCH_REQUESTED…), supplied as `isFinal`.
 */
import { PendingTimeoutError } from './errors.ts';
import { abortableSleep } from './transport.ts';

export interface PollOptions<T> {
  /** Asks for the current status; `attempt` counts from 1. Its errors end the polling and propagate as is. */
  check: (attempt: number) => Promise<T>;
  isFinal: (value: T) => boolean;
  /** Total budget from the first check; a last check is made at the deadline. */
  deadlineMs: number;
  /** Wait before the second check. */
  intervalMs: number;
  /** Each wait is the previous one times this factor (default 1: a fixed interval). */
  backoff?: number;
  /** Upper bound for a single wait (default: no bound other than the deadline). */
  maxIntervalMs?: number;
  /** Stops polling; rejects with `signal.reason`. */
  signal?: AbortSignal;
  /** Injectable for tests; must reject with `signal.reason` when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

/** Resolves with the first final value, or throws `PendingTimeoutError` carrying the last pending value. */
export async function pollUntilFinal<T>(options: PollOptions<T>): Promise<T> {
  const { check, isFinal, deadlineMs, intervalMs, backoff = 1, signal } = options;
  const maxIntervalMs = options.maxIntervalMs ?? Number.POSITIVE_INFINITY;
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? Date.now;
  if (!(deadlineMs >= 0)) throw new RangeError(`deadlineMs must be non-negative, got ${deadlineMs}`);
  if (!(intervalMs >= 0)) throw new RangeError(`intervalMs must be non-negative, got ${intervalMs}`);
  if (!(backoff >= 1)) throw new RangeError(`backoff must be at least 1, got ${backoff}`);

  const start = now();
  let wait = Math.min(intervalMs, maxIntervalMs);
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    const value = await check(attempt);
    if (isFinal(value)) return value;
    const elapsedMs = now() - start;
    const remaining = deadlineMs - elapsedMs;
    if (remaining <= 0) throw new PendingTimeoutError({ lastValue: value, checks: attempt, elapsedMs });
    await sleep(Math.min(wait, remaining), signal);
    wait = Math.min(wait * backoff, maxIntervalMs);
  }
}
