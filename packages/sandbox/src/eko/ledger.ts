// The Eko simulator's state, in memory (a restart forgets): the bills it has handed out (each with its
// `billfetchresponse` token), the agent's wallet, and every transaction with its scripted progress. The seed
// examples of the contract are loaded first, so that the seeds' own requests get the seeds' own answers as printed.
import { createHash, randomBytes } from 'node:crypto';
import type { EkoBbps } from '@bbps-kit/contracts';
import { paiseFromEkoRupeeString } from '@bbps-kit/money';
import { defaultScript, type Script, scriptFor, type TxStatus, txStatusDesc } from './scripts.ts';

export type PayBillRequest = EkoBbps.components['schemas']['PayBillRequest'];
export type PayBillResponse = EkoBbps.components['schemas']['PayBillResponse'];
export type FetchBillResponse = EkoBbps.components['schemas']['FetchBillResponse'];
export type TransactionResponse = EkoBbps.components['schemas']['TransactionResponse'];
export type BillDetails = EkoBbps.components['schemas']['BillDetails'];

interface IssuedBill {
  utilityAccNo: string;
  amountPaise: bigint;
}

export interface EkoTransaction {
  tid: string;
  clientRefId: string | undefined;
  utilityAccNo: string;
  /** `amount` exactly as the payment sent it (rupees). */
  amount: string;
  operatorRefId: string;
  script: Script;
  /** The first answer, kept so that a repeated `client_ref_id` gets it again (with the current state). */
  firstAnswer: PayBillResponse;
  status: TxStatus;
  inquiries: number;
}

/** What the seed examples say, read from the contract (`Contract.example`) by the caller. */
export interface EkoSeed {
  fetchBill: FetchBillResponse;
  payRequest: PayBillRequest;
  /** Pay answers, each with the state an inquiry shows (the seed's inquiry examples). */
  transactions: { answer: PayBillResponse; inquiry: TransactionResponse }[];
}

/** Eko's "wallet balance" after the seed's successful payment (PayBillSuccess: `balance` "48650.0"). */
const START_BALANCE_PAISE = 4_865_000n;

function rupeeBalance(paise: bigint): string {
  const rupees = paise / 100n;
  const rest = paise % 100n;
  return rest === 0n ? `${rupees}.0` : `${rupees}.${String(rest).padStart(2, '0')}`;
}

function istDate(ms: number): string {
  return new Date(ms + 5.5 * 3600_000).toISOString().slice(0, 10);
}

/**
 * Fetched bills are remembered (their `billfetchresponse` token, for pay to carry back) this many at the most, the
 * oldest forgotten first, so that a long run of fetches cannot fill the memory; the seed's bill is never forgotten.
 */
export const MAX_REMEMBERED_BILLS = 100_000;

export class EkoLedger {
  readonly #bills = new Map<string, IssuedBill>();
  #seedToken: string | undefined;
  readonly #byTid = new Map<string, EkoTransaction>();
  readonly #byClientRef = new Map<string, EkoTransaction>();
  readonly #seedBills = new Map<string, FetchBillResponse>();
  #nextTid = 2_882_710_001;
  #balancePaise = START_BALANCE_PAISE;

  constructor(seed: EkoSeed) {
    const token = seed.fetchBill.data?.billfetchresponse;
    const amount = seed.fetchBill.data?.bill_amount;
    // Answered as it is on every fetch (frozen: nothing can change it for the next caller).
    this.#seedBills.set(seed.payRequest.utility_acc_no, deepFreeze(structuredClone(seed.fetchBill)));
    if (token && amount) {
      this.#seedToken = token;
      this.#bills.set(token, { utilityAccNo: seed.payRequest.utility_acc_no, amountPaise: BigInt(amount) });
    }
    for (const { answer, inquiry } of seed.transactions) {
      const tid = answer.data?.tid;
      if (!tid) throw new Error('a seed payment answer without data.tid');
      const status = inquiry.tx_status ?? answer.tx_status ?? '0';
      // Seed transactions stay as printed: their state does not move on.
      const record: EkoTransaction = {
        tid,
        clientRefId: answer.data?.client_ref_id,
        utilityAccNo: answer.data?.utility_acc_no ?? seed.payRequest.utility_acc_no,
        amount: answer.data?.amount ?? seed.payRequest.amount,
        operatorRefId: inquiry.data?.operator_ref_id ?? answer.data?.operator_ref_id ?? '',
        script: { ...defaultScript, summary: 'seed example', onInquiry: [status] },
        firstAnswer: answer,
        status,
        inquiries: 0,
      };
      this.#remember(record);
    }
  }

