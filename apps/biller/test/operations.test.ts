// The operations the server exposes (from its OpenAPI registry) and the operations of the two specs must be
// the same, both ways: method, path, operationId, parameters, request and response media types, statuses
// and security. A route added, dropped or changed on either side fails here.
import { Contract } from '@bbps-kit/contracts/validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import type { Db } from '../src/db/db.ts';
import { createLogger } from '../src/logging.ts';

type Json = Record<string, unknown>;

interface Shape {
  operationId: string;
  parameters: string[];
  requestBodyRequired: boolean;
  requestMediaTypes: string[];
  responses: Record<string, string[]>;
  security: string[];
}

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

function shapes(document: Json, resolve: (node: unknown) => unknown): Map<string, Shape> {
  const found = new Map<string, Shape>();
  for (const [path, item] of Object.entries(document.paths as Record<string, Json>)) {
    for (const [method, raw] of Object.entries(resolve(item) as Record<string, Json>)) {
      if (!methods.includes(method)) continue;
      const operation = resolve(raw) as Json;
      const body = resolve(operation.requestBody) as { required?: boolean; content?: Json } | undefined;
      const responses: Record<string, string[]> = {};
      for (const [status, response] of Object.entries(operation.responses as Json)) {
        const content = (resolve(response) as { content?: Json }).content ?? {};
        responses[status] = Object.keys(content).sort();
      }
      const security = ((operation.security ?? document.security ?? []) as Record<string, unknown>[]).map((req) =>
        Object.keys(req).sort().join('+'),
      );
      found.set(`${method.toUpperCase()} ${path}`, {
        operationId: operation.operationId as string,
        parameters: ((operation.parameters ?? []) as unknown[])
          .map((p) => resolve(p) as { in: string; name: string; required?: boolean })
          .map((p) => `${p.in}:${p.name}:${p.required === true}`)
          .sort(),
        requestBodyRequired: body?.required === true,
        requestMediaTypes: Object.keys(body?.content ?? {}).sort(),
        responses,
        security: security.sort(),
      });
    }
  }
  return found;
}

const notUsed = new Proxy({} as Db, {
  get() {
    throw new Error('the registry test must not touch the database');
  },
});

describe('server operations equal the specs', () => {
  let server: Map<string, Shape>;
  const specs = new Map<string, Shape>();
  beforeAll(async () => {
    const app = buildApp({
      db: notUsed,
      config: { kaleidofinApiKeys: ['k'], ebppClientKey: 'c', ebppApiKeys: ['a'] },
      logger: createLogger(() => {}),
    });
    const document = app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'biller', version: '0' } });
    server = shapes(document as unknown as Json, (node) => node);
    for (const api of ['kaleidofin-partner', 'ebpp-mpa'] as const) {
      const contract = await Contract.load(api);
      for (const [key, shape] of shapes(contract.document as unknown as Json, (node) => contract.resolve(node))) {
        specs.set(key, shape);
      }
    }
  });

  it('exposes exactly the operations of the two specs', () => {
    expect([...server.keys()].sort()).toEqual([...specs.keys()].sort());
    expect(server.size).toBe(6);
  });

  it('matches each operation field by field', () => {
    for (const [key, spec] of specs) expect({ key, ...server.get(key) }).toEqual({ key, ...spec });
  });
});
