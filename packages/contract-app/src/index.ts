// One contract as a Hono sub-app, built from the contract's generated operations table (@bbps-kit/contracts
// /operations/<api>): a route per operation with its method, path, operationId, security, declared statuses and
// generated schemas, and a handler for each (a missing handler is a compile error). The sub-app owns everything
// that can go wrong on its paths, so each contract's envelope is built in one place: its key check, body limit,
// media types, validation errors, 404 below its paths, 405 on them, and its own onError. With metrics, it tags each
// request with its operation, for the caller's request middleware to count. Used by apps/biller (the contracts it
// implements) and packages/sandbox (the simulators of the contracts it does not).

import { describeIssue, type FieldProblem } from '@bbps-kit/contracts/issues';
import { createRoute, OpenAPIHono, type RouteConfig, type RouteHandler } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';

export { apiKeyAuth, type KeyCheck, keyChecker, signatureMatches } from './keys.ts';

/** Problems any operation can hit before, or instead of, its handler's own answer. */
export type Problem =
  /** The request broke the contract's schema: every field that was wrong, and how. */
  | { kind: 'invalid'; fields: FieldProblem[] }
  | { kind: 'malformed_body'; message: string }
  | { kind: 'unsupported_media_type'; expected: string }
  | { kind: 'too_large'; limitBytes: number }
  | { kind: 'not_found' }
  | { kind: 'method_not_allowed'; allowed: string }
  /** A credential header is missing or wrong; `message`, when given, is the contract's own wording. */
  | { kind: 'unauthorized'; header: string; message?: string }
  /** A store the service needs cannot be reached: nothing was applied, and the same request may be sent again. */
  | { kind: 'unavailable'; retryAfterSeconds: number }
  | { kind: 'internal' };

/** Request ids (Hono's request-id middleware) and the tag metrics read; both optional for a caller that has none. */
export type AppEnv = { Variables: { requestId: string; metricsTag: unknown } };

/** Renders every problem in one contract's error envelope (`X`: problems of the contract's own, beyond Problem). */
export interface Envelope<X = never> {
  problem(c: Context, problem: Problem | X): Response;
}

/** A handler per operation of `routes`, typed by its route: its validated input and its declared answers. */
export type Handlers<R extends Record<string, RouteConfig>> = { [K in keyof R]: RouteHandler<R[K], AppEnv> };

export interface Logger {
  log(level: 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void;
}

export interface ContractAppOptions<R extends Record<string, RouteConfig>, X = never> {
  routes: R;
  handlers: Handlers<R>;
  envelope: Envelope<X>;
  /** The contract's credentials check: the problem to answer, or undefined to go on (`apiKeyAuth` for API keys). */
  authenticate: (c: Context) => Problem | X | undefined;
  bodyLimitBytes: number;
  logger: Logger;
  /**
   * Middleware run first on every request the app sees, before the body limit and the key check (the sandbox's
   * `x-sandbox-delay-ms`). A service that is one contract alone serves the returned app itself, with these, rather
   * than mounting it with `route()`: Hono wraps every handler of a mounted app that has its own onError in a
   * compose of its own, on every request.
   */
  before?: readonly MiddlewareHandler[];
  /** Paths below which an unknown route is still this contract's (e.g. `/bills` for Kaleidofin; `` for all). */
  namespaces?: readonly string[];
  /** The contract's metrics; without them nothing is tagged. */
  metrics?: { tag(operation: string): unknown } | undefined;
  /**
   * The problem for a request that failed the generated schemas (default: `invalid`, one field per issue). A
   * contract whose envelope words its fields its own way passes its own.
   */
  invalid?: (issues: readonly z.core.$ZodIssue[], received: unknown) => Problem | X;
  /**
   * Whether a thrown error means the service's database went away (nothing was applied, the request may be
   * repeated): answered 503 `unavailable` with Retry-After and logged as a warning with its cause. Without it every
   * thrown error is 500 `internal`.
   */
  unavailable?: (error: unknown) => boolean;
}

/** What a 503 asks callers to wait before repeating the request. */
export const unavailableRetryAfterSeconds = 2;

// An OpenAPI path segment is a literal, `{param}`, or a literal prefix then `{param}` (Eko's
// `client_ref_id:{clientRefId}`). Hono reads `:` as a parameter marker wherever it stands, so a prefixed segment
// becomes a parameter whose pattern is the escaped prefix, and the prefix is taken off again before validation.
const prefixedSegment = /^([^{}]+)\{([^}]+)\}$/;

