import { beforeAll, describe, expect, it } from 'vitest';
import { Contract } from '../src/validator.ts';
import { expectEveryExampleValidWhereUsed, expectRejected } from './support.ts';

let contract: Contract;
beforeAll(async () => {
  contract = await Contract.load('ebpp-mpa');
});

const FORM = 'application/x-www-form-urlencoded';
const JSON_MEDIA = 'application/json';
const operationIds = ['lookupCustomers', 'postPayment', 'postPaymentReversal', 'postPaymentRefund'] as const;
const postingIds = ['postPayment', 'postPaymentReversal', 'postPaymentRefund'] as const;

type Json = Record<string, unknown>;
type MediaType = { examples?: Record<string, { $ref?: string }> };

describe('ebpp-mpa seed examples', () => {
  it('seed example SeedErrorResponse validates', () => {
    const value = contract.example('SeedErrorResponse');
    expect(value).toEqual({
      errors: [
        {
          code: 'error_field',
          message:
            'The error returned if a mandatory field is missing value or if the value is invalid. This is accompanied by the field that caused the error.',
          field: 'account_number',
        },
      ],
    });
    for (const operationId of operationIds) {
      const verdict = contract.response(operationId, 400, value);
      expect(verdict.errors).toEqual([]);
      expect(verdict.valid).toBe(true);
    }
  });
});

describe('ebpp-mpa examples', () => {
  it('every example in components/examples validates against every place it is used', () => {
    const used = expectEveryExampleValidWhereUsed(contract);
    expect(used.length).toBeGreaterThan(30);
  });

  it('every operation declares its responses, with examples, and requires both keys', () => {
    for (const operationId of operationIds) {
      const { operation } = contract.operation(operationId);
      const expected = ['200', '400', '401', '403', '404', '422', '500', '503'];
      if ((postingIds as readonly string[]).includes(operationId)) expected.push('409');
      expect(Object.keys(operation.responses).sort()).toEqual(expected.sort());
      for (const response of Object.values(operation.responses)) {
        const resolved = contract.resolve(response) as { content?: Record<string, MediaType> };
        expect(Object.keys(resolved.content?.[JSON_MEDIA]?.examples ?? {}).length).toBeGreaterThan(0);
      }
      expect((operation as { security?: unknown }).security).toEqual([{ clientKey: [], apiKey: [] }]);
      // client-key is also a required header parameter; the client makes it optional by the scheme's name.
      const schemes = contract.document.components?.securitySchemes as Record<string, { name: string }>;
      const headers = contract.parameters(operationId).filter((p) => p.in === 'header');
      expect(headers.map((p) => p.name)).toContain(schemes.clientKey?.name);
    }
  });
});

describe('lookupCustomers rejects', () => {
  const body = () => contract.example('LookupByCustomerReferenceRequest') as Json;
  const lookup = (value: unknown) => contract.requestBody('lookupCustomers', value, FORM);

  it('accepts the form body it documents', () => {
    expect(lookup(body()).errors).toEqual([]);
    expect(lookup({ customer_reference: '' }).valid).toBe(true);
  });
  it('a broken pattern', () => {
    expectRejected(lookup({ ...body(), account_number: 'LN AY1234' }), '/account_number', 'pattern');
    expectRejected(lookup({ ssn: '12345678A' }), '/ssn', 'pattern');
    expectRejected(lookup({ email: 'vishakha.kulkarni@' }), '/email');
  });
  it('a too-long or too-short string', () => {
    expectRejected(lookup({ ...body(), customer_reference: 'A'.repeat(101) }), '/customer_reference', 'more than 100');
    expectRejected(lookup({ ...body(), account_number: '' }), '/account_number', 'fewer than 1');
    expectRejected(lookup({ ssn: '1234567890' }), '/ssn', 'more than 9');
  });
  it('a body with no criterion at all', () => {
    expectRejected(lookup({}), '(root)', 'fewer than 1 properties');
  });
  it('a wrong type', () => {
    expectRejected(lookup({ account_number: 1234 }), '/account_number', 'must be string');
  });
  it('a response with an unknown account status, a numeric amount, or no customers', () => {
    const response = contract.example('LookupCustomersResponse') as { customers: { customer_accounts: Json[] }[] };
    const account = response.customers[0]?.customer_accounts[0] as Json;
    account.status = 'frozen';
    account.current_balance = 982340.5;
    expectRejected(
      contract.response('lookupCustomers', 200, response),
      '/customers/0/customer_accounts/0/status',
      '/customers/0/customer_accounts/0/current_balance',
    );
    expectRejected(contract.response('lookupCustomers', 200, { customers: [] }), '/customers', 'fewer than 1');
    const missing = contract.example('LookupClosedAccountResponse') as { customers: Json[] };
    delete missing.customers[0]?.customer_reference;
    expectRejected(contract.response('lookupCustomers', 200, missing), '/customers/0', 'customer_reference');
  });
});

