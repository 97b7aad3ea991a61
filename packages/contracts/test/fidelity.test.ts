// The fidelity proof of the generated zod schemas: for every schema of every contract (each components/schemas
// entry, each operation's request body per media type, its path, query and header parameter sets, and each
// response status's body), the zod schema that src/generated exports for it and the spec's own JSON Schema (Ajv
// 2020 over the bundled spec, src/validator.ts) give the same verdict on every value of a corpus drawn from the
// spec (fidelity-corpus.ts). What legitimately cannot agree is named in `exceptions`, each with its reason and how
// it is covered, and each must actually occur, so the list cannot go stale.
//
// Query and header parameters arrive as strings on the wire; here both validators get the same JS value, as the
// JSON Schema sees it. Turning a wire string into a number (hc_channel "0" → 0) is the server's business.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import * as digiledgeOperations from '../src/generated/digiledge-agent.operations.ts';
import * as digiledgeZod from '../src/generated/digiledge-agent.zod.ts';
import * as ebppOperations from '../src/generated/ebpp-mpa.operations.ts';
import * as ebppZod from '../src/generated/ebpp-mpa.zod.ts';
import * as ekoOperations from '../src/generated/eko-bbps.operations.ts';
import * as ekoZod from '../src/generated/eko-bbps.zod.ts';
import * as collectOperations from '../src/generated/kaleidofin-collect.operations.ts';
import * as collectZod from '../src/generated/kaleidofin-collect.zod.ts';
import * as partnerOperations from '../src/generated/kaleidofin-partner.operations.ts';
import * as partnerZod from '../src/generated/kaleidofin-partner.zod.ts';
import { type ApiName, apiNames, Contract, type Parameter } from '../src/validator.ts';
import { type Case, CorpusBuilder, type Schema } from './fidelity-corpus.ts';

type Operations = Record<string, OperationEntry>;
interface OperationEntry {
  request?: {
    body?: { content: Record<string, { schema: ZodType }> };
    params?: ZodType;
    query?: ZodType;
    headers?: ZodType;
  };
  responses: Record<string, { content?: Record<string, { schema: ZodType }> }>;
}

const generated: Record<ApiName, { zod: Record<string, unknown>; operations: Operations }> = {
  'kaleidofin-partner': { zod: partnerZod, operations: partnerOperations.operations as unknown as Operations },
  'kaleidofin-collect': { zod: collectZod, operations: collectOperations.operations as unknown as Operations },
  'digiledge-agent': { zod: digiledgeZod, operations: digiledgeOperations.operations as unknown as Operations },
  'eko-bbps': { zod: ekoZod, operations: ekoOperations.operations as unknown as Operations },
  'ebpp-mpa': { zod: ebppZod, operations: ebppOperations.operations as unknown as Operations },
};

interface Disagreement {
  api: ApiName;
  target: string;
  why: string;
  value: unknown;
  ajv: boolean;
  zod: boolean;
}

/**
 * Everything that cannot agree today, with its reason and how it is covered. ONE list: each entry must match at
 * least one disagreement of the corpus (checked below, so the list cannot go stale: fix the generator and the
 * entry must go), and every disagreement must match an entry. What the zod plugin drops (multipleOf, min/max
 * properties, required-only anyOf branches, RFC 5322 emails) is covered in scripts/modules.mjs `unsupported` and is
 * not listed here: the corpus shows those agree now.
 * Not listed because they do not disagree: zod objects strip unknown keys (stripping does not change validity;
 * both accept an extra field, and no schema of these contracts says additionalProperties: false), and JSON Schema
 * `default` (the generator removes it from the plugin's input, scripts/modules.mjs `unsupported`, so a missing
 * required field with a default is refused by both).
 */
const exceptions: {
  name: string;
  kind: 'format reading';
  reason: string;
  coveredBy: string;
  matches: (d: Disagreement) => boolean;
}[] = [
  {
    name: 'date-time: a space or a lower-case t/z',
    kind: 'format reading',
    reason:
      'ajv-formats reads RFC 3339 leniently (separator /t|\\s/i, lower-case z); zod z.iso.datetime() wants "T" and ' +
      '"Z" exactly. Values with a space are outside RFC 3339 §5.6 (Ajv too lenient); lower-case t/z are inside it ' +
      '(zod too strict).',
    coveredBy:
      'zod is the stricter side only for a space (not RFC 3339) and for lower-case t/z (legal, never sent: every ' +
      'example and every producer here writes "T"/"Z", Date#toISOString). Ajv (src/validator.ts) accepts both.',
    matches: (d) =>
      d.ajv && !d.zod && /format date-time (valid|invalid) (2024-01-31 10:15:30Z|2024-01-31t10:15:30z)$/.test(d.why),
  },
];

