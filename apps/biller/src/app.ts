// Builds the HTTP application: each contract's sub-app (its routes, keys, limits and error envelope; see
// @bbps-kit/contract-app) on one ledger, plus request ids, request logs, metrics (when given), health and the docs
// portal, with `/` sending a newcomer to the portal. Other paths no contract owns answer in a neutral envelope.

import { type AppEnv, keyChecker, unavailableRetryAfterSeconds } from '@bbps-kit/contract-app';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { requestId } from 'hono/request-id';
import type { Config } from './config.ts';
import type { Db } from './db/db.ts';
import { DatabaseUnavailableError } from './db/unavailable.ts';
import { docsRoutes } from './docs.ts';
import { ebppApp } from './ebpp/app.ts';
import { describeProblem, type Problem, type ProblemKind, problemHeaders, problemStatus } from './errors/problems.ts';
import { kaleidofinApp } from './kaleidofin/app.ts';
import { errorFields, type Logger, requestLogger } from './logging.ts';
import type { Metrics, RequestTag } from './metrics.ts';

/** Bodies of both contracts are a few kilobytes; anything near this limit is a mistake or an attack. */
export const bodyLimitBytes = 64 * 1024;

export interface AppOptions {
  db: Db;
  config: Pick<Config, 'kaleidofinApiKeys' | 'ebppClientKey' | 'ebppApiKeys'>;
  logger: Logger;
  /** The built docs portal served at /docs (default: specs/dist). */
  portalDir?: string;
  /** Where requests, postings, refusals and database errors are counted; without it nothing is. */
  metrics?: Metrics | undefined;
}

/**
 * The envelope for paths neither contract owns (unknown routes, /healthz failures):
 * `{"error": {"code": "NOT_FOUND", "message": "..."}}`, documented in the README.
 */
export interface NeutralErrorBody {
  error: { code: string; message: string };
}

// The neutral envelope's codes; its statuses are the shared ones (problemStatus).
const neutralCode: Record<ProblemKind, string> = {
  invalid: 'BAD_REQUEST',
  malformed_body: 'BAD_REQUEST',
  unsupported_media_type: 'UNSUPPORTED_MEDIA_TYPE',
  too_large: 'PAYLOAD_TOO_LARGE',
  not_found: 'NOT_FOUND',
  method_not_allowed: 'METHOD_NOT_ALLOWED',
  unauthorized: 'UNAUTHORIZED',
  unavailable: 'SERVICE_UNAVAILABLE',
  internal: 'INTERNAL_ERROR',
};

function neutralProblem(c: Context, problem: Problem): Response {
  const { message } = describeProblem(problem, c.req.method, c.req.path);
  return c.json(
    { error: { code: neutralCode[problem.kind], message } } satisfies NeutralErrorBody,
    problemStatus[problem.kind],
    problemHeaders(problem),
  );
}

export function buildApp({ config, logger, portalDir, metrics, ...options }: AppOptions): OpenAPIHono<AppEnv> {
  const db = metrics ? metrics.instrumentDb(options.db) : options.db;
  const app = new OpenAPIHono<AppEnv>();
  // A caller's id is reused only when it looks like an id, so a log line cannot be stuffed with arbitrary text.
  app.use('*', requestId({ headerName: 'x-request-id', limitLength: 128 }));
  app.use('*', requestLogger(logger));
  if (metrics) {
    app.use('*', metrics.middleware);
    const tag = (paths: string[], value: RequestTag) => {
      for (const path of paths) {
        app.use(path, async (c, next) => {
          c.set('metricsTag', value);
          await next();
        });
      }
    };
    tag(['/healthz'], metrics.neutralTag('healthz'));
    tag(['/', '/docs', '/docs/*'], metrics.neutralTag('docs'));
  }

  // The newcomer's first request: the portal says what is here. 302, since / may one day answer something else.
  app.get('/', (c) => c.redirect('/docs/', 302));

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
  const shared = { db, bodyLimitBytes, logger, metrics };
  app.route('/', kaleidofinApp({ ...shared, checkKey: keyChecker(config.kaleidofinApiKeys) }));
  app.route(
    '/',
    ebppApp({
      ...shared,
      checks: { clientKey: keyChecker([config.ebppClientKey]), apiKey: keyChecker(config.ebppApiKeys) },
    }),
  );

  app.notFound((c) => neutralProblem(c, { kind: 'not_found' }));
  app.onError((error, c) => {
    if (error instanceof DatabaseUnavailableError) {
      return neutralProblem(c, { kind: 'unavailable', retryAfterSeconds: unavailableRetryAfterSeconds });
    }
    logger.log('error', 'unhandled error', {
      request_id: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      ...errorFields(error),
    });
    return neutralProblem(c, { kind: 'internal' });
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
