/**
 * Helpers that poll an inquiry until a vendor's outcome is final. What each status value means (final or pending)
 * comes from the contracts' `x-bbps-outcome` tables, read by ./outcomes.ts: a missing or unknown value is pending.
 *
 * While polling, an answer that says nothing about the payment (HTTP 5xx, a 404 on a payment inquiry, a timeout or
 * a network failure after the transport's retries) counts as "still pending": the payment's state is unknown, not
 * failed. Any other HTTP error (400, 401, 403…) ends the wait with HttpError, since asking again cannot help.
 * At the deadline a PendingTimeoutError carries the last answer (or the last such error) in `lastValue`.
 */
import { paiseFromDigiledge, paiseFromEkoRupeeString } from '@bbps-kit/money';
import { paiseOrUndefined, unwrap } from './clients/common.ts';
import type { DigiledgeClient, DigiledgeFetchedBill, DigiledgePaymentRecord } from './clients/digiledge.ts';
import type { EkoClient, EkoTransactionResponse } from './clients/eko.ts';
import { HttpError, NetworkError, OutcomeUnknownError, PendingTimeoutError, TimeoutError } from './errors.ts';
import {
  type DigiledgeState,
  digiledgeBillState,
  digiledgePaymentState,
  type EkoTxState,
  ekoTxState,
} from './outcomes.ts';
import { type PollOptions, pollUntilFinal } from './poll.ts';

/**
 * True when a payment call's failure leaves the payment's fate unknown: no answer at all (OutcomeUnknownError),
 * or a 5xx answer. Inquire; never send the payment again. False for a refusal (4xx), which moved no money.
 */
export function isOutcomeUnknown(error: unknown): boolean {
  return error instanceof OutcomeUnknownError || (error instanceof HttpError && error.status >= 500);
}

/** Timing of a wait: `deadlineMs` total, `intervalMs` between checks (optionally growing by `backoff`). */
export type WaitOptions = Pick<
  PollOptions<unknown>,
  'deadlineMs' | 'intervalMs' | 'backoff' | 'maxIntervalMs' | 'signal' | 'sleep' | 'now'
>;

type Observation<T> = { answer: T } | { unavailable: Error };

async function waitFor<T>(
  ask: () => Promise<T>,
  isFinal: (answer: T) => boolean,
  isUnavailable: (error: unknown) => boolean,
  options: WaitOptions,
): Promise<{ answer: T; checks: number }> {
  let checks = 0;
  let lastAnswer: T | undefined;
  try {
    const final = await pollUntilFinal<Observation<T>>({
      ...options,
      check: async (attempt) => {
        checks = attempt;
        try {
          lastAnswer = await ask();
          return { answer: lastAnswer };
        } catch (error) {
          if (isUnavailable(error)) return { unavailable: error as Error };
          throw error;
        }
      },
      isFinal: (observation) => 'answer' in observation && isFinal(observation.answer),
    });
    return { answer: (final as { answer: T }).answer, checks };
  } catch (error) {
    if (!(error instanceof PendingTimeoutError)) throw error;
    const last = error.lastValue as Observation<T>;
    throw new PendingTimeoutError({
      lastValue: 'answer' in last ? last.answer : (lastAnswer ?? last.unavailable),
      checks: error.checks,
      elapsedMs: error.elapsedMs,
    });
  }
}

function transient(error: unknown, notFoundToo: boolean): boolean {
  if (error instanceof TimeoutError || error instanceof NetworkError) return true;
  return error instanceof HttpError && (error.status >= 500 || (notFoundToo && error.status === 404));
}

export type EkoTransactionRef = { tid: string; initiatorId: string } | { clientRefId: string; initiatorId: string };

export interface EkoTransactionOutcome {
  state: Exclude<EkoTxState, 'pending'>;
  /** The raw `tx_status`. */
  txStatus: string;
  tid: string | undefined;
  /** `data.amount` (rupees on the wire) in paise, when present and well-formed. */
  amountPaise: bigint | undefined;
  response: EkoTransactionResponse;
  /** How many inquiries were made. */
  checks: number;
}

/**
 * Inquires about an Eko payment (by `tid`, or by `client_ref_id` when the payment's answer was lost) until its
 * `tx_status` is final. Throws PendingTimeoutError at the deadline (never pay again: keep inquiring later).
 */
