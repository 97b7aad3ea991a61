// Eko's error envelope, built in one place for every refusal of the Eko simulator: validation (400, with
// `invalid_params` naming each field), credentials (401), signature (403), unknown route (404), wrong method (405),
// oversize body (413), wrong media type (415) and Eko-side failure (500). The shapes follow the contract's own
// examples (ValidationError, MissingCredentials, StaleSignature, InternalError): `status` carries the error code,
// `response_status_id` is -1, and only validation errors have `response_type_id` -1.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type EkoProblem =
  | { kind: 'invalid'; fields: Record<string, string> }
  | { kind: 'unauthorized'; message: string }
  | { kind: 'forbidden'; message: string }
  | { kind: 'not_found' }
  | { kind: 'method_not_allowed'; allowed: string }
  | { kind: 'too_large'; limitBytes: number }
  | { kind: 'unsupported_media_type' }
  | { kind: 'internal'; message?: string };

export interface EkoErrorBody {
  status: number;
  message: string;
  response_status_id: number;
  response_type_id?: number;
  invalid_params?: Record<string, string>;
}

export function ekoErrorBody(problem: EkoProblem): { http: ContentfulStatusCode; body: EkoErrorBody } {
  switch (problem.kind) {
    case 'invalid': {
      return {
        http: 400,
        body: {
          status: 1,
          message: `Please enter a valid ${Object.keys(problem.fields).join(', ')}`,
          response_status_id: -1,
          response_type_id: -1,
          invalid_params: problem.fields,
        },
      };
    }
    case 'unauthorized':
      return { http: 401, body: { status: 401, message: problem.message, response_status_id: -1 } };
    case 'forbidden':
      return { http: 403, body: { status: 403, message: problem.message, response_status_id: -1 } };
    case 'not_found':
      return {
        http: 404,
        body: { status: 404, message: 'No such API. Check the method and path', response_status_id: -1 },
      };
    case 'method_not_allowed':
      return {
        http: 405,
        body: { status: 405, message: `Method not allowed here; allowed: ${problem.allowed}`, response_status_id: -1 },
      };
    case 'too_large':
      return {
        http: 413,
        body: { status: 413, message: `Request body larger than ${problem.limitBytes} bytes`, response_status_id: -1 },
      };
    case 'unsupported_media_type':
      return {
        http: 415,
        body: { status: 415, message: 'content-type must be application/json', response_status_id: -1 },
      };
    case 'internal':
      return {
        http: 500,
        body: {
          status: 500,
          message: problem.message ?? 'Internal server error. Please try again later',
          response_status_id: -1,
        },
      };
  }
}

export function ekoProblem(c: Context, problem: EkoProblem): Response {
  const { http, body } = ekoErrorBody(problem);
  if (problem.kind === 'method_not_allowed') c.header('allow', problem.allowed);
  return c.json(body, http);
}
