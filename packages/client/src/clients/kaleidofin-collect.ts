// Kaleidofin collect API (specs/kaleidofin-collect): what an operating unit calls on Kaleidofin.
import type { KaleidofinCollect } from '@bbps-kit/contracts';
import { operationRules, securitySchemes } from '@bbps-kit/contracts/rules/kaleidofin-collect';
import { kaleidofinRupeesFromPaise } from '@bbps-kit/money';
import type { Client } from 'openapi-fetch';
import { type ApiKeyClientOptions, createApiKeyClient, keyHeaders } from './base.ts';
import { type CallInit, type OperationRules, unwrap } from './common.ts';

export type KaleidofinCollectClient = Client<KaleidofinCollect.paths>;
type Schemas = KaleidofinCollect.components['schemas'];
export type KaleidofinPaymentRequest = Schemas['PaymentRequest'];
export type KaleidofinBillStatusResponse = Schemas['BillStatusResponse'];
export type KaleidofinCollectErrorResponse = Schemas['ErrorResponse'];

/** `apiKey` is sent as `x-api-key` (the contract's kaleidofinApiKey scheme). */
export interface KaleidofinCollectClientOptions extends ApiKeyClientOptions {}

/** The retry rule of each operation: the spec's `x-bbps-retry` (the reasons are next to it in specs/kaleidofin-collect). */
export const kaleidofinCollectOperations = operationRules satisfies OperationRules<KaleidofinCollect.paths>;

/** The Kaleidofin collect client: `client.POST('/bills/fetch/{billerId}', { params, body })`, fully typed. */
export function createKaleidofinCollectClient(options: KaleidofinCollectClientOptions): KaleidofinCollectClient {
  const headers = keyHeaders(securitySchemes, { kaleidofinApiKey: options.apiKey });
  return createApiKeyClient<KaleidofinCollect.paths>(options, kaleidofinCollectOperations, headers);
}

export type KaleidofinPaymentInput = Omit<KaleidofinPaymentRequest, 'amountPaid'> & {
  /** Sent as `amountPaid`, a JSON number of rupees; refused (MoneyError) unless the number is exact. */
  amountPaidPaise: bigint;
};

/**
 * Reports a customer's payment, sent exactly once. Throws OutcomeUnknownError when no answer came (settle it with
 * `GET /bills/status/{systemBillId}`, or repost the same body: Kaleidofin dedupes on `transactionId`) and
 * HttpError for any non-2xx.
 */
export async function postKaleidofinPayment(
  client: KaleidofinCollectClient,
  input: KaleidofinPaymentInput,
  init: CallInit = {},
): Promise<KaleidofinBillStatusResponse> {
  const { amountPaidPaise, ...rest } = input;
  const body: KaleidofinPaymentRequest = { ...rest, amountPaid: kaleidofinRupeesFromPaise(amountPaidPaise) };
  return unwrap(await client.POST('/bills/payment', { body, ...init }));
}
