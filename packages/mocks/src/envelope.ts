// The mock front's error answers, in each contract's own envelope. Nothing here knows a contract: the body is the
// operation's own example for that status (its codes, ids and constant texts kept as the spec prints them), with the
// parts that describe the problem filled in from what was actually wrong. Five envelopes use four kinds of slot:
// `field` (Kaleidofin partner, EBPP), `invalid_params` (Eko), `message`/`statusMessage` (all), `remarks`
// (Digiledge); an array of errors each naming a `field` (EBPP) gets one entry per problem; a `status`/`statusCode`
// equal to the example's HTTP status follows the status answered.
import type { FieldProblem } from '@bbps-kit/contracts/issues';
import { fieldPath } from '@bbps-kit/contracts/issues';
import type { Contract } from '@bbps-kit/contracts/validator';

/** One problem the front reports: the field (when there is one), the sentence, and Prism's own wording. */
export interface MockProblem extends FieldProblem {
  detail: string;
}

interface Violation {
  location?: (string | number)[];
  code?: string | number;
  message?: string;
}

/**
 * Prism's `sl-violations` header, as the request problems it lists (first problem of each field only). Prism
 * lowercases parameter names; `parameterNames` (the operation's) gives them back their spelling.
 */
export function requestProblems(
  header: string | null | undefined,
  parameterNames: readonly string[] = [],
): MockProblem[] {
  const spelling = new Map(parameterNames.map((name) => [name.toLowerCase(), name]));
  let violations: Violation[];
  try {
    violations = header ? (JSON.parse(header) as Violation[]) : [];
  } catch {
    return [];
  }
  const problems = new Map<string, MockProblem>();
  for (const v of Array.isArray(violations) ? violations : []) {
    if (v.location?.[0] !== 'request') continue;
    const detail = String(v.message ?? 'is invalid');
    if (v.code === 415 && !problems.has('content-type')) {
      problems.set('content-type', {
        field: 'content-type',
        message: `content-type is not accepted: ${detail}`,
        detail,
      });
    }
    if (typeof v.code === 'number') continue; // 401 (credentials: Prism answers the contract's 401 itself), 415
    // Prism locates a missing property at its parent and names it only in the message.
    const missing = v.code === 'required' ? detail.match(/required property '([^']+)'/)?.[1] : undefined;
    const path = [...v.location.slice(2), ...(missing ? [missing] : [])].map((part, index) => {
      if (typeof part === 'string' && /^\d+$/.test(part)) return Number(part);
      return index === 0 && v.location?.[1] !== 'body' ? (spelling.get(String(part).toLowerCase()) ?? part) : part;
    });
    const field = path.length > 0 ? fieldPath(path) : undefined;
    const key = field ?? '';
    if (problems.has(key)) continue;
    const how = missing ? 'is required' : (detail.match(/\b(must|should)\b.*$/)?.[0] ?? 'is invalid');
    problems.set(key, { field, message: `${field ?? v.location[1] ?? 'request'} ${how}`, detail });
  }
  return [...problems.values()];
}

type ResponseObject = { content?: Record<string, { example?: unknown; examples?: Record<string, unknown> }> };

export interface ErrorAnswer {
  status: number;
  contentType: string;
  body: unknown;
}

/**
 * The contract's error answer for `problems` at `status`, shaped like the example of the operation that
 * `method path` reaches (any operation of the contract when none does). It falls back to the 500 example,
 * and then the 400 one, when the contract declares no answer of that status (Eko has no 503).
 */
export function errorAnswer(
  contract: Contract,
  method: string,
  rawPath: string,
  status: number,
  problems: MockProblem[],
): ErrorAnswer | undefined {
  const operations = contract.operations();
  const reached = operationAt(contract, method, rawPath);
  for (const operation of reached ? [reached, ...operations] : operations) {
    for (const declared of [status, 500, 400]) {
      const example = firstExample(contract, operation.operation.responses[String(declared)]);
      if (example) {
        return { status, contentType: example.mediaType, body: fill(example.value, problems, declared, status) };
      }
    }
  }
  return undefined;
}

function firstExample(contract: Contract, reference: unknown): { mediaType: string; value: unknown } | undefined {
  const response = reference ? (contract.resolve(reference) as ResponseObject) : undefined;
  for (const [mediaType, media] of Object.entries(response?.content ?? {})) {
    const first = Object.values(media.examples ?? {})[0];
    const value = first ? (contract.resolve(first) as { value?: unknown }).value : media.example;
    if (value !== undefined) return { mediaType, value };
  }
  return undefined;
}

/**
 * The operation `method rawPath` reaches (the path as sent, escapes and all); of several, the one with the most
 * literal text (Eko's `client_ref_id:{clientRefId}` before `{tid}`).
 */
export function operationAt(contract: Contract, method: string, rawPath: string) {
  const literal = (template: string) => template.replace(/\{[^}]+\}/g, '').length;
  return contract
    .operations()
    .filter((op) => op.method === method.toLowerCase() && templateToRegExp(op.path).test(rawPath))
    .sort((a, b) => literal(b.path) - literal(a.path))[0];
}

function templateToRegExp(template: string): RegExp {
  const pattern = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function fill(value: unknown, problems: MockProblem[], exampleStatus: number, status: number): unknown {
  const first = problems[0];
  if (Array.isArray(value)) {
    const [item] = value;
    if (isObject(item) && 'field' in item && problems.length > 0) {
      return problems.slice(0, 20).map((problem) => fill(item, [problem], exampleStatus, status));
    }
    return value.map((entry) => fill(entry, problems, exampleStatus, status));
  }
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (key === 'field' && typeof entry === 'string') {
      if (first?.field) out[key] = first.field;
      else if (!first) out[key] = entry;
    } else if (key === 'invalid_params' && isObject(entry) && first) {
      out[key] = Object.fromEntries(problems.map((problem) => [problem.field ?? 'request', problem.message]));
    } else if ((key === 'message' || key === 'statusMessage') && typeof entry === 'string' && first) {
      out[key] = first.message;
    } else if (key === 'remarks' && typeof entry === 'string' && first) {
      out[key] = first.detail;
    } else if ((key === 'status' || key === 'statusCode') && String(entry) === String(exampleStatus)) {
      out[key] = typeof entry === 'number' ? status : String(status);
    } else {
      out[key] = fill(entry, problems, exampleStatus, status);
    }
  }
  return out;
}
