// The corpus of the fidelity proof (fidelity.test.ts): values drawn from a contract's own JSON Schema, on which the
// generated zod schemas and Ajv must give the same verdict. Valid whole values come first (the spec's examples at
// the place, else a value built from the schema); every mutation below is then applied at every depth of each:
// string lengths at the boundaries, pattern matches and near misses, every enum/const value and a near miss,
// valid and invalid formats, number boundaries, required fields removed, wrong types, extra fields, other
// branches of anyOf/oneOf, array sizes. Deterministic: fast-check is sampled with a fixed seed, and nothing else
// is random, so every run builds the same corpus.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import fc from 'fast-check';

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema nodes of a parsed document are untyped by nature
export type Schema = Record<string, any>;

/** One value to judge, and how it was made (`<path> <mutation>`), for the report of a disagreement. */
export interface Case {
  value: unknown;
  why: string;
}

type Put = (value: unknown) => unknown;

const SEED = 42;
const annotation = new Set(['$ref', 'description', 'summary', 'title']);
const MAX_DEPTH = 12;

/** Valid and invalid values per format, with a few probes where readings of the format are known to differ. */
export const formatSamples: Record<string, { valid: string[]; invalid: string[] }> = {
  email: {
    valid: ['user@example.com', 'first.last+tag@mail.example.in', "o'neil~x@example.com"],
    invalid: ['not-an-email', 'user@', '@example.com', 'user name@example.com'],
  },
  date: {
    valid: ['2024-02-29', '2025-12-31'],
    invalid: ['2024-02-30', '2023-02-29', '2024-13-01', '31/01/2024', '2024-1-01', '2024-01-31T00:00:00Z'],
  },
  'date-time': {
    // Lower-case t/z is RFC 3339 (§5.6 NOTE); a space is not, though ajv-formats accepts it: both are probes.
    valid: ['2024-01-31T10:15:30Z', '2024-01-31T10:15:30+05:30', '2024-01-31T10:15:30.123Z', '2024-01-31t10:15:30z'],
    invalid: ['2024-01-31 10:15:30Z', '2024-01-31T10:15:30', '2024-01-31T25:15:30Z', '2024-01-31', 'yesterday'],
  },
  ipv4: { valid: ['10.0.0.1', '192.168.1.254'], invalid: ['256.1.1.1', '10.0.0', '10.0.0.1.2', '::1'] },
  ipv6: { valid: ['::1', '2001:db8::8a2e:370:7334'], invalid: ['2001:db8:::1', '12345::', '10.0.0.1', 'gggg::1'] },
  uri: { valid: ['https://example.com/a?b=c'], invalid: ['not a uri', '/relative/path'] },
};

/** Characters tried, in this order, to turn a pattern match into a near miss (a backslash: hey-api #2733). */
const missChars = ['!', ' ', '\\', 'a', 'Z', '0', '-', '.', '/', ':', 'é', '\n'];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const escapePointer = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');
const unescapePointer = (segment: string) => decodeURIComponent(segment).replaceAll('~1', '/').replaceAll('~0', '~');

/** Builds the valid bases and the mutations of one contract (bundled, local `$ref`s only). */
export class CorpusBuilder {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly samples = new Map<string, string[]>();
  private readonly built = new Map<string, unknown>();

  constructor(readonly document: Schema) {
    // The same Ajv configuration as src/validator.ts: it decides which branch of an anyOf a value is in.
    this.ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
    (addFormatsModule as unknown as (ajv: Ajv2020) => void)(this.ajv);
    this.ajv.addSchema(document as object, 'spec');
  }

