// Validates values against the schemas of a contract, straight from specs/<api>/openapi.yaml.
// Used by the example tests here and by the suites that check live responses against the spec.
import { fileURLToPath } from 'node:url';
import { bundle, createConfig } from '@redocly/openapi-core';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

export const apiNames = [
  'kaleidofin-partner',
  'kaleidofin-collect',
  'digiledge-agent',
  'eko-bbps',
  'ebpp-mpa',
] as const;
export type ApiName = (typeof apiNames)[number];

export function specPath(api: ApiName): string {
  return fileURLToPath(new URL(`../../../specs/${api}/openapi.yaml`, import.meta.url));
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
type MediaType = { schema?: unknown; example?: unknown; examples?: Record<string, { value?: unknown }> };

export interface OperationInfo {
  operationId: string;
  method: string;
  path: string;
  pointer: string;
  operation: Operation;
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

  static load(api: ApiName): Promise<Contract> {
    return Contract.fromFile(specPath(api), api);
  }

  static async fromFile(path: string, api: ApiName): Promise<Contract> {
    const config = await createConfig({});
    const { bundle: result, problems } = await bundle({ ref: path, config, dereference: false });
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) throw new Error(`${path}: ${errors.map((p) => p.message).join('; ')}`);
    return new Contract(api, result.parsed as OpenApiDocument);
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
    const content = this.resolve(op.operation.responses[key]) as { content?: Record<string, MediaType> };
    if (!content.content?.[mediaType])
      return { valid: false, errors: [`${operationId} ${key} has no ${mediaType} body`] };
    // Responses may be $refs to components/responses, so validate the resolved schema by its own pointer.
    const schemaPointer = isRef(op.operation.responses[key])
      ? `${(op.operation.responses[key] as { $ref: string }).$ref}/content/${escapePointer(mediaType)}/schema`
      : `${op.pointer}/responses/${key}/content/${escapePointer(mediaType)}/schema`;
    return this.validateAt(schemaPointer, value);
  }

  /** Follows one local `$ref` (the bundle keeps refs local to the document). */
  resolve(node: unknown): unknown {
    if (!isRef(node)) return node;
    const pointer = (node as { $ref: string }).$ref;
    let current: unknown = this.document;
    for (const part of pointer.replace(/^#\//, '').split('/')) {
      current = (current as Record<string, unknown>)[unescapePointer(part)];
    }
    return this.resolve(current);
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

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function unescapePointer(segment: string): string {
  return decodeURIComponent(segment).replaceAll('~1', '/').replaceAll('~0', '~');
}

function formatErrors(errors: ErrorObject[]): string[] {
  return errors.map((e) => `${e.instancePath || '(root)'} ${e.message ?? e.keyword}`.trim());
}
