// Structured logs: one JSON object per line on stdout. Request logs carry method, path, status, duration and
// request id, and nothing else from the request: no headers (API keys travel there), no query, no body.
import type { MiddlewareHandler } from 'hono';

// Error details worth logging (message and stack, never the request): one definition, shared with the contract apps.
export { errorFields } from '@bbps-kit/contract-app';

export type LogLevel = 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  log(level: LogLevel, msg: string, fields?: LogFields): void;
}

// BIGINT values (paise, ids) as digit strings. Without a replacer first: JSON.stringify with one is several times
// slower, and only a line that carries a bigint needs it (it throws a TypeError for one).
const bigintAsText = (_key: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);
function json(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return JSON.stringify(value, bigintAsText);
  }
}

/**
 * A logger. By default it writes to stdout in batches (see batchedLines); `write` takes each line instead (tests).
 */
export function createLogger(write?: (line: string) => void): Logger {
  const out = write ? (line: string) => write(line) : stdoutLines;
  return {
    log(level, msg, fields = {}) {
      out(json({ time: new Date().toISOString(), level, msg, ...fields }), level !== 'info');
    },
  };
}

/**
 * Lines written together once per turn of the event loop: a write per line (a system call each, as stdout on a file
 * or a pipe is synchronous) took 14 % of the biller's CPU under load. An urgent line (a warning or an error) is
 * written at once, with whatever is pending before it; so is everything pending when `flush` is called.
 */
export function batchedLines(write: (text: string) => void): {
  line(text: string, urgent: boolean): void;
  flush(): void;
} {
  let pending = '';
  const flush = () => {
    if (pending === '') return;
    const text = pending;
    pending = '';
    write(text);
  };
  return {
    line(text, urgent) {
      const first = pending === '';
      pending += `${text}\n`;
      if (urgent || pending.length >= 64 * 1024) flush();
      else if (first) setImmediate(flush);
    },
    flush,
  };
}

const stdout = batchedLines((text) => process.stdout.write(text));
process.on('exit', stdout.flush);
const stdoutLines = stdout.line;

/** Set by Hono's request-id middleware (app.ts) before the logger runs. */
export type RequestIdVariables = { requestId: string };

export function requestLogger(logger: Logger): MiddlewareHandler<{ Variables: RequestIdVariables }> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const requestId = c.get('requestId');
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
