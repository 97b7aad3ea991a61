// Eko BBPS (specs/eko-bbps): fetch a bill, pay it, inquire. Every request is signed per request.
import { apiKeyHeaders, type EkoBbps } from '@bbps-kit/contracts';
import { operationRules, securitySchemes } from '@bbps-kit/contracts/rules/eko-bbps';
import { ekoRupeeStringFromPaise, paiseFromEkoPaiseString, paiseFromEkoRupeeString } from '@bbps-kit/money';
import type { Client, Middleware } from 'openapi-fetch';
import { ekoRequestHash, ekoSecretKey, ekoTimestamp } from '../eko-auth.ts';
import { type EkoTxState, ekoTxState } from '../outcomes.ts';
import {
  buildClient,
  type CallInit,
  type CommonClientOptions,
  type OperationRules,
  paiseOrUndefined,
  unwrap,
} from './common.ts';

export type EkoClient = Client<EkoBbps.paths>;
export type EkoPayBillRequest = EkoBbps.components['schemas']['PayBillRequest'];
export type EkoPayBillResponse = EkoBbps.components['schemas']['PayBillResponse'];
export type EkoFetchBillResponse = EkoBbps.components['schemas']['FetchBillResponse'];
export type EkoTransactionResponse = EkoBbps.components['schemas']['TransactionResponse'];
export type EkoErrorResponse = EkoBbps.components['schemas']['ErrorResponse'];
export type EkoFetchBillQuery = EkoBbps.operations['fetchBill']['parameters']['query'];

export interface EkoClientOptions extends CommonClientOptions {
  /** `developer_key`, issued after KYC. */
  developerKey: string;
  /** The secret `access_key`; only its HMAC ever leaves the process. */
  accessKey: string;
  /** Clock for `secret-key-timestamp` (milliseconds since the epoch). Default `Date.now`. */
  now?: () => number;
  /** Also send the opt-in `request_hash` header on Pay BBPS Bill (older Eko pages ask for it). Default false. */
  requestHash?: boolean;
}

/** The retry rule of each operation: the spec's `x-bbps-retry` (the reasons are next to it in specs/eko-bbps). */
export const ekoOperations = operationRules satisfies OperationRules<EkoBbps.paths>;

// The signing headers, by the names the contract's security schemes give them.
const {
  EkoDeveloperKey: keyHeader,
  EkoSecretKey: signatureHeader,
  EkoSecretKeyTimestamp: timestampHeader,
} = apiKeyHeaders(securitySchemes);

/**
 * Signs each request: `developer_key`, `secret-key-timestamp` from the clock, `secret-key` over that timestamp,
 * and, when `requestHash` is on and the body carries them, `request_hash` over timestamp + utility_acc_no + amount +
 * user_code, read from a clone of the body exactly as it will be sent. A retry by the transport re-sends the same
 * signed request (same timestamp).
 */
export function ekoSigningMiddleware(
  options: Pick<EkoClientOptions, 'developerKey' | 'accessKey' | 'now' | 'requestHash'>,
): Middleware {
  const { developerKey, accessKey, now = Date.now, requestHash = false } = options;
  return {
    async onRequest({ request }) {
      if (developerKey) request.headers.set(keyHeader, developerKey);
      // Both seeds list content-type: application/json as required, GETs included.
      if (!request.headers.has('content-type')) request.headers.set('content-type', 'application/json');
      if (!accessKey) return request;
      const timestamp = ekoTimestamp(now);
      request.headers.set(timestampHeader, timestamp);
      request.headers.set(signatureHeader, ekoSecretKey(accessKey, timestamp));
      if (requestHash && request.body !== null) {
        const fields = hashFields(await request.clone().text());
        if (fields) {
          const { utility_acc_no, amount, user_code } = fields;
          request.headers.set('request_hash', ekoRequestHash(accessKey, timestamp, utility_acc_no, amount, user_code));
        }
      }
      return request;
    },
  };
}

function hashFields(text: string): { utility_acc_no: string; amount: string; user_code: string } | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const { utility_acc_no, amount, user_code } = body as Record<string, unknown>;
  if (typeof utility_acc_no !== 'string' || typeof amount !== 'string' || typeof user_code !== 'string') {
    return undefined;
  }
  return { utility_acc_no, amount, user_code };
}

/** The Eko client: `client.GET('/customer/payment/bbps/bill', { params: { query } })`, fully typed. */
export function createEkoClient(options: EkoClientOptions): EkoClient {
  return buildClient<EkoBbps.paths>(options, ekoOperations, [ekoSigningMiddleware(options)]);
}

export interface EkoBill {
  /** `data.bill_amount` in paise (the seed's unit); undefined when the fetch failed or sent no amount. */
  billAmountPaise: bigint | undefined;
  /** `status === 0`: the biller returned a bill. Otherwise `response.message` says why (e.g. 1468). */
  fetched: boolean;
  response: EkoFetchBillResponse;
}

/**
 * Fetch BBPS Bill. Throws HttpError for a non-2xx answer, TimeoutError/NetworkError after retries, and MoneyError
 * if `bill_amount` is not integer paise (e.g. a rupee value such as "2870.0"; see the contract's money notes).
 */
export async function fetchEkoBill(client: EkoClient, query: EkoFetchBillQuery, init: CallInit = {}): Promise<EkoBill> {
  const response = unwrap(await client.GET('/customer/payment/bbps/bill', { params: { query }, ...init }));
  const amount = response.data?.bill_amount;
  return {
    billAmountPaise: amount === undefined ? undefined : paiseFromEkoPaiseString(amount),
    fetched: response.status === 0,
    response,
  };
}

export type EkoPayBillInput = Omit<EkoPayBillRequest, 'amount'> & {
  /** Sent as Eko's rupee string (`135000n` → "1350"). */
  amountPaise: bigint;
};

/** `refused`: Eko answered HTTP 200 with `status` ≠ 0 and no transaction state (e.g. 208 amount mismatch). */
export type EkoPaymentState = EkoTxState | 'refused';

export interface EkoPayment {
  state: EkoPaymentState;
  /** Eko's transaction id, for `waitForEkoTransaction`; also returned on an amount mismatch. */
  tid: string | undefined;
  /** `data.amount` in paise, when Eko echoed it. */
  amountPaise: bigint | undefined;
  response: EkoPayBillResponse;
}

/**
 * Pay BBPS Bill, sent exactly once. Outcomes:
 * - returns `{ state }`: `success`; `pending` (tx_status 2, 5, 6, missing or unknown: call
 *   `waitForEkoTransaction`, never pay again); `failed`, `refund-pending`, `refunded`; `refused`.
 * - throws OutcomeUnknownError (timeout, network failure): inquire by `client_ref_id`, never pay again.
 * - throws HttpError: 4xx is a refusal; a 5xx leaves the outcome unknown (see `isOutcomeUnknown`).
 */
export async function payEkoBill(client: EkoClient, input: EkoPayBillInput, init: CallInit = {}): Promise<EkoPayment> {
  const { amountPaise, ...rest } = input;
  const body: EkoPayBillRequest = { ...rest, amount: ekoRupeeStringFromPaise(amountPaise) };
  const response = unwrap(await client.POST('/customer/payment/bbps', { body, ...init }));
  const state: EkoPaymentState =
    response.status !== 0 && response.tx_status === undefined ? 'refused' : ekoTxState(response.tx_status);
  const amount = response.data?.amount;
  return {
    state,
    tid: response.data?.tid,
    // The payment has happened by now: an odd amount echo must not turn its answer into an exception.
    amountPaise: paiseOrUndefined(paiseFromEkoRupeeString, amount),
    response,
  };
}
