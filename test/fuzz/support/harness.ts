// Sends fuzz requests to the biller (in-process through app.request, or over a socket through fetch) and
// judges every answer: never a 5xx; a status the operation declares (or the documented 404/405 for routes and
// methods it does not have); a body valid against the spec for that status, in the contract's own envelope;
// for an invalid request a 400 (or the documented framework status) naming the offending field; and for a
// single-field mutation, that the 400 names exactly the mutated field and says how it is wrong (`exactness`,
// with the one list of cases where another answer is legitimate, `notExactlyNamed`). What the biller is known
// to get wrong is listed once too (`knownBugs`): such a request is left out, counted and printed by name.
import { buildApp, createLogger, demoKeys, importBookCsv, openPglite, prepareDatabase } from '@bbps-kit/biller';
import { type ApiName, Contract } from '@bbps-kit/contracts/validator';
import { expect } from 'vitest';
import { type Expected, fieldOf, isPlainObject, type MutationKind, type Path } from './schema-arbitrary.ts';
import type { LedgerMemory, Target } from './targets.ts';

export type Expectation =
  /** A request the spec accepts: 2xx or one of the operation's business refusals. */
  | { kind: 'valid' }
  /**
   * A request the spec refuses: 400, naming `field` (when given) in the envelope's field. `by` says what
   * refused it: the schema, a limit of the platform (see `judge`), or a rule the spec states in prose.
   */
  | { kind: 'invalid'; field?: string; by?: 'schema' | 'platform' | 'prose' }
  /** What the framework answers (media type, size, route, method). */
  | { kind: 'framework'; statuses: number[]; field?: string };

export interface FuzzRequest {
  /** The class of input, for the summary. */
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array<ArrayBuffer>> | undefined;
  expect: Expectation;
  /** The operation whose path was called (undefined for unknown routes). */
  target?: Target | undefined;
  /** A single-field mutation whose 400 must name exactly this field and word the problem so. */
  exact?: Exact | undefined;
  /** Why a single-field mutation that made the body invalid is not held to `exact` (an entry of notExactlyNamed). */
  notExact?: string | undefined;
  /** Why the wording of an `exact` case is not checked (an entry of notExactlyNamed); the field still is. */
  wordingNotChecked?: string | undefined;
  /** The name of the entry of `knownBugs` this request would hit: it is then not sent. */
  knownBug?: string | undefined;
}

