// The scripted outcomes ("magic values") of the Kaleidofin collect simulator, in one table. Collect fronts a partner
// biller, whose customers and bills are its own (the demo biller's AY1234 …), so the customer cannot carry the
// magic value: a payment's outcome is chosen by the last four characters of its `transactionId` (the operating
// unit's own id), and `0009` by any `identifierValue` of a fetch. Any other value: the partner biller is asked for
// its receipt at once (`fetchReceipt`) and the bill is PAYMENT_SUCCESSFUL. The README's table is this one;
// test/collect-behaviour.test.ts proves each row.
import type { zBillStatus } from '@bbps-kit/contracts/schemas/kaleidofin-collect';
import type { z } from 'zod';

export type BillStatus = z.infer<typeof zBillStatus>;

/** What one step of a payment does: ask the partner for its receipt (success, or its refusal), or a fixed state. */
export type Step = 'receipt' | 'pending' | 'failed';

export interface CollectScript {
  summary: string;
  /** The fetch finds no such customer (404), without asking the partner. */
  noCustomer?: boolean;
  /** postPayment answers 500 in the envelope, records nothing and asks the partner nothing. */
  failsUpstream?: boolean;
  /** The payment is recorded (the partner's receipt taken), but its answer is lost: held, then closed. */
  losesAnswer?: boolean;
  /** At the payment. */
  onPay: Step;
  /** At the n-th status inquiry (1-based); the last entry holds from then on. Ignored once final. */
  onInquiry: readonly Step[];
}

export const defaultCollectScript: CollectScript = {
  summary: 'the partner biller’s receipt at once: PAYMENT_SUCCESSFUL',
  onPay: 'receipt',
  onInquiry: ['receipt'],
};

export const collectScripts: Readonly<Record<string, CollectScript>> = {
  '0001': {
    summary: 'PAYMENT_FAILED (final); the partner biller is not asked',
    onPay: 'failed',
    onInquiry: ['failed'],
  },
  '0002': {
    summary: 'BILL_CREATED (pending) at the payment and the first inquiry; from the second, the partner’s receipt',
    onPay: 'pending',
    onInquiry: ['pending', 'receipt'],
  },
  '0003': {
    summary: 'BILL_CREATED (pending) at the payment and the first inquiry, PAYMENT_FAILED from the second',
    onPay: 'pending',
    onInquiry: ['pending', 'failed'],
  },
  '0004': {
    summary: 'the partner’s receipt is taken, but the answer is lost (held, then closed); an inquiry shows it',
    losesAnswer: true,
    onPay: 'receipt',
    onInquiry: ['receipt'],
  },
  '0005': {
    summary: 'postPayment answers 500 in the envelope; nothing recorded, the partner not asked',
    failsUpstream: true,
    onPay: 'receipt',
    onInquiry: ['receipt'],
  },
  '0009': {
    summary: 'an identifierValue ending in 0009: no such customer (404), the partner not asked',
    noCustomer: true,
    onPay: 'receipt',
    onInquiry: ['receipt'],
  },
};

export function collectScriptFor(value: string): CollectScript {
  return collectScripts[value.slice(-4)] ?? defaultCollectScript;
}