  /** The node at a JSON pointer (`#/components/schemas/Bill`). */
  at(pointer: string): Schema {
    let node: unknown = this.document;
    for (const part of pointer.replace(/^#\/?/, '').split('/').filter(Boolean)) {
      node = (node as Record<string, unknown>)?.[unescapePointer(part)];
    }
    if (node === undefined) throw new Error(`nothing at ${pointer}`);
    return node as Schema;
  }

  /** Whether `value` is valid against the schema at `pointer` (corpus building only; verdicts come from Contract). */
  validAt(pointer: string, value: unknown): boolean {
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.getSchema(`spec${pointer}`);
      if (!validate) throw new Error(`no schema at ${pointer}`);
      this.compiled.set(pointer, validate);
    }
    return validate(value) as boolean;
  }

  /** Three strings matching `pattern`, always the same ones (fast-check, seed 42); none if it cannot. */
  matching(pattern: string): string[] {
    let found = this.samples.get(pattern);
    if (!found) {
      try {
        found = fc.sample(fc.stringMatching(new RegExp(pattern, 'u')), { seed: SEED, numRuns: 3 });
      } catch {
        // fast-check cannot generate from some patterns (lookaheads): their matches come from the spec's examples.
        found = [];
      }
      this.samples.set(pattern, found);
    }
    return found;
  }

  /**
   * The schemas a node stands for together: itself and, through `$ref` and `allOf`, what it includes (a `$ref`
   * with sibling keywords counts as both), each with the pointer it stands at.
   */
  parts(node: Schema, pointer: string, seen = 0): { node: Schema; pointer: string }[] {
    if (seen > 30) throw new Error(`$ref loop at ${pointer}`);
    const out: { node: Schema; pointer: string }[] = [];
    if (typeof node !== 'object' || node === null) return out;
    if (typeof node.$ref === 'string') out.push(...this.parts(this.at(node.$ref), node.$ref, seen + 1));
    out.push({ node, pointer });
    (node.allOf ?? []).forEach((branch: Schema, i: number) => {
      out.push(...this.parts(branch, `${pointer}/allOf/${i}`, seen + 1));
    });
    return out;
  }

  /**
   * A valid value for a schema if one can be made: the spec's own example where there is one, else built from the
   * keywords (`full`: every property; `min`: required ones only).
   */
  build(node: Schema, pointer: string, mode: 'full' | 'min', depth = 0): unknown {
    if (depth > MAX_DEPTH) return undefined;
    // Memoised by place: the same pointer is reached through many parents (values are never mutated in place).
    const key = `${mode} ${pointer}`;
    if (this.built.has(key)) return this.built.get(key);
    const candidates = this.buildCandidates(node, pointer, mode, depth);
    const value = candidates.find((candidate) => this.validAt(pointer, candidate)) ?? candidates[0];
    if (value !== undefined) this.built.set(key, value);
    return value;
  }

  private buildCandidates(node: Schema, pointer: string, mode: 'full' | 'min', depth: number): unknown[] {
    const out: unknown[] = [];
    if ('example' in node) out.push(structuredClone(node.example));
    if (Array.isArray(node.examples)) out.push(...node.examples.map((e: unknown) => structuredClone(e)));
    if ('const' in node) out.push(node.const);
    if (Array.isArray(node.enum)) out.push(...node.enum);
    const parts = this.parts(node, pointer).slice(1);
    if (typeof node.$ref === 'string') {
      const target = this.build(this.at(node.$ref), node.$ref, mode, depth + 1);
      if (target !== undefined) out.push(target);
    }
    for (const keyword of ['anyOf', 'oneOf'] as const) {
      (node[keyword] ?? []).forEach((branch: Schema, i: number) => {
        const value = this.build(branch, `${pointer}/${keyword}/${i}`, mode, depth + 1);
        if (value !== undefined) out.push(value);
      });
    }
    const own = this.buildFromKeywords(node, pointer, mode, depth);
    if (own !== undefined) out.push(own);
    // allOf (and a $ref beside an object's own properties): the objects built for each part, merged.
    if (parts.length > 0) {
      const built = [own, ...parts.map((part) => this.build(part.node, part.pointer, mode, depth + 1))];
      if (built.some(isObject)) out.unshift(Object.assign({}, ...built.filter(isObject)));
      else out.push(...built.filter((value) => value !== undefined));
    }
    return out;
  }

