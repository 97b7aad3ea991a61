// Kaleidofin partner API (specs/kaleidofin-partner): what a biller implements and Kaleidofin calls. A client for
// tests and for platforms that call billers the way Kaleidofin does.
import type { KaleidofinPartner } from '@bbps-kit/contracts';
import { operationRules, securitySchemes } from '@bbps-kit/contracts/rules/kaleidofin-partner';
import type { Client } from 'openapi-fetch';
import { type ApiKeyClientOptions, createApiKeyClient, keyHeaders } from './base.ts';
import type { OperationRules } from './common.ts';

export type KaleidofinPartnerClient = Client<KaleidofinPartner.paths>;
export type KaleidofinPartnerErrorResponse = KaleidofinPartner.components['schemas']['ErrorResponse'];

/** `apiKey` is sent as `x-api-key` (the contract's partnerApiKey scheme). */
export interface KaleidofinPartnerClientOptions extends ApiKeyClientOptions {}

/** The retry rule of each operation: the spec's `x-bbps-retry` (the reasons are next to it in specs/kaleidofin-partner). */
export const kaleidofinPartnerOperations = operationRules satisfies OperationRules<KaleidofinPartner.paths>;

/** The Kaleidofin partner client: `client.POST('/bills/fetchBills', { body })`, fully typed. */
export function createKaleidofinPartnerClient(options: KaleidofinPartnerClientOptions): KaleidofinPartnerClient {
  const headers = keyHeaders(securitySchemes, { partnerApiKey: options.apiKey });
  return createApiKeyClient<KaleidofinPartner.paths>(options, kaleidofinPartnerOperations, headers);
}
