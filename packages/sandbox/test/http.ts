// Calls a simulator on a real socket as an integrator would, and checks every answer against its contract:
// `Contract.response` for the operation asked, the contract's ErrorResponse for a path or status it does not declare.
import type { ApiName } from '@bbps-kit/contracts';
import { Contract } from '@bbps-kit/contracts/validator';
import { expect } from 'vitest';

// biome-ignore lint/suspicious/noExplicitAny: an answer already validated against the contract, read field by field.
export type Answer = { status: number; body: any };

export async function contractCaller(api: ApiName, base: () => string, headers: () => Record<string, string>) {
  const contract = await Contract.load(api);
  return {
    contract,
    async call(operationId: string | undefined, path: string, init: RequestInit = {}): Promise<Answer> {
      const response = await fetch(`${base()}${path}`, {
        ...init,
        headers: { ...headers(), ...(init.headers as Record<string, string>) },
      });
      const body = await response.json();
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      // A status the operation does not declare (405, 413, 415) is still in the contract's envelope.
      const declared =
        operationId !== undefined && String(response.status) in contract.operation(operationId).operation.responses;
      const verdict =
        operationId === undefined || !declared
          ? contract.schema('ErrorResponse', body)
          : contract.response(operationId, response.status, body);
      expect(verdict.errors, `${operationId ?? 'ErrorResponse'} ${response.status} ${JSON.stringify(body)}`).toEqual(
        [],
      );
      return { status: response.status, body };
    },
  };
}

export const json = (body: object, init: RequestInit = {}): RequestInit => ({
  method: 'POST',
  body: JSON.stringify(body),
  ...init,
  headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
});
