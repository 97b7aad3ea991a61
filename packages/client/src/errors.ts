/**
 * Every failure this client raises is a `BbpsClientError`; switch on `kind` to handle each one.
 * The distinction payments teams need most: `HttpError` means the server answered (a refusal you can act
 * on), `OutcomeUnknownError` means a payment may or may not have happened (inquire, never re-send).
 */
export type BbpsClientErrorKind = 'http' | 'timeout' | 'network' | 'outcome-unknown' | 'pending-timeout';

interface RequestInfo {
  /** HTTP method of the request, e.g. "POST". */
  method: string;
  /** Full URL of the request. */
  url: string;
}

export abstract class BbpsClientError extends Error {
  abstract readonly kind: BbpsClientErrorKind;
  readonly method: string | undefined;
  readonly url: string | undefined;

  constructor(message: string, request: Partial<RequestInfo> | undefined, options?: ErrorOptions) {
    super(message, options);
    this.method = request?.method;
    this.url = request?.url;
  }
}

/** The server answered with a non-2xx status. */
export class HttpError<Envelope = unknown> extends BbpsClientError {
  override readonly name = 'HttpError';
  readonly kind = 'http' as const;
  readonly status: number;
  /** The raw body text (or parsed JSON, as openapi-fetch returns it). */
  readonly body: unknown;
  /** The contract's own error envelope when the body parsed as one; undefined otherwise. */
  readonly envelope: Envelope | undefined;

  constructor(init: { status: number; body?: unknown; envelope?: Envelope; method?: string; url?: string }) {
    const where = [init.method, init.url].filter(Boolean).join(' ') || 'request';
    super(`${where} answered HTTP ${init.status}`, init);
    this.status = init.status;
    this.body = init.body;
    this.envelope = init.envelope;
  }
}

/** A request safe to repeat (GET, or marked idempotent) got no answer within the timeout, on every attempt. */
export class TimeoutError extends BbpsClientError {
  override readonly name = 'TimeoutError';
  readonly kind = 'timeout' as const;
  /** Per-attempt timeout that fired. */
  readonly timeoutMs: number;
  /** How many attempts were made in total. */
  readonly attempts: number;

  constructor(init: RequestInfo & { timeoutMs: number; attempts: number; cause?: unknown }) {
    super(`${init.method} ${init.url} got no answer within ${init.timeoutMs} ms (${init.attempts} attempt(s))`, init, {
      cause: init.cause,
    });
    this.timeoutMs = init.timeoutMs;
    this.attempts = init.attempts;
  }
}

/** A request safe to repeat failed below HTTP (DNS, refused or reset connection, TLS) on every attempt. */
export class NetworkError extends BbpsClientError {
  override readonly name = 'NetworkError';
  readonly kind = 'network' as const;
  readonly attempts: number;

  constructor(init: RequestInfo & { attempts: number; cause: unknown }) {
    super(`${init.method} ${init.url} failed before any HTTP answer (${init.attempts} attempt(s))`, init, {
      cause: init.cause,
    });
    this.attempts = init.attempts;
  }
}

/**
 * A request that is not safe to repeat (a payment) may have reached the server, but no answer came back:
 * it timed out, the connection failed, or the caller aborted it mid-flight. Whether money moved is unknown.
 * Inquire with the transaction's reference (e.g. Eko's `client_ref_id`, Digiledge's `clientReqId`);
 * do NOT send it again. `cause` holds the underlying TimeoutError, NetworkError or abort reason.
 */
export class OutcomeUnknownError extends BbpsClientError {
  override readonly name = 'OutcomeUnknownError';
  readonly kind = 'outcome-unknown' as const;
  readonly reason: 'timeout' | 'network' | 'aborted';

  constructor(init: RequestInfo & { reason: 'timeout' | 'network' | 'aborted'; cause: unknown }) {
    super(`${init.method} ${init.url}: outcome unknown (${init.reason}) — inquire, do not re-send`, init, {
      cause: init.cause,
    });
    this.reason = init.reason;
  }
}

/** `pollUntilFinal` reached its deadline while the status was still pending; `lastValue` is the last answer. */
export class PendingTimeoutError<T = unknown> extends BbpsClientError {
  override readonly name = 'PendingTimeoutError';
  readonly kind = 'pending-timeout' as const;
  readonly lastValue: T;
  /** How many times the status was checked. */
  readonly checks: number;
  readonly elapsedMs: number;

  constructor(init: { lastValue: T; checks: number; elapsedMs: number }) {
    super(`still pending after ${init.checks} check(s) over ${init.elapsedMs} ms`, undefined);
    this.lastValue = init.lastValue;
    this.checks = init.checks;
    this.elapsedMs = init.elapsedMs;
  }
}

/** The concrete errors, as a union that narrows on `kind`. */
export type AnyBbpsClientError = HttpError | TimeoutError | NetworkError | OutcomeUnknownError | PendingTimeoutError;

export function isBbpsClientError(error: unknown): error is AnyBbpsClientError {
  return error instanceof BbpsClientError;
}
