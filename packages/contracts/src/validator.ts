// Validates values against the schemas of a contract with the spec's own JSON Schema (Ajv 2020): bodies, responses,
// parameters, and the contract's own examples where they are used. It reads the bundled copy of each contract that
// `pnpm generate` writes into this package (src/generated/<api>.openapi.json), so it needs nothing outside the
// package at run time. Used by the example tests here, the fidelity proof of the zod schemas, and the suites that
// check live responses against the spec.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { type ApiName, apiNames } from './generated/apis.ts';

export { type ApiName, apiNames };

/** The bundled contract (one JSON document, local `$ref`s only) shipped in this package. */
export function specPath(api: ApiName): string {
  return fileURLToPath(new URL(`./generated/${api}.openapi.json`, import.meta.url));
}

export interface Verdict {
  valid: boolean;
  /** One line per failure: `<instance path> <message>`. */
  errors: string[];
}

type OpenApiDocument = {
  paths: Record<string, Record<string, Operation>>;
  components?: Record<string, Record<string, unknown>>;
};
type Operation = {
  operationId?: string;
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType> }>;
  parameters?: unknown[];
};
type MediaType = { schema?: unknown; example?: unknown; examples?: Record<string, { value?: unknown; $ref?: string }> };

export interface OperationInfo {
  operationId: string;
  method: string;
  path: string;
  pointer: string;
  operation: Operation;
}

/** A place where a component example is used: a request body or a response of an operation, in one media type. */
export interface ExampleUse {
  /** Its name under `components/examples`. */
  example: string;
  operationId: string;
  in: 'request' | 'response';
  /** The response's key in the operation (`'200'`, `'4XX'`, `'default'`); only for `in: 'response'`. */
  status?: string;
  mediaType: string;
}

/** A parameter of an operation, `$ref` resolved. */
export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  example?: unknown;
  schema?: unknown;
}

/** Bundles a spec (resolving every file $ref) and validates values against any schema in it. */
export class Contract {
  readonly api: ApiName;
  readonly document: OpenApiDocument;
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  private constructor(api: ApiName, document: OpenApiDocument) {
    this.api = api;
    this.document = document;
    // strict: false because OpenAPI adds keywords (example, discriminator, xml) that JSON Schema does not know.
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
    addFormats(this.ajv);
    this.ajv.addSchema(document as object, 'spec');
  }

  static async load(api: ApiName): Promise<Contract> {
    return Contract.fromDocument(api, JSON.parse(await readFile(specPath(api), 'utf8')));
  }

  /** A contract from a bundled OpenAPI document (all `$ref`s local). */
  static fromDocument(api: ApiName, document: unknown): Contract {
    return new Contract(api, document as OpenApiDocument);
  }

  /** Every operation in the spec, in document order. */
  operations(): OperationInfo[] {
    const found: OperationInfo[] = [];
    for (const [path, item] of Object.entries(this.document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (!['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'].includes(method)) continue;
        const pointer = `#/paths/${escapePointer(path)}/${method}`;
        found.push({ operationId: operation.operationId ?? `${method} ${path}`, method, path, pointer, operation });
      }
    }
    return found;
  }

  operation(operationId: string): OperationInfo {
    const found = this.operations().find((op) => op.operationId === operationId);
    if (!found) throw new Error(`${this.api} has no operation ${operationId}`);
    return found;
  }

  /** Validates against `#/components/schemas/<name>`. */
  schema(name: string, value: unknown): Verdict {
    return this.validateAt(`#/components/schemas/${escapePointer(name)}`, value);
  }

  /** Validates a request body of an operation. */
  requestBody(operationId: string, value: unknown, mediaType = 'application/json'): Verdict {
    const op = this.operation(operationId);
    if (!op.operation.requestBody?.content[mediaType]) throw new Error(`${operationId} has no ${mediaType} body`);
    return this.validateAt(`${op.pointer}/requestBody/content/${escapePointer(mediaType)}/schema`, value);
  }

  /** Validates a response body of an operation for a status (`'200'`, `'4XX'`, `'default'`). */
  response(operationId: string, status: number | string, value: unknown, mediaType = 'application/json'): Verdict {
    const op = this.operation(operationId);
    const key = responseKey(op.operation, String(status));
    if (!key) return { valid: false, errors: [`${operationId} declares no response for status ${status}`] };
    // Responses may be $refs to components/responses, so validate the resolved schema by its own pointer.
    const { node, pointer } = this.locate(op.operation.responses[key], `${op.pointer}/responses/${key}`);
    if (!(node as { content?: Record<string, MediaType> }).content?.[mediaType])
      return { valid: false, errors: [`${operationId} ${key} has no ${mediaType} body`] };
    return this.validateAt(`${pointer}/content/${escapePointer(mediaType)}/schema`, value);
  }

  /**
   * The parameters of an operation, `$ref`s resolved: those declared on its path, then its own (an own parameter
   * replaces the path's one of the same name and location, as in OpenAPI).
   */
  parameters(operationId: string): Parameter[] {
    return this.parameterEntries(operationId).map((entry) => entry.parameter);
  }

