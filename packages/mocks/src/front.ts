// A thin HTTP front for a Prism mock, owning the port integrators call. Prism is fragile and vague: a malformed
// percent-escape in a path crashes its server, a body that does not parse as its content type can hang it, and
// an invalid request gets a canned example (the operation's 422 if there is one, else its first 400) that names
// some other field, while the real violation is only in the `sl-violations` header. So the front
//   - answers a URL with a broken escape, and a JSON body that does not parse, itself (400), never passing it on;
//   - turns Prism's request violations into a 400 in the contract's own envelope naming the fields (envelope.ts);
//   - answers 503 in the envelope while Prism is down or restarting, and reports a Prism that stopped answering
//     to whoever supervises it (prism.ts);
// and passes everything else through untouched, the `sl-violations` header included.
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Contract } from '@bbps-kit/contracts/validator';
import { errorAnswer, type MockProblem, operationAt, requestProblems } from './envelope.ts';

const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding']);

/** Where the front sends requests, and whom it tells when Prism stops answering. */
export interface Upstream {
  /** Prism's base URL, or undefined while it is (re)starting. */
  url(): string | undefined;
  /** Prism refused a connection or took longer than the front waits: it is stuck or gone. */
  failed(url: string, reason: string): void;
}

export interface FrontOptions {
  /** How long Prism may take to answer before the front gives up on it (it answers in milliseconds). */
  upstreamTimeoutMs?: number;
  /** The largest body passed on; a larger one is refused (Prism buffers bodies whole). */
  bodyLimitBytes?: number;
}

export interface RunningFront {
  url: string;
  close(): Promise<void>;
}

const problem = (field: string | undefined, message: string): MockProblem => ({ field, message, detail: message });

/** The first part of the raw URL that does not decode, as the parameter it belongs to. */
export function malformedUrlProblem(contract: Contract, method: string, rawUrl: string): MockProblem | undefined {
  const [rawPath = '', query = ''] = rawUrl.split(/\?(.*)/s);
  const segments = rawPath.split('/');
  const bad = segments.findIndex((segment) => !decodes(segment));
  if (bad >= 0) {
    const operation = operationAt(contract, method, rawPath);
    const name = operation?.path.split('/')[bad]?.match(/\{([^}]+)\}/)?.[1];
    return problem(name, `${name ?? 'path'} has a malformed percent-escape (write % as %25)`);
  }
  for (const pair of query.split('&')) {
    const [key = '', value = ''] = pair.split(/=(.*)/s);
    if (!decodes(key) || !decodes(value)) {
      const name = decodes(key) ? decodeURIComponent(key.replace(/\+/g, ' ')) : 'query';
      return problem(name, `${name} has a malformed percent-escape (write % as %25)`);
    }
  }
  return undefined;
}

function decodes(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

function malformedBody(request: IncomingMessage, body: Buffer): MockProblem | undefined {
  const type = request.headers['content-type'];
  // Prism answers an unparseable media type with a 500 of its own.
  if (type !== undefined && !/^[\w.+-]+\/[\w.+-]+\s*(;.*)?$/s.test(type)) {
    return problem('content-type', 'content-type must be a media type such as application/json');
  }
  if (!/^application\/(.+\+)?json\b/i.test(type ?? '') || body.length === 0) return;
  try {
    JSON.parse(body.toString('utf8'));
    return undefined;
  } catch (error) {
    return problem(undefined, `body is not valid JSON (${(error as Error).message})`);
  }
}

/** A body up to `limit` bytes, or undefined once it is larger (the rest is read and dropped). */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () => resolve(size <= limit ? Buffer.concat(chunks) : undefined));
    request.on('error', reject);
  });
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') : value);

// node:http rather than fetch: a third of the CPU per request, which is what the front adds to every answer.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function forward(
  url: string,
  method: string,
  headers: Record<string, string | string[]>,
  body: Buffer,
  timeoutMs: number,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method, headers, agent, timeout: timeoutMs }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () =>
        resolve({ status: incoming.statusCode ?? 502, headers: incoming.headers, body: Buffer.concat(chunks) }),
      );
      incoming.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(method === 'GET' || method === 'HEAD' ? undefined : body);
  });
}

