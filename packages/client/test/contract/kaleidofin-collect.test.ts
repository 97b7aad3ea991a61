import { Contract } from '@bbps-kit/contracts/validator';
import { expect, it } from 'vitest';
import { run as runExample } from '../../examples/kaleidofin-collect.ts';
import { createKaleidofinCollectClient, type KaleidofinCollectClient } from '../../src/index.ts';
import { type Call, contractSuite } from './support.ts';

const contract = await Contract.load('kaleidofin-collect');

const calls: Record<string, Call<KaleidofinCollectClient>> = {
  fetchCustomerBills: (client, headers) =>
    client.POST('/bills/fetch/{billerId}', {
      params: { path: { billerId: 'AYFIN0000001' } },
      body: [
        { identifierKey: 'name', identifierValue: 'vishakha' },
        { identifierKey: 'consumerId', identifierValue: 'AY1234' },
      ],
      headers,
    }),
  getBillStatus: (client, headers) =>
    client.GET('/bills/status/{systemBillId}', { params: { path: { systemBillId: 15 } }, headers }),
  postPayment: (client, headers) =>
    client.POST('/bills/payment', {
      body: { systemBillId: 19, transactionId: '127829461946', amountPaid: 1000, paymentDate: '2020-07-30' },
      headers,
    }),
};

const invalidCalls: Record<string, Call<KaleidofinCollectClient>> = {
  fetchCustomerBills: (client) =>
    client.POST('/bills/fetch/{billerId}', {
      params: { path: { billerId: 'AYFIN0000001' } },
      // @ts-expect-error the body is a list of identifiers, not one
      body: { identifierKey: 'consumerId', identifierValue: 'AY1234' },
    }),
  getBillStatus: (client) =>
    // @ts-expect-error systemBillId is an integer
    client.GET('/bills/status/{systemBillId}', { params: { path: { systemBillId: 'bill-15' } } }),
  postPayment: (client) =>
    client.POST('/bills/payment', {
      // @ts-expect-error paymentDate is required
      body: { systemBillId: 19, transactionId: '127829461946', amountPaid: 1000 },
    }),
};

contractSuite({
  api: 'kaleidofin-collect',
  contract,
  createClient: (baseUrl) => createKaleidofinCollectClient({ baseUrl, apiKey: 'ou-key-1' }),
  createClientWithoutCredentials: (baseUrl) => createKaleidofinCollectClient({ baseUrl, apiKey: '' }),
  calls,
  invalidCalls,
  extra: (mock) => {
    it('the README example (examples/kaleidofin-collect.ts) runs against the mock', async () => {
      const lines: string[] = [];
      const result = await runExample(mock().url, (line) => lines.push(line));
      expect(result).toEqual({ billStatus: 'PAYMENT_SUCCESSFUL', paidPaise: 100000n });
      expect(lines.length).toBeGreaterThan(0);
    });
  },
});
