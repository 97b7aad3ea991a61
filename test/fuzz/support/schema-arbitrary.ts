// fast-check arbitraries derived from the JSON Schemas in the bundled specs: valid values, and single
// mutations of a valid value that each name the path they touched. Only the keywords these specs use are
// understood; any other keyword throws, so a spec that grows a new one fails here loudly instead of being
// fuzzed as if the keyword were not there.
import fc from 'fast-check';

export interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  minProperties?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
}

const understood = new Set([
  '$ref',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'minProperties',
  'items',
  'minItems',
  'maxItems',
  'enum',
  'const',
  'pattern',
  'minLength',
  'maxLength',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'anyOf',
  'oneOf',
  // Annotations: no effect on validity.
  'description',
  'examples',
  'example',
  'default',
  'title',
  'deprecated',
  'readOnly',
  'writeOnly',
]);
const understoodFormats = new Set(['date', 'date-time', 'email', 'int64', 'int32']);

export type PathPart = string | number;
export type Path = readonly PathPart[];

/** The biller's field notation: `paymentDetails.amountPaid`, `[1].identifierValue`. */
export function fieldOf(path: Path): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

/** Hint keys ignore array indexes: `[].identifierKey`. */
const hintKeyOf = (path: Path) =>
  fieldOf(path.map((part) => (typeof part === 'number' ? -1 : part))).replaceAll('[-1]', '[]');

/** JSON Schema counts characters (code points), not UTF-16 units. */
const plainEmail = fc.stringMatching(/^[a-z0-9]{1,12}(\.[a-z0-9]{1,8})?@[a-z0-9]{1,12}\.(in|com|co\.in|org)$/);

export const codePoints = (text: string) => [...text].length;

export type Mutation = {
  kind: MutationKind;
  /** The path whose value was changed, added or removed (`[]` for the whole body). */
  path: PathPart[];
  body: unknown;
  /** What the schema wants at `path` (for wrong-type: the type the answer should name). */
  expected: Expected;
};
/** The schema's type at a path (integer, string…, or undefined when it sets none) and whether it is an enum. */
export type Expected = { type: string | undefined; enum: boolean };
export type MutationKind =
  | 'wrong-type'
  | 'missing-required'
  | 'extra-field'
  | 'length-boundary'
  | 'number-boundary'
  | 'enum'
  | 'pattern'
  | 'format'
  | 'unicode';

export interface SchemaArbitraryOptions {
  /** Follows a `$ref` (Contract.resolve). */
  resolve: (node: unknown) => unknown;
  /**
   * Realistic values for some paths (demo customers, accounts, bills), mixed 3:1 with the schema's own
   * values so valid requests also reach the ledger's success paths instead of 404 every time.
   */
  hints?: Record<string, fc.Arbitrary<unknown>>;
}

const dateArbitrary = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const dateTimeArbitrary = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

// Characters that break most of these patterns, and text no pattern here admits.
const patternBreakers = [' ', '\u0000', '\t', '\n', 'é', 'ॐ', '<', '"', "'", ';', '😀', '\u202e', '\ufeff', '\\', '%'];
const controlText = fc.string({
  unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
  minLength: 1,
  maxLength: 8,
});
const unicodeText = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
  controlText,
  fc.constantFrom('\u0000', '\ud800', '\udfff', '😀'.repeat(60), 'ँ'.repeat(101), '\u202eevil', 'a\u0000b', '\r\n'),
);

function sampleOfEachType(): Record<string, unknown[]> {
  return {
    string: ['', 'x', '1000'],
    number: [0, -1, 1.5, 1e21],
    integer: [0, 7],
    boolean: [true, false],
    null: [null],
    array: [[], ['x'], [{}]],
    object: [{}, { x: 1 }],
  };
}

export class SchemaArbitraries {
  private readonly resolve: (node: unknown) => unknown;
  private readonly hints: Record<string, fc.Arbitrary<unknown>>;

  constructor(options: SchemaArbitraryOptions) {
    this.resolve = options.resolve;
    this.hints = options.hints ?? {};
  }

  schemaOf(node: unknown): Schema {
    const schema = this.resolve(node) as Schema;
    for (const keyword of Object.keys(schema)) {
      if (!understood.has(keyword)) throw new Error(`schema keyword ${keyword} is not understood by the fuzzer`);
    }
    if (schema.format !== undefined && !understoodFormats.has(schema.format)) {
      throw new Error(`format ${schema.format} is not understood by the fuzzer`);
    }
    return schema;
  }