  private buildFromKeywords(node: Schema, pointer: string, mode: 'full' | 'min', depth: number): unknown {
    const types: string[] = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
    const type =
      types.find((t) => t !== 'null') ?? types[0] ?? (node.properties ? 'object' : node.items ? 'array' : undefined);
    switch (type) {
      case 'object': {
        const required = new Set<string>(node.required ?? []);
        const value: Record<string, unknown> = {};
        for (const [name, property] of Object.entries<Schema>(node.properties ?? {})) {
          if (mode === 'min' && !required.has(name)) continue;
          const built = this.build(property, `${pointer}/properties/${escapePointer(name)}`, mode, depth + 1);
          if (built !== undefined) value[name] = built;
        }
        for (const name of required) if (!(name in value)) value[name] = 'x';
        if (isObject(node.additionalProperties) && Object.keys(value).length < (node.minProperties ?? 0)) {
          value.key1 = this.build(node.additionalProperties, `${pointer}/additionalProperties`, mode, depth + 1);
        }
        return value;
      }
      case 'array': {
        const item = node.items ? this.build(node.items, `${pointer}/items`, mode, depth + 1) : 'x';
        if (item === undefined) return undefined;
        return Array.from({ length: Math.max(node.minItems ?? 0, 1) }, () => structuredClone(item));
      }
      case 'string': {
        const samples = node.format ? formatSamples[node.format] : undefined;
        if (samples) return samples.valid[0];
        const min = node.minLength ?? 1;
        if (node.pattern) {
          const fit = this.matching(node.pattern).find((s) => s.length >= min && s.length <= (node.maxLength ?? 1e9));
          if (fit !== undefined) return fit;
          return this.matching(node.pattern)[0];
        }
        return 'x'.repeat(Math.min(Math.max(min, 1), node.maxLength ?? 1e9));
      }
      case 'integer':
      case 'number': {
        let n = node.minimum ?? (node.exclusiveMinimum !== undefined ? node.exclusiveMinimum + 1 : 1);
        if (node.maximum !== undefined && n > node.maximum) n = node.maximum;
        if (node.multipleOf) n = Math.ceil(n / node.multipleOf) * node.multipleOf;
        return n;
      }
      case 'boolean':
        return true;
      case 'null':
        return null;
      default:
        return undefined;
    }
  }

  /** Every mutation of `value` (valid against `node`) at every depth, as whole values made by `put`. */
  mutations(node: Schema, pointer: string, value: unknown, put: Put, path: string, out: Case[], depth = 0): void {
    if (depth > MAX_DEPTH) return;
    const add = (replacement: unknown, what: string) => out.push({ value: put(replacement), why: `${path} ${what}` });
    const parts = this.parts(node, pointer);
    if (depth > 0 || !isObject(value) || node['x-fidelity-root-types'] !== false) this.wrongTypes(value, add);

    for (const { node: part, pointer: at } of parts) {
      if (Array.isArray(part.enum)) {
        for (const option of part.enum) {
          add(option, `enum ${JSON.stringify(option)}`);
          for (const miss of nearMisses(option)) add(miss, `enum near miss ${JSON.stringify(miss)}`);
        }
      }
      if ('const' in part) {
        add(part.const, 'const');
        for (const miss of nearMisses(part.const)) add(miss, `const near miss ${JSON.stringify(miss)}`);
      }
      if (typeof value === 'string') this.stringMutations(part, value, add);
      if (typeof value === 'number') numberMutations(part, value, add);
      for (const keyword of ['anyOf', 'oneOf'] as const) {
        (part[keyword] ?? []).forEach((branch: Schema, i: number) => {
          const branchPointer = `${at}/${keyword}/${i}`;
          if (this.validAt(branchPointer, value)) {
            this.mutations(branch, branchPointer, value, put, path, out, depth + 1);
            return;
          }
          // Another branch: a valid value of it, then its own mutations.
          const other = this.build(branch, branchPointer, 'full', depth + 1);
          if (other === undefined) return;
          add(other, `${keyword}[${i}] instead`);
          this.mutations(branch, branchPointer, other, put, `${path}(${keyword}[${i}])`, out, depth + 1);
        });
      }
    }

    if (isObject(value)) this.objectMutations(parts, value, put, path, out, depth, add);
    if (Array.isArray(value)) this.arrayMutations(parts, value, put, path, out, depth, add);
  }

