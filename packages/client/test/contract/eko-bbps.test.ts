import { Contract } from '@bbps-kit/contracts/validator';
import { expect, it } from 'vitest';
import { run as runExample } from '../../examples/eko.ts';
import { createEkoClient, type EkoClient, type EkoPayBillRequest } from '../../src/index.ts';
import { ekoSeedFetchBillQuery } from '../eko-seed.ts';
import { type Call, contractSuite } from './support.ts';

const contract = await Contract.load('eko-bbps');
const query = ekoSeedFetchBillQuery(contract);
const { initiator_id } = query;
const payment: EkoPayBillRequest = { ...query, client_ref_id: 'REQ-20260101-001', amount: '1350' };

const calls: Record<string, Call<EkoClient>> = {
  fetchBill: (client, headers) => client.GET('/customer/payment/bbps/bill', { params: { query }, headers }),
  payBill: (client, headers) => client.POST('/customer/payment/bbps', { body: payment, headers }),
  getTransaction: (client, headers) =>
    client.GET('/tools/reference/transaction/{tid}', {
      params: { path: { tid: '2882709962' }, query: { initiator_id } },
      headers,
    }),
  getTransactionByClientRefId: (client, headers) =>
    client.GET('/tools/reference/transaction/client_ref_id:{clientRefId}', {
      params: { path: { clientRefId: 'REQ-20260101-002' }, query: { initiator_id } },
      headers,
    }),
};

const invalidCalls: Record<string, Call<EkoClient>> = {
  fetchBill: (client) =>
    client.GET('/customer/payment/bbps/bill', {
      // @ts-expect-error the required query parameters are missing
      params: { query: { initiator_id } },
    }),
  // @ts-expect-error amount must be a string of rupees
  payBill: (client) => client.POST('/customer/payment/bbps', { body: { ...payment, amount: 1350 } }),
  getTransaction: (client) =>
    // @ts-expect-error initiator_id is required
    client.GET('/tools/reference/transaction/{tid}', { params: { path: { tid: '2882709962' } } }),
  getTransactionByClientRefId: (client) =>
    client.GET('/tools/reference/transaction/client_ref_id:{clientRefId}', {
      // longer than the 20 characters client_ref_id allows
      params: { path: { clientRefId: 'REQ-20260101-000000000001' }, query: { initiator_id } },
    }),
};

contractSuite({
  api: 'eko-bbps',
  contract,
  createClient: (baseUrl) =>
    createEkoClient({ baseUrl, developerKey: 'dev-key-0123456789abcdef', accessKey: 'test-access-key-123' }),
  createClientWithoutCredentials: (baseUrl) => createEkoClient({ baseUrl, developerKey: '', accessKey: '' }),
  calls,
  invalidCalls,
  extra: (mock) => {
    it('the README example (examples/eko.ts) runs against the mock', async () => {
      const lines: string[] = [];
      const result = await runExample(mock().url, (line) => lines.push(line));
      expect(result).toEqual({ billAmountPaise: 135000n, state: 'success', tid: '2882709962' });
      expect(lines.length).toBeGreaterThan(0);
    });
  },
});
