// The Digiledge simulator's state, in memory (a restart forgets): the bill fetches it accepted (each polled by
// `billId`) and the payments (by `txnId` and by `clientReqId`, the agent's `refId`), each with its scripted
// progress. The contract's examples are loaded first, so that the seed's requests and polls get the answers printed
// there: `billId` 5947f973-… is the seed's fetched bill (₹56.00, KIFS Housing Finance), the seed's payment request
// (refId …51743) is given the seed's `txnId` fdd28ccc-…, and PaymentFailed's payment is on record.
import { randomUUID } from 'node:crypto';
import type { DigiledgeAgent } from '@bbps-kit/contracts';
import { paiseFromDigiledge } from '@bbps-kit/money';
import { type DigiledgeScript, digiledgeScriptFor, type PaymentStatus } from './scripts.ts';

type Schemas = DigiledgeAgent.components['schemas'];
export type FetchBillRequest = Schemas['FetchBillRequest'];
export type PayBillRequest = Schemas['PayBillRequest'];
export type FetchedBill = Schemas['FetchedBill'];
export type BillFetchRecord = Schemas['BillFetchRecord'];
export type PaymentRecord = Schemas['PaymentRecord'];
type BillerResponse = NonNullable<FetchedBill['billerResponse']>;
type Param = { name: string; value: string };

/** What the contract's examples say, read from it (`Contract.example`) by the caller. */
export interface DigiledgeSeed {
  fetchRequest: FetchBillRequest;
  fetched: FetchedBill[];
  payRequest: PayBillRequest;
  payAnswer: PaymentRecord;
  payments: PaymentRecord[];
}

/** Why a request was refused, in the words of the contract's 404/422 examples. */
export type Refusal = { http: 404 | 422; message: string; remarks: string };

interface Payment {
  record: PaymentRecord;
  script: DigiledgeScript;
  polls: number;
}

/** The first customer-parameter value, in either of the seed's spellings: it chooses the script. */
export function firstParam(body: {
  customerParams?: Param[] | null;
  customerParamsRequest?: { tags?: Param[] | null } | null;
}): Param | undefined {
  return body.customerParams?.[0] ?? body.customerParamsRequest?.tags?.[0] ?? undefined;
}

const paramsOf = (body: Parameters<typeof firstParam>[0]): Param[] =>
  body.customerParams ?? body.customerParamsRequest?.tags ?? [];

/** ISO date-time in IST, the offset the contract's examples use. */
function istDateTime(ms: number): string {
  return `${new Date(ms + 5.5 * 3_600_000).toISOString().slice(0, 19)}+05:30`;
}
const istDate = (ms: number) => istDateTime(ms).slice(0, 10);

const ok = (message: string, remarks = '') => ({ statusCode: '200', status: 'success' as const, message, remarks });

export class DigiledgeLedger {
  readonly #bills = new Map<string, FetchedBill>();
  readonly #byTxnId = new Map<string, Payment>();
  readonly #byRefId = new Map<string, Payment>();
  /** Bill ids with a payment that is not failed: such a bill cannot be paid again. */
  readonly #paidBills = new Map<string, string>();
  readonly #seedBill: { params: string; billerId: string; bill: FetchedBill } | undefined;
  readonly #seedTxn: { refId: string; txnId: string } | undefined;

