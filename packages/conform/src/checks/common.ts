// Checks both contracts share, derived from the operations table: credentials (each security header missing, then
// wrong), bad input per field (mutations of the request schema), malformed JSON and a wrong content type. Each
// operation is called with a harmless body the profile supplies (an unknown bill, an unknown account), so even a
// biller that wrongly accepts the request changes nothing.
import type { Check, CheckContext } from '../check.ts';
import type { Exchange } from '../http.ts';
import { deriveMutations } from '../mutations.ts';

export interface ProfileOperation {
  operationId: string;
  path: string;
  mediaType: 'application/json' | 'application/x-www-form-urlencoded';
  /** The header names its security requirement lists (from the contract's securitySchemes). */
  securityHeaders: string[];
  /** A valid request that changes nothing on a correct or an incorrect biller. */
  harmless(): unknown;
}

export interface Profile {
  operations: ProfileOperation[];
  /** The `field`s an error answer names (empty when none or not in the envelope). */
  errorFields(json: unknown): string[];
  /** The error codes an error answer carries. */
  errorCodes(json: unknown): string[];
}

export function encodeBody(op: ProfileOperation, body: unknown): string {
  if (op.mediaType === 'application/json') return JSON.stringify(body);
  return new URLSearchParams(body as Record<string, string>).toString();
}

export function fieldMatches(reported: string, expected: string): boolean {
  const under = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
  return under(reported, expected) || under(expected, reported);
}

function isClientError(exchange: Exchange): boolean {
  return exchange.status !== null && exchange.status >= 400 && exchange.status < 500;
}

export function commonChecks(profile: Profile): Check[] {
  const checks: Check[] = [];
  const wrongValue = 'conform-wrong-key-0000';
  checks.push({
    name: 'auth.missing',
    description: 'Each credential header left out, on every operation: 401 in the contract envelope.',
    async run(ctx) {
      let sent = 0;
      for (const op of profile.operations) {
        for (const header of op.securityHeaders) {
          const headers: Record<string, string> = { ...ctx.credentials, 'content-type': op.mediaType };
          delete headers[header];
          const answer = await ctx.call(op.operationId, {
            path: op.path,
            headers,
            body: encodeBody(op, op.harmless()),
          });
          sent++;
          ctx.expect(
            answer.status === 401,
            `${op.operationId} without ${header}: expected 401, got ${answer.status}`,
            answer,
          );
        }
      }
      return `${sent} requests answered 401`;
    },
  });
  checks.push({
    name: 'auth.wrong',
    description: 'Each credential header with a wrong value, on every operation: 401 in the contract envelope.',
    async run(ctx) {
      let sent = 0;
      for (const op of profile.operations) {
        for (const header of op.securityHeaders) {
          const headers = { ...ctx.credentials, 'content-type': op.mediaType, [header]: wrongValue };
          const answer = await ctx.call(op.operationId, {
            path: op.path,
            headers,
            body: encodeBody(op, op.harmless()),
          });
          sent++;
          ctx.expect(
            answer.status === 401,
            `${op.operationId} with a wrong ${header}: expected 401, got ${answer.status}`,
            answer,
          );
        }
      }
      return `${sent} requests answered 401`;
    },
  });
  for (const op of profile.operations) {
    checks.push({
      name: `input.fields.${op.operationId}`,
      description: `${op.operationId}: each field missing, of the wrong type, too long, breaking its pattern or enum (derived from the request schema): 4xx naming the field, never 5xx.`,
      async run(ctx) {
        const mutations = deriveMutations(ctx.contract, op.operationId, op.harmless(), {
          mediaType: op.mediaType,
          form: op.mediaType !== 'application/json',
        });
        if (mutations.length === 0) ctx.skip('the request schema yields no invalid mutation');
        for (const mutation of mutations) {
          const answer = await ctx.call(op.operationId, {
            path: op.path,
            contentType: op.mediaType,
            body: encodeBody(op, mutation.body),
          });
          const what = `${mutation.field} ${mutation.kind}`;
          if (!ctx.expect(isClientError(answer), `${what}: expected 4xx, got ${answer.status}`, answer)) continue;
          const fields = profile.errorFields(answer.json);
          ctx.expect(
            fields.some((field) => fieldMatches(field, mutation.field)),
            `${what}: the error names ${fields.length ? fields.join(', ') : 'no field'}, not ${mutation.field}`,
            answer,
          );
        }
        return `${mutations.length} bad inputs refused, each naming its field`;
      },
    });
  }
  checks.push({
    name: 'input.malformed-json',
    description: 'A body that is not JSON, on every JSON operation: 4xx in the contract envelope, never 5xx.',
    async run(ctx) {
      const ops = profile.operations.filter((op) => op.mediaType === 'application/json');
      if (ops.length === 0) ctx.skip('no JSON operation');
      for (const op of ops) {
        const answer = await ctx.call(op.operationId, { path: op.path, body: '{"conform": ' });
        ctx.expect(
          isClientError(answer),
          `${op.operationId}: malformed JSON answered ${answer.status}, expected 4xx`,
          answer,
        );
      }
      return `${ops.length} operations refused malformed JSON`;
    },
  });
  checks.push({
    name: 'input.content-type',
    description:
      'A body sent with a content type the operation does not declare: 4xx in the contract envelope, never 5xx.',
    async run(ctx) {
      for (const op of profile.operations) {
        const contentType = op.mediaType === 'application/json' ? 'text/plain' : 'application/xml';
        const answer = await ctx.call(op.operationId, {
          path: op.path,
          contentType,
          body: encodeBody(op, op.harmless()),
        });
        ctx.expect(
          isClientError(answer),
          `${op.operationId}: content-type ${contentType} answered ${answer.status}, expected 4xx`,
          answer,
        );
      }
      return `${profile.operations.length} operations refused a wrong content type`;
    },
  });
  return checks;
}

/** The header names the operation's security requirement lists, from the contract's securitySchemes. */
export function securityHeaders(
  ctxContract: CheckContext['contract'],
  security: readonly Record<string, readonly string[]>[],
): string[] {
  const schemes = (ctxContract.document.components?.securitySchemes ?? {}) as Record<string, { name?: string }>;
  return [...new Set(security.flatMap((requirement) => Object.keys(requirement)))].map(
    (scheme) => schemes[scheme]?.name ?? scheme,
  );
}