export async function waitForEkoTransaction(
  client: EkoClient,
  ref: EkoTransactionRef,
  options: WaitOptions,
): Promise<EkoTransactionOutcome> {
  const { signal } = options;
  const query = { initiator_id: ref.initiatorId };
  const ask = async (): Promise<EkoTransactionResponse> =>
    'tid' in ref
      ? unwrap(
          await client.GET('/tools/reference/transaction/{tid}', { params: { path: { tid: ref.tid }, query }, signal }),
        )
      : unwrap(
          await client.GET('/tools/reference/transaction/client_ref_id:{clientRefId}', {
            params: { path: { clientRefId: ref.clientRefId }, query },
            signal,
          }),
        );
  const { answer, checks } = await waitFor(
    ask,
    (response) => ekoTxState(response.tx_status) !== 'pending',
    (error) => transient(error, true),
    options,
  );
  return {
    state: ekoTxState(answer.tx_status) as Exclude<EkoTxState, 'pending'>,
    txStatus: String(answer.tx_status),
    tid: answer.data?.tid,
    amountPaise: paiseOrUndefined(paiseFromEkoRupeeString, answer.data?.amount),
    response: answer,
    checks,
  };
}

export type DigiledgePaymentRef = { txnId: string } | { clientReqId: string };

export interface DigiledgePaymentOutcome {
  state: Exclude<DigiledgeState, 'pending'>;
  /** `txnAmount` in paise, when present and well-formed. */
  amountPaise: bigint | undefined;
  record: DigiledgePaymentRecord;
  checks: number;
}

/**
 * Polls a Digiledge payment (by `txnId`, or by `clientReqId` = the `refId` you paid with) until SUCCESS or FAILED.
 * A 404 counts as pending (the payment may not be recorded yet); at the deadline PendingTimeoutError.
 */
export async function waitForDigiledgePayment(
  client: DigiledgeClient,
  ref: DigiledgePaymentRef,
  options: WaitOptions,
): Promise<DigiledgePaymentOutcome> {
  const { signal } = options;
  const ask = async (): Promise<DigiledgePaymentRecord> =>
    'txnId' in ref
      ? unwrap(
          await client.GET('/couapp/transactions/payment/byTxnId', { params: { query: { txnId: ref.txnId } }, signal }),
        )
      : unwrap(
          await client.GET('/couapp/transactions/payment/byClientId', {
            params: { query: { clientReqId: ref.clientReqId } },
            signal,
          }),
        );
  const { answer, checks } = await waitFor(
    ask,
    (record) => digiledgePaymentState(record.status) !== 'pending',
    (error) => transient(error, true),
    options,
  );
  return {
    state: digiledgePaymentState(answer.status) as Exclude<DigiledgeState, 'pending'>,
    amountPaise: paiseOrUndefined(paiseFromDigiledge, answer.txnAmount),
    record: answer,
    checks,
  };
}

export interface DigiledgeBillOutcome {
  state: Exclude<DigiledgeState, 'pending'>;
  /** `billerResponse.billAmount` in paise on success (MoneyError if it is not integer paise: nothing to pay then). */
  billAmountPaise: bigint | undefined;
  bill: DigiledgeFetchedBill;
  checks: number;
}

/** Polls a Digiledge bill fetch until BILL_FETCH_SUCCESS or BILL_FETCH_FAILED; at the deadline PendingTimeoutError. */
export async function waitForDigiledgeBill(
  client: DigiledgeClient,
  billId: string,
  options: WaitOptions,
): Promise<DigiledgeBillOutcome> {
  const { signal } = options;
  const ask = async (): Promise<DigiledgeFetchedBill> =>
    unwrap(await client.GET('/couapp/bills/fetch/byId', { params: { query: { billId } }, signal }));
  const { answer, checks } = await waitFor(
    ask,
    (bill) => digiledgeBillState(bill.status) !== 'pending',
    (error) => transient(error, false),
    options,
  );
  const amount = answer.billerResponse?.billAmount;
  return {
    state: digiledgeBillState(answer.status) as Exclude<DigiledgeState, 'pending'>,
    billAmountPaise: amount === undefined ? undefined : paiseFromDigiledge(amount),
    bill: answer,
    checks,
  };
}
