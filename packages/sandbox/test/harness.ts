// Starts an Eko simulator on a real socket (port 0) and calls it the way an integrator would: signed headers from
// the client package's `ekoSecretKey`, and every answer checked against the contract (`Contract.response` for the
// operation asked, the ErrorResponse component for a path the contract does not have).
import { ekoSecretKey } from '@bbps-kit/client';
import { Contract } from '@bbps-kit/contracts/validator';
import { expect } from 'vitest';
import { createEkoSandbox, type EkoSandbox, type EkoSandboxOptions } from '../src/eko/app.ts';
import { listen, type RunningServer } from '../src/server.ts';

export interface Harness {
  url: string;
  sandbox: EkoSandbox;
  contract: Contract;
  close(): Promise<void>;
  signed(timestamp?: number): Record<string, string>;
  /** Calls the sandbox and asserts the answer validates against `operationId`'s declared response. */
  // biome-ignore lint/suspicious/noExplicitAny: an answer already validated against the contract, read field by field.
  call(operationId: string | undefined, path: string, init?: RequestInit): Promise<{ status: number; body: any }>;
}

export async function startEko(options: EkoSandboxOptions = {}): Promise<Harness> {
  const sandbox = await createEkoSandbox(options);
  const server: RunningServer = await listen(sandbox.app, 0);
  const contract = await Contract.load('eko-bbps');
  const signed = (timestamp = Date.now()) => ({
    developer_key: sandbox.credentials.developerKey,
    'secret-key-timestamp': String(timestamp),
    'secret-key': ekoSecretKey(sandbox.credentials.accessKey, timestamp),
    'content-type': 'application/json',
  });
  return {
    url: server.url,
    sandbox,
    contract,
    close: () => server.close(),
    signed,
    async call(operationId, path, init = {}) {
      const response = await fetch(`${server.url}${path}`, { ...init, headers: { ...signed(), ...init.headers } });
      const body = await response.json();
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const verdict =
        operationId === undefined
          ? contract.schema('ErrorResponse', body)
          : contract.response(operationId, response.status, body);
      expect(verdict.errors, `${operationId ?? 'ErrorResponse'} ${response.status} ${JSON.stringify(body)}`).toEqual(
        [],
      );
      return { status: response.status, body };
    },
  };
}

export const initiator = '9962981729';

export function fetchQuery(utilityAccNo: string, extra: Record<string, string> = {}): string {
  return `/customer/payment/bbps/bill?${new URLSearchParams({
    initiator_id: initiator,
    user_code: '20810200',
    utility_acc_no: utilityAccNo,
    confirmation_mobile_no: '9999988888',
    sender_name: 'Asha Rao',
    operator_id: '83',
    source_ip: '192.168.1.1',
    latlong: '28.6139,77.2090',
    ...extra,
  })}`;
}

let refs = 0;
/** A fresh `client_ref_id` (at most 20 characters). */
export function newRef(): string {
  return `T${process.pid % 1000}-${Date.now() % 1e7}-${++refs}`;
}

export function payBody(utilityAccNo: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    initiator_id: initiator,
    user_code: '20810200',
    client_ref_id: newRef(),
    utility_acc_no: utilityAccNo,
    confirmation_mobile_no: '9999988888',
    sender_name: 'Asha Rao',
    operator_id: '1',
    amount: '499.50',
    source_ip: '10.24.3.17',
    latlong: '19.0760,72.8777',
    ...extra,
  };
}

export const inquiryByTid = (tid: string) => `/tools/reference/transaction/${tid}?initiator_id=${initiator}`;
export const inquiryByRef = (ref: string) =>
  `/tools/reference/transaction/client_ref_id:${encodeURIComponent(ref)}?initiator_id=${initiator}`;
