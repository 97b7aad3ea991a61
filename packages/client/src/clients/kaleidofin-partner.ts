// Kaleidofin partner API (specs/kaleidofin-partner): what a biller implements and Kaleidofin calls. A client for
// tests and for platforms that call billers the way Kaleidofin does.
import type { KaleidofinPartner } from '@bbps-kit/contracts';
import type { Client } from 'openapi-fetch';
import { type ApiKeyClientOptions, createApiKeyClient } from './base.ts';
import type { OperationRules } from './common.ts';

export type KaleidofinPartnerClient = Client<KaleidofinPartner.paths>;
export type KaleidofinPartnerErrorResponse = KaleidofinPartner.components['schemas']['ErrorResponse'];

/** `apiKey` is sent as `x-api-key` (the contract's partnerApiKey scheme). */
export interface KaleidofinPartnerClientOptions extends ApiKeyClientOptions {}

export const kaleidofinPartnerOperations = {
  // A read done by POST: the spec says it "is read-only and may be repeated freely".
  'POST /bills/fetchBills': { operationId: 'fetchBills', retry: 'safe' },
  // Records a payment. The biller dedupes on transactionId, but the library still never re-sends a payment.
  'POST /bills/fetchReceipt': { operationId: 'fetchReceipt', retry: 'never' },
} as const satisfies OperationRules<KaleidofinPartner.paths>;

/** The Kaleidofin partner client: `client.POST('/bills/fetchBills', { body })`, fully typed. */
export function createKaleidofinPartnerClient(options: KaleidofinPartnerClientOptions): KaleidofinPartnerClient {
  return createApiKeyClient<KaleidofinPartner.paths>(options, kaleidofinPartnerOperations);
}
