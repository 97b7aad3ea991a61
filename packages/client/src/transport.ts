/**
 * The `fetch` every client is built on (openapi-fetch never retries, so timeouts and retries live here).
 *
 * Retry rule, in one place: a request is repeated only when repeating it cannot move money twice.
 * - GET, HEAD and OPTIONS are safe to repeat.
 * - Anything else (POST payments above all) is sent exactly once, unless the caller marks the single request
 *   with the header `x-bbps-idempotent: 1` (e.g. a POST that only inquires). `x-bbps-idempotent: 0` does the
 *   opposite for a GET with side effects. The header is stripped before the request leaves the process.
 * - A request that is not safe to repeat and gets no answer (timeout, network failure, caller abort in
 *   flight) throws `OutcomeUnknownError`: inquire, never re-send.
 * - A request safe to repeat is retried on timeouts, network failures and HTTP 408, 429, 502, 503, 504, with
 *   exponential backoff and full jitter, or after `Retry-After` when the server sends one; its final failure
 *   throws `TimeoutError` or `NetworkError`.
 * - HTTP error statuses are returned, never thrown: openapi-fetch turns them into `{ error }`.
 *
 * The per-attempt timeout covers the whole exchange, response body included: the transport reads the body into
 * memory before it returns (BBPS answers are small JSON documents), so a body that stalls is a timeout of that
 * attempt, classified and retried like any other, and no timer or abort listener outlives its request.
 */
import { NetworkError, OutcomeUnknownError, TimeoutError } from './errors.ts';

/** Header that marks a single request as safe to repeat ("1") or not ("0"); never sent on the wire. */
export const IDEMPOTENT_HEADER = 'x-bbps-idempotent';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const DEFAULT_RETRY_STATUSES: readonly number[] = [408, 429, 502, 503, 504];

export interface RetryPolicy {
  /** Attempts after the first one. 0 disables retries. */
  retries: number;
  /** Backoff ceiling for the first retry; it doubles per retry, and the delay is drawn uniformly below it. */
  baseDelayMs: number;
  /** Caps both the backoff ceiling and any `Retry-After`. */
  maxDelayMs: number;
  /** Statuses that trigger a retry of a request safe to repeat. */
  statuses: readonly number[];
}

export const DEFAULT_RETRY: RetryPolicy = {
  retries: 2,
  baseDelayMs: 250,
  maxDelayMs: 5_000,
  statuses: DEFAULT_RETRY_STATUSES,
};

/** The underlying fetch; the transport always calls it with an absolute URL string and a RequestInit. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
export type Transport = FetchLike;

export interface RetryEvent {
  /** The attempt that just failed, from 1. */
  attempt: number;
  delayMs: number;
  reason: 'timeout' | 'network' | 'status';
  /** The status when `reason` is "status". */
  status?: number;
  method: string;
  url: string;
}

export interface TransportOptions {
  /** Underlying fetch; defaults to `globalThis.fetch` looked up at call time. */
  fetch?: FetchLike;
  /**
   * Per attempt, in milliseconds, response body included; `Infinity` disables it.
   * Default 30 000 (BBPS operating units give up at about 30 s).
   */
  timeoutMs?: number;
  /** Partial overrides of `DEFAULT_RETRY`, or `false` for a single attempt. */
  retry?: Partial<RetryPolicy> | false;
  /** Uniform in [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
  /** Waits between attempts; must reject with `signal.reason` when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Clock for `Retry-After` dates. */
  now?: () => number;
  /** Called before each retry, for logs and metrics. */
  onRetry?: (event: RetryEvent) => void;
}

