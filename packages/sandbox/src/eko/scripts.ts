// The scripted outcomes ("magic values") of the Eko simulator, in one table: the last four characters of
// `utility_acc_no` choose what happens, like a payment network's test cards. Any other account pays successfully at
// once. The README's table is this one; test/eko-magic.test.ts proves each row.

import type { zTxStatus } from '@bbps-kit/contracts/schemas/eko-bbps';
import type { z } from 'zod';

export type TxStatus = z.infer<typeof zTxStatus>;

export interface Script {
  /** What the README's table says. */
  summary: string;
  /** Fetch Bill finds no such customer (1468). */
  noCustomer?: boolean;
  /** Pay Bill answers 500 in Eko's envelope and records nothing. */
  failsUpstream?: boolean;
  /** The payment is recorded, but its answer is lost: the connection is held, then closed without an answer. */
  losesAnswer?: boolean;
  /** `tx_status` in the payment's own answer. */
  onPay: TxStatus;
  /** `tx_status` at the n-th inquiry (1-based); the last entry holds from then on. */
  onInquiry: readonly TxStatus[];
}

export const defaultScript: Script = { summary: 'the payment succeeds at once', onPay: '0', onInquiry: ['0'] };

export const scripts: Readonly<Record<string, Script>> = {
  '0001': { summary: 'the payment fails (tx_status "1", final)', onPay: '1', onInquiry: ['1'] },
  '0002': {
    summary: 'pending (tx_status "2"), then successful ("0") from the second inquiry on',
    onPay: '2',
    onInquiry: ['2', '0'],
  },
  '0003': {
    summary: 'pending ("2"), then refund pending ("3") at the first inquiry, then refunded ("4")',
    onPay: '2',
    onInquiry: ['3', '4'],
  },
  '0004': {
    summary: 'recorded as successful, but the answer is lost (held, then closed); an inquiry shows the success',
    losesAnswer: true,
    onPay: '0',
    onInquiry: ['0'],
  },
  '0005': {
    summary: 'Pay Bill answers 500 in Eko’s envelope and records nothing',
    failsUpstream: true,
    onPay: '0',
    onInquiry: ['0'],
  },
  '0009': { summary: 'Fetch Bill finds no such customer (1468)', noCustomer: true, onPay: '0', onInquiry: ['0'] },
};

export function scriptFor(utilityAccNo: string): Script {
  return scripts[utilityAccNo.slice(-4)] ?? defaultScript;
}

export const txStatusDesc: Readonly<Record<TxStatus, string>> = {
  '0': 'Success',
  '1': 'Fail',
  '2': 'Awaited',
  '3': 'Refund Pending',
  '4': 'Refunded',
  '5': 'On Hold',
  '6': 'Response awaited, inquiry required',
};
