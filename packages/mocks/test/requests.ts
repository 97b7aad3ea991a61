// Requests built from a contract's own examples (parameters, first request-body example, security headers), so
// the tests send what the spec prints without restating it.
import { Agent, request as httpRequest } from 'node:http';
import type { Contract, OperationInfo } from '@bbps-kit/contracts/validator';

interface Parameter {
  name: string;
  in: string;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
  schema?: { example?: unknown };
}
type Media = { example?: unknown; examples?: Record<string, unknown> };

export interface ExampleRequest {
  operationId: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

function exampleOf(contract: Contract, parameter: Parameter): unknown {
  const first = Object.values(parameter.examples ?? {})[0];
  return (
    parameter.example ?? (first && (contract.resolve(first) as { value?: unknown }).value) ?? parameter.schema?.example
  );
}

/** The operation's example request: every parameter that has an example, and the first body example. */
export function exampleRequest(contract: Contract, op: OperationInfo): ExampleRequest {
  const pathItem = (contract.document.paths?.[op.path] ?? {}) as { parameters?: unknown[] };
  const parameters = [...(pathItem.parameters ?? []), ...(op.operation.parameters ?? [])].map(
    (p) => contract.resolve(p) as Parameter,
  );
  const headers: Record<string, string> = {};
  const schemes = (contract.document.components?.securitySchemes ?? {}) as Record<
    string,
    { name?: string; in?: string }
  >;
  type Security = { security?: Record<string, unknown>[] };
  const security = (op.operation as Security).security ?? (contract.document as Security).security ?? [];
  for (const requirement of security) {
    for (const scheme of Object.keys(requirement)) {
      const { name, in: where } = schemes[scheme] ?? {};
      if (name && where === 'header') headers[name] = 'mock-credential';
    }
  }
  let path = op.path;
  const query = new URLSearchParams();
  for (const parameter of parameters) {
    const value = exampleOf(contract, parameter);
    if (value === undefined) continue;
    if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, encodeURIComponent(String(value)));
    if (parameter.in === 'query') query.set(parameter.name, String(value));
    if (parameter.in === 'header') headers[parameter.name] = String(value);
  }
  const request: ExampleRequest = {
    operationId: op.operationId,
    method: op.method.toUpperCase(),
    path: query.size > 0 ? `${path}?${query}` : path,
    headers,
  };
  const content = (contract.resolve(op.operation.requestBody) as { content?: Record<string, Media> } | undefined)
    ?.content;
  const [mediaType, media] = Object.entries(content ?? {})[0] ?? [];
  if (mediaType && media) {
    const first = Object.values(media.examples ?? {})[0];
    const value = first ? (contract.resolve(first) as { value?: unknown }).value : media.example;
    headers['content-type'] = mediaType;
    request.body =
      mediaType === 'application/x-www-form-urlencoded'
        ? new URLSearchParams(value as Record<string, string>).toString()
        : JSON.stringify(value);
  }
  return request;
}

export function send(baseUrl: string, request: ExampleRequest): Promise<Response> {
  return fetch(baseUrl + request.path, {
    method: request.method,
    headers: request.headers,
    body: request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body,
    signal: AbortSignal.timeout(20_000),
  });
}

const agent = new Agent({ keepAlive: true });

/** The same over node:http (lighter than fetch, for the fuzz test's 10,000), answering status, headers and text. */
export function sendRaw(
  baseUrl: string,
  request: ExampleRequest,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      baseUrl + request.path,
      { method: request.method, headers: request.headers, agent, timeout: 20_000 },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        incoming.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('no answer within 20 s')));
    outgoing.on('error', reject);
    outgoing.end(request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body);
  });
}
