// What the clients of the API-key contracts (Digiledge, Kaleidofin collect and partner, EBPP) share: options that
// carry the key, the key headers by the names the contract's security schemes give them, and one factory for
// openapi-fetch over the transport with the contract's retry rule table and those headers. Each contract file keeps
// only its paths, its rule table, its keys and its own helpers.
import { apiKeyHeaders, type SecurityScheme } from '@bbps-kit/contracts';
import type { Client, Middleware } from 'openapi-fetch';
import { buildClient, type CommonClientOptions, credentialHeadersMiddleware, type OperationRule } from './common.ts';

export interface ApiKeyClientOptions extends CommonClientOptions {
  /** The contract's API key, sent on every request in the header its security scheme names. */
  apiKey: string;
}

/** Each scheme's key under the header its scheme names (`partnerApiKey` → `x-api-key`). */
export function keyHeaders<S extends Readonly<Record<string, SecurityScheme>>>(
  schemes: S,
  keys: { readonly [K in keyof S]: string | undefined },
): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(apiKeyHeaders(schemes)).map(([scheme, name]) => [name, keys[scheme]]));
}

/**
 * The client of an API-key contract: openapi-fetch over the transport (timeouts, safe retries), each operation
 * marked with its rule from `operations`, the key `headers` set on every request (an empty value sends no header),
 * then any further `middleware`.
 */
export function createApiKeyClient<Paths extends {}>(
  options: CommonClientOptions,
  operations: Readonly<Record<string, OperationRule>>,
  headers: Readonly<Record<string, string | undefined>>,
  ...middleware: Middleware[]
): Client<Paths> {
  return buildClient<Paths>(options, operations, [credentialHeadersMiddleware(headers), ...middleware]);
}