export async function startFront(
  contract: Contract,
  upstream: Upstream,
  port: number,
  host: string,
  options: FrontOptions = {},
): Promise<RunningFront> {
  const { upstreamTimeoutMs = 15_000, bodyLimitBytes = 1024 * 1024 } = options;
  const rawPathOf = (url: string) => url.split('?')[0] ?? '/';

  const answerProblem = (
    response: ServerResponse,
    method: string,
    rawUrl: string,
    status: number,
    problems: MockProblem[],
    extra: Record<string, string> = {},
  ) => {
    const answer = errorAnswer(contract, method, rawPathOf(rawUrl), status, problems);
    const text = answer ? JSON.stringify(answer.body) : (problems[0]?.message ?? 'mock front error');
    response.writeHead(status, { 'content-type': answer?.contentType ?? 'text/plain', ...extra }).end(text);
  };

  const server: Server = createServer(async (request, response) => {
    const method = request.method ?? 'GET';
    const rawUrl = request.url ?? '/';
    try {
      const body = await readBody(request, bodyLimitBytes);
      if (body === undefined) {
        const limit = problem(undefined, `body is larger than ${bodyLimitBytes} bytes`);
        return answerProblem(response, method, rawUrl, 400, [limit]);
      }
      const malformed = malformedUrlProblem(contract, method, rawUrl) ?? malformedBody(request, body);
      if (malformed) return answerProblem(response, method, rawUrl, 400, [malformed]);

      const base = upstream.url();
      if (!base) return unavailable(response, method, rawUrl);
      const headers: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined && name !== 'host' && !hopByHop.has(name)) headers[name] = value;
      }
      let prism: Answer;
      try {
        prism = await forward(base + rawUrl, method, headers, body, upstreamTimeoutMs).catch((error: Error) => {
          // A kept-alive socket Prism closed just as it was reused (ECONNRESET): a mock has no state, send again.
          if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') throw error;
          return forward(base + rawUrl, method, headers, body, upstreamTimeoutMs);
        });
      } catch (error) {
        upstream.failed(base, (error as Error).message);
        return unavailable(response, method, rawUrl);
      }
      const payload = prism.body;
      const reached = operationAt(contract, method, rawPathOf(rawUrl));
      const declared = [
        ...((reached && (contract.document.paths?.[reached.path] as { parameters?: unknown[] })?.parameters) ?? []),
        ...(reached?.operation.parameters ?? []),
      ];
      const parameters = declared.map((p) => (contract.resolve(p) as { name: string }).name);
      const violations = requestProblems(header(prism.headers['sl-violations']), parameters);
      const outHeaders: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(prism.headers)) {
        if (value !== undefined && !hopByHop.has(name)) outHeaders[name] = value;
      }
      if ((prism.status === 400 || prism.status === 422) && violations.length > 0) {
        return answerProblem(response, method, rawUrl, 400, violations, {
          'sl-violations': header(prism.headers['sl-violations']) ?? '',
        });
      }
      if (header(prism.headers['content-type'])?.startsWith('application/problem+json')) {
        // Prism's own errors (no such path, a media type it cannot serve) speak RFC 7807, not the contract.
        const { detail, title } = JSON.parse(payload.toString('utf8')) as { detail?: string; title?: string };
        return answerProblem(response, method, rawUrl, prism.status, [problem(undefined, detail ?? title ?? '')]);
      }
      response.writeHead(prism.status, outHeaders).end(payload);
    } catch (error) {
      // Never a stack trace: the envelope's 500, saying only what kind of failure it was.
      if (!response.headersSent) {
        answerProblem(response, method, rawUrl, 500, [problem(undefined, `mock front: ${(error as Error).name}`)]);
      } else response.destroy();
    }
  });

  const unavailable = (response: ServerResponse, method: string, rawUrl: string) =>
    answerProblem(
      response,
      method,
      rawUrl,
      503,
      [problem(undefined, 'the mock is restarting; send the same request again in a second')],
      { 'retry-after': '1' },
    );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