export function createTransport(options: TransportOptions = {}): Transport {
  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const policy: RetryPolicy =
    options.retry === false ? { ...DEFAULT_RETRY, retries: 0 } : { ...DEFAULT_RETRY, ...options.retry };
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? Date.now;
  if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${timeoutMs}`);
  if (!Number.isInteger(policy.retries) || policy.retries < 0) {
    throw new RangeError(`retry.retries must be a non-negative integer, got ${policy.retries}`);
  }
  if (!(policy.baseDelayMs >= 0) || !(policy.maxDelayMs >= 0)) {
    throw new RangeError('retry.baseDelayMs and retry.maxDelayMs must be non-negative');
  }
  const retryStatuses = new Set(policy.statuses);

  return async function transport(input, init) {
    const { url, init: sent, callerSignal } = await outgoing(input, init);
    const method = sent.method ?? 'GET';
    const marker = sent.headers.get(IDEMPOTENT_HEADER);
    sent.headers.delete(IDEMPOTENT_HEADER);
    const repeatable = marker === null ? SAFE_METHODS.has(method.toUpperCase()) : marker.trim() === '1';
    const where = { method, url };

    for (let attempt = 1; ; attempt++) {
      callerSignal?.throwIfAborted();
      const deadline = attemptDeadline(timeoutMs, callerSignal);
      let response: Response;
      try {
        response = await fetchImpl(url, { ...sent, signal: deadline.signal });
        if (!repeatable || attempt > policy.retries || !retryStatuses.has(response.status)) {
          return await withBodyRead(response, url);
        }
      } catch (error) {
        if (callerSignal?.aborted) {
          if (repeatable) throw callerSignal.reason;
          throw new OutcomeUnknownError({ ...where, reason: 'aborted', cause: callerSignal.reason });
        }
        const reason = deadline.timedOut ? 'timeout' : 'network';
        const failure =
          reason === 'timeout'
            ? new TimeoutError({ ...where, timeoutMs, attempts: attempt, cause: error })
            : new NetworkError({ ...where, attempts: attempt, cause: error });
        if (!repeatable) throw new OutcomeUnknownError({ ...where, reason, cause: failure });
        if (attempt > policy.retries) throw failure;
        const delayMs = backoffMs(attempt);
        options.onRetry?.({ attempt, delayMs, reason, ...where });
        await sleep(delayMs, callerSignal);
        continue;
      } finally {
        deadline.release();
      }

      const delayMs = retryAfterMs(response.headers.get('retry-after')) ?? backoffMs(attempt);
      // Release the connection; the body of a response we are discarding is of no use.
      await response.body?.cancel().catch(() => undefined);
      options.onRetry?.({ attempt, delayMs, reason: 'status', status: response.status, ...where });
      await sleep(delayMs, callerSignal);
    }
  };

  /** Full jitter: uniform in [0, min(max, base * 2^(attempt-1))). */
  function backoffMs(attempt: number): number {
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(random() * ceiling);
  }

  /** `Retry-After` as delta-seconds or an HTTP-date, capped by maxDelayMs; undefined when absent or garbled. */
  function retryAfterMs(value: string | null): number | undefined {
    if (value === null) return undefined;
    const text = value.trim();
    let ms: number;
    if (/^[0-9]+$/.test(text)) ms = Number(text) * 1000;
    else if (/[A-Za-z]/.test(text) && !Number.isNaN(Date.parse(text))) ms = Math.max(0, Date.parse(text) - now());
    else return undefined;
    return Math.min(ms, policy.maxDelayMs);
  }
}

/**
 * One attempt's signal: it aborts when the caller's signal does, or with a TimeoutError after `timeoutMs`.
 * `release()` clears the timer and the listener as soon as the attempt is over. (`AbortSignal.timeout` combined by
 * `AbortSignal.any` kept every request's signals, and whatever listened to them, alive for the whole timeout:
 * 30 s of requests on the heap, measured as +90 µs of CPU per call in `pnpm bench`.)
 */
function attemptDeadline(timeoutMs: number, callerSignal: AbortSignal | undefined) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = Number.isFinite(timeoutMs)
    ? setTimeout(() => {
        timedOut = true;
        controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'));
      }, timeoutMs)
    : undefined;
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    release() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/** The same response with its body already read, so that reading it happens under the attempt's deadline. */
async function withBodyRead(response: Response, url: string): Promise<Response> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const { status, statusText, headers } = response;
  const init = { status, statusText, headers };
  const read = NULL_BODY_STATUSES.has(status) ? new Response(null, init) : new ReadResponse(bytes, init);
  // A constructed Response has an empty url; errors quote the one the answer came from.
  Object.defineProperty(read, 'url', { value: response.url || url });
  return read;
}

// Statuses whose response cannot carry a body (new Response refuses one, even empty).
const NULL_BODY_STATUSES = new Set([204, 205, 304]);
const utf8 = new TextDecoder();

/**
 * A Response whose body is already in memory. `text()`, `json()`, `arrayBuffer()` and `bytes()` answer from those
 * bytes; a Response built around them copies them into a new stream first (about 7 µs of CPU per call more,
 * measured in-process over a stub fetch, A/B on a loaded machine; see BENCHMARKS.md). What needs a stream (`body`,
 * `blob()`, `formData()`, `clone()`) gets one from a Response made on demand, from then on the only source of the
 * body, so every member behaves as a Response's.
 */
class ReadResponse extends Response {
  readonly #bytes: Uint8Array<ArrayBuffer>;
  readonly #init: ResponseInit;
  #used = false;
  #streamed: Response | undefined;

  constructor(bytes: Uint8Array<ArrayBuffer>, init: ResponseInit) {
    super(null, init);
    this.#bytes = bytes;
    this.#init = init;
  }

  #stream(): Response {
    if (this.#streamed === undefined) {
      this.#streamed = new Response(this.#bytes, this.#init);
      // Already read from memory: the stream must be spent too.
      if (this.#used) void this.#streamed.arrayBuffer();
    }
    return this.#streamed;
  }

  /** The bytes, once: a second read fails as on any Response. */
  #take(): Uint8Array<ArrayBuffer> {
    if (this.#used) throw new TypeError('Body is unusable: Body has already been read');
    this.#used = true;
    return this.#bytes;
  }

  static {
    // On the prototype, as Response has them (its types declare them as properties, which a class cannot override).
    Object.defineProperties(ReadResponse.prototype, {
      body: {
        get(this: ReadResponse) {
          return this.#stream().body;
        },
      },
      bodyUsed: {
        get(this: ReadResponse) {
          return this.#streamed ? this.#streamed.bodyUsed : this.#used;
        },
      },
      bytes: {
        async value(this: ReadResponse) {
          return this.#streamed ? this.#streamed.bytes() : this.#take();
        },
      },
      arrayBuffer: {
        async value(this: ReadResponse) {
          if (this.#streamed) return this.#streamed.arrayBuffer();
          const bytes = this.#take();
          return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
        },
      },
      text: {
        async value(this: ReadResponse) {
          return this.#streamed ? this.#streamed.text() : utf8.decode(this.#take());
        },
      },
      json: {
        async value(this: ReadResponse) {
          return this.#streamed ? this.#streamed.json() : JSON.parse(utf8.decode(this.#take()));
        },
      },
      blob: {
        value(this: ReadResponse) {
          return this.#stream().blob();
        },
      },
      formData: {
        value(this: ReadResponse) {
          return this.#stream().formData();
        },
      },
      clone: {
        value(this: ReadResponse) {
          const clone = this.#stream().clone();
          Object.defineProperty(clone, 'url', { value: this.url });
          return clone;
        },
      },
    });
  }
}

interface Outgoing {
  url: string;
  /** What every attempt hands the underlying fetch, but for the signal. */
  init: RequestInit & { headers: Headers };
  callerSignal: AbortSignal | undefined;
}

/**
 * fetch's arguments as a URL and a RequestInit, body read once so that each attempt re-sends it byte for byte.
 * Handing undici a Request would make it copy the Request again on every attempt, at a measurable CPU cost.
 */
async function outgoing(input: string | URL | Request, init: RequestInit = {}): Promise<Outgoing> {
  // As in new Request(request, init), a key of init that is not undefined replaces the Request's own. Keys a
  // Request does not know (undici's `dispatcher`) pass through to the underlying fetch.
  const merged: Record<string, unknown> = input instanceof Request ? requestInit(input) : {};
  for (const [key, value] of Object.entries(init)) if (value !== undefined) merged[key] = value;
  const { signal, body, ...rest } = merged as RequestInit;
  const headers = new Headers(rest.headers);
  return {
    // Parsed here so that a bad URL throws before sending, never as a network error to retry.
    url: input instanceof Request ? input.url : new URL(input).href,
    init: { ...rest, headers, body: await replayable(body, headers) },
    callerSignal: signal ?? undefined,
  };
}

// What a Request carries that changes what fetch does, besides its url, method, headers, body and signal, at the
// values a Request has by default. Only values that differ are passed on: each key fetch is given costs it work
// (all of them together measured +20 µs of CPU per call).
const REQUEST_DEFAULTS = {
  cache: 'default',
  credentials: 'same-origin',
  integrity: '',
  keepalive: false,
  mode: 'cors',
  redirect: 'follow',
  referrer: 'about:client',
  referrerPolicy: '',
} as const;
const REQUEST_DEFAULT_ENTRIES = Object.entries(REQUEST_DEFAULTS) as [keyof typeof REQUEST_DEFAULTS, string | boolean][];

/**
 * A Request as a RequestInit. The body comes from a clone: openapi-fetch hands the caller's Request to middleware
 * again after we return, so it must stay unread.
 */
function requestInit(request: Request): Record<string, unknown> {
  const init: Record<string, unknown> = {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body: request.body === null ? null : request.clone().body,
  };
  for (const [key, byDefault] of REQUEST_DEFAULT_ENTRIES) {
    const value = request[key];
    if (value !== byDefault) init[key] = value;
  }
  return init;
}

/** A body as a string or bytes that can be sent again; a stream, form or Blob is read once, here. */
async function replayable(body: RequestInit['body'], headers: Headers): Promise<string | ArrayBuffer | null> {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return body;
  // Response reads any BodyInit as fetch would, including the content type a form or Blob implies.
  const read = new Response(body);
  const type = read.headers.get('content-type');
  if (type !== null && !headers.has('content-type')) headers.set('content-type', type);
  return read.arrayBuffer();
}

/** setTimeout as a promise that rejects with `signal.reason` as soon as the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
