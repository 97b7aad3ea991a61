// One contract as a Hono sub-app, built from the contract's generated operations table (@bbps-kit/contracts
// /operations/<api>): a route per operation with its method, path, operationId, security, declared statuses and
// generated schemas, and a handler for each (a missing handler is a compile error). The sub-app owns everything
// that can go wrong on its paths, so each contract's envelope is built in one place: its key check, body limit,
// media types, validation errors, 404 below its paths, 405 on them, and its own onError. With metrics, it tags each
// request with its operation, for the request middleware in metrics.ts to count.

import { describeIssue } from '@bbps-kit/contracts/issues';
import { createRoute, OpenAPIHono, type RouteConfig, type RouteHandler } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { DatabaseUnavailableError } from './db/unavailable.ts';
import type { Problem } from './errors/problems.ts';
import { errorFields, type Logger, type RequestIdVariables } from './logging.ts';
import type { ContractMetrics, MetricsVariables, RequestTag } from './metrics.ts';

export type AppEnv = { Variables: RequestIdVariables & MetricsVariables };

/** Renders every problem in one contract's error envelope. */
export interface Envelope {
  problem(c: Context, problem: Problem): Response;
}

/** A handler per operation of `routes`, typed by its route: its validated input and its declared answers. */
export type Handlers<R extends Record<string, RouteConfig>> = { [K in keyof R]: RouteHandler<R[K], AppEnv> };

export interface ContractAppOptions<R extends Record<string, RouteConfig>> {
  routes: R;
  handlers: Handlers<R>;
  envelope: Envelope;
  /** The contract's credentials check: the problem to answer, or undefined to go on. */
  authenticate: (c: Context) => Problem | undefined;
  bodyLimitBytes: number;
  logger: Logger;
  /** Paths below which an unknown route is still this contract's (e.g. `/bills` for Kaleidofin). */
  namespaces?: readonly string[];
  /** The contract's metrics; without them nothing is tagged. */
  metrics?: ContractMetrics | undefined;
}

/** What a 503 asks callers to wait before repeating the request. */
export const unavailableRetryAfterSeconds = 2;

/** `{param}` in an OpenAPI path is `:param` in Hono's router. */
const honoPath = (path: string) => path.replaceAll(/\{([^}]+)\}/g, ':$1');

export function contractApp<R extends Record<string, RouteConfig>>(
  options: ContractAppOptions<R>,
): OpenAPIHono<AppEnv> {
  const { routes, handlers, authenticate, logger, metrics } = options;
  // A path below the contract that names none of its operations (404, 405) is still the contract's.
  const unknownOperation = metrics?.tag('none');
  const tagged = (c: Context, tag: RequestTag | undefined) => {
    if (tag && !c.get('metricsTag')) c.set('metricsTag', tag);
  };
  const envelope: Envelope = {
    problem(c, problem) {
      tagged(c, unknownOperation);
      return options.envelope.problem(c, problem);
    },
  };
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      // The validator hands the hook the value it received as `data` on failure too (not in the hook's type).
      const received = (result as { data?: unknown }).data;
      const fields = result.error.issues.map((issue) => describeIssue(issue, received));
      return envelope.problem(c, { kind: 'invalid', fields });
    },
  });

  // The routes table is keyed by operationId.
  const operationOf = new Map(Object.entries(routes).map(([operationId, route]) => [route, operationId]));
  // Operations by their path in Hono's form (what c.req.routePath gives).
  const byPath = new Map<string, RouteConfig[]>();
  for (const route of Object.values(routes)) {
    const at = honoPath(route.path);
    byPath.set(at, [...(byPath.get(at) ?? []), route]);
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
      bodyLimit({
        maxSize: options.bodyLimitBytes,
        onError: (c) => {
          // The rest of the body is never read: node-server drains it for at most 500 ms, then destroys the
          // socket. Announcing keep-alive here let clients reuse that socket and lose their next request.
          c.header('connection', 'close');
          return envelope.problem(c, { kind: 'too_large', limitBytes: options.bodyLimitBytes });
        },
      }),
    );
    app.use(at, async (c, next) => {
      const problem = authenticate(c);
      if (problem) return envelope.problem(c, problem);
      await next();
    });
    app.use(at, mediaTypeGuard(pathRoutes, envelope));
  }
  for (const [operationId, route] of Object.entries(routes)) {
    // Typed per operation where the handlers are written (Handlers<R>); here they are only passed on.
    const handler = handlers[operationId as keyof R] as unknown as RouteHandler<RouteConfig, AppEnv>;
    app.openapi(createRoute(route), handler);
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
    if (error instanceof DatabaseUnavailableError) {
      logger.log('warn', 'database unavailable', { ...where, ...errorFields(error.cause) });
      return envelope.problem(c, { kind: 'unavailable', retryAfterSeconds: unavailableRetryAfterSeconds });
    }
    logger.log('error', 'unhandled error', { ...where, ...errorFields(error) });
    return envelope.problem(c, { kind: 'internal' });
  });
  return app;
}

function requestMediaTypes(routes: RouteConfig[]): string[] {
  return routes.flatMap((route) => Object.keys(route.request?.body?.content ?? {}));
}

/**
 * Refuses a body sent as anything but a media type the operation declares. Hono's validators would parse some
 * undeclared types anyway (its form validator reads multipart too).
 */
function mediaTypeGuard(routes: RouteConfig[], envelope: Envelope): MiddlewareHandler {
  const declared = requestMediaTypes(routes);
  return async (c, next) => {
    const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type && declared.length > 0 && !declared.includes(type)) {
      return envelope.problem(c, { kind: 'unsupported_media_type', expected: declared.join(' or ') });
    }
    await next();
  };
}