/** One schema of a contract, with its two validators and its valid bases. */
interface Target {
  api: ApiName;
  kind: 'component' | 'body' | 'parameters' | 'response';
  name: string;
  zod: ZodType | undefined;
  ajv: (value: unknown) => boolean;
  node: Schema;
  pointer: string;
  examples: unknown[];
}

const zodName = (name: string) =>
  `z${name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}`;

const escapePointer = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

/** The examples of a media type or parameter: `example`, and `examples` (values, or $refs to components/examples). */
function examplesOf(contract: Contract, holder: Schema | undefined): unknown[] {
  if (!holder) return [];
  const out: unknown[] = [];
  if ('example' in holder) out.push(structuredClone(holder.example));
  for (const entry of Object.values<Schema>(holder.examples ?? {})) {
    const resolved = contract.resolve(entry) as Schema | undefined;
    if (resolved && 'value' in resolved) out.push(structuredClone(resolved.value));
  }
  return out;
}

function targetsOf(contract: Contract): Target[] {
  const api = contract.api;
  const { zod, operations } = generated[api];
  const document = contract.document as unknown as Schema;
  const targets: Target[] = [];
  // Component examples used in a media type whose schema is a component: valid bases for that component too.
  const usedExamples = new Map<string, unknown[]>();
  const noteUse = (media: Schema) => {
    const ref: string | undefined = media.schema?.$ref;
    if (!ref?.startsWith('#/components/schemas/')) return;
    const name = ref.slice('#/components/schemas/'.length);
    usedExamples.set(name, [...(usedExamples.get(name) ?? []), ...examplesOf(contract, media)]);
  };

  for (const { operationId, pointer, operation } of contract.operations()) {
    const entry = operations[operationId];
    const op = operation as unknown as Schema;
    const body = contract.resolve(op.requestBody) as Schema | undefined;
    for (const [mediaType, media] of Object.entries<Schema>(body?.content ?? {})) {
      noteUse(media);
      targets.push({
        api,
        kind: 'body',
        name: `${operationId} request ${mediaType}`,
        zod: entry?.request?.body?.content[mediaType]?.schema,
        ajv: (value) => contract.requestBody(operationId, value, mediaType).valid,
        node: media.schema,
        pointer: `${resolvedPointer(op.requestBody, `${pointer}/requestBody`)}/content/${escapePointer(mediaType)}/schema`,
        examples: examplesOf(contract, media),
      });
    }
    const parameters = contract.parameters(operationId);
    for (const [location, part] of [
      ['path', 'params'],
      ['query', 'query'],
      ['header', 'headers'],
    ] as const) {
      const declared = parameters.filter((p) => p.in === location);
      if (declared.length === 0) continue;
      targets.push(parameterSet(contract, operationId, location, declared, entry?.request?.[part]));
    }
    for (const [status, raw] of Object.entries<Schema>(op.responses)) {
      const response = contract.resolve(raw) as Schema;
      const at = resolvedPointer(raw, `${pointer}/responses/${escapePointer(status)}`);
      for (const [mediaType, media] of Object.entries<Schema>(response.content ?? {})) {
        if (!media.schema) continue;
        noteUse(media);
        targets.push({
          api,
          kind: 'response',
          name: `${operationId} ${status} ${mediaType}`,
          zod: entry?.responses[status]?.content?.[mediaType]?.schema,
          ajv: (value) => contract.response(operationId, status, value, mediaType).valid,
          node: media.schema,
          pointer: `${at}/content/${escapePointer(mediaType)}/schema`,
          examples: examplesOf(contract, media),
        });
      }
    }
  }
  const components: [string, Target][] = Object.entries<Schema>(document.components?.schemas ?? {}).map(
    ([name, node]) => [
      name,
      {
        api,
        kind: 'component',
        name: `schema ${name}`,
        zod: zod[zodName(name)] as ZodType | undefined,
        ajv: (value) => contract.schema(name, value).valid,
        node,
        pointer: `#/components/schemas/${escapePointer(name)}`,
        examples: usedExamples.get(name) ?? [],
      },
    ],
  );
  return [...components.map(([, target]) => target), ...targets];
}

/** Where a node that may be a `$ref` (to components/responses, requestBodies) really stands. */
function resolvedPointer(node: unknown, pointer: string): string {
  const ref = (node as { $ref?: string } | undefined)?.$ref;
  return ref ?? pointer;
}

