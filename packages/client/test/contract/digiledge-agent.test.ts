import { Contract } from '@bbps-kit/contracts/validator';
import { expect, it } from 'vitest';
import { run as runExample } from '../../examples/digiledge.ts';
import {
  createDigiledgeClient,
  type DigiledgeClient,
  type DigiledgeFetchBillRequest,
  type DigiledgePayBillRequest,
} from '../../src/index.ts';
import { type Call, contractSuite } from './support.ts';

const contract = await Contract.load('digiledge-agent');

const fetchRequest: DigiledgeFetchBillRequest = {
  tenantId: 'FE41',
  refId: 'vkL5Q79lukhzL4dSHatditBwzin20741742',
  billerId: 'KIFS00000NATST',
  billerName: 'KIFS Housing Finance Ltd',
  billerCategory: 'Loan Repayment',
  customerMobNo: '8281970522',
  paymentChannel: 'Agent',
  deviceBlockTags: [
    { name: 'MOBILE', value: '9591810218' },
    { name: 'GEOCODE', value: '28.6139,78.5555' },
    { name: 'POSTAL_CODE', value: '600001' },
    { name: 'TERMINAL_ID', value: '333001' },
  ],
  customerParams: [{ name: 'APPLICATION NUMBER', value: '7710485' }],
};

const payRequest: DigiledgePayBillRequest = {
  ...fetchRequest,
  refId: 'vkL5Q79lukhzL4dSHatditBwzin20751743',
  actionType: 'FETCH_PAY',
  amountOptions: false,
  billId: '5947f973-b595-484d-a19c-24a7668b058e',
  paymentMode: 'UPI',
  paymentInformation: 'xxxxxxxx@abc',
  txnAmount: 5600,
};

const calls: Record<string, Call<DigiledgeClient>> = {
  fetchBill: (client, headers) => client.POST('/couapp/agent/bills/fetch', { body: fetchRequest, headers }),
  getFetchedBill: (client, headers) =>
    client.GET('/couapp/bills/fetch/byId', {
      params: { query: { billId: '5947f973-b595-484d-a19c-24a7668b058e' } },
      headers,
    }),
  payBill: (client, headers) => client.POST('/couapp/agent/bills/payment', { body: payRequest, headers }),
  getPaymentByTxnId: (client, headers) =>
    client.GET('/couapp/transactions/payment/byTxnId', {
      params: { query: { txnId: 'fdd28ccc-90bd-4719-8adf-26e085d18d54' } },
      headers,
    }),
  getPaymentByClientReqId: (client, headers) =>
    client.GET('/couapp/transactions/payment/byClientId', {
      params: { query: { clientReqId: 'vkL5Q79lukhzL4dSHatditBwzin20751743' } },
      headers,
    }),
};

const invalidCalls: Record<string, Call<DigiledgeClient>> = {
  fetchBill: (client) =>
    // @ts-expect-error paymentChannel must be one of the channel table's names
    client.POST('/couapp/agent/bills/fetch', { body: { ...fetchRequest, paymentChannel: 'Carrier pigeon' } }),
  // billId is at most 36 letters, digits and hyphens
  getFetchedBill: (client) =>
    client.GET('/couapp/bills/fetch/byId', { params: { query: { billId: 'not a bill id!' } } }),
  // @ts-expect-error txnAmount is an integer of paise, not a string
  payBill: (client) => client.POST('/couapp/agent/bills/payment', { body: { ...payRequest, txnAmount: '56.00' } }),
  getPaymentByTxnId: (client) =>
    // @ts-expect-error txnId is required
    client.GET('/couapp/transactions/payment/byTxnId', { params: { query: {} } }),
  // clientReqId is the 35-character refId
  getPaymentByClientReqId: (client) =>
    client.GET('/couapp/transactions/payment/byClientId', { params: { query: { clientReqId: 'too-short' } } }),
};

contractSuite({
  api: 'digiledge-agent',
  contract,
  createClient: (baseUrl) => createDigiledgeClient({ baseUrl, apiKey: 'tenant-FE41-key' }),
  createClientWithoutCredentials: (baseUrl) => createDigiledgeClient({ baseUrl, apiKey: '' }),
  calls,
  invalidCalls,
  extra: (mock) => {
    it('the README example (examples/digiledge.ts) runs against the mock', async () => {
      const lines: string[] = [];
      const result = await runExample(mock().url, (line) => lines.push(line));
      expect(result).toEqual({ billAmountPaise: 5600n, state: 'success', paidPaise: 5600n });
      expect(lines.length).toBeGreaterThan(0);
    });
  },
});
