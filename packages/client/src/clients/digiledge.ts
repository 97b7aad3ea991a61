// Digiledge BBPS agent API (specs/digiledge-agent): asynchronous fetch and pay, each followed by polls.
import type { DigiledgeAgent } from '@bbps-kit/contracts';
import { operationRules, securitySchemes } from '@bbps-kit/contracts/rules/digiledge-agent';
import { digiledgeFromPaise } from '@bbps-kit/money';
import type { Client } from 'openapi-fetch';
import { type ApiKeyClientOptions, createApiKeyClient, keyHeaders } from './base.ts';
import { type CallInit, type OperationRules, unwrap } from './common.ts';

export type DigiledgeClient = Client<DigiledgeAgent.paths>;
type Schemas = DigiledgeAgent.components['schemas'];
export type DigiledgeFetchBillRequest = Schemas['FetchBillRequest'];
export type DigiledgePayBillRequest = Schemas['PayBillRequest'];
export type DigiledgePaymentRecord = Schemas['PaymentRecord'];
export type DigiledgeBillFetchRecord = Schemas['BillFetchRecord'];
export type DigiledgeFetchedBill = Schemas['FetchedBill'];
export type DigiledgeErrorResponse = Schemas['ErrorResponse'];

/** `apiKey` is sent as `x-api-key` (the contract's DigiledgeApiKey scheme), one key per tenant. */
export interface DigiledgeClientOptions extends ApiKeyClientOptions {}

/** The retry rule of each operation: the spec's `x-bbps-retry` (the reasons are next to it in specs/digiledge-agent). */
export const digiledgeOperations = operationRules satisfies OperationRules<DigiledgeAgent.paths>;

/** The Digiledge client: `client.POST('/couapp/agent/bills/fetch', { body })`, fully typed. */
export function createDigiledgeClient(options: DigiledgeClientOptions): DigiledgeClient {
  const headers = keyHeaders(securitySchemes, { DigiledgeApiKey: options.apiKey });
  return createApiKeyClient<DigiledgeAgent.paths>(options, digiledgeOperations, headers);
}

export type DigiledgePayBillInput = Omit<DigiledgePayBillRequest, 'txnAmount'> & {
  /** Sent as `txnAmount`, integer paise. */
  amountPaise: bigint;
};

/**
 * Sends the payment exactly once and returns Digiledge's acknowledgement (normally `BILL_PAYMENT_INITIATED` with a
 * `txnId`): follow it with `waitForDigiledgePayment`. Throws OutcomeUnknownError when no answer came (poll by
 * `clientReqId` = your `refId`, never pay again) and HttpError for any non-2xx (a 5xx also leaves the outcome
 * unknown: see `isOutcomeUnknown`).
 */
export async function payDigiledgeBill(
  client: DigiledgeClient,
  input: DigiledgePayBillInput,
  init: CallInit = {},
): Promise<DigiledgePaymentRecord> {
  const { amountPaise, ...rest } = input;
  const body: DigiledgePayBillRequest = { ...rest, txnAmount: digiledgeFromPaise(amountPaise) };
  return unwrap(await client.POST('/couapp/agent/bills/payment', { body, ...init }));
}
