// The classes of input, each an arbitrary of request drafts for one operation. A draft's expectation is
// either fixed (framework answers) or decided at send time by the spec's validator on what the server will
// parse (`judge`), so a mutation that happens to stay valid is held to the valid-request rules.
import fc from 'fast-check';
import { bodyLimitBytes } from '../../../apps/biller/src/app.ts';
import {
  bytes,
  decode,
  type Expectation,
  encodeBody,
  exactness,
  type FuzzRequest,
  formText,
  judge,
  knownBugs,
} from './harness.ts';
import { isPlainObject, type Mutation, type Path, type PathPart, removeAt, replaceAt } from './schema-arbitrary.ts';
import type { Target } from './targets.ts';

export { bodyLimitBytes };

export interface Draft {
  label: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** Replaces the operation's media type; `null` sends no content-type header at all. */
  contentType?: string | null;
  body?: Uint8Array<ArrayBuffer> | undefined;
  /** Send the body as a stream of chunks (no length known up front). */
  stream?: boolean;
  /**
   * Where the generator changed the body, for `judge` (and, for a single-field mutation, the mutation, whose
   * answer must then name exactly that field); or a fixed expectation.
   */
  expect: { judge: Path | undefined; mutation?: Pick<Mutation, 'kind' | 'path' | 'expected'> } | Expectation;
  /** Whether the call is aimed at the operation itself (false for route/method probes). */
  onOperation?: boolean;
}

export async function toRequest(target: Target, draft: Draft): Promise<FuzzRequest> {
  const headers: Record<string, string> = { ...target.headers, ...draft.headers };
  const contentType = draft.contentType === undefined ? target.media : draft.contentType;
  if (contentType !== null) headers['content-type'] = contentType;
  const judged = 'judge' in draft.expect ? draft.expect : undefined;
  const decoded = judged ? await decode(target, draft.body ?? new Uint8Array()) : undefined;
  const expectation: Expectation =
    judged && decoded ? judge(target, decoded, judged.judge) : (draft.expect as Expectation);
  const body = draft.body && draft.stream ? chunked(draft.body) : draft.body;
  const request: FuzzRequest = {
    label: draft.label,
    method: draft.method ?? 'POST',
    path: draft.path ?? target.path,
    headers,
    body,
    expect: expectation,
    target,
  };
  if (judged && decoded) {
    const value = decoded.ok ? decoded.value : undefined;
    const mutation = judged.mutation;
    if (mutation) Object.assign(request, exactness({ target, ...mutation, verdict: expectation, value }));
    const bug = decoded.ok ? knownBugs.find((b) => b.applies(target, value, expectation, request.exact)) : undefined;
    if (bug?.leaves === 'request') request.knownBug = bug.name;
    else if (bug && request.exact) {
      request.exact = { ...request.exact, wording: 'unchecked' };
      request.wordingNotChecked = `KNOWN BUG: ${bug.name}`;
    }
  }
  return request;
}

function chunked(body: Uint8Array<ArrayBuffer>): ReadableStream<Uint8Array<ArrayBuffer>> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= body.length) return controller.close();
      const size = 1 + ((offset * 7919) % 16_384);
      controller.enqueue(body.slice(offset, offset + size));
      offset += size;
    },
  });
}

const encode = encodeBody;

/** Statuses and field of a media-type refusal, per contract (EBPP declares no 415: it is 400 there). */
const mediaRefusal = (target: Target): Expectation =>
  target.api === 'kaleidofin-partner'
    ? { kind: 'framework', statuses: [415], field: 'content-type' }
    : { kind: 'framework', statuses: [400], field: 'content-type' };
const tooLarge = (target: Target): Expectation =>
  target.api === 'kaleidofin-partner' ? { kind: 'framework', statuses: [413] } : { kind: 'framework', statuses: [400] };

// ---- valid bodies and single mutations of them ----------------------------------------------------------

export const validDrafts = (target: Target): fc.Arbitrary<Draft> =>
  target.valid.map((body) => ({ label: 'valid', body: encode(target, body), expect: { judge: undefined } }));

