import { Contract } from '@bbps-kit/contracts/validator';
import { expect, it } from 'vitest';
import { run as runExample } from '../../examples/kaleidofin-partner.ts';
import { createKaleidofinPartnerClient, type KaleidofinPartnerClient } from '../../src/index.ts';
import { type Call, contractSuite } from './support.ts';

const contract = await Contract.load('kaleidofin-partner');

const calls: Record<string, Call<KaleidofinPartnerClient>> = {
  fetchBills: (client, headers) =>
    client.POST('/bills/fetchBills', {
      body: [
        { identifierKey: 'name', identifierValue: 'vishakha' },
        { identifierKey: 'customerId', identifierValue: 'AY1234' },
      ],
      headers,
    }),
  fetchReceipt: (client, headers) =>
    client.POST('/bills/fetchReceipt', {
      body: {
        systemBillId: 14,
        partnerBillId: 'SAMPLE_ID',
        paymentDetails: { billAmount: 1000, amountPaid: 1000, transactionId: '20201223246869' },
      },
      headers,
    }),
};

const invalidCalls: Record<string, Call<KaleidofinPartnerClient>> = {
  // @ts-expect-error identifierValue is required
  fetchBills: (client) => client.POST('/bills/fetchBills', { body: [{ identifierKey: 'customerId' }] }),
  fetchReceipt: (client) =>
    client.POST('/bills/fetchReceipt', {
      // @ts-expect-error paymentDetails is required
      body: { systemBillId: 14, partnerBillId: 'SAMPLE_ID' },
    }),
};

contractSuite({
  api: 'kaleidofin-partner',
  contract,
  createClient: (baseUrl) => createKaleidofinPartnerClient({ baseUrl, apiKey: 'partner-key-1' }),
  createClientWithoutCredentials: (baseUrl) => createKaleidofinPartnerClient({ baseUrl, apiKey: '' }),
  calls,
  invalidCalls,
  extra: (mock) => {
    it('the README example (examples/kaleidofin-partner.ts) runs against the mock', async () => {
      const lines: string[] = [];
      const result = await runExample(mock().url, (line) => lines.push(line));
      expect(result).toEqual({ bills: 2, dueNowPaise: 100000n, receiptId: 'R0123' });
      expect(lines.length).toBeGreaterThan(0);
    });
  },
});
