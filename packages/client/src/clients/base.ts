// What the clients of the API-key contracts (Digiledge, Kaleidofin collect and partner, EBPP) share: options that
// carry the key, and one factory for openapi-fetch over the transport with the contract's retry rule table and the
// key headers. Each contract file keeps only its paths, its rule table, any other headers and its own helpers.
import type { Client, Middleware } from 'openapi-fetch';
import { buildClient, type CommonClientOptions, credentialHeadersMiddleware, type OperationRule } from './common.ts';

export interface ApiKeyClientOptions extends CommonClientOptions {
  /** The contract's API key, sent on every request (as `x-api-key` unless the contract names other headers). */
  apiKey: string;
}

/**
 * The client of an API-key contract: openapi-fetch over the transport (timeouts, safe retries), each operation
 * marked with its rule from `operations`, the key headers set on every request (by default the key as `x-api-key`;
 * an empty value sends no header), then any further `middleware`.
 */
export function createApiKeyClient<Paths extends {}>(
  options: ApiKeyClientOptions,
  operations: Readonly<Record<string, OperationRule>>,
  headers: Readonly<Record<string, string | undefined>> = { 'x-api-key': options.apiKey },
  ...middleware: Middleware[]
): Client<Paths> {
  return buildClient<Paths>(options, operations, [credentialHeadersMiddleware(headers), ...middleware]);
}
