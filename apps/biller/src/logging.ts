// Structured logs: one JSON object per line on stdout. Request logs carry method, path, status, duration and
// request id, and nothing else from the request: no headers (API keys travel there), no query, no body.
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

export type LogLevel = 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  log(level: LogLevel, msg: string, fields?: LogFields): void;
}

const json = (value: unknown) =>
  JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : (v as unknown)));

export function createLogger(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  return {
    log(level, msg, fields = {}) {
      write(json({ time: new Date().toISOString(), level, msg, ...fields }));
    },
  };
}

/** Error details worth logging: the message and stack, never the request that caused it. */
export function errorFields(error: unknown): LogFields {
  if (error instanceof Error) return { error: { name: error.name, message: error.message, stack: error.stack } };
  return { error: { message: String(error) } };
}

export type RequestIdVariables = { requestId: string };

// A caller's id is reused only when it looks like an id, so the log line cannot be stuffed with arbitrary text.
const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestLogger(logger: Logger): MiddlewareHandler<{ Variables: RequestIdVariables }> {
  return async (c, next) => {
    const started = performance.now();
    const given = c.req.header('x-request-id');
    const requestId = given && requestIdPattern.test(given) ? given : randomUUID();
    c.set('requestId', requestId);
    // Set before the handler, so it is part of the response the handler builds: setting a header on a finished
    // response makes Hono copy it, and node-server then streams the copy instead of writing it in one go.
    c.header('x-request-id', requestId);
    await next();
    // A handler that returned its own Response (not built on the context) still gets the id.
    if (!c.res.headers.has('x-request-id')) c.header('x-request-id', requestId);
    const status = c.res.status;
    logger.log(status >= 500 ? 'error' : 'info', 'request', {
      method: c.req.method,
      path: c.req.path,
      status,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
      request_id: requestId,
    });
  };
}
