// The seed's Eko fetch-bill query for the tests, from one source: the contract's own parameter examples.
import type { Contract } from '@bbps-kit/contracts/validator';
import type { EkoFetchBillQuery } from '../src/index.ts';

/** Every required query parameter of fetchBill at its example in specs/eko-bbps (the seed's values). */
export function ekoSeedFetchBillQuery(contract: Contract): EkoFetchBillQuery {
  const required = contract.parameters('fetchBill').filter((p) => p.in === 'query' && p.required);
  return Object.fromEntries(required.map((p) => [p.name, p.example])) as EkoFetchBillQuery;
}