  #remember(record: EkoTransaction) {
    this.#byTid.set(record.tid, record);
    if (record.clientRefId !== undefined) this.#byClientRef.set(record.clientRefId, record);
  }

  /** A bill for the account asked, with a fresh `billfetchresponse` token; 1468 for a `…0009` account. */
  fetchBill(query: { utility_acc_no: string; sender_name: string }, now: number): FetchBillResponse {
    const seeded = this.#seedBills.get(query.utility_acc_no);
    if (seeded) return seeded;
    if (scriptFor(query.utility_acc_no).noCustomer) {
      return {
        status: 1468,
        message: `No customer found with consumer number ${query.utility_acc_no}`,
        response_status_id: 1,
        response_type_id: 1468,
        data: {},
      };
    }
    // The same account always owes the same whole-rupee amount (₹500 to ₹4,999), so a test can fetch twice.
    const digest = createHash('sha256').update(query.utility_acc_no).digest();
    const amountPaise = (500n + BigInt(digest.readUInt32BE(0) % 4500)) * 100n;
    const token = `sbx-${randomBytes(12).toString('base64url')}`;
    this.#bills.set(token, { utilityAccNo: query.utility_acc_no, amountPaise });
    if (this.#bills.size > MAX_REMEMBERED_BILLS) this.#forgetOldestBill();
    return {
      status: 0,
      message: 'Bill fetched successfully',
      response_status_id: 0,
      response_type_id: 1052,
      data: {
        bill_amount: String(amountPaise),
        due_date: istDate(now + 15 * 86_400_000),
        bill_number: `SBX-${query.utility_acc_no.slice(-6)}-${istDate(now).slice(0, 7).replace('-', '')}`,
        bill_date: istDate(now),
        customer_name: query.sender_name.toUpperCase(),
        billfetchresponse: token,
      },
    };
  }

  /** The transaction a `client_ref_id` already paid, if any: a repeat never pays twice. */
  repeated(clientRefId: string | undefined): PayBillResponse | undefined {
    const first = clientRefId === undefined ? undefined : this.#byClientRef.get(clientRefId);
    if (!first) return undefined;
    const answer = structuredClone(first.firstAnswer);
    if (answer.tx_status !== undefined) {
      answer.tx_status = first.status;
      answer.txstatus_desc = txStatusDesc[first.status];
      if (answer.data && first.operatorRefId) answer.data.operator_ref_id = first.operatorRefId;
    }
    return answer;
  }

  #forgetOldestBill(): void {
    // A Map iterates in insertion order: the first key that is not the seed's is the oldest fetch.
    for (const token of this.#bills.keys()) {
      if (token === this.#seedToken) continue;
      this.#bills.delete(token);
      return;
    }
  }

  /** Whether `billfetchresponse` is one this sandbox issued for this account (undefined), or why not. */
  checkBillToken(body: PayBillRequest): string | undefined {
    if (body.billfetchresponse === undefined) return undefined;
    const bill = this.#bills.get(body.billfetchresponse);
    if (!bill)
      return 'billfetchresponse is not a token Fetch BBPS Bill returned (or one more than 100,000 fetches ago); send it verbatim';
    if (bill.utilityAccNo !== body.utility_acc_no) {
      return `billfetchresponse was issued for another utility_acc_no, not ${body.utility_acc_no}`;
    }
    return undefined;
  }

  /** Records a payment and returns its first answer. The caller has checked the script's `failsUpstream`. */
  pay(body: PayBillRequest): { record: EkoTransaction; answer: PayBillResponse } {
    const script = scriptFor(body.utility_acc_no);
    const tid = String(this.#nextTid++);
    const amountPaise = paiseFromEkoRupeeString(body.amount);
    const bill = body.billfetchresponse === undefined ? undefined : this.#bills.get(body.billfetchresponse);
    const data = (operatorRefId: string) => ({
      tid,
      operator_ref_id: operatorRefId,
      amount: body.amount,
      balance: rupeeBalance(this.#balancePaise),
      utility_acc_no: body.utility_acc_no,
      ...(body.client_ref_id === undefined ? {} : { client_ref_id: body.client_ref_id }),
    });
    let answer: PayBillResponse;
    let status: TxStatus;
    let operatorRefId = '';
    if (bill && bill.amountPaise !== amountPaise) {
      // Eko refuses a payment that does not match the fetched bill, and still returns a tid (facts page).
      status = '1';
      answer = {
        status: 208,
        message: `Amount mismatch. Please pay the exact bill amount (${rupeeBalance(bill.amountPaise)})`,
        response_status_id: 1,
        response_type_id: 208,
        tx_status: status,
        txstatus_desc: txStatusDesc[status],
        data: data(''),
      };
    } else {
      status = script.onPay;
      if (status === '0' || status === '2') this.#balancePaise -= amountPaise;
      if (status === '0') operatorRefId = operatorRef();
      answer = {
        status: status === '1' ? 1 : 0,
        message: payMessage[status] ?? 'Transaction is in process. Please check the status after some time',
        response_status_id: status === '1' ? 1 : 0,
        ...(status === '1' ? {} : { response_type_id: 333 }),
        tx_status: status,
        txstatus_desc: txStatusDesc[status],
        data: data(operatorRefId),
      };
    }
    const record: EkoTransaction = {
      tid,
      clientRefId: body.client_ref_id,
      utilityAccNo: body.utility_acc_no,
      amount: body.amount,
      operatorRefId,
      script: bill && bill.amountPaise !== amountPaise ? { ...script, onInquiry: ['1'] } : script,
      firstAnswer: answer,
      status,
      inquiries: 0,
    };
    this.#remember(record);
    return { record, answer };
  }

  /** The transaction in its current state, moving its script on by one inquiry; undefined when unknown. */
  inquire(ref: { tid: string } | { clientRefId: string }): TransactionResponse | undefined {
    const record = 'tid' in ref ? this.#byTid.get(ref.tid) : this.#byClientRef.get(ref.clientRefId);
    if (!record) return undefined;
    record.inquiries++;
    const steps = record.script.onInquiry;
    const next = steps[Math.min(record.inquiries, steps.length) - 1] ?? record.status;
    if (next === '0' && !record.operatorRefId) record.operatorRefId = operatorRef();
    if (next === '4' && record.status !== '4') this.#balancePaise += paiseFromEkoRupeeString(record.amount);
    record.status = next;
    return {
      status: 0,
      message: 'Success',
      response_status_id: 0,
      tx_status: record.status,
      txstatus_desc: txStatusDesc[record.status],
      data: {
        tid: record.tid,
        ...(record.clientRefId === undefined ? {} : { client_ref_id: record.clientRefId }),
        amount: record.amount,
        operator_ref_id: record.operatorRefId,
        utility_acc_no: record.utilityAccNo,
      },
    };
  }

  /** For tests and the delay rehearsal: how many transactions a `client_ref_id` has (never more than one). */
  transactionCount(): number {
    return this.#byTid.size;
  }
}

const payMessage: Partial<Record<TxStatus, string>> = {
  '0': 'Transaction successful',
  '1': 'Transaction failed at the biller. No money was taken',
};

function operatorRef(): string {
  return `BBPS${randomBytes(5).toString('hex').toUpperCase().slice(0, 6)}`;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const field of Object.values(value)) deepFreeze(field);
    Object.freeze(value);
  }
  return value;
}
