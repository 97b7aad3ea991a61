// The scripted outcomes ("magic values") of the Digiledge simulator, in one table: the last four characters of the
// first customer-parameter value (`customerParams[0].value`, or `customerParamsRequest.tags[0].value`) choose what
// happens. Any other value: the fetch succeeds and the payment succeeds at the first poll. The README's table is
// this one; test/digiledge-behaviour.test.ts proves each row.
import type { zPaymentStatus } from '@bbps-kit/contracts/schemas/digiledge-agent';
import type { z } from 'zod';

export type PaymentStatus = z.infer<typeof zPaymentStatus>;

export interface DigiledgeScript {
  summary: string;
  /** The fetch is accepted, and its poll shows BILL_FETCH_FAILED: no such customer. */
  noCustomer?: boolean;
  /** payBill answers 500 in the envelope and records nothing (the refId stays unused). */
  failsUpstream?: boolean;
  /** The payment is recorded, but its answer is lost: the connection is held, then closed. */
  losesAnswer?: boolean;
  /** The payment's status at the n-th poll (1-based); the last entry holds from then on. */
  onPoll: readonly PaymentStatus[];
}

export const defaultDigiledgeScript: DigiledgeScript = {
  summary: 'the payment succeeds (BILL_PAYMENT_SUCCESS from the first poll)',
  onPoll: ['BILL_PAYMENT_SUCCESS'],
};

export const digiledgeScripts: Readonly<Record<string, DigiledgeScript>> = {
  '0001': { summary: 'the payment fails: BILL_PAYMENT_FAILED (final)', onPoll: ['BILL_PAYMENT_FAILED'] },
  '0002': {
    summary: 'BILL_PAYMENT_PENDING at the first poll, BILL_PAYMENT_SUCCESS from the second on',
    onPoll: ['BILL_PAYMENT_PENDING', 'BILL_PAYMENT_SUCCESS'],
  },
  '0003': {
    summary: 'BILL_PAYMENT_PENDING at the first poll, BILL_PAYMENT_FAILED from the second on',
    onPoll: ['BILL_PAYMENT_PENDING', 'BILL_PAYMENT_FAILED'],
  },
  '0004': {
    summary: 'recorded as successful, but the answer is lost (held, then closed); a poll shows BILL_PAYMENT_SUCCESS',
    losesAnswer: true,
    onPoll: ['BILL_PAYMENT_SUCCESS'],
  },
  '0005': {
    summary: 'payBill answers 500 in Digiledge’s envelope and records nothing',
    failsUpstream: true,
    onPoll: ['BILL_PAYMENT_SUCCESS'],
  },
  '0009': {
    summary: 'the fetch is accepted, then its poll shows BILL_FETCH_FAILED (no such customer)',
    noCustomer: true,
    onPoll: ['BILL_PAYMENT_SUCCESS'],
  },
};

export function digiledgeScriptFor(customerParam: string | undefined): DigiledgeScript {
  return (
    (customerParam === undefined ? undefined : digiledgeScripts[customerParam.slice(-4)]) ?? defaultDigiledgeScript
  );
}