export const mutationDrafts = (target: Target): fc.Arbitrary<Draft> =>
  target.valid
    .chain((body) => target.arbitraries.mutation(target.schema, body))
    .map((m) => ({
      label: `mutation:${m.kind}`,
      body: encode(target, m.body),
      expect: { judge: m.path, mutation: { kind: m.kind, path: m.path, expected: m.expected } },
    }));

// ---- random bodies, and the spec's own examples with one value replaced ---------------------------------
// (These were apps/biller/test/fuzz.test.ts: bodies of any shape, not only the schema's, and the realistic
// examples the spec prints, which reach the ledger with demo data, each with one value anywhere replaced.)

const awkwardValues = [undefined, -1, 1e300, 0.1 + 0.2, '', 'a\u0000b', 'x'.repeat(200), '9'.repeat(30)];

/** The path `choices` pick in `value`, one key or index per level, stopping at a leaf. */
function pickPath(value: unknown, choices: readonly number[]): PathPart[] {
  const [choice = 0, ...rest] = choices;
  if (choices.length === 0) return [];
  if (Array.isArray(value)) {
    if (value.length === 0) return [];
    const index = choice % value.length;
    return [index, ...pickPath(value[index], rest)];
  }
  if (!isPlainObject(value) || Object.keys(value).length === 0) return [];
  const keys = Object.keys(value);
  const key = keys[choice % keys.length] as string;
  return [key, ...pickPath(value[key], rest)];
}

export const randomDrafts = (target: Target): fc.Arbitrary<Draft> => {
  if (target.media !== 'application/json') {
    // Any mix of the criteria the schema names and one it does not, each any text up to 120 characters.
    const keys = [...Object.keys(target.arbitraries.schemaOf(target.schema).properties ?? {}), 'other'];
    return fc.dictionary(fc.constantFrom(...keys), fc.string({ maxLength: 120 })).map((form) => ({
      label: 'random:form',
      body: bytes(formText(form)),
      expect: { judge: undefined },
    }));
  }
  const whole = fc.jsonValue().map(
    (value): Draft => ({
      label: 'random:json',
      body: encode(target, value),
      expect: { judge: undefined },
    }),
  );
  if (target.examples.length === 0) return whole;
  const replaced = fc
    .tuple(
      fc.constantFrom(...target.examples),
      fc.array(fc.nat(), { maxLength: 4 }),
      fc.oneof(fc.jsonValue(), fc.constantFrom(...awkwardValues)),
    )
    .map(([example, choices, value]): Draft => {
      const path = pickPath(example, choices);
      const body =
        path.length === 0
          ? (value ?? null)
          : value === undefined
            ? removeAt(example, path)
            : replaceAt(example, path, value);
      return { label: 'random:example-one-value-replaced', body: encode(target, body), expect: { judge: path } };
    });
  return fc.oneof(whole, replaced);
};

// ---- media types ----------------------------------------------------------------------------------------

const wrongJsonTypes = [
  'text/plain',
  'text/plain;charset=UTF-8',
  'application/xml',
  'text/html; charset=utf-8',
  'application/octet-stream',
  'multipart/form-data; boundary=fuzz',
  'application/x-www-form-urlencoded',
  'application/jsonx',
  'application/json-seq',
  'json',
  '*/*',
  'text/json',
];
const rightJsonTypes = ['application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json;charset=UTF-8'];
const wrongFormTypes = [
  'application/json',
  'text/plain',
  'application/x-www-form-urlencodedx',
  'application/octet-stream',
  'text/html',
  '*/*',
];
const rightFormTypes = ['application/x-www-form-urlencoded; charset=utf-8', 'APPLICATION/X-WWW-FORM-URLENCODED'];

