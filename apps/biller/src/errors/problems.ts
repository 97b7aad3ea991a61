// Problems any operation can hit before, or instead of, its handler's own answer: named once here, with the sentence
// that explains each, and rendered by each contract's envelope (kaleidofin/envelope.ts, ebpp/envelope.ts) or, for
// paths no contract owns, by the neutral one in app.ts.
import type { Problem } from '@bbps-kit/contract-app';
import type { FieldProblem } from '@bbps-kit/contracts/issues';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** One list of problems for every contract's sub-app (its own `Problem`, so that the two can never differ). */
export type { Problem } from '@bbps-kit/contract-app';

export type ProblemKind = Problem['kind'];

/** The HTTP status of each problem, where a contract declares them all (an envelope may override some). */
export const problemStatus: Record<ProblemKind, ContentfulStatusCode> = {
  invalid: 400,
  malformed_body: 400,
  unsupported_media_type: 415,
  too_large: 413,
  not_found: 404,
  method_not_allowed: 405,
  unauthorized: 401,
  unavailable: 503,
  internal: 500,
};

/** The problem in words, with the field (or header) it is about when there is one. */
export function describeProblem(problem: Problem, method: string, path: string): FieldProblem {
  switch (problem.kind) {
    case 'invalid':
      return problem.fields[0] ?? { field: undefined, message: 'body is invalid' };
    case 'malformed_body':
      return { field: undefined, message: problem.message };
    case 'unsupported_media_type':
      return { message: `Content-Type must be ${problem.expected}`, field: 'content-type' };
    case 'too_large':
      return { field: undefined, message: `Request body is too large (limit ${problem.limitBytes} bytes)` };
    case 'not_found':
      return { field: undefined, message: `No route ${clip(method)} ${clip(path)}` };
    case 'method_not_allowed':
      return {
        field: undefined,
        message: `Method ${clip(method)} is not allowed on ${clip(path)}; use ${problem.allowed}`,
      };
    case 'unauthorized':
      return { field: undefined, message: `Missing or invalid ${problem.header} header` };
    case 'unavailable':
      return {
        field: undefined,
        message: 'The biller cannot reach its ledger right now; retry the same request later',
      };
    case 'internal':
      return { field: undefined, message: 'Internal error; retry with the same request' };
  }
}

/** Both envelopes cap a message at 500 characters; a caller's path or method can be longer. */
function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Headers that go with a problem, whatever the envelope. */
export function problemHeaders(problem: Problem): Record<string, string> {
  if (problem.kind === 'method_not_allowed') return { allow: problem.allowed };
  if (problem.kind === 'unavailable') return { 'retry-after': String(problem.retryAfterSeconds) };
  return {};
}