describe('postPayment rejects', () => {
  const body = () => contract.example('PaymentPostingRequest') as Json;
  const post = (value: unknown) => contract.requestBody('postPayment', value);

  it('reads the body as flat: posting_info is an optional sibling, not a wrapper', () => {
    const { posting_info: _postingInfo, ...withoutPostingInfo } = body();
    expect(post(withoutPostingInfo).errors).toEqual([]);
    expectRejected(post({ posting_info: withoutPostingInfo }), "required property 'amount'", "required property 'id'");
  });
  it('an unknown enum value', () => {
    expectRejected(post({ ...body(), payment_method: 'upi' }), '/payment_method', 'allowed values');
    expectRejected(post({ ...body(), payment_schedule_type: 'weekly' }), '/payment_schedule_type');
    expectRejected(post({ ...body(), payment_amount_type: 'emi' }), '/payment_amount_type');
    expectRejected(post({ ...body(), status: 'settled' }), '/status', 'allowed values');
  });
  it('a broken pattern', () => {
    expectRejected(post({ ...body(), amount: '12,450.00' }), '/amount', 'pattern');
    expectRejected(post({ ...body(), amount: '12450.005' }), '/amount', 'pattern');
    expectRejected(post({ ...body(), amount: '123456789012345' }), '/amount', 'pattern');
    expectRejected(post({ ...body(), id: '73000-18829' }), '/id', 'pattern');
    expectRejected(post({ ...body(), currency_code3d: 'inr' }), '/currency_code3d', 'pattern');
    expectRejected(post({ ...body(), payment_date: '05-03-2025' }), '/payment_date', 'pattern');
    expectRejected(post({ ...body(), payment_entry_date: '2025-02-30' }), '/payment_entry_date', 'format');
    expectRejected(post({ ...body(), token: 'pos token' }), '/token', 'pattern');
  });
  it('a full card number in funding_account', () => {
    const value = body();
    (value.funding_account as Json).account_number = '4111111111111111';
    expectRejected(post(value), '/funding_account/account_number', 'pattern');
  });
  it('a too-long or too-short string', () => {
    expectRejected(post({ ...body(), confirmation_number: 'A'.repeat(31) }), '/confirmation_number', 'more than 30');
    expectRejected(post({ ...body(), confirmation_number: '' }), '/confirmation_number', 'fewer than 1');
    expectRejected(post({ ...body(), comments: 'a'.repeat(1001) }), '/comments', 'more than 1000');
  });
  it('a missing required field, at the root and nested', () => {
    const { amount: _amount, ...withoutAmount } = body();
    expectRejected(post(withoutAmount), "required property 'amount'");
    const value = body();
    delete (value.customer_account as Json).account_number;
    expectRejected(post(value), '/customer_account', "required property 'account_number'");
  });
  it('a wrong type', () => {
    expectRejected(post({ ...body(), amount: 12450 }), '/amount', 'must be string');
    expectRejected(post({ ...body(), custom_fields: 'branch_code=PUN014' }), '/custom_fields', 'must be object');
  });
  it('a response without the biller payment_reference', () => {
    const { payment_reference: _reference, ...response } = contract.example('PaymentPostedResponse') as Json;
    expectRejected(contract.response('postPayment', 200, response), "required property 'payment_reference'");
  });
});

describe('postPaymentReversal rejects', () => {
  const body = () => contract.example('PaymentReturnedReversalRequest') as Json;
  const post = (value: unknown) => contract.requestBody('postPaymentReversal', value);

  it('an unknown enum value', () => {
    expectRejected(post({ ...body(), status: 'reversed' }), '/status', 'allowed values');
  });
  it('a broken pattern', () => {
    expectRejected(post({ ...body(), return_code: 'R01' }), '/return_code', 'pattern');
    expectRejected(post({ ...body(), payment_return_date: '2025-3-8' }), '/payment_return_date', 'format');
  });
  it('a too-long string', () => {
    expectRejected(post({ ...body(), payment_reference: 'P'.repeat(51) }), '/payment_reference', 'more than 50');
  });
  it('a missing required field', () => {
    const { id: _id, ...withoutId } = body();
    expectRejected(post(withoutId), "required property 'id'");
  });
  it('a wrong type', () => {
    expectRejected(post({ ...body(), customer: 'AY1234' }), '/customer', 'must be object');
  });
});

describe('postPaymentRefund rejects', () => {
  const body = () => contract.example('PaymentRefundRequest') as Json;
  const post = (value: unknown) => contract.requestBody('postPaymentRefund', value);

  it('an unknown enum value', () => {
    expectRejected(post({ ...body(), refund_type: 'partial' }), '/refund_type', 'allowed values');
    expectRejected(post({ ...body(), status: 'refunded' }), '/status', 'allowed values');
  });
  it('a broken pattern', () => {
    expectRejected(post({ ...body(), refund_amount: '6,225' }), '/refund_amount', 'pattern');
    expectRejected(post({ ...body(), refund_date: '2025-13-01' }), '/refund_date', 'pattern');
    expectRejected(post({ ...body(), refund_reference: 'RFD 42' }), '/refund_reference', 'pattern');
  });
  it('a too-long string', () => {
    expectRejected(post({ ...body(), id: '1'.repeat(21) }), '/id', 'more than 20');
  });
  it('a missing required field, at the root and nested', () => {
    const { source_payment: _source, ...withoutSource } = body();
    expectRejected(post(withoutSource), "required property 'source_payment'");
    const value = body();
    delete (value.source_payment as Json).id;
    expectRejected(post(value), '/source_payment', "required property 'id'");
  });
  it('a wrong type', () => {
    expectRejected(post({ ...body(), fee_refund: '0.00' }), '/fee_refund', 'must be object');
  });
  it('a response without the biller refund_reference', () => {
    const { refund_reference: _reference, ...response } = contract.example('PaymentRefundedResponse') as Json;
    expectRejected(contract.response('postPaymentRefund', 200, response), "required property 'refund_reference'");
  });
});

describe('error envelope rejects', () => {
  it('a code outside the seed ten, an empty list, a missing message', () => {
    expectRejected(
      contract.response('postPayment', 422, { errors: [{ code: 'error_unknown', message: 'x' }] }),
      '/errors/0/code',
      'allowed values',
    );
    expectRejected(contract.response('lookupCustomers', 404, { errors: [] }), '/errors', 'fewer than 1');
    expectRejected(
      contract.response('postPaymentRefund', 409, { errors: [{ code: 'error_duplicate_posting' }] }),
      '/errors/0',
      "required property 'message'",
    );
  });
});
