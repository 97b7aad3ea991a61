import { Contract } from '@bbps-kit/contracts/validator';
import { expect, it } from 'vitest';
import { run as runExample } from '../../examples/ebpp.ts';
import { createEbppClient, type EbppClient, type EbppPayment, type EbppRefund } from '../../src/index.ts';
import { type Call, contractSuite } from './support.ts';

const contract = await Contract.load('ebpp-mpa');

const payment: EbppPayment = {
  posting_info: { posting_date: '2025-03-05', batch_id: 'EBPP-20250305-01', attempt: 1 },
  amount: '12450.00',
  confirmation_number: 'EBP5K2M9Q7X4',
  currency_code3d: 'INR',
  custom_fields: { branch_code: 'PUN014' },
  customer: { id: '4100027731', customer_reference: 'AY1234', first_name: 'Vishakha', last_name: 'Kulkarni' },
  customer_account: { id: '5200011840', account_number: 'LN-AY1234' },
  funding_account: {
    id: '6300045512',
    account_type: 'bank',
    account_subtype: 'savings',
    account_number: '******7421',
    issuer_name: 'HDFC Bank',
  },
  id: '7300018829',
  payment_date: '2025-03-05',
  payment_method: 'ach',
  payment_network_response: { payment_response_code: '00', payment_response_msg: 'Accepted' },
  payment_schedule_type: 'one_time_payment',
  status: 'processing',
};

const reversal: EbppPayment = {
  ...payment,
  payment_network_response: { payment_response_code: '04', payment_response_msg: 'Balance insufficient' },
  payment_reference: 'PMT-20250305-000187',
  payment_return_date: '2025-03-08',
  return_code: '04',
  status: 'returned',
};

const refund: EbppRefund = {
  id: '7400002291',
  refund_type: 'payment_only',
  refund_amount: '6225.00',
  status: 'processed',
  confirmation_number: 'EBR7H3N2D8K1',
  refund_date: '2025-03-11',
  source_payment: {
    id: '7300018851',
    payment_reference: 'PMT-20250304-000942',
    amount: '6225.00',
    currency_code3d: 'INR',
    customer_account: { account_number: 'LN-AY1234' },
  },
};

// Note what is absent: no `params: { header: { 'client-key' } }`. The client sends client-key and api-key itself.
const calls: Record<string, Call<EbppClient>> = {
  lookupCustomers: (client, headers) =>
    client.POST('/mpacustomers', { body: { account_number: 'LN-AY1234' }, headers }),
  postPayment: (client, headers) => client.POST('/paymentposting', { body: payment, headers }),
  postPaymentReversal: (client, headers) => client.POST('/paymentreversalposting', { body: reversal, headers }),
  postPaymentRefund: (client, headers) => client.POST('/paymentrefundposting', { body: refund, headers }),
};

const invalidCalls: Record<string, Call<EbppClient>> = {
  lookupCustomers: (client) => client.POST('/mpacustomers', { body: { email: 'not-an-email' } }),
  // @ts-expect-error amount is a decimal string of rupees
  postPayment: (client) => client.POST('/paymentposting', { body: { ...payment, amount: 12450 } }),
  // @ts-expect-error status must be one of the payment statuses
  postPaymentReversal: (client) => client.POST('/paymentreversalposting', { body: { ...reversal, status: 'bounced' } }),
  postPaymentRefund: (client) =>
    // @ts-expect-error source_payment is required
    client.POST('/paymentrefundposting', { body: { id: '7400002291', status: 'processed', confirmation_number: 'X' } }),
};

contractSuite({
  api: 'ebpp-mpa',
  contract,
  createClient: (baseUrl) => createEbppClient({ baseUrl, clientKey: 'ebpp_ayfin_01', apiKey: 'biller-api-key' }),
  createClientWithoutCredentials: (baseUrl) => createEbppClient({ baseUrl, clientKey: '', apiKey: '' }),
  calls,
  invalidCalls,
  extra: (mock) => {
    it('the README example (examples/ebpp.ts) runs against the mock', async () => {
      const lines: string[] = [];
      const result = await runExample(mock().url, (line) => lines.push(line));
      expect(result).toEqual({ profiles: 2, minimumDuePaise: 120000n, paymentReference: 'PMT-20250305-000187' });
      expect(lines.length).toBeGreaterThan(0);
    });
  },
});