  constructor(seed: DigiledgeSeed) {
    for (const bill of seed.fetched) this.#bills.set(bill.billId, structuredClone(bill));
    for (const record of seed.payments) {
      const payment = { record: structuredClone(record), script: digiledgeScriptFor(undefined), polls: 0 };
      // Seed payments stay as printed: their state does not move on.
      payment.script = { summary: 'seed example', onPoll: [record.status ?? 'BILL_PAYMENT_SUCCESS'] };
      if (record.txnId) this.#byTxnId.set(record.txnId, payment);
      if (record.refId) this.#byRefId.set(record.refId, payment);
    }
    const seedBill = seed.fetched.find((bill) => bill.status === 'BILL_FETCH_SUCCESS');
    if (seedBill) {
      this.#seedBill = {
        params: JSON.stringify(paramsOf(seed.fetchRequest)),
        billerId: seed.fetchRequest.billerId,
        bill: seedBill,
      };
    }
    if (seed.payAnswer.txnId) this.#seedTxn = { refId: seed.payRequest.refId, txnId: seed.payAnswer.txnId };
  }

  /** Accepts a fetch: a new `billId`, whose poll then shows the bill (or, for `…0009`, BILL_FETCH_FAILED). */
  fetch(body: FetchBillRequest, now: number): BillFetchRecord {
    const billId = randomUUID();
    const params = paramsOf(body);
    const created = { creationDate: istDateTime(now), createdEpochDate: String(now) };
    const modified = { modifiedDate: istDateTime(now + 3000), modifiedEpochDate: String(now + 3000) };
    const common = { billId, refId: body.refId, billerId: body.billerId, actionType: 'FETCH', customerParams: params };
    const param = firstParam(body);
    if (digiledgeScriptFor(param?.value).noCustomer) {
      this.#bills.set(billId, {
        ...common,
        status: 'BILL_FETCH_FAILED',
        billerResponse: null,
        additionalInfo: null,
        ...created,
        ...modified,
        genericResponse: ok('Bill Fetch Failed', `No customer with ${param?.name} ${param?.value} at ${body.billerId}`),
      });
    } else {
      this.#bills.set(billId, {
        ...common,
        status: 'BILL_FETCH_SUCCESS',
        ...this.#billFor(body, params, now),
        ...created,
        ...modified,
        genericResponse: ok('Bill Fetch Success'),
      });
    }
    return {
      billId,
      refId: null,
      billerId: null,
      status: 'BILL_FETCH_REQUESTED',
      actionType: null,
      billerResponse: null,
      additionalInfo: null,
      customerParams: null,
      creationDate: null,
      modifiedDate: null,
      createdEpochDate: null,
      modifiedEpochDate: null,
      genericResponse: ok('Bill Fetch Requested'),
    };
  }

  /** The seed's customer gets the seed's bill; anyone else the same whole-rupee amount every time. */
  #billFor(body: FetchBillRequest, params: Param[], now: number) {
    const seed = this.#seedBill;
    if (seed && seed.billerId === body.billerId && seed.params === JSON.stringify(params)) {
      return { billerResponse: seed.bill.billerResponse, additionalInfo: seed.bill.additionalInfo };
    }
    const key = params.map((p) => p.value).join('|');
    let hash = 0;
    for (const char of key) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
    const billerResponse: BillerResponse = {
      customerName: 'Sandbox Customer',
      billAmount: String((100 + (hash % 4900)) * 100),
      dueDate: istDate(now + 15 * 86_400_000),
      billDate: istDate(now),
      billNumber: `SBX-${(params[0]?.value ?? 'BILL').slice(-8)}-${istDate(now).slice(0, 7).replace('-', '')}`,
      amountExactness: 'Exact',
    };
    return { billerResponse, additionalInfo: null };
  }

  /** The fetch record of `billId`, or undefined when no fetch had that id. */
  fetched(billId: string): FetchedBill | undefined {
    const bill = this.#bills.get(billId);
    return bill && structuredClone(bill);
  }

  /** Why this payment cannot be made, or undefined. Checked before the script (a refusal records nothing). */
  refusal(body: PayBillRequest): Refusal | undefined {
    const used = this.#byRefId.get(body.refId);
    if (used) {
      return {
        http: 422,
        message: 'Duplicate refId',
        remarks: `refId ${body.refId} was already used by txnId ${used.record.txnId}; poll it instead of paying again`,
      };
    }
    const rejected = (remarks: string) => ({ http: 422 as const, message: 'Bill Payment Rejected', remarks });
    const bill = this.#bills.get(body.billId);
    if (!bill) return rejected(`No bill fetch with billId ${body.billId}; fetch the bill first`);
    if (bill.status !== 'BILL_FETCH_SUCCESS' || !bill.billerResponse) {
      return rejected(`billId ${body.billId} is a failed fetch (${bill.genericResponse?.remarks ?? bill.status})`);
    }
    const paidBy = this.#paidBills.get(body.billId);
    if (paidBy) return rejected(`billId ${body.billId} is already paid by txnId ${paidBy}`);
    const billPaise = paiseFromDigiledge(bill.billerResponse.billAmount ?? '0');
    const paid = paiseFromDigiledge(body.txnAmount);
    const exactness = bill.billerResponse.amountExactness;
    const wrong =
      (exactness === 'Exact' && paid !== billPaise) ||
      (exactness === 'Exact and above' && paid < billPaise) ||
      (exactness === 'Exact and below' && paid > billPaise);
    if (wrong) {
      return {
        http: 422,
        message: 'Bill Payment Rejected: txnAmount does not match the bill amount',
        remarks: `amountExactness ${exactness}: bill amount ${billPaise} paise, txnAmount ${paid}`,
      };
    }
    return undefined;
  }

  /** Records the payment (the caller has checked `refusal` and the script's `failsUpstream`); its acknowledgement. */
  pay(body: PayBillRequest, now: number): PaymentRecord {
    const script = digiledgeScriptFor(firstParam(body)?.value);
    const seedTxn = this.#seedTxn;
    const txnId = seedTxn && seedTxn.refId === body.refId ? seedTxn.txnId : randomUUID();
    const record: PaymentRecord = {
      txnId,
      billId: body.billId,
      refId: body.refId,
      actionType: body.actionType ?? 'FETCH_PAY',
      userType: 'AGENT',
      userId: `${body.tenantId}AGT0000000000001`,
      txnAmount: body.txnAmount,
      billerId: body.billerId,
      billerCategory: body.billerCategory ?? null,
      offUsPay: null,
      splitPay: null,
      quickPay: null,
      paymentMode: body.paymentMode,
      custConvFee: null,
      currency: 'INR',
      status: 'BILL_PAYMENT_INITIATED',
      creationDate: istDateTime(now),
      modifiedDate: istDateTime(now),
      createdEpochDate: String(now),
      modifiedEpochDate: String(now),
      genericResponse: ok('Bill Payment Initiated'),
    };
    const payment = { record, script, polls: 0 };
    this.#byTxnId.set(txnId, payment);
    this.#byRefId.set(body.refId, payment);
    this.#paidBills.set(body.billId, txnId);
    // The acknowledgement: the seed's shape (SeedPayBillResponse), nulls but the txnId and status.
    return {
      txnId,
      refId: null,
      actionType: null,
      userType: null,
      userId: null,
      txnAmount: 0,
      billerId: null,
      billerCategory: null,
      offUsPay: null,
      splitPay: null,
      quickPay: null,
      paymentMode: null,
      custConvFee: null,
      currency: null,
      status: 'BILL_PAYMENT_INITIATED',
      genericResponse: ok('Bill Payment Initiated'),
    };
  }

  /** The payment in its current state, moving its script on by one poll; undefined when unknown. */
  poll(ref: { txnId: string } | { clientReqId: string }, now: number): PaymentRecord | undefined {
    const payment = 'txnId' in ref ? this.#byTxnId.get(ref.txnId) : this.#byRefId.get(ref.clientReqId);
    if (!payment) return undefined;
    payment.polls++;
    const steps = payment.script.onPoll;
    const status = steps[Math.min(payment.polls, steps.length) - 1] ?? 'BILL_PAYMENT_SUCCESS';
    const { record } = payment;
    if (record.status !== status) {
      record.status = status;
      record.modifiedDate = istDateTime(now);
      record.modifiedEpochDate = String(now);
      record.genericResponse = ok(
        statusMessage[status],
        status === 'BILL_PAYMENT_PENDING' ? 'Awaiting response from biller' : '',
      );
      // A failed payment leaves the bill to be paid again.
      if (status === 'BILL_PAYMENT_FAILED' && record.billId && record.txnId === this.#paidBills.get(record.billId)) {
        this.#paidBills.delete(record.billId);
      }
    }
    return structuredClone(record);
  }

  /** How many payments are on record (the seed's included): a refused or failed-upstream one adds none. */
  paymentCount(): number {
    return this.#byTxnId.size;
  }
}

const statusMessage: Record<PaymentStatus, string> = {
  BILL_PAYMENT_INITIATED: 'Bill Payment Initiated',
  BILL_PAYMENT_PENDING: 'Bill Payment Pending',
  BILL_PAYMENT_SUCCESS: 'Bill Payment Success',
  BILL_PAYMENT_FAILED: 'Bill Payment Failed',
};