/** A multipart body carrying the same fields: a form, but not the media type the EBPP spec declares. */
function multipart(fields: unknown, boundary: string): Uint8Array<ArrayBuffer> {
  const parts = isPlainObject(fields)
    ? Object.entries(fields).map(
        ([key, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${String(value)}\r\n`,
      )
    : [];
  return bytes(`${parts.join('')}--${boundary}--\r\n`);
}

export const mediaTypeDrafts = (target: Target): fc.Arbitrary<Draft> => {
  const json = target.media === 'application/json';
  const wrong = json ? wrongJsonTypes : wrongFormTypes;
  const right = json ? rightJsonTypes : rightFormTypes;
  return fc.tuple(target.valid, fc.nat()).map(([body, i]): Draft => {
    const encoded = encode(target, body);
    switch (i % 6) {
      case 0:
      case 1:
        return {
          label: 'content-type:wrong',
          contentType: wrong[i % wrong.length] as string,
          body: encoded,
          expect: mediaRefusal(target),
        };
      case 2:
        return { label: 'content-type:missing', contentType: null, body: encoded, expect: mediaRefusal(target) };
      case 3:
        // No content type and no body: the body is then judged as absent (an empty object to the validator).
        return {
          label: 'content-type:missing-empty-body',
          contentType: null,
          expect:
            target.api === 'kaleidofin-partner'
              ? { kind: 'framework', statuses: [400, 415] }
              : { kind: 'framework', statuses: [400] },
        };
      case 4:
        return {
          label: 'content-type:parameters-and-case',
          contentType: right[i % right.length] as string,
          body: encoded,
          expect: { judge: undefined },
        };
      default:
        return json
          ? {
              label: 'content-type:wrong',
              contentType: 'application/x-www-form-urlencoded',
              body: bytes(formText(body)),
              expect: mediaRefusal(target),
            }
          : {
              label: 'content-type:multipart',
              contentType: 'multipart/form-data; boundary=fuzzboundary',
              body: multipart(body, 'fuzzboundary'),
              expect: mediaRefusal(target),
            };
    }
  });
};

// ---- sizes around and beyond the body limit -------------------------------------------------------------

export const sizeDrafts = (target: Target): fc.Arbitrary<Draft> =>
  fc.tuple(target.valid, fc.constantFrom(0, 1, 2, 3, 4, 5), fc.boolean()).map(([body, which, stream]): Draft => {
    const encoded = encode(target, body);
    // JSON may carry any amount of trailing whitespace, and a form any number of empty `&` separators.
    const filler = target.media === 'application/json' ? ' ' : '&';
    const padTo = (n: number) => {
      const padded = new Uint8Array(n);
      padded.set(encoded.subarray(0, Math.min(encoded.length, n)));
      padded.fill(filler.charCodeAt(0), encoded.length);
      return padded;
    };
    switch (which) {
      case 0:
        return { label: 'size:exactly-the-limit', body: padTo(bodyLimitBytes), stream, expect: { judge: undefined } };
      case 1:
        return { label: 'size:limit-plus-one', body: padTo(bodyLimitBytes + 1), stream, expect: tooLarge(target) };
      case 2:
        return { label: 'size:1-MiB', body: padTo(1024 * 1024), stream, expect: tooLarge(target) };
      case 3: {
        const field =
          target.media === 'application/json'
            ? `{"x":"${'A'.repeat(bodyLimitBytes)}"}`
            : `x=${'A'.repeat(bodyLimitBytes)}`;
        return { label: 'size:one-huge-field', body: bytes(field), stream, expect: tooLarge(target) };
      }
      case 4: {
        const many =
          target.media === 'application/json' ? `[${'0,'.repeat(bodyLimitBytes)}0]` : 'a=1&'.repeat(bodyLimitBytes / 3);
        return { label: 'size:many-items', body: bytes(many), stream, expect: tooLarge(target) };
      }
      default:
        return {
          label: 'size:just-under-the-limit',
          body: padTo(bodyLimitBytes - 1),
          stream,
          expect: { judge: undefined },
        };
    }
  });

// ---- duplicate keys, written as raw text ----------------------------------------------------------------

/** JSON text of `value` with `key` of the object at `at` written twice: `extra` before or after the real one. */
export function withDuplicateKey(value: unknown, at: Path, key: string, extra: unknown, after: boolean): string {
  const walk = (node: unknown, path: readonly PathPart[]): string => {
    if (Array.isArray(node)) return `[${node.map((item, i) => walk(item, [...path, i])).join(',')}]`;
    if (isPlainObject(node)) {
      const here = path.length === at.length && path.every((p, i) => p === at[i]);
      const members: string[] = [];
      for (const [k, v] of Object.entries(node)) {
        const member = `${JSON.stringify(k)}:${walk(v, [...path, k])}`;
        const duplicate = `${JSON.stringify(k)}:${JSON.stringify(extra)}`;
        if (here && k === key) members.push(...(after ? [member, duplicate] : [duplicate, member]));
        else members.push(member);
      }
      return `{${members.join(',')}}`;
    }
    return JSON.stringify(node) ?? 'null';
  };
  return walk(value, []);
}

function objectKeys(value: unknown, path: PathPart[] = []): { at: PathPart[]; key: string }[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => objectKeys(item, [...path, i]));
  if (!isPlainObject(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => [{ at: path, key: k }, ...objectKeys(v, [...path, k])]);
}

export const duplicateKeyDrafts = (target: Target): fc.Arbitrary<Draft> =>
  target.valid.chain((body) => {
    if (target.media !== 'application/json') {
      // A repeated form key: Hono hands the validator an array, which no criterion accepts.
      const keys = isPlainObject(body) ? Object.keys(body) : [];
      if (keys.length === 0)
        return fc.constant<Draft>({ label: 'duplicate-key', body: bytes('a=1&a=2'), expect: { judge: undefined } });
      return fc.tuple(fc.constantFrom(...keys), fc.string({ maxLength: 12 })).map(([key, extra]): Draft => {
        const form = new URLSearchParams(formText(body));
        form.append(key, extra);
        return { label: 'duplicate-key', body: bytes(form.toString()), expect: { judge: [key] } };
      });
    }
    const sites = objectKeys(body);
    if (sites.length === 0) return validDrafts(target);
    return fc
      .tuple(
        fc.constantFrom(...sites),
        fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constantFrom('', 0, null, 'x')),
        fc.boolean(),
      )
      .map(
        ([{ at, key }, extra, after]): Draft => ({
          label: `duplicate-key:${after ? 'bad-last' : 'bad-first'}`,
          body: bytes(withDuplicateKey(body, at, key, extra, after)),
          // The last occurrence wins (JSON.parse); the answer must match what that value deserves.
          expect: { judge: [...at, key] },
        }),
      );
  });

// ---- malformed bodies -----------------------------------------------------------------------------------

const brokenJson = [
  '',
  ' ',
  '{',
  '[',
  '{"a":1,}',
  "{'a':1}",
  '{"a":1}{"b":2}',
  'NaN',
  '[1e999]',
  'undefined',
  '{"a":"\\x41"}',
  '{"a":"\\ud800"}',
  '"\u0000"',
  '\u0000',
  '[]',
  '{}',
  'null',
  'true',
  '0',
  '"x"',
  '['.repeat(20_000),
  `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"x":1}}}',
];
const brokenForms = [
  '',
  '%',
  '%zz=1',
  'account_number=%E0%A4%A',
  '&&=&',
  'account_number',
  '=LN-AY1234',
  'account_number=LN-AY1234;ssn=123456789',
  'account_number=LN%00AY1234',
  'account_number[]=LN-AY1234',
  'account_number[x]=LN-AY1234',
  'customer_reference=AY1234&customer_reference=AY1234',
  'email=%C0%AE%C0%AE',
  `customer_reference=${'%'.repeat(50)}`,
  '__proto__=x',
  'constructor=x&account_number=LN-AY1234',
];