export interface Exact {
  kind: MutationKind;
  /** The mutated path, in the contracts' field notation. */
  field: string;
  /**
   * `required`: the field was removed; `type`: it arrived as another type; `value`: any other wrong value (not
   * "is required"); `unchecked`: a known wording bug (the field is still checked).
   */
  wording: 'required' | 'type' | 'value' | 'unchecked';
  expected: Expected;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

export type Send = (request: FuzzRequest) => Promise<Answer>;

const encoder = new TextEncoder();
export const bytes = (text: string) => encoder.encode(text);

/** The path Hono routes: dot segments resolved by the URL parser, then percent-decoded (not %2F, %25…). */
export function routedPath(path: string): string {
  const pathname = new URL(path, 'http://localhost').pathname;
  try {
    return decodeURI(pathname);
  } catch {
    return pathname;
  }
}

/** The biller's envelope for a path: Kaleidofin owns /bills/…, EBPP its four paths and below. */
export function contractOfPath(path: string): ApiName | undefined {
  const bare = routedPath(path);
  if (bare === '/bills' || bare.startsWith('/bills/')) return 'kaleidofin-partner';
  for (const root of ['/mpacustomers', '/paymentposting', '/paymentreversalposting', '/paymentrefundposting']) {
    if (bare === root || bare.startsWith(`${root}/`)) return 'ebpp-mpa';
  }
  return undefined;
}

export type Decoded = { ok: true; value: unknown } | { ok: false };

/** What the server makes of a body: undici's UTF-8 decoding (BOM dropped) then JSON.parse, as Hono does. */
export async function decodeJson(body: Uint8Array<ArrayBuffer>): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const text = await new Response(body).text();
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Hono's form validator: undici's form parser, then repeated keys (and `key[]`) become arrays. */
export async function decodeForm(
  body: Uint8Array<ArrayBuffer>,
  contentType: string,
): Promise<{ ok: true; value: unknown } | { ok: false }> {
  let data: FormData;
  try {
    data = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return { ok: false };
  }
  const form: Record<string, unknown> = Object.create(null);
  data.forEach((value, key) => {
    const current = form[key];
    if (key.endsWith('[]')) form[key] = [...((current as unknown[]) ?? []), value];
    else if (Array.isArray(current)) current.push(value);
    else if (Object.hasOwn(form, key)) form[key] = [current, value];
    else form[key] = value;
  });
  return { ok: true, value: { ...form } };
}

/**
 * The expectation for a body sent with the operation's own media type, decided by the spec's validator on
 * what the server will see (`decode`). `field` is where the generator changed the body, when it knows.
 */
export function judge(target: Target, decoded: Decoded, path?: Path): Expectation {
  if (!decoded.ok) return { kind: 'invalid' };
  const verdict = target.contract.requestBody(target.operationId, decoded.value, target.media);
  // `format` is an annotation in OpenAPI 3.1's default dialect (JSON Schema 2020-12), and the biller asserts
  // an email by the spec's own `pattern` only; the validator here also asserts `format: email`, which is
  // stricter than that pattern (the pattern's `+-/` is a range that admits `,`). Such a body is valid to the
  // biller. (`format: date` the biller does assert, and so it stays judged.)
  const errors = verdict.errors.filter((error) => !error.endsWith('must match format "email"'));
  if (errors.length > 0) {
    // A form drops what it cannot carry (an empty array is no field at all): then nothing is there to name.
    const carried =
      target.media === 'application/json' ||
      (path?.length && isPlainObject(decoded.value) && Object.hasOwn(decoded.value, String(path[0])));
    return path !== undefined && path.length > 0 && carried
      ? { kind: 'invalid', field: fieldOf(path), by: 'schema' }
      : { kind: 'invalid', by: 'schema' };
  }
  // KNOWN DEVIATIONS (the specs admit what the platform cannot hold): integers past 2^53 - 1 (systemBillId is
  // `int64`, posting_info.attempt has no maximum) are valid JSON Schema integers, but a JavaScript number
  // cannot hold them exactly, and the biller refuses them with 400 naming the field rather than store a different
  // value. The specs should say `maximum: 9007199254740991`; until they do, the fuzzer holds the biller to that
  // clean refusal. (Year 0000, which PostgreSQL has not, is refused by the EBPP Date pattern itself.)
  const unsafe = target.arbitraries.beyondPlatform(target.schema, decoded.value);
  if (unsafe) return { kind: 'invalid', field: fieldOf(unsafe), by: 'platform' };
  const rule = target.proseRule(decoded.value);
  if (rule)
    return rule.field !== undefined
      ? { kind: 'invalid', field: rule.field, by: 'prose' }
      : { kind: 'invalid', by: 'prose' };
  return { kind: 'valid' };
}

export function encodeBody(target: Target, value: unknown): Uint8Array<ArrayBuffer> {
  if (target.media === 'application/json') return bytes(JSON.stringify(value) ?? 'null');
  return bytes(formText(value));
}

/** A form body from an object: arrays repeat the key; other non-strings are written as JSON text. */
export function formText(value: unknown): string {
  const form = new URLSearchParams();
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      for (const one of Array.isArray(item) ? item : [item])
        form.append(key, typeof one === 'string' ? one : (JSON.stringify(one) ?? ''));
    }
  }
  return form.toString();
}