  /** string↔number, boolean→string, object→string, array→object, null (also where nullable: both must accept). */
  private wrongTypes(value: unknown, add: (replacement: unknown, what: string) => void): void {
    const numeric = typeof value === 'string' && /^-?[0-9]+(\.[0-9]+)?$/.test(value) ? Number(value) : 1;
    const replacements: [unknown, string][] =
      typeof value === 'string'
        ? [[numeric, 'string→number']]
        : typeof value === 'number'
          ? [[String(value), 'number→string']]
          : typeof value === 'boolean'
            ? [[String(value), 'boolean→string']]
            : Array.isArray(value)
              ? [[{ ...value }, 'array→object']]
              : isObject(value)
                ? [['[object Object]', 'object→string']]
                : [
                    ['x', 'null→string'],
                    [0, 'null→number'],
                  ];
    for (const [replacement, what] of replacements) add(replacement, `wrong type ${what}`);
    if (value !== null) add(null, 'null');
  }

  private stringMutations(part: Schema, value: string, add: (replacement: unknown, what: string) => void): void {
    const pattern = part.pattern ? new RegExp(part.pattern, 'u') : undefined;
    const lengths: [number, string][] = [];
    if (part.minLength !== undefined) lengths.push([part.minLength - 1, 'minLength−1'], [part.minLength, 'minLength']);
    if (part.maxLength !== undefined) lengths.push([part.maxLength, 'maxLength'], [part.maxLength + 1, 'maxLength+1']);
    for (const [length, what] of lengths) {
      if (length < 0) continue;
      add(resized(value, length, pattern), `${what} (${length})`);
    }
    if (part.pattern && pattern) {
      const matches = [...new Set([value, ...this.matching(part.pattern)])].filter((s) => pattern.test(s));
      for (const match of matches) {
        if (match !== value) add(match, `pattern match ${JSON.stringify(match)}`);
        for (const miss of patternMisses(match, pattern)) add(miss, `pattern near miss ${JSON.stringify(miss)}`);
      }
    }
    const samples = part.format ? formatSamples[part.format] : undefined;
    if (samples) {
      const { valid, invalid } = samples;
      for (const sample of valid) add(sample, `format ${part.format} valid ${sample}`);
      for (const sample of invalid) add(sample, `format ${part.format} invalid ${sample}`);
    }
  }

