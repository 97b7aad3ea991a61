// The Kaleidofin partner contract's error envelope, `{success: false, status, error: {code, message, field}}`, for
// every 4xx and 5xx of its operations: the handlers' refusals and the problems the framework meets alike.

import type { Envelope } from '@bbps-kit/contract-app';
import type { KaleidofinPartner } from '@bbps-kit/contracts';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { describeProblem, type ProblemKind, problemHeaders, problemStatus } from '../errors/problems.ts';

export type KaleidofinErrorCode = KaleidofinPartner.components['schemas']['ErrorCode'];
export type KaleidofinErrorBody = KaleidofinPartner.components['schemas']['ErrorResponse'];

/** The contract's envelope: `status` repeats the HTTP status, as the Kaleidofin spec says. */
export function kaleidofinErrorBody(
  status: number,
  code: KaleidofinErrorCode,
  message: string,
  field?: string,
): KaleidofinErrorBody {
  return { success: false, status, error: { code, message, ...(field ? { field } : {}) } };
}

/** A refusal by a handler: `fail(c, 404, 'BILL_NOT_FOUND', 'No bill …', 'partnerBillId')`. */
export const fail = <S extends ContentfulStatusCode>(
  c: Context,
  status: S,
  code: KaleidofinErrorCode,
  message: string,
  field?: string,
) => c.json(kaleidofinErrorBody(status, code, message, field), status);

const codeOf: Record<ProblemKind, KaleidofinErrorCode> = {
  invalid: 'INVALID_REQUEST',
  malformed_body: 'INVALID_REQUEST',
  unsupported_media_type: 'UNSUPPORTED_MEDIA_TYPE',
  too_large: 'PAYLOAD_TOO_LARGE',
  not_found: 'NOT_FOUND',
  method_not_allowed: 'METHOD_NOT_ALLOWED',
  unauthorized: 'UNAUTHORIZED',
  unavailable: 'SERVICE_UNAVAILABLE',
  internal: 'INTERNAL_ERROR',
};

/** Kaleidofin's envelope holds one error: the first field that was wrong. */
export const kaleidofinEnvelope: Envelope = {
  problem(c, problem) {
    const status = problemStatus[problem.kind];
    const code = codeOf[problem.kind];
    const { field, message } = describeProblem(problem, c.req.method, c.req.path);
    return c.json(kaleidofinErrorBody(status, code, message, field), status, problemHeaders(problem));
  },
};