/** Checks one answer against the contract and the expectation; throws (vitest expect) on any breach. */
export async function checkAnswer(request: FuzzRequest, answer: Answer): Promise<void> {
  const where = `${request.label}: ${request.method} ${request.path} -> ${answer.status} ${answer.text.slice(0, 600)}`;
  expect(answer.status, where).toBeLessThan(500);
  expect(answer.status, where).toBeGreaterThanOrEqual(200);
  if (request.method === 'HEAD') {
    expect(answer.text, where).toBe('');
  } else {
    expect(answer.headers.get('content-type') ?? '', where).toMatch(/^application\/json/);
    expect(answer.text, where).not.toMatch(/\bat .*\.(ts|js|mjs):\d+/);
  }
  const api = contractOfPath(request.path);
  // biome-ignore lint/suspicious/noExplicitAny: the body is arbitrary JSON, checked against the spec below
  const body: any = request.method === 'HEAD' ? undefined : JSON.parse(answer.text);
  if (api === undefined) {
    // A path outside both contracts (e.g. `/PAYMENTPOSTING`): the neutral envelope of the README.
    expect([404, 405], where).toContain(answer.status);
    if (body !== undefined) {
      expect(Object.keys(body), where).toEqual(['error']);
      expect(typeof body.error.code === 'string' && typeof body.error.message === 'string', where).toBe(true);
    }
    expect(request.expect.kind, where).toBe('framework');
    if (request.expect.kind === 'framework') expect(request.expect.statuses, where).toContain(answer.status);
    return;
  }
  const contract = await loadContract(api);

  const operation = request.target;
  const onOperation =
    operation !== undefined && request.method === 'POST' && routedPath(request.path) === operation.path;
  if (onOperation) {
    // Status declared by the operation, body valid against the spec's schema for that status.
    const verdict = contract.response(operation.operationId, answer.status, body);
    expect(verdict.errors, where).toEqual([]);
  } else {
    // Not an operation: only the documented route and method answers (or 401 where the contract's key check
    // covers the path and no key was sent), in the contract's error envelope.
    const unkeyed = request.expect.kind === 'framework' && request.expect.statuses.includes(401);
    expect(unkeyed ? [401, 404, 405] : [404, 405], where).toContain(answer.status);
    if (answer.status === 405) expect(answer.headers.get('allow'), where).toBe('POST');
    if (body !== undefined) expect(contract.schema('ErrorResponse', body).errors, where).toEqual([]);
  }
  if (body !== undefined && answer.status >= 400 && api === 'kaleidofin-partner') {
    expect([body.success, body.status], where).toEqual([false, answer.status]);
  }

  const expectation = request.expect;
  if (expectation.kind === 'valid') {
    const ok = answer.status < 300 || (operation?.business ?? []).includes(answer.status);
    expect(ok, `valid request refused: ${where}`).toBe(true);
    return;
  }
  if (expectation.kind === 'invalid') expect(answer.status, where).toBe(400);
  else expect(expectation.statuses, where).toContain(answer.status);
  if (expectation.field !== undefined && body !== undefined) {
    const fields: (string | undefined)[] =
      api === 'kaleidofin-partner' ? [body.error?.field] : (body.errors ?? []).map((e: { field?: string }) => e.field);
    const named = fields.some((field) => field !== undefined && isWithin(field, expectation.field as string));
    expect(named, `expected the answer to name ${expectation.field}: ${where}`).toBe(true);
  }
  if (request.exact !== undefined) checkExact(request.exact, api, body, where);
}

/**
 * The 400 of a single-field mutation names exactly the mutated field (Kaleidofin: its one `error.field`; EBPP:
 * one of its `errors`), and that field's message says how: "is required" for a removed field and only then,
 * the expected type for a wrong type.
 */
