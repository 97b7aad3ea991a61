// The server's zod schemas and the types generated from the specs must be the same types, in both
// directions (what the server accepts and what it produces). A spec edit that regenerates the types without
// a matching schema change, or the reverse, fails `vitest run` here.
import type { EbppMpa, KaleidofinPartner } from '@bbps-kit/contracts';
import { z } from '@hono/zod-openapi';
import { describe, expectTypeOf, it } from 'vitest';
import * as E from '../src/ebpp/schemas.ts';
import * as K from '../src/kaleidofin/schemas.ts';

type KSchemas = KaleidofinPartner.components['schemas'];
type KOps = KaleidofinPartner.operations;
type ESchemas = EbppMpa.components['schemas'];
type EOps = EbppMpa.operations;

describe('Kaleidofin partner schemas are the contract types', () => {
  it('requests', () => {
    expectTypeOf<z.input<typeof K.BillIdentifierList>>().toEqualTypeOf<
      KOps['fetchBills']['requestBody']['content']['application/json']
    >();
    expectTypeOf<z.output<typeof K.BillIdentifierList>>().toEqualTypeOf<KSchemas['BillIdentifierList']>();
    expectTypeOf<z.input<typeof K.BillPaymentAcknowledgement>>().toEqualTypeOf<
      KOps['fetchReceipt']['requestBody']['content']['application/json']
    >();
    expectTypeOf<z.output<typeof K.BillPaymentAcknowledgement>>().toEqualTypeOf<
      KSchemas['BillPaymentAcknowledgement']
    >();
  });

  it('responses', () => {
    expectTypeOf<z.output<typeof K.FetchBillsResponse>>().toEqualTypeOf<
      KOps['fetchBills']['responses'][200]['content']['application/json']
    >();
    expectTypeOf<z.output<typeof K.FetchReceiptResponse>>().toEqualTypeOf<
      KOps['fetchReceipt']['responses'][200]['content']['application/json']
    >();
    expectTypeOf<z.output<typeof K.ErrorResponse>>().toEqualTypeOf<KSchemas['ErrorResponse']>();
    expectTypeOf<z.output<typeof K.ErrorResponse>>().toEqualTypeOf<
      KOps['fetchReceipt']['responses'][409]['content']['application/json']
    >();
    expectTypeOf<z.output<typeof K.Bill>>().toEqualTypeOf<KSchemas['Bill']>();
    expectTypeOf<z.output<typeof K.CustomerInfo>>().toEqualTypeOf<KSchemas['CustomerInfo']>();
  });
});

describe('EBPP MPA schemas are the contract types', () => {
  it('requests and the client-key header', () => {
    expectTypeOf<z.input<typeof E.LookupCustomersRequest>>().toEqualTypeOf<
      EOps['lookupCustomers']['requestBody']['content']['application/x-www-form-urlencoded']
    >();
    expectTypeOf<z.input<typeof E.Payment>>().toEqualTypeOf<
      EOps['postPayment']['requestBody']['content']['application/json']
    >();
    expectTypeOf<z.output<typeof E.Payment>>().toEqualTypeOf<
      EOps['postPaymentReversal']['requestBody']['content']['application/json']
    >();
    expectTypeOf<z.input<typeof E.Refund>>().toEqualTypeOf<
      EOps['postPaymentRefund']['requestBody']['content']['application/json']
    >();
    expectTypeOf<z.output<typeof E.Refund>>().toEqualTypeOf<ESchemas['Refund']>();
    expectTypeOf<z.input<typeof E.ClientKeyHeader>>().toEqualTypeOf<EOps['postPayment']['parameters']['header']>();
  });

  it('responses', () => {
    expectTypeOf<z.output<typeof E.MpaCustomerList>>().toEqualTypeOf<
      EOps['lookupCustomers']['responses'][200]['content']['application/json']
    >();
    expectTypeOf<z.output<typeof E.PostedPayment>>().toEqualTypeOf<
      EOps['postPayment']['responses'][200]['content']['application/json']
    >();
    expectTypeOf<z.output<typeof E.PostedPayment>>().toEqualTypeOf<
      EOps['postPaymentReversal']['responses'][200]['content']['application/json']
    >();
    expectTypeOf<z.output<typeof E.PostedRefund>>().toEqualTypeOf<
      EOps['postPaymentRefund']['responses'][200]['content']['application/json']
    >();
    expectTypeOf<z.output<typeof E.ErrorResponse>>().toEqualTypeOf<ESchemas['ErrorResponse']>();
    expectTypeOf<z.output<typeof E.ErrorResponse>>().toEqualTypeOf<
      EOps['postPayment']['responses'][409]['content']['application/json']
    >();
    expectTypeOf<z.output<typeof E.CustomerAccount>>().toEqualTypeOf<ESchemas['CustomerAccount']>();
  });
});

describe('drift is caught', () => {
  it('a field whose type changed', () => {
    const drifted = K.BillIdentifier.extend({ identifierValue: z.number() });
    // @ts-expect-error identifierValue is a string in the contract
    expectTypeOf<z.output<typeof drifted>>().toEqualTypeOf<KSchemas['BillIdentifier']>();
  });

  it('a field the contract does not have', () => {
    const drifted = E.PostedRefund.extend({ refunded_on: z.string() });
    // @ts-expect-error PostedRefund has no refunded_on
    expectTypeOf<z.output<typeof drifted>>().toEqualTypeOf<ESchemas['PostedRefund']>();
  });

  it('a required field made optional', () => {
    const drifted = K.PaymentDetails.partial({ transactionId: true });
    // @ts-expect-error transactionId is required in the contract
    expectTypeOf<z.input<typeof drifted>>().toEqualTypeOf<KSchemas['PaymentDetails']>();
  });

  it('an enum with a value the contract lacks', () => {
    const drifted = z.enum(['active', 'closed', 'queued_for_repair', 'frozen']);
    // @ts-expect-error the account status enum has three values
    expectTypeOf<z.output<typeof drifted>>().toEqualTypeOf<ESchemas['CustomerAccount']['status']>();
  });
});
