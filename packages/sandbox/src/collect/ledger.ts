// The Kaleidofin collect simulator's state, in memory (a restart forgets): Kaleidofin's `systemBillId` for each
// partner bill a fetch has listed, and each bill's payment with its scripted progress. The contract's examples are
// loaded first, so that the seed's requests get the answers printed there: the seed's fetch lists TESTING-002 as
// bill 18 and TEST-124 as bill 17; bill 19 is paid by the seed's payment (transactionId 127829461946, receipt R0123,
// so reposting it answers as printed); bill 15 is BILL_CREATED (a status example, with no partner bill behind it).
import type { KaleidofinCollect } from '@bbps-kit/contracts';
import type { BillStatus, CollectScript } from './scripts.ts';

type Schemas = KaleidofinCollect.components['schemas'];
export type CollectBill = Schemas['Bill'];
export type PaymentRequest = Schemas['PaymentRequest'];
export type BillStatusResponse = Schemas['BillStatusResponse'];

/** What collect knows of a bill: where it came from (the partner's bill) and where its payment stands. */
export interface BillRecord {
  systemBillId: number;
  billerId: string;
  /** Undefined for a status example that no partner bill stands behind. */
  partnerBillId: string | undefined;
  billAmount: number;
  status: BillStatus;
  receipt: string | null;
  payment?: {
    request: PaymentRequest;
    script: CollectScript;
    inquiries: number;
  };
}

export interface CollectSeed {
  /** The seed's fetch answer: its bills' systemBillIds by partnerBillId. */
  fetched: CollectBill[];
  /** Bills whose status the examples print, with the payment that made them so. */
  statuses: { status: BillStatusResponse; payment?: PaymentRequest }[];
}

export class CollectLedger {
  readonly #bills = new Map<number, BillRecord>();
  readonly #idOf = new Map<string, number>();
  #nextId = 20;

  constructor(seed: CollectSeed, billerId: string) {
    for (const bill of seed.fetched) this.#idOf.set(`${billerId}/${bill.partnerBillId}`, bill.systemBillId);
    const seedScript: CollectScript = { summary: 'seed example', onPay: 'receipt', onInquiry: ['receipt'] };
    for (const { status, payment } of seed.statuses) {
      const { systemBillId, billStatus, receipt } = status.billStatus;
      this.#bills.set(systemBillId, {
        systemBillId,
        billerId,
        partnerBillId: undefined,
        billAmount: payment?.amountPaid ?? 0,
        status: billStatus,
        receipt: receipt ?? null,
        ...(payment ? { payment: { request: payment, script: seedScript, inquiries: 0 } } : {}),
      });
    }
    this.#nextId = Math.max(this.#nextId, ...[...this.#idOf.values(), ...this.#bills.keys()].map((id) => id + 1));
  }

  /**
   * Kaleidofin's id for a partner bill a fetch listed (the same id every time), and its record. A bill this sandbox
   * already holds keeps its state; a new one is BILL_CREATED.
   */
  listed(billerId: string, partnerBillId: string, billAmount: number): BillRecord {
    const key = `${billerId}/${partnerBillId}`;
    let id = this.#idOf.get(key);
    if (id === undefined) {
      id = this.#nextId++;
      this.#idOf.set(key, id);
    }
    let record = this.#bills.get(id);
    if (!record) {
      record = { systemBillId: id, billerId, partnerBillId, billAmount, status: 'BILL_CREATED', receipt: null };
      this.#bills.set(id, record);
    } else if (record.payment === undefined || record.status === 'PAYMENT_FAILED') {
      record.billAmount = billAmount;
    }
    return record;
  }

  bill(systemBillId: number): BillRecord | undefined {
    return this.#bills.get(systemBillId);
  }

  /** How many bills carry a payment (the seed's included). */
  paymentCount(): number {
    return [...this.#bills.values()].filter((bill) => bill.payment !== undefined).length;
  }
}

/** The contract's answer for a bill in its current state. */
export function statusAnswer(bill: BillRecord): BillStatusResponse {
  return {
    success: true,
    statusCode: '0',
    statusMessage: 'Successful',
    billStatus: { systemBillId: bill.systemBillId, billStatus: bill.status, receipt: bill.receipt },
  };
}