// biome-ignore lint/suspicious/noExplicitAny: the body was checked against the contract's ErrorResponse
function checkExact(exact: Exact, api: ApiName, body: any, where: string): void {
  expect(body, where).toBeDefined();
  const problems: { field?: string; message?: string }[] =
    api === 'kaleidofin-partner' ? [body.error ?? {}] : (body.errors ?? []);
  const mine = problems.filter((problem) => problem.field === exact.field).map((problem) => problem.message ?? '');
  expect(mine.length, `${exact.kind}: expected the answer to name exactly ${exact.field}: ${where}`).toBeGreaterThan(0);
  const required = mine.some((message) => /\bis required$/.test(message));
  if (exact.wording === 'unchecked') return;
  if (exact.wording === 'required') expect(required, `removed, so "is required": ${where}`).toBe(true);
  else expect(required, `${exact.kind} of a field that was sent, yet "is required": ${where}`).toBe(false);
  if (exact.wording === 'type') {
    const wording = typeWording(exact.expected);
    expect(
      mine.some((message) => wording.test(message)),
      `wrong type: the message should say ${wording}: ${where}`,
    ).toBe(true);
  }
}

/** How a message says the expected type. zod calls an object with free keys a record, and an integer a number. */
function typeWording(expected: Expected): RegExp {
  if (expected.enum) return /must be (one of |")/;
  switch (expected.type) {
    case 'integer':
      return /must be (an integer|a number)$/;
    case 'object':
      return /must be (an object|a record)$/;
    case 'array':
      return /must be an array$/;
    case undefined:
      return /must be /;
    default:
      return new RegExp(`must be an? ${expected.type}$`);
  }
}

/** What the server makes of a body sent with the operation's own media type. */
export function decode(target: Target, body: Uint8Array<ArrayBuffer>): Promise<Decoded> {
  return target.media === 'application/json' ? decodeJson(body) : decodeForm(body, target.media);
}

/** A single-field mutation as the server will see it, with the judge's verdict on it. */
export interface MutationCase {
  target: Target;
  kind: MutationKind;
  path: Path;
  expected: Expected;
  verdict: Expectation;
  /** The mutated body as the server decodes it (undefined when it does not decode). */
  value: unknown;
}

const hasPath = (value: unknown, path: Path): boolean => {
  let node = value;
  for (const part of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, part)) return false;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return true;
};
const valueAt = (value: unknown, path: Path): unknown =>
  path.reduce<unknown>((node, part) => (node as Record<PropertyKey, unknown> | undefined)?.[part], value);
const hasType = (value: unknown, type: string | undefined): boolean => {
  if (type === undefined) return true;
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'number') return typeof value === 'number';
  if (type === 'null') return value === null;
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return isPlainObject(value);
  return typeof value === type;
};

/**
 * THE list of single-field mutations that made the body invalid and yet are not held to "the 400 names
 * exactly that field" (`case`), or whose message is not held to the type wording (`wording`; the field still is).
 * Each reason is counted and printed, and the suite fails if the exact check itself covered too few cases.
 * A mutation that stays valid (a business refusal such as 404/409/422 included) is not a case at all: the
 * valid-request rules judge it.
 */
export const notExactlyNamed: readonly {
  reason: string;
  exempts: 'case' | 'wording';
  applies: (c: MutationCase) => boolean;
}[] = [
  {
    reason: 'the body itself was mutated (replaced, or an array emptied): there is no field to name',
    exempts: 'case',
    applies: (c) => c.path.length === 0,
  },
  {
    reason:
      'a form cannot carry the value (an empty array is no field at all): the field the mutation set never arrives',
    exempts: 'case',
    applies: (c) => c.target.media !== 'application/json' && !hasPath(c.value, c.path),
  },
  {
    reason:
      'a rule the spec states in prose names its own field (fetchBills: a list left without an identifier key this biller knows is refused at [0].identifierKey, wherever the mutation was)',
    exempts: 'case',
    applies: (c) => c.verdict.kind === 'invalid' && c.verdict.by === 'prose' && c.verdict.field !== fieldOf(c.path),
  },
  {
    reason:
      'the wrong-type value arrived as the field’s own type (a form carries only text; 0 and -1 are integers): the answer is about its value, not its type',
    exempts: 'wording',
    applies: (c) => c.kind === 'wrong-type' && hasType(valueAt(c.value, c.path), c.expected.type),
  },
];