export const malformedDrafts = (target: Target): fc.Arbitrary<Draft> => {
  const json = target.media === 'application/json';
  const fixed = fc.constantFrom(...(json ? brokenJson : brokenForms)).map((text) => bytes(text));
  const edited = fc.tuple(target.valid, fc.nat(), fc.constantFrom(0, 1, 2, 3, 4)).map(([body, i, how]) => {
    const text = json ? JSON.stringify(body) : formText(body);
    const at = text.length === 0 ? 0 : i % text.length;
    const edits = [
      () => text.slice(0, at), // truncated
      () => text.slice(0, at) + text.slice(at + 1), // one character lost
      () => text.slice(0, at) + '{}[],:"\\%&='.charAt(i % 11) + text.slice(at), // one stray character
      () => `\ufeff${text}`, // byte-order mark (undici drops it, as it drops it for the server)
      () => text + (json ? 'x' : '%'), // trailing garbage
    ];
    return bytes((edits[how] as () => string)());
  });
  const garbage = fc.oneof(
    fc.uint8Array({ maxLength: 200 }),
    fc.string({ unit: 'binary', maxLength: 80 }).map((s) => bytes(s)),
  );
  return fc
    .oneof({ arbitrary: fixed, weight: 1 }, { arbitrary: edited, weight: 3 }, { arbitrary: garbage, weight: 1 })
    .map((body) => ({ label: 'malformed', body, expect: { judge: undefined } }));
};

