// The six operations the biller serves, as the fuzzer sees them: where they live, how their bodies are
// encoded, which 4xx a valid request may still get (business refusals the spec declares), the rules the specs
// state in prose that a schema cannot express, and realistic values from the demo data.

import { demoKeys } from '@bbps-kit/biller';
import { type ApiName, Contract } from '@bbps-kit/contracts/validator';
import { MoneyError, paiseFromKaleidofinRupees } from '@bbps-kit/money';
import fc from 'fast-check';
import { isPlainObject, type Schema, SchemaArbitraries } from './schema-arbitrary.ts';

export type Media = 'application/json' | 'application/x-www-form-urlencoded';

export interface Target {
  api: ApiName;
  contract: Contract;
  operationId: string;
  path: string;
  media: Media;
  headers: Record<string, string>;
  /** Statuses a valid request may get besides 2xx: the business refusals the operation declares. */
  business: number[];
  /** The request-body schema node from the bundled spec. */
  schema: Schema;
  arbitraries: SchemaArbitraries;
  /** The request examples the spec prints for the operation (realistic, and matching the demo data). */
  examples: unknown[];
  /** Valid bodies (from the schema, mixed with demo-data hints). */
  valid: fc.Arbitrary<unknown>;
  /**
   * A rule the spec states in prose (not in the schema) that a schema-valid body breaks: the biller answers
   * 400 for it, naming `field` when the rule concerns one.
   */
  proseRule(body: unknown): { field?: string } | undefined;
}

export const kaleidofinHeaders = { 'x-api-key': demoKeys.kaleidofinApiKey };
export const ebppHeaders = { 'client-key': demoKeys.ebppClientKey, 'api-key': demoKeys.ebppApiKey };

/** Mutable knowledge the generators use to reach success paths: payments the biller accepted. */
export interface LedgerMemory {
  posted: Record<string, unknown>[];
}

// The demo data and the fuzz book (harness.ts), plus one of each that matches nobody.
const customers = ['AY1234', 'AY1235', 'AY5678', 'AY0871', 'SAMPLE', 'FZ1', 'FZ1', 'FZ2', 'FZ3', 'AY9999'];
const accounts = [
  'LN-AY1234',
  'LN-AY5678',
  'LN-AY0871',
  'LN-SAMPLE',
  'LN-FZ1',
  'LN-FZ1',
  'LN-FZ2',
  'LN-FZ3',
  'LN-NOPE',
];
const holders: [string, string][] = [
  ['AY1234', 'LN-AY1234'],
  ['AY1235', 'LN-AY1234'],
  ['FZ1', 'LN-FZ1'],
  ['FZ1', 'LN-FZ1'],
  ['FZ2', 'LN-FZ2'],
  ['FZ3', 'LN-FZ3'],
  ['AY0871', 'LN-AY0871'],
];
const phones = ['7706057010', '9850098765', '9845012345', '9000000014', '9000000101', '9999999999'];
const rupees = fc.oneof(
  fc.integer({ min: 1, max: 300_000 }).map((paise) => paise / 100),
  fc.constantFrom(1000, 1200, 0.01, 2200),
);
const ebppAmount = fc.oneof(
  fc.integer({ min: 1, max: 5_000 }).map((paise) => (paise / 100).toFixed(2)),
  fc.constantFrom('1', '1.5', '0.99', '0', '2200.00', '99999999999999.99'),
);
const creditingStatus = fc.constantFrom('processed', 'processing', 'scheduled');

function kaleidofinAmountRule(value: unknown, field: string): { field: string } | undefined {
  if (typeof value !== 'number') return undefined;
  try {
    paiseFromKaleidofinRupees(value);
    return undefined;
  } catch (error) {
    if (error instanceof MoneyError) return { field };
    throw error;
  }
}

const knownIdentifierKeys = new Set(['customerid', 'consumerid', 'phonenumber', 'mobilenumber']);
const lookupCriteria = ['customer_reference', 'account_number', 'ssn', 'email', 'lookup_reference'];