  /** Values valid against `node`. */
  valid(node: unknown, path: Path = []): fc.Arbitrary<unknown> {
    const schema = this.schemaOf(node);
    const plain = this.fromSchema(schema, path);
    const hint = this.hints[hintKeyOf(path)];
    return hint ? fc.oneof({ arbitrary: hint, weight: 3 }, { arbitrary: plain, weight: 1 }) : plain;
  }

  private fromSchema(schema: Schema, path: Path): fc.Arbitrary<unknown> {
    if (schema.const !== undefined) return fc.constant(schema.const);
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const branches = schema.anyOf ?? schema.oneOf;
    if (branches) return fc.oneof(...branches.map((branch) => this.valid(branch, path)));
    const type = typeOf(schema);
    switch (type) {
      case 'string':
        return this.string(schema);
      case 'integer':
        return integerArbitrary(schema);
      case 'number':
        return numberArbitrary(schema);
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array':
        return fc.array(this.valid(schema.items ?? {}, [...path, 0]), {
          minLength: schema.minItems ?? 0,
          maxLength: schema.maxItems ?? (schema.minItems ?? 0) + 4,
        });
      case 'object':
        return this.object(schema, path);
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  }

  private string(schema: Schema): fc.Arbitrary<string> {
    const fits = stringFits(schema);
    if (schema.format === 'date') return dateArbitrary.filter(fits);
    if (schema.format === 'date-time') return dateTimeArbitrary.filter(fits);
    // Not fc.emailAddress(): some of its RFC 5322 forms (quoted parts, rare symbols) fail the validators'
    // `format: email`, so a "valid" body would not be valid. These plain addresses pass every email rule here.
    if (schema.format === 'email') return plainEmail.filter(fits);
    if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern, 'u'), { size: 'small' }).filter(fits);
    const minLength = schema.minLength ?? 0;
    return fc.string({ minLength, maxLength: Math.max(minLength, Math.min(schema.maxLength ?? 40, 40)) }).filter(fits);
  }

  private object(schema: Schema, path: Path): fc.Arbitrary<Record<string, unknown>> {
    const properties = schema.properties ?? {};
    const required = schema.required ?? [];
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [key, property] of Object.entries(properties)) model[key] = this.valid(property, [...path, key]);
    for (const key of required) model[key] ??= fc.jsonValue({ maxDepth: 1 });
    let arbitrary: fc.Arbitrary<Record<string, unknown>> =
      Object.keys(model).length > 0
        ? fc.record(model, { requiredKeys: required })
        : schema.additionalProperties === false
          ? fc.constant({})
          : fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
    if (schema.minProperties) {
      const min = schema.minProperties;
      arbitrary = arbitrary.filter((value) => Object.keys(value).length >= min);
    }
    return arbitrary;
  }

  /** One mutation of `body`, which must be valid against `root`. */
  mutation(root: unknown, body: unknown): fc.Arbitrary<Mutation> {
    const options: fc.Arbitrary<Mutation>[] = [];
    for (const site of this.sites(root, body, [])) options.push(...this.mutationsAt(site, body));
    return fc.oneof(...options);
  }

  /**
   * The first value the schema admits but the biller cannot keep, by a limit of its platform: an integer a
   * JavaScript number cannot hold exactly, or a date in year 0000, which PostgreSQL does not have.
   */
  beyondPlatform(root: unknown, body: unknown): PathPart[] | undefined {
    return this.sites(root, body, []).find(
      ({ schema, value }) =>
        (typeOf(schema) === 'integer' &&
          typeof value === 'number' &&
          Number.isInteger(value) &&
          !Number.isSafeInteger(value)) ||
        (schema.format === 'date' && typeof value === 'string' && value.startsWith('0000-')),
    )?.path;
  }

  private expectedAt(node: unknown): Expected {
    if (node === undefined || typeof node === 'boolean') return { type: undefined, enum: false };
    const schema = this.schemaOf(node);
    return { type: typeOf(schema), enum: schema.enum !== undefined || schema.const !== undefined };
  }

  /** Every value of `body` that `root` describes, with its schema and path (the body itself first). */
  sitesOf(root: unknown, body: unknown): { schema: Schema; value: unknown; path: PathPart[] }[] {
    return this.sites(root, body, []);
  }

  private sites(
    node: unknown,
    value: unknown,
    path: PathPart[],
  ): { schema: Schema; value: unknown; path: PathPart[] }[] {
    const schema = this.schemaOf(node);
    const found = [{ schema, value, path }];
    if (Array.isArray(value) && schema.items) {
      value.forEach((item, index) => {
        found.push(...this.sites(schema.items, item, [...path, index]));
      });
    } else if (isPlainObject(value) && schema.properties) {
      for (const [key, property] of Object.entries(schema.properties)) {
        if (Object.hasOwn(value, key)) found.push(...this.sites(property, value[key], [...path, key]));
      }
    }
    return found;
  }

  private mutationsAt(
    site: { schema: Schema; value: unknown; path: PathPart[] },
    body: unknown,
  ): fc.Arbitrary<Mutation>[] {
    const { schema, value, path } = site;
    const out: fc.Arbitrary<Mutation>[] = [];
    const type = typeOf(schema) ?? jsonTypeOf(value);
    const expected: Expected = { type: typeOf(schema), enum: schema.enum !== undefined || schema.const !== undefined };
    const at = (kind: MutationKind, where: PathPart[], replacement: fc.Arbitrary<unknown>) =>
      replacement.map((v): Mutation => ({ kind, path: where, body: replaceAt(body, where, v), expected }));

    const samples = sampleOfEachType();
    const others = Object.entries(samples)
      .filter(([t]) => t !== type && !(type === 'number' && t === 'integer'))
      .flatMap(([, values]) => values);
    out.push(at('wrong-type', path, fc.constantFrom(...others)));

    if (type === 'object' && isPlainObject(value)) {
      for (const key of schema.required ?? []) {
        if (Object.hasOwn(value, key)) {
          out.push(
            fc.constant<Mutation>({
              kind: 'missing-required',
              path: [...path, key],
              body: removeAt(body, [...path, key]),
              expected: this.expectedAt(schema.properties?.[key]),
            }),
          );
        }
      }
      const known = new Set(Object.keys(schema.properties ?? {}));
      const extraKey = fc
        .oneof(
          fc.string({ minLength: 1, maxLength: 16 }),
          fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', ''),
          fc.constantFrom(...[...known].map((k) => k.toUpperCase()), 'X'),
        )
        .filter((key) => !known.has(key));
      out.push(
        fc.tuple(extraKey, fc.jsonValue({ maxDepth: 2 })).map(
          ([key, extra]): Mutation => ({
            kind: 'extra-field',
            path: [...path, key],
            body: replaceAt(body, [...path, key], extra),
            expected: this.expectedAt(schema.additionalProperties),
          }),
        ),
      );
    }

    if (type === 'array' && Array.isArray(value)) {
      const lengths = boundaryLengths(schema.minItems, schema.maxItems);
      if (lengths.length > 0) {
        out.push(
          at(
            'length-boundary',
            path,
            fc
              .constantFrom(...lengths)
              .map((n) => Array.from({ length: n }, (_, i) => value[i % Math.max(value.length, 1)] ?? {})),
          ),
        );
      }
    }

    if (type === 'string' && typeof value === 'string') {
      const lengths = boundaryLengths(schema.minLength, schema.maxLength);
      const filled = lengths.map((n) => fillTo(value, n, schema)).filter((s) => s !== undefined);
      if (filled.length > 0) out.push(at('length-boundary', path, fc.constantFrom(...filled)));
      if (schema.pattern) {
        out.push(
          at(
            'pattern',
            path,
            fc.tuple(fc.nat(), fc.constantFrom(...patternBreakers)).map(([i, ch]) => {
              const cut = value.length === 0 ? 0 : i % (value.length + 1);
              return value.slice(0, cut) + ch + value.slice(cut);
            }),
          ),
        );
      }
      if (schema.enum) {
        const wrong = [
          ...schema.enum.map((v) => String(v).toUpperCase()),
          ...schema.enum.map((v) => ` ${String(v)}`),
          'unknown',
        ];
        out.push(at('enum', path, fc.constantFrom(...wrong)));
      }
      if (schema.format === 'date' || schema.format === 'date-time') {
        out.push(
          at(
            'format',
            path,
            fc.constantFrom(
              '2025-02-30',
              '2025-13-01',
              '2025-3-5',
              '20250305',
              '2025-00-10',
              '2024-02-29',
              '0000-01-01',
              'yesterday',
            ),
          ),
        );
      }
      if (schema.format === 'email') {
        out.push(at('format', path, fc.constantFrom('a@b', '@x.in', 'a b@c.in', 'a@@c.in', 'plain', 'a@c.', 'ä@c.in')));
      }
      out.push(
        at(
          'unicode',
          path,
          fc.oneof(
            unicodeText,
            unicodeText.map((u) => value + u),
          ),
        ),
      );
    }

    if ((type === 'number' || type === 'integer') && typeof value === 'number') {
      const edges: number[] = [-1, 0, 0.001, 1.005, 1e21, -0, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1e308];
      const step = type === 'integer' ? 1 : 0.01;
      if (schema.minimum !== undefined) edges.push(schema.minimum, schema.minimum - step);
      if (schema.exclusiveMinimum !== undefined) edges.push(schema.exclusiveMinimum, schema.exclusiveMinimum + step);
      if (schema.maximum !== undefined) edges.push(schema.maximum, schema.maximum + step);
      out.push(at('number-boundary', path, fc.constantFrom(...edges)));
    }
    return out;
  }
}

