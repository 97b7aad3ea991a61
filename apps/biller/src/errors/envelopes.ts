// Which contract owns a path, and each contract's error envelope. Every 4xx/5xx the server sends, the
// framework's included, is built here, so an error can never leave in the wrong shape.
import type { EbppMpa, KaleidofinPartner } from '@bbps-kit/contracts';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type ContractName = 'kaleidofin' | 'ebpp' | 'neutral';

export const kaleidofinPaths = ['/bills/fetchBills', '/bills/fetchReceipt'] as const;
export const ebppPaths = [
  '/mpacustomers',
  '/paymentposting',
  '/paymentreversalposting',
  '/paymentrefundposting',
] as const;

const under = (path: string, root: string) => path === root || path.startsWith(`${root}/`);

/** Kaleidofin owns `/bills/...`, EBPP its four paths (and anything below them); the rest is neutral. */
export function contractOf(path: string): ContractName {
  if (under(path, '/bills')) return 'kaleidofin';
  if (ebppPaths.some((root) => under(path, root))) return 'ebpp';
  return 'neutral';
}

export type KaleidofinErrorCode = KaleidofinPartner.components['schemas']['ErrorCode'];
export type KaleidofinErrorBody = KaleidofinPartner.components['schemas']['ErrorResponse'];
export type EbppErrorCode = EbppMpa.components['schemas']['ErrorCode'];
export type EbppError = EbppMpa.components['schemas']['Error'];
export type EbppErrorBody = EbppMpa.components['schemas']['ErrorResponse'];

/** The contract's envelope: `status` repeats the HTTP status, as the Kaleidofin spec says. */
export function kaleidofinErrorBody(
  status: number,
  code: KaleidofinErrorCode,
  message: string,
  field?: string,
): KaleidofinErrorBody {
  return { success: false, status, error: { code, message, ...(field ? { field } : {}) } };
}

export function ebppErrorBody(errors: EbppError[]): EbppErrorBody {
  return { errors };
}

/**
 * The envelope for paths neither contract owns (unknown routes, /healthz failures):
 * `{"error": {"code": "NOT_FOUND", "message": "..."}}`, documented in the README.
 */
export interface NeutralErrorBody {
  error: { code: string; message: string };
}

/** Problems any route can hit before its handler runs, named once and rendered per contract. */
export type Problem =
  | { kind: 'malformed_body'; message: string }
  | { kind: 'unsupported_media_type'; expected: string }
  | { kind: 'too_large'; limitBytes: number }
  | { kind: 'not_found' }
  | { kind: 'method_not_allowed'; allowed: string }
  | { kind: 'unauthorized'; header: string }
  /** The database cannot be reached: nothing was applied, and the same request may be sent again. */
  | { kind: 'unavailable'; retryAfterSeconds: number }
  | { kind: 'internal' };

export function problemResponse(c: Context, problem: Problem): Response {
  const path = c.req.path;
  const contract = contractOf(path);
  const described = describe(problem, c.req.method, path);
  if (problem.kind === 'method_not_allowed') c.header('allow', problem.allowed);
  if (problem.kind === 'unavailable') c.header('retry-after', String(problem.retryAfterSeconds));
  if (contract === 'kaleidofin') {
    const { status, code } = kaleidofinStatus[problem.kind];
    return c.json(kaleidofinErrorBody(status, code, described.message, described.field), status);
  }
  if (contract === 'ebpp') {
    const status = ebppStatus[problem.kind];
    const error: EbppError = { code: 'error_field', message: described.message };
    if (described.field) error.field = described.field;
    return c.json(ebppErrorBody([error]), status);
  }
  const { status, code } = neutralStatus[problem.kind];
  return c.json({ error: { code, message: described.message } } satisfies NeutralErrorBody, status);
}

function describe(problem: Problem, method: string, path: string): { message: string; field?: string } {
  switch (problem.kind) {
    case 'malformed_body':
      return { message: problem.message };
    case 'unsupported_media_type':
      return { message: `Content-Type must be ${problem.expected}`, field: 'content-type' };
    case 'too_large':
      return { message: `Request body is too large (limit ${problem.limitBytes} bytes)` };
    case 'not_found':
      return { message: `No route ${clip(method)} ${clip(path)}` };
    case 'method_not_allowed':
      return { message: `Method ${clip(method)} is not allowed on ${path}; use ${problem.allowed}` };
    case 'unauthorized':
      return problem.header === 'x-api-key'
        ? { message: 'Missing or invalid x-api-key header' }
        : problem.header === 'client-key'
          ? { message: 'client-key is missing or unknown', field: 'client-key' }
          : { message: 'api-key is missing or does not match the key configured for this client', field: 'api-key' };
    case 'unavailable':
      return { message: 'The biller cannot reach its ledger right now; retry the same request later' };
    case 'internal':
      return { message: 'Internal error; retry with the same request' };
  }
}

/** Both envelopes cap a message at 500 characters; a caller's path or method can be longer. */
function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

type Kind = Problem['kind'];

const kaleidofinStatus: Record<Kind, { status: ContentfulStatusCode; code: KaleidofinErrorCode }> = {
  malformed_body: { status: 400, code: 'INVALID_REQUEST' },
  unsupported_media_type: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  too_large: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  not_found: { status: 404, code: 'NOT_FOUND' },
  method_not_allowed: { status: 405, code: 'METHOD_NOT_ALLOWED' },
  unauthorized: { status: 401, code: 'UNAUTHORIZED' },
  unavailable: { status: 503, code: 'SERVICE_UNAVAILABLE' },
  internal: { status: 500, code: 'INTERNAL_ERROR' },
};

// The EBPP contract declares 400, 401, 403, 404, 409, 422, 500 and 503 only: a bad media type or an oversize body
// is a 400 error_field there, so every answer stays inside the contract. 405 has no operation to break.
const ebppStatus: Record<Kind, ContentfulStatusCode> = {
  malformed_body: 400,
  unsupported_media_type: 400,
  too_large: 400,
  not_found: 404,
  method_not_allowed: 405,
  unauthorized: 401,
  unavailable: 503,
  internal: 500,
};

const neutralStatus: Record<Kind, { status: ContentfulStatusCode; code: string }> = {
  malformed_body: { status: 400, code: 'BAD_REQUEST' },
  unsupported_media_type: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  too_large: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  not_found: { status: 404, code: 'NOT_FOUND' },
  method_not_allowed: { status: 405, code: 'METHOD_NOT_ALLOWED' },
  unauthorized: { status: 401, code: 'UNAUTHORIZED' },
  unavailable: { status: 503, code: 'SERVICE_UNAVAILABLE' },
  internal: { status: 500, code: 'INTERNAL_ERROR' },
};