/** Hono's form of an OpenAPI path, and the literal prefix of each prefixed parameter. */
export function honoPath(path: string): { at: string; prefixes: Record<string, string> } {
  const prefixes: Record<string, string> = {};
  const segments = path.split('/').map((segment) => {
    const prefixed = prefixedSegment.exec(segment);
    if (prefixed) {
      const [, prefix = '', name = ''] = prefixed;
      prefixes[name] = prefix;
      return `:${name}{${prefix.replaceAll(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[^/]*}`;
    }
    return segment.replaceAll(/\{([^}]+)\}/g, ':$1');
  });
  return { at: segments.join('/'), prefixes };
}

/** The route with each prefixed parameter's prefix taken off before its schema sees it. */
function withoutPrefixes(route: RouteConfig, prefixes: Record<string, string>): RouteConfig {
  const params = route.request?.params;
  if (Object.keys(prefixes).length === 0 || !params) return route;
  const strip = (value: unknown) => {
    if (typeof value !== 'object' || value === null) return value;
    const out: Record<string, unknown> = { ...value };
    for (const [name, prefix] of Object.entries(prefixes)) {
      const text = out[name];
      if (typeof text === 'string' && text.startsWith(prefix)) out[name] = text.slice(prefix.length);
    }
    return out;
  };
  return { ...route, request: { ...route.request, params: z.preprocess(strip, params) as never } };
}

const describeAll = (issues: readonly z.core.$ZodIssue[], received: unknown): Problem => ({
  kind: 'invalid',
  fields: issues.map((issue) => describeIssue(issue, received)),
});

export function contractApp<R extends Record<string, RouteConfig>, X = never>(
  options: ContractAppOptions<R, X>,
): OpenAPIHono<AppEnv> {
  const { routes, handlers, authenticate, logger, metrics } = options;
  const invalid = options.invalid ?? describeAll;
  // A path below the contract that names none of its operations (404, 405) is still the contract's.
  const unknownOperation = metrics?.tag('none');
  const tagged = (c: Context, tag: unknown) => {
    if (tag && !c.get('metricsTag')) c.set('metricsTag', tag);
  };
  const envelope: Envelope<X> = {
    problem(c, problem) {
      tagged(c, unknownOperation);
      return options.envelope.problem(c, problem);
    },
  };
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      // The validator hands the hook the value it received as `data` on failure too (not in the hook's type).
      return envelope.problem(c, invalid(result.error.issues, (result as { data?: unknown }).data));
    },
  });

  for (const middleware of options.before ?? []) app.use('*', middleware);

  // The routes table is keyed by operationId.
  const operationOf = new Map(Object.entries(routes).map(([operationId, route]) => [route, operationId]));
  // Operations by their path in Hono's form (what c.req.routePath gives).
  const byPath = new Map<string, RouteConfig[]>();
  const hono = new Map<RouteConfig, RouteConfig>();
  for (const route of Object.values(routes)) {
    const { at, prefixes } = honoPath(route.path);
    byPath.set(at, [...(byPath.get(at) ?? []), route]);
    // Registered as written where Hono can read it, so the biller's routes are what they always were.
    hono.set(route, Object.keys(prefixes).length === 0 ? route : { ...withoutPrefixes(route, prefixes), path: at });
  }

  for (const [at, pathRoutes] of byPath) {
    if (metrics) {
      // First on the path, so every answer on it (a key refusal, an oversize body) counts under its operation.
      const byMethod = new Map(
        pathRoutes.map((route) => [route.method.toUpperCase(), metrics.tag(operationOf.get(route) ?? 'none')]),
      );
      app.use(at, async (c, next) => {
        tagged(c, byMethod.get(c.req.method) ?? unknownOperation);
        await next();
      });
    }
    app.use(
      at,
      sizeLimit(options.bodyLimitBytes, (c) => {
        // The rest of the body is never read: node-server drains it for at most 500 ms, then destroys the
        // socket. Announcing keep-alive here let clients reuse that socket and lose their next request.
        c.header('connection', 'close');
        return envelope.problem(c, { kind: 'too_large', limitBytes: options.bodyLimitBytes });
      }),
    );
    app.use(at, async (c, next) => {
      const problem = authenticate(c);
      if (problem) return envelope.problem(c, problem);
      await next();
    });
    app.use(at, mediaTypeGuard(pathRoutes, envelope));
  }
  // A prefixed parameter's route first: its segment also matches a plain parameter's on the same path.
  const ordered = Object.entries(routes).sort(
    ([, a], [, b]) => Number(prefixedSegmentIn(b.path)) - Number(prefixedSegmentIn(a.path)),
  );
  for (const [operationId, route] of ordered) {
    // Typed per operation where the handlers are written (Handlers<R>); here they are only passed on.
    const handler = handlers[operationId as keyof R] as unknown as RouteHandler<RouteConfig, AppEnv>;
    app.openapi(createRoute(hono.get(route) ?? route), handler);
  }
  for (const [at, pathRoutes] of byPath) {
    const allowed = [...new Set(pathRoutes.map((route) => route.method.toUpperCase()))].join(', ');
    app.all(at, (c) => envelope.problem(c, { kind: 'method_not_allowed', allowed }));
    app.all(`${at}/*`, (c) => envelope.problem(c, { kind: 'not_found' }));
  }
  for (const namespace of options.namespaces ?? []) {
    app.all(`${namespace}/*`, (c) => envelope.problem(c, { kind: 'not_found' }));
  }

  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      if (error.status === 415) {
        const expected = requestMediaTypes(byPath.get(c.req.routePath) ?? [])[0] ?? 'application/json';
        return envelope.problem(c, { kind: 'unsupported_media_type', expected });
      }
      if (error.status === 413) return envelope.problem(c, { kind: 'too_large', limitBytes: options.bodyLimitBytes });
      // The validators throw 400 for a body that does not parse (malformed JSON or form data).
      if (error.status === 400) return envelope.problem(c, { kind: 'malformed_body', message: error.message });
    }
    const where = { request_id: c.get('requestId'), method: c.req.method, path: c.req.path };
    if (options.unavailable?.(error)) {
      logger.log('warn', 'database unavailable', { ...where, ...errorFields(error.cause) });
      return envelope.problem(c, { kind: 'unavailable', retryAfterSeconds: unavailableRetryAfterSeconds });
    }
    logger.log('error', 'unhandled error', { ...where, ...errorFields(error) });
    return envelope.problem(c, { kind: 'internal' });
  });
  return app;
}