export function typeOf(schema: Schema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type[0];
  if (schema.type) return schema.type;
  if (schema.properties || schema.additionalProperties !== undefined || schema.required) return 'object';
  if (schema.items) return 'array';
  return undefined;
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function integerArbitrary(schema: Schema): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -(2 ** 31));
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : undefined);
  // int64 reaches far past 2^53; JSON numbers in JavaScript are integers exactly only up to 2^53 - 1.
  const top = max ?? (schema.format === 'int64' ? Number.MAX_SAFE_INTEGER : 2 ** 31 - 1);
  return fc.oneof(
    { arbitrary: fc.integer({ min, max: Math.min(top, min + 1_000_000) }), weight: 3 },
    { arbitrary: fc.maxSafeInteger().map((n) => Math.min(top, Math.max(min, Math.abs(n)))), weight: 1 },
  );
}

function numberArbitrary(schema: Schema): fc.Arbitrary<number> {
  const min = schema.minimum ?? schema.exclusiveMinimum;
  const max = schema.maximum ?? schema.exclusiveMaximum;
  return fc.double({
    noNaN: true,
    noDefaultInfinity: true,
    ...(min !== undefined ? { min, minExcluded: schema.exclusiveMinimum !== undefined } : {}),
    ...(max !== undefined ? { max, maxExcluded: schema.exclusiveMaximum !== undefined } : {}),
  });
}

