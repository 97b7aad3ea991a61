// A thin HTTP front for a Prism mock. Prism answers an invalid request with the operation's 422 example if
// there is one, else its 400. In all five contracts 422 means "valid but refused" (an amount mismatch, a
// closed account) and 400 means "invalid request", so an integrator sending a malformed request would be
// told about an amount mismatch. The front swaps in the operation's own 400 example in that one case and
// passes everything else through untouched, Prism's `sl-violations` header included.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Contract } from '@bbps-kit/contracts/validator';

interface Violation {
  location?: string[];
  code?: string | number;
}

interface Example {
  mediaType: string;
  value: unknown;
}

const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding']);

/** The first example of the operation's 400 response, for a request to method + pathname. */
export function badRequestExample(contract: Contract, method: string, pathname: string): Example | undefined {
  const operation = contract
    .operations()
    .find((op) => op.method === method.toLowerCase() && templateToRegExp(op.path).test(pathname));
  const response = operation && (contract.resolve(operation.operation.responses['400']) as ResponseObject | undefined);
  for (const [mediaType, media] of Object.entries(response?.content ?? {})) {
    const first = Object.values(media.examples ?? {})[0];
    const value = first ? (contract.resolve(first) as { value?: unknown }).value : media.example;
    if (value !== undefined) return { mediaType, value };
  }
  return undefined;
}

type ResponseObject = { content?: Record<string, { example?: unknown; examples?: Record<string, unknown> }> };

function templateToRegExp(template: string): RegExp {
  const pattern = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`);
}

function isRequestViolation(header: string | null): boolean {
  if (!header) return false;
  try {
    const violations = JSON.parse(header) as Violation[];
    return violations.some((v) => v.location?.[0] === 'request');
  } catch {
    return false;
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

export interface RunningFront {
  url: string;
  close(): Promise<void>;
}

export async function startFront(
  contract: Contract,
  prismUrl: string,
  port: number,
  host: string,
): Promise<RunningFront> {
  const server: Server = createServer(async (request, response) => {
    try {
      const body = await readBody(request);
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined && name !== 'host' && !hopByHop.has(name)) headers.set(name, String(value));
      }
      const method = request.method ?? 'GET';
      const upstream = await fetch(prismUrl + (request.url ?? '/'), {
        method,
        headers,
        body: method === 'GET' || method === 'HEAD' ? undefined : new Uint8Array(body),
        redirect: 'manual',
      });
      let status = upstream.status;
      let payload: Buffer = Buffer.from(await upstream.arrayBuffer());
      const outHeaders: Record<string, string> = {};
      upstream.headers.forEach((value, name) => {
        if (!hopByHop.has(name)) outHeaders[name] = value;
      });
      if (status === 422 && isRequestViolation(upstream.headers.get('sl-violations'))) {
        const pathname = new URL(request.url ?? '/', 'http://mock').pathname;
        const example = badRequestExample(contract, method, pathname);
        if (example) {
          status = 400;
          payload = Buffer.from(JSON.stringify(example.value));
          outHeaders['content-type'] = example.mediaType;
        }
      }
      response.writeHead(status, outHeaders).end(payload);
    } catch (error) {
      response.writeHead(502, { 'content-type': 'text/plain' }).end(`mock front: ${String(error)}`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
