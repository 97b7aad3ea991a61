// Eko's error envelope, built in one place for every refusal of the Eko simulator: validation (400, with
// `invalid_params` naming each field), credentials (401), signature (403), unknown route (404), wrong method (405),
// oversize body (413), wrong media type (415) and Eko-side failure (500). The shapes follow the contract's own
// examples (ValidationError, MissingCredentials, StaleSignature, InternalError): `status` carries the error code,
// `response_status_id` is -1, and only validation errors have `response_type_id` -1. The problems are
// @bbps-kit/contract-app's, plus Eko's own 403.
import type { Envelope, Problem } from '@bbps-kit/contract-app';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** A signature that is wrong or stale (403): Eko's own problem, beyond contract-app's. */
export type EkoForbidden = { kind: 'forbidden'; message: string };
export type EkoProblem = Problem | EkoForbidden;

export interface EkoErrorBody {
  status: number;
  message: string;
  response_status_id: number;
  response_type_id?: number;
  invalid_params?: Record<string, string>;
}

const failure = (status: ContentfulStatusCode, message: string) => ({
  http: status,
  body: { status, message, response_status_id: -1 },
});

export function ekoErrorBody(problem: EkoProblem): { http: ContentfulStatusCode; body: EkoErrorBody } {
  switch (problem.kind) {
    case 'invalid':
    case 'malformed_body': {
      const fields =
        problem.kind === 'invalid' ? problem.fields : [{ field: 'body', message: 'body must be valid JSON' }];
      // Eko's `invalid_params` is `{field: message}`; the first problem of a field wins.
      const params: Record<string, string> = {};
      for (const { field, message } of fields) params[field ?? 'body'] ??= message;
      return {
        http: 400,
        body: {
          status: 1,
          message: `Please enter a valid ${Object.keys(params).join(', ')}`,
          response_status_id: -1,
          response_type_id: -1,
          invalid_params: params,
        },
      };
    }
    case 'unauthorized':
      return failure(401, problem.message ?? `Unauthorized. Missing or invalid ${problem.header}`);
    case 'forbidden':
      return failure(403, problem.message);
    case 'not_found':
      return failure(404, 'No such API. Check the method and path');
    case 'method_not_allowed':
      return failure(405, `Method not allowed here; allowed: ${problem.allowed}`);
    case 'too_large':
      return failure(413, `Request body larger than ${problem.limitBytes} bytes`);
    case 'unsupported_media_type':
      return failure(415, 'content-type must be application/json');
    // Eko declares no 503: a store the simulator lacks cannot be down, and anything else is its failure.
    case 'unavailable':
    case 'internal':
      return failure(500, 'Internal server error. Please try again later');
  }
}

export function ekoProblem(c: Context, problem: EkoProblem): Response {
  const { http, body } = ekoErrorBody(problem);
  if (problem.kind === 'method_not_allowed') c.header('allow', problem.allowed);
  return c.json(body, http);
}

export const ekoEnvelope: Envelope<EkoForbidden> = { problem: ekoProblem };