  private objectMutations(
    parts: { node: Schema; pointer: string }[],
    value: Record<string, unknown>,
    put: Put,
    path: string,
    out: Case[],
    depth: number,
    add: (replacement: unknown, what: string) => void,
  ): void {
    const properties = new Map<string, { node: Schema; pointer: string }[]>();
    const required = new Set<string>();
    let minProperties: number | undefined;
    let maxProperties: number | undefined;
    const additional: { node: Schema; pointer: string }[] = [];
    for (const { node, pointer } of parts) {
      for (const [name, property] of Object.entries<Schema>(node.properties ?? {})) {
        const list = properties.get(name) ?? [];
        // A bare $ref stands where it points (a parameter set's properties are not in the document).
        const bare = typeof property.$ref === 'string' && Object.keys(property).every((k) => annotation.has(k));
        list.push(
          bare
            ? { node: this.at(property.$ref), pointer: property.$ref }
            : { node: property, pointer: `${pointer}/properties/${escapePointer(name)}` },
        );
        properties.set(name, list);
      }
      for (const name of node.required ?? []) required.add(name);
      if (node.minProperties !== undefined) minProperties = Math.max(minProperties ?? 0, node.minProperties);
      if (node.maxProperties !== undefined) maxProperties = Math.min(maxProperties ?? 1e9, node.maxProperties);
      if (isObject(node.additionalProperties))
        additional.push({ node: node.additionalProperties, pointer: `${pointer}/additionalProperties` });
    }
    const without = (name: string) => Object.fromEntries(Object.entries(value).filter(([key]) => key !== name));
    for (const name of Object.keys(value)) {
      add(without(name), `without ${required.has(name) ? 'required' : 'optional'} ${name}`);
    }
    // Extra fields are allowed wherever additionalProperties is not false (zod strips them: still valid).
    add({ ...value, x_fidelity_extra: 'extra' }, 'extra field');
    for (const { node, pointer } of additional) {
      const extra = this.build(node, pointer, 'full', depth + 1);
      if (extra === undefined) continue;
      const withExtra = { ...value, x_fidelity_key: extra };
      add(withExtra, 'additionalProperties value');
      this.mutations(node, pointer, extra, (x) => put({ ...value, x_fidelity_key: x }), `${path}.*`, out, depth + 1);
    }
    const keys = Object.keys(value);
    if (minProperties !== undefined) {
      add(Object.fromEntries(Object.entries(value).slice(0, Math.max(minProperties - 1, 0))), 'minProperties−1');
      add(Object.fromEntries(Object.entries(value).slice(0, minProperties)), 'minProperties');
      add({}, 'no properties');
    }
    if (maxProperties !== undefined) {
      const grown: Record<string, unknown> = { ...value };
      for (let i = 0; Object.keys(grown).length <= maxProperties; i++) grown[`x_fidelity_${i}`] = 'extra';
      add(grown, 'maxProperties+1');
      if (keys.length > maxProperties) add(Object.fromEntries(Object.entries(value).slice(0, maxProperties)), 'max');
    }
    for (const [name, schemas] of properties) {
      let base = value;
      let at: unknown = value[name];
      if (!(name in value)) {
        // An optional field the base lacks: add a valid value of it, then mutate inside that.
        const [first] = schemas as [{ node: Schema; pointer: string }];
        at = this.build(first.node, first.pointer, 'full', depth + 1);
        if (at === undefined) continue;
        base = { ...value, [name]: at };
        add(base, `with optional ${name}`);
      }
      const childPut: Put = (x) => put({ ...base, [name]: x });
      for (const schema of schemas) {
        this.mutations(schema.node, schema.pointer, at, childPut, `${path}.${name}`, out, depth + 1);
      }
    }
  }

  private arrayMutations(
    parts: { node: Schema; pointer: string }[],
    value: unknown[],
    put: Put,
    path: string,
    out: Case[],
    depth: number,
    add: (replacement: unknown, what: string) => void,
  ): void {
    add([], 'empty array');
    for (const { node, pointer } of parts) {
      const filler = value[0] ?? (node.items ? this.build(node.items, `${pointer}/items`, 'full', depth + 1) : 'x');
      const sized = (n: number) => Array.from({ length: n }, (_, i) => structuredClone(value[i] ?? filler));
      if (node.minItems !== undefined) {
        if (node.minItems > 0) add(sized(node.minItems - 1), `minItems−1 (${node.minItems - 1})`);
        add(sized(node.minItems), `minItems (${node.minItems})`);
      }
      if (node.maxItems !== undefined) {
        add(sized(node.maxItems), `maxItems (${node.maxItems})`);
        add(sized(node.maxItems + 1), `maxItems+1 (${node.maxItems + 1})`);
      }
      if (value.length > 0) add([...value, structuredClone(value[0])], 'first item repeated');
      if (!node.items) continue;
      let items = value;
      if (items.length === 0) {
        const built = this.build(node.items, `${pointer}/items`, 'full', depth + 1);
        if (built === undefined) continue;
        items = [built];
        add(items, 'one item');
      }
      // The first item: enough for "every depth" without multiplying the corpus by array lengths.
      items.slice(0, 1).forEach((item, i) => {
        const childPut: Put = (x) => put(items.map((other, j) => (j === i ? x : other)));
        this.mutations(node.items, `${pointer}/items`, item, childPut, `${path}[${i}]`, out, depth + 1);
      });
    }
  }
}

