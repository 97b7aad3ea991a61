// EBPP MPA (specs/ebpp-mpa): what a biller implements and EBPP calls; this client calls it the way EBPP does
// (tests, and platforms that post to billers). Form-encoded lookup, JSON postings, two API-key headers.
import type { EbppMpa } from '@bbps-kit/contracts';
import { operationRules, securitySchemes } from '@bbps-kit/contracts/rules/ebpp-mpa';
import { type Client, type Middleware, mergeHeaders } from 'openapi-fetch';
import { type ApiKeyClientOptions, createApiKeyClient, keyHeaders } from './base.ts';
import { type CallInit, type HttpMethod, type OperationRules, unwrap } from './common.ts';

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/**
 * The spec declares `client-key` both as a security scheme and as a required header parameter, so the generated
 * operations demand `params: { header: { 'client-key' } }` on every call. The client sends the configured key
 * itself; this type makes that parameter optional so call sites stay `client.POST('/paymentposting', { body })`.
 */
type OptionalHeaderParam<Op, Name extends string> = Op extends { parameters: { header: infer H } }
  ? Omit<Op, 'parameters'> & {
      parameters: Omit<Op['parameters'], 'header'> & { header?: Omit<H, Name> & { [K in Name]?: string } };
    }
  : Op;

export type WithOptionalHeaderParam<Paths, Name extends string> = {
  [P in keyof Paths]: {
    [K in keyof Paths[P]]: K extends HttpMethod ? OptionalHeaderParam<Paths[P][K], Name> : Paths[P][K];
  };
};

export type EbppPaths = WithOptionalHeaderParam<EbppMpa.paths, typeof securitySchemes.clientKey.name>;
export type EbppClient = Client<EbppPaths>;
type Schemas = EbppMpa.components['schemas'];
export type EbppLookupCustomersRequest = Schemas['LookupCustomersRequest'];
export type EbppMpaCustomerList = Schemas['MpaCustomerList'];
export type EbppPayment = Schemas['Payment'];
export type EbppRefund = Schemas['Refund'];
export type EbppErrorResponse = Schemas['ErrorResponse'];

export interface EbppClientOptions extends ApiKeyClientOptions {
  /** Sent as `client-key`: "The unique identifier assigned by EBPP to the client". */
  clientKey: string;
  /** Sent as `api-key`. */
  apiKey: string;
}

/** The retry rule of each operation: the spec's `x-bbps-retry` (the reasons are next to it in specs/ebpp-mpa). */
export const ebppOperations = operationRules satisfies OperationRules<EbppMpa.paths>;

/** The operations whose request body the spec declares as `application/x-www-form-urlencoded`. */
export const ebppFormOperations: ReadonlySet<string> = new Set(['POST /mpacustomers']);

/**
 * A bodySerializer for form bodies: flat objects of strings (and numbers, booleans) to `a=1&b=2`. Empty and
 * undefined fields are left out; a nested value is a programming error and throws.
 */
export function formBodySerializer(body: unknown): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'object') throw new TypeError(`form field ${name} must be a string, not an object`);
    form.append(name, String(value));
  }
  return form.toString();
}

/**
 * Makes form operations go out as a form whatever the call site did. openapi-fetch sends a form body only when
 * the content type is exactly `application/x-www-form-urlencoded`; a plain `client.POST('/mpacustomers', { body })`
 * would go out as JSON, which the contract refuses. Re-encodes from a clone of the serialized body.
 */
export function formBodyMiddleware(formOperations: ReadonlySet<string>): Middleware {
  return {
    async onRequest({ request, schemaPath }) {
      if (!formOperations.has(`${request.method} ${schemaPath}`) || request.body === null) return request;
      const contentType = request.headers.get('content-type') ?? '';
      if (contentType.split(';')[0]?.trim().toLowerCase() === FORM_CONTENT_TYPE) return request;
      const text = await request.clone().text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return request; // not JSON either: leave it to the server to refuse
      }
      const headers = new Headers(request.headers);
      headers.set('content-type', FORM_CONTENT_TYPE);
      return new Request(request, { body: formBodySerializer(body), headers });
    },
  };
}

/** The EBPP client: `client.POST('/paymentposting', { body })`, fully typed, `client-key` and `api-key` sent. */
export function createEbppClient(options: EbppClientOptions): EbppClient {
  return createApiKeyClient<EbppPaths>(
    options,
    ebppOperations,
    keyHeaders(securitySchemes, { clientKey: options.clientKey, apiKey: options.apiKey }),
    formBodyMiddleware(ebppFormOperations),
  );
}

/** Lookup MPA Customers, sent as a real form. Throws HttpError for any non-2xx (404: nothing matched). */
export async function lookupEbppCustomers(
  client: EbppClient,
  criteria: EbppLookupCustomersRequest,
  init: CallInit = {},
): Promise<EbppMpaCustomerList> {
  return unwrap(
    await client.POST('/mpacustomers', {
      body: criteria,
      bodySerializer: formBodySerializer,
      ...init,
      headers: mergeHeaders(init.headers, { 'content-type': FORM_CONTENT_TYPE }),
    }),
  );
}
