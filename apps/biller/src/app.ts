// Builds the HTTP application: both contracts' routes on one ledger, plus health, logging and the error
// handling that keeps every answer inside the envelope of the contract whose path was called.
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { keyChecker } from './auth.ts';
import type { Config } from './config.ts';
import type { Db } from './db/db.ts';
import { DatabaseUnavailableError } from './db/unavailable.ts';
import { docsRoutes } from './docs.ts';
import { ebppRoutes } from './ebpp/routes.ts';
import { ebppPaths, kaleidofinPaths, problemResponse } from './errors/envelopes.ts';
import { kaleidofinRoutes } from './kaleidofin/routes.ts';
import { errorFields, type Logger, type RequestIdVariables, requestLogger } from './logging.ts';

/** Bodies of both contracts are a few kilobytes; anything near this limit is a mistake or an attack. */
export const bodyLimitBytes = 64 * 1024;

/** What a 503 asks callers to wait before repeating the request. */
const unavailableRetryAfterSeconds = 2;

export interface AppOptions {
  db: Db;
  config: Pick<Config, 'kaleidofinApiKeys' | 'ebppClientKey' | 'ebppApiKeys'>;
  logger: Logger;
  /** The built docs portal served at /docs (default: specs/dist). */
  portalDir?: string;
}

const operationPaths = new Set<string>([...kaleidofinPaths, ...ebppPaths]);

export function buildApp({
  db,
  config,
  logger,
  portalDir,
}: AppOptions): OpenAPIHono<{ Variables: RequestIdVariables }> {
  const app = new OpenAPIHono<{ Variables: RequestIdVariables }>();
  app.use('*', requestLogger(logger));
  app.use(
    '*',
    bodyLimit({
      maxSize: bodyLimitBytes,
      onError: (c) => {
        // The rest of the body is never read: node-server drains it for at most 500 ms, then destroys the
        // socket. Announcing keep-alive here let clients reuse that socket and lose their next request.
        c.header('connection', 'close');
        return problemResponse(c, { kind: 'too_large', limitBytes: bodyLimitBytes });
      },
    }),
  );

  app.get('/healthz', async (c) => {
    try {
      await withTimeout(db.query('SELECT 1'), 2000);
      return c.json({ status: 'ok' }, 200);
    } catch (error) {
      logger.log('warn', 'health check failed', errorFields(error));
      return c.json({ status: 'unavailable' }, 503);
    }
  });

  app.route('/', docsRoutes(portalDir));
  app.route('/', kaleidofinRoutes(db, keyChecker(config.kaleidofinApiKeys)));
  app.route(
    '/',
    ebppRoutes(db, { clientKey: keyChecker([config.ebppClientKey]), apiKey: keyChecker(config.ebppApiKeys) }),
  );

  app.notFound((c) =>
    operationPaths.has(c.req.path)
      ? problemResponse(c, { kind: 'method_not_allowed', allowed: 'POST' })
      : problemResponse(c, { kind: 'not_found' }),
  );

  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      if (error.status === 415) {
        const expected = c.req.path === '/mpacustomers' ? 'application/x-www-form-urlencoded' : 'application/json';
        return problemResponse(c, { kind: 'unsupported_media_type', expected });
      }
      if (error.status === 413) return problemResponse(c, { kind: 'too_large', limitBytes: bodyLimitBytes });
      // The validators throw 400 for a body that does not parse (malformed JSON or form data).
      if (error.status === 400) return problemResponse(c, { kind: 'malformed_body', message: error.message });
    }
    if (error instanceof DatabaseUnavailableError) {
      logger.log('warn', 'database unavailable', {
        request_id: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        ...errorFields(error.cause),
      });
      return problemResponse(c, { kind: 'unavailable', retryAfterSeconds: unavailableRetryAfterSeconds });
    }
    logger.log('error', 'unhandled error', {
      request_id: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      ...errorFields(error),
    });
    return problemResponse(c, { kind: 'internal' });
  });

  return app;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
