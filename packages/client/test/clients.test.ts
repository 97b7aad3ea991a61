// Each client's per-operation retry rules: they are the rules generated from the specs' x-bbps-retry, they name
// exactly the spec's operations, and each operation is sent on the wire the way its x-bbps-retry says (a `safe` one
// is sent again after a 503 or a network failure, a `never` one exactly once). Also the typing of call sites.

import { operationRules as digiledgeRules } from '@bbps-kit/contracts/rules/digiledge-agent';
import { operationRules as ebppRules } from '@bbps-kit/contracts/rules/ebpp-mpa';
import { operationRules as ekoRules } from '@bbps-kit/contracts/rules/eko-bbps';
import { operationRules as collectRules } from '@bbps-kit/contracts/rules/kaleidofin-collect';
import { operationRules as partnerRules } from '@bbps-kit/contracts/rules/kaleidofin-partner';
import { type ApiName, apiNames, Contract } from '@bbps-kit/contracts/validator';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createDigiledgeClient,
  createEbppClient,
  createEkoClient,
  createKaleidofinCollectClient,
  createKaleidofinPartnerClient,
  digiledgeOperations,
  type EbppClient,
  type EkoClient,
  ebppFormOperations,
  ebppOperations,
  ekoOperations,
  type FetchLike,
  type KaleidofinPartnerClient,
  kaleidofinCollectOperations,
  kaleidofinPartnerOperations,
  lookupEbppCustomers,
  type OperationRule,
  OutcomeUnknownError,
} from '../src/index.ts';
import { json, networkError, recordingFetch, status } from './recording-fetch.ts';

const rulesByApi: Record<ApiName, Readonly<Record<string, OperationRule>>> = {
  'kaleidofin-partner': kaleidofinPartnerOperations,
  'kaleidofin-collect': kaleidofinCollectOperations,
  'digiledge-agent': digiledgeOperations,
  'eko-bbps': ekoOperations,
  'ebpp-mpa': ebppOperations,
};
const generatedByApi: Record<ApiName, Readonly<Record<string, OperationRule>>> = {
  'kaleidofin-partner': partnerRules,
  'kaleidofin-collect': collectRules,
  'digiledge-agent': digiledgeRules,
  'eko-bbps': ekoRules,
  'ebpp-mpa': ebppRules,
};
const contracts = Object.fromEntries(
  await Promise.all(apiNames.map(async (api) => [api, await Contract.load(api)] as const)),
) as Record<ApiName, Contract>;

/** What the test needs of any client: one untyped call (openapi-fetch's `request`). */
type AnyClient = { request(method: string, path: string, init?: object): Promise<{ response: Response }> };

const BASE = 'https://api.test';
const fastRetry = { baseDelayMs: 1, maxDelayMs: 2 };
const clientFor: Record<ApiName, (fetch: FetchLike) => AnyClient> = {
  'kaleidofin-partner': (fetch) =>
    createKaleidofinPartnerClient({ baseUrl: BASE, apiKey: 'k', retry: fastRetry, fetch }) as unknown as AnyClient,
  'kaleidofin-collect': (fetch) =>
    createKaleidofinCollectClient({ baseUrl: BASE, apiKey: 'k', retry: fastRetry, fetch }) as unknown as AnyClient,
  'digiledge-agent': (fetch) =>
    createDigiledgeClient({ baseUrl: BASE, apiKey: 'k', retry: fastRetry, fetch }) as unknown as AnyClient,
  'eko-bbps': (fetch) =>
    createEkoClient({
      baseUrl: BASE,
      developerKey: 'd',
      accessKey: 'a',
      retry: fastRetry,
      fetch,
    }) as unknown as AnyClient,
  'ebpp-mpa': (fetch) =>
    createEbppClient({ baseUrl: BASE, clientKey: 'c', apiKey: 'a', retry: fastRetry, fetch }) as unknown as AnyClient,
};

