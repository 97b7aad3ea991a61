// Digiledge's error envelope, built in one place for every refusal of the Digiledge simulator: the status block
// `genericResponse` with `status: failure`, `statusCode` equal to the HTTP status, a `message` naming the problem
// (for an invalid request, the first wrong field) and `remarks` (every wrong field), as in the contract's examples
// (ErrorInvalidRefId, ErrorUnauthorized, ErrorBillNotFound, ErrorDuplicateRefId, ErrorInternal).
import type { Envelope, Problem } from '@bbps-kit/contract-app';
import type { DigiledgeAgent } from '@bbps-kit/contracts';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export type DigiledgeErrorBody = DigiledgeAgent.components['schemas']['ErrorResponse'];

/** A refusal of the operation itself: 404 unknown id (polls), 422 valid but refused. */
export type DigiledgeRefusal = { kind: 'refused'; http: 404 | 422; message: string; remarks: string };
export type DigiledgeProblem = Problem | DigiledgeRefusal;

function body(http: ContentfulStatusCode, message: string, remarks: string): DigiledgeErrorBody {
  return { genericResponse: { statusCode: String(http), status: 'failure', message, remarks } };
}

export function digiledgeErrorBody(problem: DigiledgeProblem): {
  http: ContentfulStatusCode;
  body: DigiledgeErrorBody;
} {
  const answer = (http: ContentfulStatusCode, message: string, remarks = '') => ({
    http,
    body: body(http, message, remarks),
  });
  switch (problem.kind) {
    case 'invalid': {
      const [first] = problem.fields;
      const remarks = problem.fields.map(({ field, message }) => `${field ?? 'body'}: ${message}`).join('; ');
      return answer(400, `Invalid request: ${first?.message ?? 'the body is invalid'}`, remarks);
    }
    case 'malformed_body':
      return answer(400, 'Invalid request: the body is not valid JSON', `body: ${problem.message}`);
    case 'unauthorized':
      return answer(401, 'Unauthorized', `${problem.header} header missing or not valid for this tenant`);
    case 'refused':
      return answer(problem.http, problem.message, problem.remarks);
    case 'not_found':
      return answer(404, 'Not found', 'No such API; check the method and path');
    case 'method_not_allowed':
      return answer(405, 'Method not allowed', `Use ${problem.allowed}`);
    case 'too_large':
      return answer(413, 'Request body too large', `At most ${problem.limitBytes} bytes`);
    case 'unsupported_media_type':
      return answer(415, 'Unsupported media type', `Content-Type must be ${problem.expected}`);
    case 'unavailable':
    case 'internal':
      return answer(500, 'Internal Server Error', 'Please retry the status poll; do not resend the payment');
  }
}

export function digiledgeProblem(c: Context, problem: DigiledgeProblem): Response {
  const { http, body } = digiledgeErrorBody(problem);
  if (problem.kind === 'method_not_allowed') c.header('allow', problem.allowed);
  return c.json(body, http);
}

export const digiledgeEnvelope: Envelope<DigiledgeRefusal> = { problem: digiledgeProblem };
