// Kaleidofin collect's error envelope, built in one place for every refusal of the collect simulator:
// `{success: false, statusCode: "<HTTP status>", statusMessage}`, with `statusMessage` naming the offending field of
// an invalid request, as in the contract's examples (ErrorFetchCustomerBillsInvalidRequest, ErrorUnauthorized,
// ErrorBillNotFound, ErrorBillAlreadyPaid, ErrorInternal).
import type { Envelope, Problem } from '@bbps-kit/contract-app';
import type { KaleidofinCollect } from '@bbps-kit/contracts';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type CollectErrorBody = KaleidofinCollect.components['schemas']['ErrorResponse'];

/** A refusal of the operation itself: 404 unknown biller, customer or bill; 422 valid but refused. */
export type CollectRefusal = { kind: 'refused'; http: 400 | 404 | 422; message: string };
export type CollectProblem = Problem | CollectRefusal;

export function collectErrorBody(problem: CollectProblem): { http: ContentfulStatusCode; body: CollectErrorBody } {
  const answer = (http: ContentfulStatusCode, statusMessage: string) => ({
    http,
    body: { success: false as const, statusCode: String(http), statusMessage: statusMessage.slice(0, 500) },
  });
  switch (problem.kind) {
    case 'invalid':
      return answer(400, problem.fields.map(withPath).join('; ') || 'the request is invalid');
    case 'malformed_body':
      return answer(400, `body must be valid JSON (${problem.message})`);
    case 'unauthorized':
      return answer(401, `Missing or invalid ${problem.header} header`);
    case 'refused':
      return answer(problem.http, problem.message);
    case 'not_found':
      return answer(404, 'No such API; check the method and path');
    case 'method_not_allowed':
      return answer(405, `Method not allowed; use ${problem.allowed}`);
    case 'too_large':
      return answer(413, `Request body is too large (limit ${problem.limitBytes} bytes)`);
    case 'unsupported_media_type':
      return answer(415, `Content-Type must be ${problem.expected}`);
    case 'unavailable':
    case 'internal':
      return answer(500, 'Internal error; please retry');
  }
}

/** "identifierValue must not be empty" about `[1].identifierValue` reads "[1].identifierValue must not be empty". */
function withPath({ field, message }: { field: string | undefined; message: string }): string {
  const [name = '', ...rest] = message.split(' ');
  return field && field !== name && field.endsWith(name) ? [field, ...rest].join(' ') : message;
}

export function collectProblem(c: Context, problem: CollectProblem): Response {
  const { http, body } = collectErrorBody(problem);
  if (problem.kind === 'method_not_allowed') c.header('allow', problem.allowed);
  return c.json(body, http);
}

export const collectEnvelope: Envelope<CollectRefusal> = { problem: collectProblem };
