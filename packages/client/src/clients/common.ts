// What every contract's client shares: the transport under openapi-fetch, the per-operation retry rule,
// static credential headers, and turning an openapi-fetch `{ error }` into a typed HttpError.
import createClient, { type Client, type HeadersOptions, type Middleware } from 'openapi-fetch';
import { HttpError } from '../errors.ts';
import { createTransport, type FetchLike, IDEMPOTENT_HEADER, type RetryEvent, type RetryPolicy } from '../transport.ts';

export interface CommonClientOptions {
  /** e.g. `http://127.0.0.1:4013` for the local mock; no trailing slash needed. */
  baseUrl: string;
  /** Per attempt, in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Retry policy for operations safe to repeat; `false` for a single attempt everywhere. Payments never retry. */
  retry?: Partial<RetryPolicy> | false;
  /** The fetch under the transport (default: globalThis.fetch). Injectable for tests and proxies. */
  fetch?: FetchLike;
  /** Called before each retry, for logs and metrics. Carries method and URL, never headers. */
  onRetry?: (event: RetryEvent) => void;
}

/** What a call helper (`payEkoBill`, `lookupEbppCustomers`, …) passes on to openapi-fetch besides the body. */
export interface CallInit {
  signal?: AbortSignal;
  headers?: HeadersOptions;
}

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

/**
 * `safe`: a repeat cannot move money or create anything twice (reads, status inquiries), so the transport retries
 * it on timeouts, network failures and 408/429/502/503/504. `never`: sent exactly once; no answer means
 * OutcomeUnknownError.
 */
export type RetryRule = 'safe' | 'never';

export interface OperationRule {
  operationId: string;
  retry: RetryRule;
}

/** `"POST /bills/fetchBills"` for every operation the generated `paths` declare. */
export type OperationKey<Paths> = {
  [P in keyof Paths & string]: {
    [M in HttpMethod & keyof Paths[P]]: Paths[P][M] extends undefined ? never : `${Uppercase<M>} ${P}`;
  }[HttpMethod & keyof Paths[P]];
}[keyof Paths & string];

/**
 * One rule per operation. Each client's table is its contract's generated `operationRules` (the spec's
 * `x-bbps-retry`), written `operationRules satisfies OperationRules<paths>`, so the compiler refuses a contract
 * whose operation has no rule (and the clients test checks the tables against the spec).
 */
export type OperationRules<Paths> = Record<OperationKey<Paths>, OperationRule>;

/**
 * Marks each request with the transport's idempotency header from the operation's rule. The rule always wins over
 * a caller's own header: a payment is never made repeatable by accident.
 */
export function retryRuleMiddleware(rules: Readonly<Record<string, OperationRule>>): Middleware {
  return {
    onRequest({ request, schemaPath }) {
      const rule = rules[`${request.method} ${schemaPath}`];
      // No rule (an undeclared path through client.request): the transport's default applies, which repeats
      // only GET/HEAD/OPTIONS.
      if (rule === undefined) request.headers.delete(IDEMPOTENT_HEADER);
      else request.headers.set(IDEMPOTENT_HEADER, rule.retry === 'safe' ? '1' : '0');
      return request;
    },
  };
}

/**
 * Sets static credential headers on every request. An empty or missing value sends no header at all, so a
 * misconfigured key shows up as the server's 401, never as the text "undefined" on the wire.
 */
export function credentialHeadersMiddleware(headers: Readonly<Record<string, string | undefined>>): Middleware {
  const present = Object.entries(headers).filter((entry): entry is [string, string] => Boolean(entry[1]));
  return {
    onRequest({ request }) {
      for (const [name, value] of present) request.headers.set(name, value);
      return request;
    },
  };
}

/** openapi-fetch over the transport (timeouts, safe retries, OutcomeUnknownError), with the given middleware. */
export function buildClient<Paths extends {}>(
  options: CommonClientOptions,
  rules: Readonly<Record<string, OperationRule>>,
  middleware: Middleware[],
): Client<Paths> {
  const transport = createTransport({
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    retry: options.retry,
    onRetry: options.onRetry,
  });
  const client = createClient<Paths>({ baseUrl: options.baseUrl, fetch: transport });
  client.use(...middleware, retryRuleMiddleware(rules));
  return client;
}

/** An openapi-fetch result: `{ data, response }` on 2xx, `{ error, response }` otherwise. */
type FetchResult = { data?: unknown; error?: unknown; response: Response };

/** The contract's error envelope of a result, as the spec types it for the operation's error statuses. */
export type ErrorOf<R extends FetchResult> = Exclude<R['error'], undefined>;

/**
 * The data of a 2xx answer, or throws `HttpError` carrying the contract's error envelope for any other status:
 * `const bills = unwrap(await client.POST('/bills/fetchBills', { body }))`.
 */
export function unwrap<R extends FetchResult>(result: R): Exclude<R['data'], undefined> {
  const { data, error, response } = result;
  if (error === undefined && response.ok) return data as Exclude<R['data'], undefined>;
  throw new HttpError<ErrorOf<R>>({
    status: response.status,
    body: error,
    envelope: typeof error === 'object' && error !== null ? (error as ErrorOf<R>) : undefined,
    url: response.url || undefined,
  });
}

/**
 * Parses an amount echoed in an answer that reports something already done (a payment's result): a malformed
 * echo gives `undefined` rather than an exception that would hide the outcome. Never used for amounts about to
 * be paid, where a MoneyError must stop the caller.
 */
export function paiseOrUndefined<T>(parse: (value: T) => bigint, value: T | null | undefined): bigint | undefined {
  if (value === undefined || value === null) return undefined;
  try {
    return parse(value);
  } catch {
    return undefined;
  }
}