/**
 * A parameter set (all path, query or header parameters of an operation) as one object schema, the shape the
 * generated z<Op>Path/Query/Headers objects have. JSON Schema's verdict on it: every required parameter present,
 * every present one valid against its own schema (contract.parameter). Parameters not declared are not refused
 * (a request carries other headers), as zod's objects strip them.
 */
function parameterSet(
  contract: Contract,
  operationId: string,
  location: Parameter['in'],
  declared: Parameter[],
  zod: ZodType | undefined,
): Target {
  const op = contract.operation(operationId);
  const pathItem = (contract.document.paths[op.path] ?? {}) as { parameters?: unknown[] };
  const pointers = new Map<string, string>();
  for (const [list, at] of [
    [pathItem.parameters, `#/paths/${escapePointer(op.path)}`],
    [op.operation.parameters, op.pointer],
  ] as const) {
    (list ?? []).forEach((raw, index) => {
      const parameter = contract.resolve(raw) as Parameter;
      if (parameter.in === location) pointers.set(parameter.name, resolvedPointer(raw, `${at}/parameters/${index}`));
    });
  }
  const node: Schema = {
    type: 'object',
    'x-fidelity-root-types': false,
    properties: Object.fromEntries(declared.map((p) => [p.name, { $ref: `${pointers.get(p.name)}/schema` }])),
    required: declared.filter((p) => p.required || p.in === 'path').map((p) => p.name),
  };
  const example = Object.fromEntries(
    declared.flatMap((p) => {
      const [first] = examplesOf(contract, p as unknown as Schema);
      return first === undefined ? [] : [[p.name, first]];
    }),
  );
  return {
    api: contract.api,
    kind: 'parameters',
    name: `${operationId} ${location} parameters`,
    zod,
    ajv: (value) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
      const set = value as Record<string, unknown>;
      return declared.every((p) =>
        p.name in set
          ? contract.parameter(operationId, p.name, set[p.name], location).valid
          : !(p.required || p.in === 'path'),
      );
    },
    node,
    pointer: '#/x-fidelity-parameter-set',
    examples: Object.keys(example).length > 0 ? [example] : [],
  };
}

/** The corpus: for each target with a zod schema and a valid base, its cases, deduplicated, in a fixed order. */
interface Corpus {
  targets: Target[];
  judged: { target: Target; cases: Case[] }[];
  withoutBase: string[];
  withoutZod: string[];
  /** FNV-1a over every case's JSON, in order: the same corpus gives the same fingerprint. */
  fingerprint: string;
}

function buildCorpus(contracts: Contract[]): Corpus {
  const corpus: Corpus = { targets: [], judged: [], withoutBase: [], withoutZod: [], fingerprint: '' };
  let hash = 0x811c9dc5;
  for (const contract of contracts) {
    const builder = new CorpusBuilder(contract.document as unknown as Schema);
    for (const target of targetsOf(contract)) {
      corpus.targets.push(target);
      if (!target.zod) {
        corpus.withoutZod.push(`${target.api} ${target.name}`);
        continue;
      }
      // A parameter set is not in the document: its value is built parameter by parameter.
      const isSet = target.kind === 'parameters';
      // The spec's examples at the place and a value with every field; one with required fields only where
      // neither is valid (removing each optional field from the full value covers the rest).
      const build = (mode: 'full' | 'min') =>
        isSet ? buildSet(builder, target.node, mode) : builder.build(target.node, target.pointer, mode);
      const candidates = [...target.examples, build('full')];
      if (!candidates.some((value) => value !== undefined && target.ajv(value))) candidates.push(build('min'));
      const seenBases = new Set<string>();
      const bases = candidates.filter((value) => {
        const key = JSON.stringify(value);
        if (value === undefined || seenBases.has(key) || !target.ajv(value)) return false;
        seenBases.add(key);
        return true;
      });
      if (bases.length === 0) {
        corpus.withoutBase.push(`${target.api} ${target.name}`);
        continue;
      }
      const all: Case[] = bases.map((value, i) => ({ value, why: `base ${i}` }));
      for (const base of bases) builder.mutations(target.node, target.pointer, base, (x) => x, '$', all);
      const seen = new Set<string>();
      const cases = all.filter(({ value }) => {
        const key = JSON.stringify(value);
        if (key === undefined || seen.has(key)) return false;
        seen.add(key);
        for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
        return true;
      });
      corpus.judged.push({ target, cases });
    }
  }
  corpus.fingerprint = (hash >>> 0).toString(16).padStart(8, '0');
  return corpus;
}