describe.each(apiNames)('%s retry rules', (api) => {
  const rules = rulesByApi[api];
  const contract = contracts[api];
  const operations = contract.operations().map((op) => ({
    ...op,
    key: `${op.method.toUpperCase()} ${op.path}`,
    retry: (op.operation as { 'x-bbps-retry'?: unknown })['x-bbps-retry'],
  }));

  it('are the rules generated from the spec', () => {
    expect(rules).toEqual(generatedByApi[api]);
  });

  it('name exactly the operations of the spec, with their operationIds and x-bbps-retry', () => {
    const fromSpec = Object.fromEntries(
      operations.map((op) => [op.key, { operationId: op.operationId, retry: op.retry }]),
    );
    expect(rules).toEqual(fromSpec);
    for (const op of operations) {
      expect(['safe', 'never'], `${op.operationId} x-bbps-retry`).toContain(op.retry);
      if (op.method === 'get') expect(op.retry, `${op.operationId} is a GET`).toBe('safe');
    }
  });

  it.each(operations.map((op) => [op.operationId, op] as const))(
    '%s goes out as its x-bbps-retry says',
    async (_, op) => {
      const path = Object.fromEntries(
        contract
          .parameters(op.operationId)
          .filter((parameter) => parameter.in === 'path')
          .map((parameter) => [parameter.name, String(parameter.example ?? 'x')]),
      );
      const init = { params: { path }, ...(op.operation.requestBody ? { body: {} } : {}) };
      const sends = op.retry === 'safe' ? 2 : 1;

      // A 503 (a retryable status): a safe operation is sent again and gets the second answer; `never` is sent once.
      const busy = recordingFetch([status(503), json({})]);
      const { response } = await clientFor[api](busy.fetch).request(op.method, op.path, init);
      expect(busy.calls, `${op.operationId} sends after a 503`).toHaveLength(sends);
      expect(response.status).toBe(op.retry === 'safe' ? 200 : 503);
      expect(busy.calls[0]?.request.url).not.toMatch(/[{}]/);
      expect(busy.calls.every((call) => call.request.method === op.method.toUpperCase())).toBe(true);

      // No answer at all: a safe operation is sent again; `never` leaves the outcome unknown after one send.
      const down = recordingFetch([networkError(), json({})]);
      const attempt = clientFor[api](down.fetch).request(op.method, op.path, init);
      if (op.retry === 'safe') await expect(attempt).resolves.toBeDefined();
      else await expect(attempt).rejects.toBeInstanceOf(OutcomeUnknownError);
      expect(down.calls, `${op.operationId} sends after a network failure`).toHaveLength(sends);
    },
  );
});

it('EBPP form operations are exactly the spec operations with a form request body', () => {
  const form = contracts['ebpp-mpa']
    .operations()
    .filter((op) => op.operation.requestBody?.content['application/x-www-form-urlencoded'])
    .map((op) => `${op.method.toUpperCase()} ${op.path}`);
  expect([...ebppFormOperations]).toEqual(form);
  for (const api of apiNames) {
    if (api === 'ebpp-mpa') continue;
    const others = contracts[api]
      .operations()
      .filter((op) => op.operation.requestBody?.content['application/x-www-form-urlencoded']);
    expect(
      others.map((op) => op.operationId),
      `${api} has form bodies the client does not encode`,
    ).toEqual([]);
  }
});

it('factories return openapi-fetch clients', () => {
  const eko = createEkoClient({ baseUrl: 'http://x', developerKey: 'd', accessKey: 'a' });
  const ebpp = createEbppClient({ baseUrl: 'http://x', clientKey: 'c', apiKey: 'a' });
  for (const client of [eko, ebpp]) {
    for (const method of ['GET', 'POST', 'use', 'eject'] as const) expect(typeof client[method]).toBe('function');
  }
});

// Compile-time checks: `tsc -p .` fails if these stop holding. The function is never called.
function typeChecks(eko: EkoClient, ebpp: EbppClient, partner: KaleidofinPartnerClient) {
  // EBPP: no client-key parameter needed at the call site; one passed anyway type-checks (the configured key wins).
  void ebpp.POST('/mpacustomers', { body: { account_number: 'LN-AY1234' } });
  void ebpp.POST('/mpacustomers', { body: {}, params: { header: { 'client-key': 'other' } } });
  // @ts-expect-error unknown path
  void ebpp.POST('/mpacustomer', { body: {} });
  // @ts-expect-error a lookup criterion the spec does not declare (typo), caught by the named helper
  void lookupEbppCustomers(ebpp, { acount_number: 'LN-AY1234' });
  // @ts-expect-error a posting without its required fields
  void ebpp.POST('/paymentposting', { body: { id: '1' } });

  // Eko: required query parameters and path parameters are enforced.
  // @ts-expect-error tid is required
  void eko.GET('/tools/reference/transaction/{tid}', { params: { query: { initiator_id: '9' } } });
  // @ts-expect-error POST is not declared on the inquiry path
  void eko.POST('/tools/reference/transaction/{tid}', {});

  // Kaleidofin partner: the response types follow the spec.
  return async () => {
    const { data } = await partner.POST('/bills/fetchBills', { body: [] });
    if (data) expectTypeOf(data.data.billFetchStatus).toEqualTypeOf<'AVAILABLE' | 'NO_OUTSTANDING' | 'NOT_SUPPORTED'>();
  };
}

it('call-site typing holds (checked by tsc -p .)', () => {
  expectTypeOf(typeChecks).toBeFunction();
});