export async function loadTargets(memory: LedgerMemory): Promise<Target[]> {
  const kaleidofin = await Contract.load('kaleidofin-partner');
  const ebpp = await Contract.load('ebpp-mpa');
  const resolve = (contract: Contract) => (node: unknown) => contract.resolve(node);

  const build = (
    contract: Contract,
    operationId: string,
    media: Media,
    headers: Record<string, string>,
    business: number[],
    hints: Record<string, fc.Arbitrary<unknown>>,
    proseRule: Target['proseRule'] = () => undefined,
    rootHint?: (plain: fc.Arbitrary<unknown>) => fc.Arbitrary<unknown>,
  ): Target => {
    const { path, operation } = contract.operation(operationId);
    const content = operation.requestBody?.content[media];
    if (!content?.schema) throw new Error(`${operationId} has no ${media} body`);
    const arbitraries = new SchemaArbitraries({ resolve: resolve(contract), hints });
    const plain = arbitraries.valid(content.schema);
    const examples = Object.values(content.examples ?? {}).map(
      (example) => (contract.resolve(example) as { value?: unknown }).value,
    );
    const valid = rootHint
      ? fc.oneof({ arbitrary: rootHint(plain), weight: 2 }, { arbitrary: plain, weight: 1 })
      : plain;
    return {
      api: contract.api,
      contract,
      operationId,
      path,
      media,
      headers,
      business,
      schema: content.schema as Schema,
      arbitraries,
      examples,
      valid,
      proseRule,
    };
  };

  // A posting the biller already accepted, as a reversal (same id, amount and account) or as a refund source.
  const fromPosted = (plain: fc.Arbitrary<unknown>, shape: (posted: Record<string, unknown>) => unknown) =>
    fc.nat().chain((i) => {
      const posted = memory.posted[i % Math.max(memory.posted.length, 1)];
      return posted ? fc.constant(shape(posted)) : plain;
    });

  return [
    build(
      kaleidofin,
      'fetchBills',
      'application/json',
      kaleidofinHeaders,
      [404],
      {
        '[].identifierKey': fc.constantFrom(
          'customerId',
          'consumerId',
          'phoneNumber',
          'mobileNumber',
          'name',
          'CUSTOMERID',
        ),
        '[].identifierValue': fc.constantFrom(...customers, ...phones, 'vishakha'),
      },
      // The keys a biller knows customers by are agreed with Kaleidofin (spec: BillIdentifier); this biller's
      // are customerId, consumerId, phoneNumber and mobileNumber (README), and a list without one is 400.
      (body) =>
        Array.isArray(body) &&
        !body.some((item) => isPlainObject(item) && knownIdentifierKeys.has(String(item.identifierKey).toLowerCase()))
          ? { field: '[0].identifierKey' }
          : undefined,
    ),
    build(
      kaleidofin,
      'fetchReceipt',
      'application/json',
      kaleidofinHeaders,
      [404, 409, 422],
      {
        partnerBillId: fc.constantFrom(
          'TESTING-002',
          'TEST-124',
          'SAMPLE_ID',
          'FZ-ANY',
          'FZ-ANY',
          'FZ-DOWN',
          'FZ-UP',
          'FZ-REPAIR',
          'NO-SUCH-BILL',
        ),
        'paymentDetails.amountPaid': rupees,
        'paymentDetails.billAmount': rupees,
        'paymentDetails.transactionId': fc.constantFrom('20201223246869', 'T1', 'T2'),
      },
      // Spec (info, PaymentDetails.amountPaid): amounts are rupees with at most 2 decimals, converted exactly to
      // paise; an amount that cannot be is 400 naming it. amountPaid is judged before billAmount.
      (body) =>
        isPlainObject(body) && isPlainObject(body.paymentDetails)
          ? (kaleidofinAmountRule(body.paymentDetails.amountPaid, 'paymentDetails.amountPaid') ??
            kaleidofinAmountRule(body.paymentDetails.billAmount, 'paymentDetails.billAmount'))
          : undefined,
    ),
    build(
      ebpp,
      'lookupCustomers',
      'application/x-www-form-urlencoded',
      ebppHeaders,
      [404, 422],
      {
        customer_reference: fc.constantFrom(...customers),
        account_number: fc.constantFrom(...accounts),
        email: fc.constantFrom('vishakha.kulkarni@gmail.com', 'aditya.kulkarni@outlook.com', 'nobody@example.in'),
        lookup_reference: fc.constantFrom('PUN014-0098231', 'NOPE-1'),
      },
      // LookupCustomersRequest: "at least one criterion must be sent"; a form with only unknown keys has none.
      (body) => (isPlainObject(body) && !lookupCriteria.some((key) => Object.hasOwn(body, key)) ? {} : undefined),
    ),
    build(
      ebpp,
      'postPayment',
      'application/json',
      ebppHeaders,
      [404, 409, 422],
      {
        amount: ebppAmount,
        currency_code3d: fc.constant('INR'),
        status: creditingStatus,
        'customer.customer_reference': fc.constantFrom(...customers),
        'customer_account.account_number': fc.constantFrom(...accounts),
      },
      undefined,
      // A holder paying their own account, so that postings also succeed (and feed reversals and refunds).
      (plain) =>
        fc
          .tuple(plain, fc.constantFrom(...holders), ebppAmount, creditingStatus)
          .map(([body, [reference, account], amount, status]) => {
            const payment = body as Record<string, Record<string, unknown>>;
            return {
              ...payment,
              amount,
              status,
              currency_code3d: 'INR',
              customer: { ...payment.customer, customer_reference: reference },
              customer_account: { ...payment.customer_account, account_number: account },
            };
          }),
    ),
    build(
      ebpp,
      'postPaymentReversal',
      'application/json',
      ebppHeaders,
      [404, 409, 422],
      { amount: ebppAmount, 'customer_account.account_number': fc.constantFrom(...accounts) },
      undefined,
      (plain) => fromPosted(plain, (posted) => ({ ...posted, status: 'returned', return_code: 'r01' })),
    ),
    build(ebpp, 'postPaymentRefund', 'application/json', ebppHeaders, [404, 409, 422], {
      refund_amount: ebppAmount,
      status: creditingStatus,
      'source_payment.id': fc.nat().map((i) => String(memory.posted[i % Math.max(memory.posted.length, 1)]?.id ?? i)),
    }),
  ];
}