  /**
   * Validates the value of a path, query, header or cookie parameter against its schema (following `$ref`s to
   * components/parameters and components/schemas). Errors read like body errors, rooted at the parameter's name:
   * `/hc_channel must be equal to one of the allowed values`. `location` picks between two parameters of one name.
   */
  parameter(operationId: string, name: string, value: unknown, location?: Parameter['in']): Verdict {
    const found = this.parameterEntries(operationId).filter(
      ({ parameter }) => parameter.name === name && (location === undefined || parameter.in === location),
    );
    const [entry, ...others] = found;
    if (!entry)
      throw new Error(`${this.api}: ${operationId} has no ${location ? `${location} ` : ''}parameter ${name}`);
    if (others.length > 0) throw new Error(`${this.api}: ${operationId} has ${found.length} parameters ${name}`);
    if (entry.parameter.schema === undefined) throw new Error(`${this.api}: ${operationId} ${name} has no schema`);
    const verdict = this.validateAt(`${entry.pointer}/schema`, value);
    return { valid: verdict.valid, errors: verdict.errors.map((error) => `/${name}${error.replace(/^\(root\)/, '')}`) };
  }

  /** A deep copy of the value of `components/examples/<name>`, free to change without touching the document. */
  example(name: string): unknown {
    const found = this.resolve(this.document.components?.examples?.[name]) as { value?: unknown } | undefined;
    if (!found) throw new Error(`${this.api} has no example ${name}`);
    return structuredClone(found.value);
  }

  /**
   * Every place a component example is used, in document order: request bodies and responses (following `$ref`s
   * to components/responses), in every media type. Throws on an example that is not a `$ref` to components/examples.
   */
  exampleUses(): ExampleUse[] {
    const uses: ExampleUse[] = [];
    const named = (media: MediaType, where: string): string[] =>
      Object.values(media.examples ?? {}).map((ref) => exampleName(ref, `${this.api} ${where}`));
    for (const { operationId, operation } of this.operations()) {
      for (const [mediaType, media] of Object.entries(operation.requestBody?.content ?? {})) {
        for (const example of named(media, `${operationId} request`))
          uses.push({ example, operationId, in: 'request', mediaType });
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        const { content } = this.resolve(response) as { content?: Record<string, MediaType> };
        for (const [mediaType, media] of Object.entries(content ?? {})) {
          for (const example of named(media, `${operationId} ${status}`))
            uses.push({ example, operationId, in: 'response', status, mediaType });
        }
      }
    }
    return uses;
  }

  /** Validates a value (by default the example's own) at the place `use` names: its request body or response. */
  validateExampleUse(use: ExampleUse, value: unknown = this.example(use.example)): Verdict {
    if (use.in === 'request') return this.requestBody(use.operationId, value, use.mediaType);
    if (use.status === undefined) throw new Error(`${this.api}: a response use of ${use.example} needs a status`);
    return this.response(use.operationId, use.status, value, use.mediaType);
  }

  /** Follows local `$ref`s to what they point at (the bundle keeps refs local to the document). */
  resolve(node: unknown): unknown {
    return this.locate(node, '#').node;
  }

  /** Follows local `$ref`s from `node`, found at `pointer`, to what they lead to and where that stands. */
  private locate(node: unknown, pointer: string): { node: unknown; pointer: string } {
    if (!isRef(node)) return { node, pointer };
    const ref = (node as { $ref: string }).$ref;
    let current: unknown = this.document;
    for (const part of ref.replace(/^#\//, '').split('/')) {
      current = (current as Record<string, unknown>)[unescapePointer(part)];
    }
    return this.locate(current, ref);
  }

  /** The parameters of an operation (path's first) with the pointer each resolved parameter stands at. */
  private parameterEntries(operationId: string): { parameter: Parameter; pointer: string }[] {
    const op = this.operation(operationId);
    const pathItem = this.document.paths[op.path] as { parameters?: unknown[] };
    const located = (nodes: unknown[] | undefined, at: string) =>
      (nodes ?? []).map((node, index) => {
        const { node: parameter, pointer } = this.locate(node, `${at}/parameters/${index}`);
        return { parameter: parameter as Parameter, pointer };
      });
    const own = located(op.operation.parameters, op.pointer);
    const inherited = located(pathItem.parameters, `#/paths/${escapePointer(op.path)}`).filter(
      ({ parameter }) => !own.some((o) => o.parameter.name === parameter.name && o.parameter.in === parameter.in),
    );
    return [...inherited, ...own];
  }

  private validateAt(pointer: string, value: unknown): Verdict {
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.getSchema(`spec${pointer}`);
      if (!validate) throw new Error(`${this.api}: no schema at ${pointer}`);
      this.compiled.set(pointer, validate);
    }
    const valid = validate(value) as boolean;
    return { valid, errors: valid ? [] : formatErrors(validate.errors ?? []) };
  }
}

function responseKey(operation: Operation, status: string): string | undefined {
  const keys = Object.keys(operation.responses);
  return (
    keys.find((k) => k === status) ?? keys.find((k) => k === `${status[0]}XX`) ?? keys.find((k) => k === 'default')
  );
}

function isRef(node: unknown): boolean {
  return typeof node === 'object' && node !== null && '$ref' in node;
}

const EXAMPLES = '#/components/examples/';

/** The components/examples name a `$ref` points to; `where` says which use, for the error. */
function exampleName(node: { $ref?: string }, where: string): string {
  const ref = node.$ref ?? '';
  if (!ref.startsWith(EXAMPLES) || ref.length === EXAMPLES.length)
    throw new Error(`${where}: example is not a $ref to components/examples: ${JSON.stringify(node)}`);
  return unescapePointer(ref.slice(EXAMPLES.length));
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function unescapePointer(segment: string): string {
  return decodeURIComponent(segment).replaceAll('~1', '/').replaceAll('~0', '~');
}

function formatErrors(errors: ErrorObject[]): string[] {
  return errors.map((e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword}`.trim());
}
