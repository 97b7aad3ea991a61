// The EBPP MPA contract's error envelope, `{errors: [{code, message, field}]}`, for every 4xx and 5xx of its
// operations: the handlers' refusals and the problems the framework meets alike.

import type { Envelope } from '@bbps-kit/contract-app';
import { apiKeyHeaders, type EbppMpa } from '@bbps-kit/contracts';
import type { FieldProblem } from '@bbps-kit/contracts/issues';
import { securitySchemes } from '@bbps-kit/contracts/rules/ebpp-mpa';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { describeProblem, type Problem, type ProblemKind, problemHeaders, problemStatus } from '../errors/problems.ts';

export type EbppErrorCode = EbppMpa.components['schemas']['ErrorCode'];
export type EbppError = EbppMpa.components['schemas']['Error'];
export type EbppErrorBody = EbppMpa.components['schemas']['ErrorResponse'];

const errorOf = (code: EbppErrorCode, message: string, field: string | undefined): EbppError => ({
  code,
  message,
  ...(field ? { field } : {}),
});

/** A refusal by a handler: `fail(c, 422, 'error_account_closed', 'Account status closed', 'customer_account…')`. */
export const fail = <S extends ContentfulStatusCode>(
  c: Context,
  status: S,
  code: EbppErrorCode,
  message: string,
  field?: string,
) => c.json({ errors: [errorOf(code, message, field)] } satisfies EbppErrorBody, status);

// The EBPP contract declares 400, 401, 403, 404, 409, 422, 500 and 503 only: a bad media type or an oversize body
// is a 400 error_field there, so every answer stays inside the contract. 405 has no operation to break.
const statusOf: Record<ProblemKind, ContentfulStatusCode> = {
  ...problemStatus,
  unsupported_media_type: 400,
  too_large: 400,
};

// EBPP sends two keys: a 401 says which one was wrong, in words and in `field`.
const keys = apiKeyHeaders(securitySchemes);
const keyProblem: Record<string, string> = {
  [keys.clientKey]: `${keys.clientKey} is missing or unknown`,
  [keys.apiKey]: `${keys.apiKey} is missing or does not match the key configured for this client`,
};

/** EBPP's words for a problem: which of its two keys was wrong, or the wording every contract shares. */
function describe(problem: Problem, c: Context): FieldProblem {
  if (problem.kind === 'unauthorized') {
    const message = keyProblem[problem.header];
    if (message) return { field: problem.header, message };
  }
  return describeProblem(problem, c.req.method, c.req.path);
}

/** EBPP reports every bad field at once (at most 20), so its operators can fix a posting in one go. */
export const ebppEnvelope: Envelope = {
  problem(c, problem) {
    const status = statusOf[problem.kind];
    const headers = problemHeaders(problem);
    if (problem.kind === 'invalid' && problem.fields.length > 0) {
      const errors = problem.fields.slice(0, 20).map(({ field, message }) => errorOf('error_field', message, field));
      return c.json({ errors } satisfies EbppErrorBody, status, headers);
    }
    const { field, message } = describe(problem, c);
    return c.json({ errors: [errorOf('error_field', message, field)] } satisfies EbppErrorBody, status, headers);
  },
};
