// Each client's explicit per-operation rules, checked against the specs both ways, and the typing of call sites.
import { type ApiName, Contract } from '@bbps-kit/contracts/validator';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createEbppClient,
  createEkoClient,
  digiledgeOperations,
  type EbppClient,
  type EkoClient,
  ebppFormOperations,
  ebppOperations,
  ekoOperations,
  type KaleidofinPartnerClient,
  kaleidofinCollectOperations,
  kaleidofinPartnerOperations,
  lookupEbppCustomers,
  type OperationRule,
} from '../src/index.ts';

const rulesByApi: Record<ApiName, Record<string, OperationRule>> = {
  'kaleidofin-partner': kaleidofinPartnerOperations,
  'kaleidofin-collect': kaleidofinCollectOperations,
  'digiledge-agent': digiledgeOperations,
  'eko-bbps': ekoOperations,
  'ebpp-mpa': ebppOperations,
};
const contracts = Object.fromEntries(
  await Promise.all(Object.keys(rulesByApi).map(async (api) => [api, await Contract.load(api as ApiName)] as const)),
) as Record<ApiName, Contract>;

/** Operations that move money or record a posting: never repeated by the library. */
const neverRepeated = new Set([
  'kaleidofin-partner fetchReceipt',
  'kaleidofin-collect postPayment',
  'digiledge-agent payBill',
  'digiledge-agent fetchBill',
  'eko-bbps payBill',
  'ebpp-mpa postPayment',
  'ebpp-mpa postPaymentReversal',
  'ebpp-mpa postPaymentRefund',
]);

describe.each(Object.keys(rulesByApi) as ApiName[])('%s retry rules', (api) => {
  const rules = rulesByApi[api];
  const operations = contracts[api].operations();

  it('name exactly the operations of the spec, with their operationIds', () => {
    const fromSpec = Object.fromEntries(
      operations.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op.operationId]),
    );
    const fromRules = Object.fromEntries(Object.entries(rules).map(([key, rule]) => [key, rule.operationId]));
    expect(fromRules).toEqual(fromSpec);
  });

  it('repeat every GET and every read, and never a payment or posting', () => {
    for (const op of operations) {
      const rule = rules[`${op.method.toUpperCase()} ${op.path}`];
      const expected = neverRepeated.has(`${api} ${op.operationId}`) ? 'never' : 'safe';
      expect({ op: op.operationId, retry: rule?.retry }).toEqual({ op: op.operationId, retry: expected });
      if (op.method === 'get') expect(rule?.retry).toBe('safe');
    }
  });
});

it('EBPP form operations are exactly the spec operations with a form request body', () => {
  const form = contracts['ebpp-mpa']
    .operations()
    .filter((op) => op.operation.requestBody?.content['application/x-www-form-urlencoded'])
    .map((op) => `${op.method.toUpperCase()} ${op.path}`);
  expect([...ebppFormOperations]).toEqual(form);
  for (const api of Object.keys(rulesByApi) as ApiName[]) {
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