const prefixedSegmentIn = (path: string) => path.split('/').some((segment) => prefixedSegment.test(segment));

/** Error details worth logging: the message and stack, never the request that caused it. */
export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { error: { name: error.name, message: error.message, stack: error.stack } };
  return { error: { message: String(error) } };
}

/**
 * Hono's bodyLimit, without its cost on the usual request. A body announced by Content-Length alone is judged by
 * that number, and a GET or HEAD without either header has none, so the request stays node-server's lightweight
 * one and the validator reads its body straight from the socket. (bodyLimit asks for `req.raw.body` first, which builds a web Request and a web stream for every request:
 * about 6 % of the biller's CPU on fetchBills.) Anything else, a chunked body above all, goes through bodyLimit,
 * which counts the bytes as they arrive.
 */
function sizeLimit(maxSize: number, onError: (c: Context) => Response): MiddlewareHandler {
  const counting = bodyLimit({ maxSize, onError });
  return async (c, next) => {
    if (c.req.header('transfer-encoding') === undefined) {
      const length = c.req.header('content-length');
      if (length !== undefined) {
        if (Number.parseInt(length, 10) > maxSize) return onError(c);
        await next();
        return;
      }
      // Neither header: over HTTP no body at all (RFC 9112 §6.3); in process, a GET or HEAD cannot carry one.
      if (c.req.method === 'GET' || c.req.method === 'HEAD') {
        await next();
        return;
      }
    }
    return counting(c, next);
  };
}

function requestMediaTypes(routes: RouteConfig[]): string[] {
  return routes.flatMap((route) => Object.keys(route.request?.body?.content ?? {}));
}

/**
 * Refuses a body sent as anything but a media type the operation declares. Hono's validators would parse some
 * undeclared types anyway (its form validator reads multipart too). A required body sent without one is refused by
 * the validator itself (415, through onError).
 */
function mediaTypeGuard(routes: RouteConfig[], envelope: Envelope<never>): MiddlewareHandler {
  const declared = requestMediaTypes(routes);
  return async (c, next) => {
    const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type && declared.length > 0 && !declared.includes(type)) {
      return envelope.problem(c, { kind: 'unsupported_media_type', expected: declared.join(' or ') });
    }
    await next();
  };
}