// ---- routes and methods the contract does not have ------------------------------------------------------

const otherMethods = ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];

export const routeDrafts = (target: Target): fc.Arbitrary<Draft> => {
  const prefix = target.api === 'kaleidofin-partner' ? '/bills' : target.path;
  const variants = [
    `${target.path}/`,
    `${target.path}/x`,
    `${target.path}//`,
    target.path.toUpperCase(),
    `${target.path}%00`,
    `${target.path}%2F`,
    `${target.path}.json`,
    `${target.path};x=1`,
    `${target.path}/%E0%A4%A`,
    `${prefix}/%252e%252e`,
    `${prefix}/`,
    `${prefix}/${'a'.repeat(3000)}`,
  ];
  // Paths that the URL parser or Hono's decoding turn back into the operation's own path.
  const aliases = [
    `${target.path}?x=1`,
    `${prefix}/../${target.path.slice(1)}`,
    target.path.replace(/.$/, (c) => `%${c.charCodeAt(0).toString(16)}`),
  ];
  const unknown = fc
    .tuple(
      fc.constantFrom(
        ...variants,
        ...(target.api === 'kaleidofin-partner' ? ['/bills', '/bills/payBill', '/bills/fetchbills'] : []),
      ),
      fc.boolean(),
    )
    .map(
      ([path, keys]): Draft => ({
        label: keys ? 'route:unknown' : 'route:unknown-without-keys',
        path,
        ...(keys ? {} : { headers: noKeys(target) }),
        body: bytes('{}'),
        // Without keys, a path the auth middleware covers may answer 401 before routing.
        expect: keys ? { kind: 'framework', statuses: [404, 405] } : { kind: 'framework', statuses: [401, 404, 405] },
        onOperation: false,
      }),
    );
  const method = fc.tuple(fc.constantFrom(...otherMethods), fc.boolean()).map(
    ([m, keys]): Draft => ({
      label: keys ? 'method:wrong' : 'method:wrong-without-keys',
      method: m,
      ...(keys ? {} : { headers: noKeys(target) }),
      expect: { kind: 'framework', statuses: keys ? [405] : [401, 405] },
      onOperation: false,
    }),
  );
  const alias = fc.tuple(fc.constantFrom(...aliases), target.valid, fc.boolean()).map(
    ([path, body, keys]): Draft => ({
      label: keys ? 'route:alias-of-operation' : 'route:alias-without-keys',
      path,
      ...(keys ? {} : { headers: noKeys(target) }),
      body: encode(target, body),
      // An alias is the operation itself: it must still demand the keys.
      expect: keys ? { judge: undefined } : { kind: 'framework', statuses: [401] },
    }),
  );
  return fc.oneof(unknown, method, alias);
};

/** Headers that replace the operation's keys with empty ones (an empty header is as good as none). */
function noKeys(target: Target): Record<string, string> {
  return Object.fromEntries(Object.keys(target.headers).map((name) => [name, '']));
}
