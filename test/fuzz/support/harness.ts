// Sends fuzz requests to the biller (in-process through app.request, or over a socket through fetch) and
// judges every answer: never a 5xx; a status the operation declares (or the documented 404/405 for routes and
// methods it does not have); a body valid against the spec for that status, in the contract's own envelope;
// for an invalid request a 400 (or the documented framework status) naming the offending field.
import { buildApp, createLogger, demoKeys, importBookCsv, openPglite, prepareDatabase } from '@bbps-kit/biller';
import { type ApiName, Contract } from '@bbps-kit/contracts/validator';
import { expect } from 'vitest';
import { fieldOf, isPlainObject, type Path } from './schema-arbitrary.ts';
import type { LedgerMemory, Target } from './targets.ts';

export type Expectation =
  /** A request the spec accepts: 2xx or one of the operation's business refusals. */
  | { kind: 'valid' }
  /** A request the spec refuses: 400, naming `field` (when given) in the envelope's field. */
  | { kind: 'invalid'; field?: string }
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
 * what the server will see. `field` is where the generator changed the body, when it knows.
 */
export async function judge(target: Target, body: Uint8Array<ArrayBuffer>, path?: Path): Promise<Expectation> {
  const decoded = target.media === 'application/json' ? await decodeJson(body) : await decodeForm(body, target.media);
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
      ? { kind: 'invalid', field: fieldOf(path) }
      : { kind: 'invalid' };
  }
  // KNOWN DEVIATIONS (the specs admit what the platform cannot hold): integers past 2^53 - 1 (systemBillId is
  // `int64`, posting_info.attempt has no maximum) are valid JSON Schema integers, but a JavaScript number
  // cannot hold them exactly; `format: date` admits year 0000, which PostgreSQL has not. The biller refuses
  // both with 400 naming the field rather than store a different value. The specs should say
  // `maximum: 9007199254740991` and a year from 0001; until they do, the fuzzer holds the biller to that
  // clean refusal.
  const unsafe = target.arbitraries.beyondPlatform(target.schema, decoded.value);
  if (unsafe) return { kind: 'invalid', field: fieldOf(unsafe) };
  const rule = target.proseRule(decoded.value);
  if (rule) return rule.field !== undefined ? { kind: 'invalid', field: rule.field } : { kind: 'invalid' };
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
}

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
