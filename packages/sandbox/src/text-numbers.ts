// A query string or a path segment carries text, while a contract types some of its parameters as numbers (Eko's
// `hc_channel`: 0 or 1; Kaleidofin collect's `systemBillId`). The generated zod schema checks the typed value, so
// the text of each parameter the contract declares numeric is read as a number first (when it looks like one;
// otherwise the schema's own message names the field). Which parameters are numeric is read from the contract.
import type { Contract } from '@bbps-kit/contracts/validator';
import { z } from 'zod';

type Place = 'query' | 'path';
const requestKey = { query: 'query', path: 'params' } as const;

function numericNames(contract: Contract, operationId: string, place: Place): string[] {
  return contract
    .parameters(operationId)
    .filter((p) => {
      if (p.in !== place) return false;
      const type = (contract.resolve(p.schema) as { type?: unknown } | undefined)?.type;
      return [type].flat().some((t) => t === 'number' || t === 'integer');
    })
    .map((p) => p.name);
}

function numbersFromText(value: unknown, names: readonly string[]): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = { ...value };
  for (const name of names) {
    const text = out[name];
    if (typeof text === 'string' && /^-?[0-9]+(\.[0-9]+)?$/.test(text)) out[name] = Number(text);
  }
  return out;
}

/** The route, with the numeric query and path parameters read from their text before validation. */
export function withTextNumbers<R extends { operationId: string; request: { query?: z.ZodType; params?: z.ZodType } }>(
  contract: Contract,
  route: R,
): R {
  const request: Record<string, unknown> = { ...route.request };
  for (const place of ['query', 'path'] as const) {
    const key = requestKey[place];
    const schema = route.request[key];
    const names = numericNames(contract, route.operationId, place);
    if (schema && names.length > 0) request[key] = z.preprocess((value) => numbersFromText(value, names), schema);
  }
  return { ...route, request } as R;
}