function stringFits(schema: Schema): (text: string) => boolean {
  const pattern = schema.pattern ? new RegExp(schema.pattern, 'u') : undefined;
  return (text) =>
    codePoints(text) >= (schema.minLength ?? 0) &&
    (schema.maxLength === undefined || codePoints(text) <= schema.maxLength) &&
    (pattern === undefined || pattern.test(text));
}

/** Exactly min and max, and one past each, where the schema sets them. */
function boundaryLengths(min: number | undefined, max: number | undefined): number[] {
  const lengths = new Set<number>();
  if (min !== undefined) {
    lengths.add(min);
    if (min > 0) lengths.add(min - 1);
  }
  if (max !== undefined) {
    lengths.add(max);
    lengths.add(max + 1);
  }
  return [...lengths];
}

/**
 * A string of exactly `n` characters that keeps to the schema's pattern when it can: the valid value cut or
 * padded with its own first character, or one character repeated. Past a bound, the pattern is kept so that
 * only the length is wrong.
 */
function fillTo(value: string, n: number, schema: Schema): string | undefined {
  const pattern = schema.pattern ? new RegExp(schema.pattern, 'u') : undefined;
  const chars = [...value];
  const candidates: string[] = [];
  if (chars.length >= n) candidates.push(chars.slice(0, n).join(''), chars.slice(chars.length - n).join(''));
  else {
    const pad = chars[0] ?? 'a';
    candidates.push(pad.repeat(n - chars.length) + value, value + (chars.at(-1) ?? 'a').repeat(n - chars.length));
  }
  for (const ch of ['0', 'a', 'A', 'x', '1']) candidates.push(ch.repeat(n));
  const keepsPattern = candidates.find((c) => pattern === undefined || pattern.test(c));
  return keepsPattern ?? candidates[0];
}

/** A copy of `root` with the value at `path` replaced (or added). Own `__proto__` keys stay plain data. */
export function replaceAt(root: unknown, path: readonly PathPart[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [PathPart, ...PathPart[]];
  if (Array.isArray(root)) {
    const copy = [...root];
    copy[head as number] = replaceAt(root[head as number], rest, replacement);
    return copy;
  }
  const source = isPlainObject(root) ? root : {};
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(source)) define(copy, key, source[key]);
  define(copy, String(head), replaceAt(source[String(head)], rest, replacement));
  return copy;
}

export function removeAt(root: unknown, path: readonly PathPart[]): unknown {
  const [head, ...rest] = path as [PathPart, ...PathPart[]];
  if (Array.isArray(root)) {
    if (rest.length === 0) return root.filter((_, i) => i !== head);
    const copy = [...root];
    copy[head as number] = removeAt(root[head as number], rest);
    return copy;
  }
  const source = isPlainObject(root) ? root : {};
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (key === head && rest.length === 0) continue;
    define(copy, key, key === head ? removeAt(source[key], rest) : source[key]);
  }
  return copy;
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
