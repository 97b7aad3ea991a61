// Bad inputs derived from the contract's request schema, one field at a time: the field removed (when required),
// given the wrong JSON type, made one character longer than maxLength, made to break its pattern, given a value
// outside its enum, or put under its minimum. Each mutated body is kept only when the spec's own JSON Schema refuses
// it, so the kit never blames a biller for accepting what the contract allows.
import type { Contract } from '@bbps-kit/contracts/validator';

export interface Mutation {
  /** The field's path as the contracts name it: `paymentDetails.amountPaid`, `[0].identifierValue`. */
  field: string;
  kind: 'missing' | 'wrong type' | 'too long' | 'pattern broken' | 'not in enum' | 'below minimum';
  body: unknown;
}

type Schema = {
  type?: string | string[];
  properties?: Record<string, unknown>;
  required?: string[];
  items?: unknown;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  enum?: unknown[];
  minimum?: number;
  exclusiveMinimum?: number;
  allOf?: unknown[];
};

type Segment = string | number;

export function fieldPath(path: Segment[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${p}`)).join('');
}

/** Every mutation of `base` the request schema of `operationId` refuses, for fields present in `base`. */
export function deriveMutations(
  contract: Contract,
  operationId: string,
  base: unknown,
  options: { mediaType?: string; form?: boolean } = {},
): Mutation[] {
  const mediaType = options.mediaType ?? 'application/json';
  const op = contract.operation(operationId);
  const root = op.operation.requestBody?.content[mediaType]?.schema;
  const found: Mutation[] = [];
  const seen = new Set<string>();
  const add = (
    path: Segment[],
    kind: Mutation['kind'],
    mutate: (parent: Record<string, unknown>, key: Segment) => void,
  ) => {
    const body = structuredClone(base);
    const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], body);
    mutate(parent as Record<string, unknown>, path[path.length - 1] as Segment);
    const field = fieldPath(path);
    if (seen.has(`${field} ${kind}`)) return;
    if (contract.requestBody(operationId, body, mediaType).valid) return;
    seen.add(`${field} ${kind}`);
    found.push({ field, kind, body });
  };
  const walk = (schemaNode: unknown, value: unknown, path: Segment[], required: boolean, depth: number) => {
    const schema = merged(contract, schemaNode);
    const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
    if (path.length > 0) {
      if (required && !options.form) add(path, 'missing', (parent, key) => deleteKey(parent, key));
      if (!options.form) {
        const wrong = wrongType(type);
        if (wrong !== undefined) add(path, 'wrong type', (parent, key) => set(parent, key, wrong));
      }
      if (typeof value === 'string') {
        if (schema.maxLength !== undefined) {
          const long = longer(value, schema.maxLength);
          add(path, 'too long', (parent, key) => set(parent, key, long));
        }
        if (schema.pattern !== undefined) {
          const broken = breakPattern(schema.pattern, value, schema);
          if (broken !== undefined) add(path, 'pattern broken', (parent, key) => set(parent, key, broken));
        }
        if (schema.enum) add(path, 'not in enum', (parent, key) => set(parent, key, 'not-a-listed-value'));
      }
      if (typeof value === 'number') {
        const floor = schema.exclusiveMinimum ?? schema.minimum;
        if (floor !== undefined) add(path, 'below minimum', (parent, key) => set(parent, key, floor - 1));
      }
    }
    if (depth >= 3) return;
    if (Array.isArray(value) && schema.items !== undefined && value.length > 0) {
      walk(schema.items, value[0], [...path, 0], false, depth + 1);
    } else if (value && typeof value === 'object' && schema.properties) {
      for (const [key, child] of Object.entries(schema.properties)) {
        if (!(key in (value as Record<string, unknown>))) continue;
        walk(
          child,
          (value as Record<string, unknown>)[key],
          [...path, key],
          schema.required?.includes(key) ?? false,
          depth + 1,
        );
      }
    }
  };
  walk(root, base, [], true, 0);
  return found;
}

/** The schema with `$ref`s followed and `allOf` parts merged (enough for deriving mutations). */
function merged(contract: Contract, node: unknown): Schema {
  const schema = { ...(contract.resolve(node) as Schema) };
  for (const part of schema.allOf ?? []) {
    const sub = merged(contract, part);
    Object.assign(schema, { ...sub, ...schema, properties: { ...sub.properties, ...schema.properties } });
    schema.required = [...(schema.required ?? []), ...(sub.required ?? [])];
  }
  return schema;
}

function wrongType(type: string | undefined): unknown {
  switch (type) {
    case 'string':
      return 12345;
    case 'number':
    case 'integer':
      return 'not-a-number';
    case 'boolean':
      return 'yes';
    case 'object':
      return 'not-an-object';
    case 'array':
      return 'not-an-array';
    default:
      return undefined;
  }
}

function longer(value: string, maxLength: number): string {
  const seed = value.length > 0 ? value : '1';
  let long = seed;
  while (long.length <= maxLength) long += seed;
  return long.slice(0, maxLength + 1);
}

/** A value of a length the schema allows that the pattern refuses. */
function breakPattern(pattern: string, value: string, schema: Schema): string | undefined {
  const regex = new RegExp(pattern, 'u');
  const length = Math.max(schema.minLength ?? 1, Math.min(value.length || 1, schema.maxLength ?? 20));
  for (const char of ['\u0000', '<', '"', '^', '§', ' ', '~', '!', 'a', '0', '.', '-']) {
    const candidate = char.repeat(Math.max(1, length));
    if (!regex.test(candidate)) return candidate;
  }
  return undefined;
}

function set(parent: Record<string, unknown>, key: Segment, value: unknown): void {
  (parent as Record<Segment, unknown>)[key] = value;
}

function deleteKey(parent: Record<string, unknown>, key: Segment): void {
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete parent[key as string];
}
