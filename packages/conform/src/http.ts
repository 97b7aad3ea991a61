// One HTTP exchange with the biller under test: timed, cut off at the timeout, and kept (request and answer) so a
// failing check can show exactly what was sent and what came back.
export interface Exchange {
  operationId: string;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: string;
  status: number | null;
  responseHeaders: Record<string, string>;
  responseText: string;
  /** The answer parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  ms: number;
  /** Why there is no answer (timeout, connection refused). */
  error?: string;
}

export interface SendOptions {
  operationId: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export async function send(baseUrl: string, options: SendOptions): Promise<Exchange> {
  const url = new URL(options.path.replace(/^\//, ''), baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString();
  const exchange: Exchange = {
    operationId: options.operationId,
    method: 'POST',
    url,
    requestHeaders: options.headers,
    requestBody: options.body,
    status: null,
    responseHeaders: {},
    responseText: '',
    json: undefined,
    ms: 0,
  };
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: options.headers,
      body: options.body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    exchange.responseText = await response.text();
    exchange.status = response.status;
    exchange.responseHeaders = Object.fromEntries(response.headers.entries());
    try {
      exchange.json = JSON.parse(exchange.responseText);
    } catch {
      exchange.json = undefined;
    }
  } catch (error) {
    const e = error as Error;
    exchange.error =
      e.name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : `${e.message}${causeOf(e)}`;
  }
  exchange.ms = performance.now() - started;
  return exchange;
}

function causeOf(error: Error): string {
  const cause = (error as { cause?: { message?: string } }).cause;
  return cause?.message ? ` (${cause.message})` : '';
}

/** The exchange as text, for reports: the request line, headers (credentials masked), body, then the answer. */
export function describeExchange(exchange: Exchange, secrets: string[] = []): string {
  const mask = (value: string) => (secrets.includes(value) ? '***' : value);
  const headers = Object.entries(exchange.requestHeaders)
    .map(([k, v]) => `${k}: ${mask(v)}`)
    .join('\n');
  const answer =
    exchange.status === null
      ? `(no answer: ${exchange.error})`
      : `HTTP ${exchange.status} (${Math.round(exchange.ms)} ms)\ncontent-type: ${exchange.responseHeaders['content-type'] ?? ''}\n\n${truncate(exchange.responseText)}`;
  return `${exchange.method} ${exchange.url}\n${headers}\n\n${truncate(exchange.requestBody)}\n\n--> ${answer}`;
}

function truncate(text: string, max = 2000): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}