/** `value` cut or padded to `length`, padded with a character that keeps `pattern` matching where one does. */
function resized(value: string, length: number, pattern: RegExp | undefined): string {
  if (value.length >= length) return value.slice(0, length);
  const pads = [...new Set([value.at(-1) ?? 'a', value[0] ?? 'a', '0', 'a', 'A', '-'])];
  const padded = pads.map((pad) => value + pad.repeat(length - value.length));
  return padded.find((candidate) => pattern?.test(candidate)) ?? (padded[0] as string);
}

/** Near misses of a pattern match: one character replaced (start, middle, end), one appended, one prepended. */
function patternMisses(match: string, pattern: RegExp): string[] {
  const out: string[] = [];
  const fails = (candidate: string) => !pattern.test(candidate);
  const chars = [...match];
  const positions = [...new Set([0, Math.floor(chars.length / 2), chars.length - 1])].filter((i) => i >= 0);
  for (const i of positions) {
    const miss = missChars
      .map((c) => [...chars.slice(0, i), c, ...chars.slice(i + 1)].join(''))
      .find((candidate) => candidate !== match && fails(candidate));
    if (miss !== undefined) out.push(miss);
  }
  const appended = missChars.map((c) => match + c).find(fails);
  if (appended !== undefined) out.push(appended);
  const prepended = missChars.map((c) => c + match).find(fails);
  if (prepended !== undefined) out.push(prepended);
  // A backslash anywhere is also tried on its own: escaping bugs show up there first.
  out.push(`${match}\\`);
  return out;
}

function nearMisses(option: unknown): unknown[] {
  if (typeof option === 'string') {
    const other = option.toLowerCase() !== option ? option.toLowerCase() : option.toUpperCase();
    return [...new Set([other, `${option}X`, ` ${option}`])].filter((miss) => miss !== option);
  }
  if (typeof option === 'number') return [option + 1, String(option)];
  if (typeof option === 'boolean') return [!option, String(option)];
  return [];
}

function numberMutations(part: Schema, value: number, add: (replacement: unknown, what: string) => void): void {
  const integer = part.type === 'integer' || (Array.isArray(part.type) && part.type.includes('integer'));
  const step = integer ? 1 : 0.01;
  if (part.minimum !== undefined) {
    add(part.minimum, `minimum (${part.minimum})`);
    add(part.minimum - step, `minimum−${step}`);
  }
  if (part.maximum !== undefined) {
    add(part.maximum, `maximum (${part.maximum})`);
    add(part.maximum + step, `maximum+${step}`);
  }
  if (part.exclusiveMinimum !== undefined) {
    add(part.exclusiveMinimum, `exclusiveMinimum (${part.exclusiveMinimum})`);
    add(part.exclusiveMinimum + step, `exclusiveMinimum+${step}`);
  }
  if (part.exclusiveMaximum !== undefined) {
    add(part.exclusiveMaximum, `exclusiveMaximum (${part.exclusiveMaximum})`);
    add(part.exclusiveMaximum - step, `exclusiveMaximum−${step}`);
  }
  if (part.multipleOf !== undefined) {
    add(value + part.multipleOf / 2, `multipleOf/2 off (${value + part.multipleOf / 2})`);
    add(value + part.multipleOf, 'next multiple');
  }
  if (integer) {
    add(value + 0.5, 'non-integer');
    add(value + 1, 'next integer');
  }
  add(0, 'zero');
  add(-1, 'negative');
}
