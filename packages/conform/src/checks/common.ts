// Checks both contracts share, derived from the operations table: credentials (each security header missing, then
// wrong), bad input per field (mutations of the request schema), malformed JSON and a wrong content type. Each
// operation is called with a harmless body the profile supplies (an unknown bill, an unknown account), so even a
// biller that wrongly accepts the request changes nothing.
import { apiKeyHeaders, type SecurityScheme } from '@bbps-kit/contracts';
import type { Contract } from '@bbps-kit/contracts/validator';
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

const wrongValue = 'conform-wrong-key-0000';

/**
 * `auth.missing` / `auth.wrong`: each credential header of each operation spoiled one at a time (`spoil` edits the
 * headers). The answer must be 401, valid against the operation's 401 schema (as every answer is, in ctx.call), and
 * name the header in its `field` exactly when that schema requires a `field` (see requiresField).
 */
function authCheck(
  profile: Profile,
  name: string,
  how: string,
  spoil: (headers: Record<string, string>, header: string) => void,
): Check {
  return {
    name,
    description: `Each credential header ${how}, on every operation: 401 in the contract envelope.`,
    async run(ctx) {
      let sent = 0;
      for (const op of profile.operations) {
        const fieldRequired = requiresField(ctx.contract, op.operationId, 401);
        for (const header of op.securityHeaders) {
          const headers: Record<string, string> = { ...ctx.credentials, 'content-type': op.mediaType };
          spoil(headers, header);
          const answer = await ctx.call(op.operationId, {
            path: op.path,
            headers,
            body: encodeBody(op, op.harmless()),
          });
          sent++;
          const what = `${op.operationId} with ${header} ${how}`;
          if (!ctx.expect(answer.status === 401, `${what}: expected 401, got ${answer.status}`, answer)) continue;
          if (fieldRequired) {
            const fields = profile.errorFields(answer.json);
            ctx.expect(
              fields.some((field) => fieldMatches(field, header)),
              `${what}: the 401 names ${fields.length ? fields.join(', ') : 'no field'}, not ${header} (the contract's 401 requires field)`,
              answer,
            );
          }
        }
      }
      return `${sent} requests answered 401`;
    },
  };
}

/**
 * Whether the operation's answer schema for `status` requires the error to carry `field`: true when an object
 * declaring `field` lists it as required and is reached from the envelope through required properties (and
 * non-empty arrays) only. Derived from the spec, so a contract that makes `field` mandatory is checked for it.
 */
export function requiresField(contract: Contract, operationId: string, status: number): boolean {
  const response = contract.resolve(contract.operation(operationId).operation.responses[String(status)]) as
    | { content?: Record<string, { schema?: unknown }> }
    | undefined;
  const walk = (node: unknown, depth: number): boolean => {
    const schema = contract.resolve(node) as SchemaNode | undefined;
    if (!schema || typeof schema !== 'object' || depth > 8) return false;
    if (schema.properties && 'field' in schema.properties) return schema.required?.includes('field') ?? false;
    if (schema.items !== undefined && (schema.minItems ?? 0) > 0 && walk(schema.items, depth + 1)) return true;
    return Object.entries(schema.properties ?? {}).some(
      ([key, child]) => (schema.required ?? []).includes(key) && walk(child, depth + 1),
    );
  };
  return walk(response?.content?.['application/json']?.schema, 0);
}

type SchemaNode = { properties?: Record<string, unknown>; required?: string[]; items?: unknown; minItems?: number };

/** What `idempotency.repost` and `idempotency.concurrent` need from a contract: one payment already applied, what
 * the biller holds for it (balances, outstanding bills), and how a correct answer to its repost looks. */
export interface Reposts<Payment, Holding> {
  /** The check's description for one copy and for `copies` at once. */
  describe(copies: number): string;
  aPayment(ctx: CheckContext): Promise<Payment>;
  resend(ctx: CheckContext, payment: Payment): Promise<Exchange>;
  /** Undefined when the answer is a correct answer to a repost; else what is wrong with it. */
  wrongAnswer(answer: Exchange, payment: Payment): string | undefined;
  holding(ctx: CheckContext, payment: Payment): Promise<Holding>;
  /** Undefined when nothing moved; else how it moved. */
  moved(before: Holding, after: Holding): string | undefined;
  /** The reason a passing check prints. */
  passed(payment: Payment, copies: number): string;
}

/** The payment sent again once, then `concurrent` copies at once: each a correct repost answer, nothing moved. */
export function repostChecks<Payment, Holding>(reposts: Reposts<Payment, Holding>, concurrent = 20): Check[] {
  const check = (name: string, copies: number): Check => ({
    name,
    description: reposts.describe(copies),
    async run(ctx) {
      const payment = await reposts.aPayment(ctx);
      const before = await reposts.holding(ctx, payment);
      const answers = await Promise.all(Array.from({ length: copies }, () => reposts.resend(ctx, payment)));
      for (const answer of answers) {
        const wrong = reposts.wrongAnswer(answer, payment);
        if (wrong) ctx.expect(false, `${copies > 1 ? 'a concurrent repost' : 'the repost'}: ${wrong}`, answer);
      }
      const moved = reposts.moved(before, await reposts.holding(ctx, payment));
      if (moved) ctx.expect(false, `the ${copies > 1 ? 'reposts' : 'repost'} moved ${moved}`);
      return reposts.passed(payment, copies);
    },
  });
  return [check('idempotency.repost', 1), check('idempotency.concurrent', concurrent)];
}

export function commonChecks(profile: Profile): Check[] {
  const checks: Check[] = [];
  checks.push(
    authCheck(profile, 'auth.missing', 'left out', (headers, header) => {
      delete headers[header];
    }),
    authCheck(profile, 'auth.wrong', 'with a wrong value', (headers, header) => {
      headers[header] = wrongValue;
    }),
  );
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
  const schemes = (ctxContract.document.components?.securitySchemes ?? {}) as Record<string, SecurityScheme>;
  const headers: Record<string, string> = apiKeyHeaders(schemes);
  return [...new Set(security.flatMap((requirement) => Object.keys(requirement)))].map(
    (scheme) => headers[scheme] ?? scheme,
  );
}