/** Whether, and how, the answer to a mutation must name exactly the mutated field. */
export function exactness(c: MutationCase): Pick<FuzzRequest, 'exact' | 'notExact' | 'wordingNotChecked'> {
  if (c.verdict.kind !== 'invalid') return {};
  const skip = notExactlyNamed.find((entry) => entry.exempts === 'case' && entry.applies(c));
  if (skip) return { notExact: skip.reason };
  const plain = notExactlyNamed.find((entry) => entry.exempts === 'wording' && entry.applies(c));
  const wording = c.kind === 'missing-required' ? 'required' : c.kind === 'wrong-type' && !plain ? 'type' : 'value';
  return {
    exact: { kind: c.kind, field: fieldOf(c.path), wording, expected: c.expected },
    wordingNotChecked: plain?.reason,
  };
}

/**
 * Bugs in the biller this suite found and that are not fixed yet. A request that would hit one is not sent
 * (`request`; so the suite stays green and keeps checking everything else), or, for a bug in a message only, is
 * sent with its field checked exactly but not its wording (`wording`); each is counted and printed by name.
 * Remove the entry when the bug is fixed.
 */
export const knownBugs: readonly {
  name: string;
  /** `request`: the request is not sent; `wording`: it is, and its field is checked, but not its message. */
  leaves: 'request' | 'wording';
  applies: (target: Target, value: unknown, verdict: Expectation, mutation?: Exact) => boolean;
}[] = [];

/** `reported` is the expected field or a field inside it (`paymentDetails` → `paymentDetails.amountPaid`). */
function isWithin(reported: string, expected: string): boolean {
  return (
    expected === '' ||
    reported === expected ||
    reported.startsWith(`${expected}.`) ||
    reported.startsWith(`${expected}[`)
  );
}

const contracts = new Map<ApiName, Promise<Contract>>();
function loadContract(api: ApiName): Promise<Contract> {
  let loaded = contracts.get(api);
  if (!loaded) {
    loaded = Contract.load(api);
    contracts.set(api, loaded);
  }
  return loaded;
}

/**
 * Accounts beside the demo data with room for thousands of payments (the demo loans are paid off after a few),
 * one of each exactness, one queued for repair and one with a tight minimum and maximum.
 */
export const fuzzBook = [
  'customer_reference,customer_name,phone,email,account_number,account_status,min_payment,max_payment,bill_id,bill_name,bill_amount,bill_generated_date,bill_due_date,bill_exactness',
  'FZ1,Fuzz One,9000000101,fuzz.one@example.in,LN-FZ1,active,,,FZ-ANY,AnyAmount,10000000,2024-01-01,2024-02-01,ANY',
  'FZ1,Fuzz One,9000000101,fuzz.one@example.in,LN-FZ1,active,,,FZ-DOWN,PartPayment,5000000,2024-02-01,2024-03-01,EXACT_DOWN',
  'FZ1,Fuzz One,9000000101,fuzz.one@example.in,LN-FZ1,active,,,FZ-UP,AtLeast,1000,2024-03-01,2024-04-01,EXACT_UP',
  'FZ2,Fuzz Two,9000000102,,LN-FZ2,queued_for_repair,,,FZ-REPAIR,Repair,100000,2024-01-01,2024-02-01,ANY',
  'FZ3,Fuzz Three,9000000103,,LN-FZ3,active,5,100,FZ-TIGHT,Tight,1000000,2024-01-01,2024-02-01,ANY',
  '',
].join('\n');

export type Keys = { kaleidofinApiKeys: string[]; ebppClientKey: string; ebppApiKeys: string[] };
export const demoConfig: Keys = {
  kaleidofinApiKeys: [demoKeys.kaleidofinApiKey],
  ebppClientKey: demoKeys.ebppClientKey,
  ebppApiKeys: [demoKeys.ebppApiKey],
};