interface Report {
  cases: number;
  rejections: number;
  casesPerApi: Map<ApiName, number>;
  rejectionsPerApi: Map<ApiName, number>;
  disagreements: Disagreement[];
}

/** Judges every case with both validators: `zod.safeParse(value).success` against Ajv's `valid`. */
function judge(corpus: Corpus): Report {
  const report: Report = {
    cases: 0,
    rejections: 0,
    casesPerApi: new Map(),
    rejectionsPerApi: new Map(),
    disagreements: [],
  };
  const bump = (map: Map<ApiName, number>, api: ApiName) => map.set(api, (map.get(api) ?? 0) + 1);
  for (const { target, cases } of corpus.judged) {
    for (const { value, why } of cases) {
      const ajv = target.ajv(value);
      const zod = (target.zod as ZodType).safeParse(value).success;
      report.cases++;
      bump(report.casesPerApi, target.api);
      if (!ajv) {
        report.rejections++;
        bump(report.rejectionsPerApi, target.api);
      }
      if (ajv !== zod) report.disagreements.push({ api: target.api, target: target.name, why, value, ajv, zod });
    }
  }
  return report;
}

/** A parameter set's value built parameter by parameter (the set itself has no pointer to validate at). */
function buildSet(builder: CorpusBuilder, node: Schema, mode: 'full' | 'min'): unknown {
  const required = new Set<string>(node.required);
  return Object.fromEntries(
    Object.entries<Schema>(node.properties).flatMap(([name, property]) => {
      if (mode === 'min' && !required.has(name)) return [];
      const value = builder.build(builder.at(property.$ref), property.$ref, mode);
      return value === undefined ? [] : [[name, value]];
    }),
  );
}

const show = (value: unknown) => {
  const text = JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
};

describe('the generated zod schemas agree with the spec’s JSON Schema (Ajv 2020)', () => {
  let corpus: Corpus;
  let report: Report;

  beforeAll(async () => {
    const contracts = await Promise.all(apiNames.map((api) => Contract.load(api)));
    corpus = buildCorpus(contracts);
    report = judge(corpus);
    const counts = (kind: Target['kind']) => corpus.targets.filter((t) => t.kind === kind).length;
    console.log(
      `fidelity: ${corpus.targets.length} schemas of ${apiNames.length} contracts (${counts('component')} components, ` +
        `${counts('body')} request bodies, ${counts('parameters')} parameter sets, ${counts('response')} responses); ` +
        `${report.cases} cases (${report.rejections} rejected by Ajv), ` +
        `${report.cases - report.disagreements.length} agreements, ${report.disagreements.length} disagreements ` +
        `(${exceptions.length} listed exceptions); corpus ${corpus.fingerprint}`,
    );
  }, 120_000);

  it('every schema has a generated zod schema and a valid base value', () => {
    expect(corpus.withoutZod).toEqual([]);
    expect(corpus.withoutBase).toEqual([]);
  });

  it('zod and Ajv agree on every case, except where a listed exception says why not', () => {
    const unexplained = report.disagreements.filter((d) => !exceptions.some((e) => e.matches(d)));
    const lines = unexplained.map(
      (d) =>
        `${d.api} ${d.target} [${d.why}] ${show(d.value)}: Ajv ${d.ajv ? 'accepts' : 'rejects'}, zod ${d.zod ? 'accepts' : 'rejects'}`,
    );
    expect(lines).toEqual([]);
  });

  it('each listed exception actually occurs (the list cannot go stale)', () => {
    const stale = exceptions.filter((e) => !report.disagreements.some((d) => e.matches(d))).map((e) => e.name);
    expect(stale).toEqual([]);
  });

  it('the corpus is not trivial: every contract contributes cases and rejections, a third of all are rejections', () => {
    for (const api of apiNames) {
      expect(report.casesPerApi.get(api) ?? 0, api).toBeGreaterThan(200);
      expect(report.rejectionsPerApi.get(api) ?? 0, api).toBeGreaterThan(100);
    }
    expect(report.rejections / report.cases).toBeGreaterThan(1 / 3);
    expect(corpus.targets.length).toBeGreaterThan(100);
  });

  it('the corpus is deterministic: built again, it is the same', async () => {
    const again = buildCorpus(await Promise.all(apiNames.map((api) => Contract.load(api))));
    expect([again.judged.length, again.fingerprint]).toEqual([corpus.judged.length, corpus.fingerprint]);
  });
});
