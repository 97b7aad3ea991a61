import { describe, expect, it } from 'vitest';
import {
  type AnyBbpsClientError,
  BbpsClientError,
  HttpError,
  isBbpsClientError,
  NetworkError,
  OutcomeUnknownError,
  PendingTimeoutError,
  TimeoutError,
} from '../src/errors.ts';

interface EkoEnvelope {
  status: number;
  message: string;
  response_type_id: number;
}

describe('errors', () => {
  const where = { method: 'POST', url: 'https://eko.test/paybill' };
  const timeout = new TimeoutError({ ...where, timeoutMs: 30_000, attempts: 1 });
  const all: AnyBbpsClientError[] = [
    new HttpError<EkoEnvelope>({
      status: 400,
      body: '{"status":208}',
      envelope: { status: 208, message: 'amount mismatch', response_type_id: 208 },
      ...where,
    }),
    timeout,
    new NetworkError({ ...where, attempts: 3, cause: new TypeError('fetch failed') }),
    new OutcomeUnknownError({ ...where, reason: 'timeout', cause: timeout }),
    new PendingTimeoutError({ lastValue: { tx_status: '2' }, checks: 5, elapsedMs: 60_000 }),
  ];

  it('all extend BbpsClientError and Error, with distinct kinds and names', () => {
    for (const error of all) {
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(BbpsClientError);
      expect(isBbpsClientError(error)).toBe(true);
      expect(error.name).toBe(error.constructor.name);
    }
    expect(all.map((e) => e.kind)).toEqual(['http', 'timeout', 'network', 'outcome-unknown', 'pending-timeout']);
    expect(isBbpsClientError(new Error('x'))).toBe(false);
  });

  it('narrow on kind', () => {
    const describe = (error: AnyBbpsClientError): string => {
      switch (error.kind) {
        case 'http':
          return `refused ${error.status}`;
        case 'outcome-unknown':
          return `unknown ${error.reason}`;
        case 'timeout':
          return `timeout ${error.timeoutMs}`;
        case 'network':
          return `network ${error.attempts}`;
        case 'pending-timeout':
          return `pending ${error.checks}`;
      }
    };
    expect(all.map(describe)).toEqual(['refused 400', 'timeout 30000', 'network 3', 'unknown timeout', 'pending 5']);
  });

  it('HttpError keeps the status, the raw body and the parsed envelope', () => {
    const error = all[0] as HttpError<EkoEnvelope>;
    expect(error.status).toBe(400);
    expect(error.body).toBe('{"status":208}');
    expect(error.envelope?.message).toBe('amount mismatch');
    expect(error.message).toBe('POST https://eko.test/paybill answered HTTP 400');
    expect(new HttpError({ status: 502 }).message).toBe('request answered HTTP 502');
  });

  it('OutcomeUnknownError tells the reader what to do and keeps its cause', () => {
    const error = all[3] as OutcomeUnknownError;
    expect(error.message).toContain('outcome unknown');
    expect(error.message).toContain('inquire, do not re-send');
    expect(error.cause).toBe(timeout);
    expect(error.method).toBe('POST');
    expect(error.url).toBe('https://eko.test/paybill');
  });

  it('PendingTimeoutError carries the last value', () => {
    expect((all[4] as PendingTimeoutError<{ tx_status: string }>).lastValue).toEqual({ tx_status: '2' });
  });
});