/** The biller on a fresh in-memory PGlite with the demo data and the fuzz book; its log lines are kept. */
export async function demoBiller(keys: Keys = demoConfig) {
  const db = await openPglite();
  await prepareDatabase(db, { demo: true });
  const report = await importBookCsv(db, [fuzzBook]);
  if (report.errors.length > 0) throw new Error(`fuzz book: ${JSON.stringify(report.errors)}`);
  const logLines: string[] = [];
  const logger = createLogger((line) => logLines.push(line));
  const app = buildApp({ db, config: keys, logger });
  return { db, app, logLines, logger, build: (other: Keys) => buildApp({ db, config: other, logger }) };
}

/** Counts what was sent, by class, and remembers what the ledger accepted. */
export class Tally {
  total = 0;
  readonly byLabel = new Map<string, number>();
  readonly byStatus = new Map<number, number>();
  readonly memory: LedgerMemory = { posted: [] };

  wrap(send: Send): Send {
    return async (request) => {
      const answer = await send(request);
      this.total += 1;
      this.byLabel.set(request.label, (this.byLabel.get(request.label) ?? 0) + 1);
      this.byStatus.set(answer.status, (this.byStatus.get(answer.status) ?? 0) + 1);
      return answer;
    };
  }

  /** Mutations held to the exact field, by kind; those that were not, by reason; requests left out, by bug. */
  readonly exact = new Map<string, number>();
  readonly notExact = new Map<string, number>();
  readonly wordingNotChecked = new Map<string, number>();
  readonly knownBugs = new Map<string, number>();
  get exactTotal(): number {
    return [...this.exact.values()].reduce((a, b) => a + b, 0);
  }

  /** `exchange`, unless the request would hit a known bug: then it is only counted. */
  async fuzz(send: Send, request: FuzzRequest): Promise<void> {
    if (request.knownBug !== undefined) {
      count(this.knownBugs, request.knownBug);
      return;
    }
    await this.exchange(send, request);
    if (request.exact) count(this.exact, request.exact.kind);
    if (request.notExact) count(this.notExact, request.notExact);
    if (request.wordingNotChecked) count(this.wordingNotChecked, request.wordingNotChecked);
  }

  /** What the exact-field check covered and left out, for the suite's summary. */
  summary(): string {
    const list = (map: Map<string, number>) => [...map.entries()].map(([key, n]) => `    ${n} × ${key}`).join('\n');
    return [
      `exact field checked on ${this.exactTotal} mutations (${[...this.exact.entries()].map(([k, n]) => `${k}=${n}`).join(' ')})`,
      `  not held to the exact field:\n${list(this.notExact) || '    none'}`,
      `  field checked, wording not:\n${list(this.wordingNotChecked) || '    none'}`,
      `  left out, known biller bugs:\n${list(this.knownBugs) || '    none'}`,
    ].join('\n');
  }

  /** Sends, checks, and records accepted payments for the reversal and refund generators. */
  async exchange(send: Send, request: FuzzRequest): Promise<Answer> {
    const answer = await this.wrap(send)(request);
    await checkAnswer(request, answer);
    if (request.target?.operationId === 'postPayment' && answer.status === 200 && request.body instanceof Uint8Array) {
      const decoded = await decodeJson(request.body);
      if (decoded.ok && isPlainObject(decoded.value)) {
        const reference = (JSON.parse(answer.text) as { payment_reference: string }).payment_reference;
        this.memory.posted.push({ ...decoded.value, payment_reference: reference });
      }
    }
    return answer;
  }
}

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export function inProcess(app: { request: (path: string, init: RequestInit) => Response | Promise<Response> }): Send {
  return async (request) => {
    const response = await app.request(request.path, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body, duplex: 'half' } : {}),
    } as RequestInit);
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
}

export function overSocket(base: string): Send {
  return async (request) => {
    const response = await fetch(`${base}${request.path}`, {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body, duplex: 'half' } : {}),
    } as RequestInit);
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
}
