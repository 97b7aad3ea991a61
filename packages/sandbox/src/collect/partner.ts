// Kaleidofin collect's calls to the partner biller (specs/kaleidofin-partner: `fetchBills`, `fetchReceipt`),
// through the generated typed client of @bbps-kit/client, and what collect makes of the partner's refusals: each is
// mapped here, once, to the collect contract's own error (404 unknown customer or bill, 422 refused, 400 invalid),
// and anything else (the partner unreachable, our key refused, its 5xx) is collect's 500, with nothing recorded.
import {
  createKaleidofinPartnerClient,
  type KaleidofinPartnerClient,
  type KaleidofinPartnerErrorResponse,
} from '@bbps-kit/client';
import type { KaleidofinPartner } from '@bbps-kit/contracts';
import type { CollectRefusal } from './envelope.ts';

type Schemas = KaleidofinPartner.components['schemas'];
export type PartnerBillIdentifier = Schemas['BillIdentifier'];
export type PartnerFetchBillsData = Schemas['FetchBillsData'];
export type PartnerPaymentDetails = Schemas['PaymentDetails'];

export interface PartnerOptions {
  baseUrl: string;
  /** The `x-api-key` the partner biller issued to Kaleidofin (never logged). */
  apiKey: string;
  timeoutMs?: number;
}

/** The demo biller that `pnpm sandbox` starts, with its public demo key. */
export const defaultPartner: PartnerOptions = { baseUrl: 'http://127.0.0.1:8080', apiKey: 'demo-kaleidofin-key' };

/** A partner's answer: what it said, or the collect refusal it means, or `unreachable` (collect's 500). */
export type PartnerResult<T> = { ok: T } | { refused: CollectRefusal } | { unreachable: string };

export interface Partner {
  fetchBills(identifiers: PartnerBillIdentifier[]): Promise<PartnerResult<PartnerFetchBillsData>>;
  fetchReceipt(bill: {
    systemBillId: number;
    partnerBillId: string;
    paymentDetails: PartnerPaymentDetails;
  }): Promise<PartnerResult<{ id: string; date: string }>>;
}

export function createPartner(options: PartnerOptions): Partner {
  const client: KaleidofinPartnerClient = createKaleidofinPartnerClient({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    timeoutMs: options.timeoutMs ?? 10_000,
  });
  return {
    async fetchBills(identifiers) {
      try {
        const { data, error, response } = await client.POST('/bills/fetchBills', { body: identifiers });
        return data ? { ok: data.data } : refusal(response.status, error);
      } catch (error) {
        return { unreachable: (error as Error).message };
      }
    },
    async fetchReceipt(body) {
      try {
        const { data, error, response } = await client.POST('/bills/fetchReceipt', { body });
        return data ? { ok: data.data.receipt } : refusal(response.status, error, body.systemBillId);
      } catch (error) {
        return { unreachable: (error as Error).message };
      }
    },
  };
}

function refusal(status: number, body: unknown, systemBillId?: number): PartnerResult<never> {
  const detail = (body as KaleidofinPartnerErrorResponse | undefined)?.error;
  const said = detail ? `${detail.field ? `${detail.field}: ` : ''}${detail.message}` : `HTTP ${status}`;
  const refused = (http: CollectRefusal['http'], message: string) => ({
    refused: { kind: 'refused' as const, http, message },
  });
  switch (detail?.code) {
    case 'CUSTOMER_NOT_FOUND':
      return refused(404, 'No customer matches the given identifiers');
    case 'BILL_NOT_FOUND':
      return refused(404, `No bill with systemBillId ${systemBillId} at the partner biller (${said})`);
    case 'BILL_ALREADY_PAID':
      return refused(422, `Bill ${systemBillId} is already paid (${said})`);
    case 'AMOUNT_EXACTNESS_VIOLATED':
    case 'DUPLICATE_TRANSACTION_MISMATCH':
      return refused(422, `The partner biller refused the payment: ${said}`);
    case 'INVALID_REQUEST':
      return refused(400, said);
    default:
      // Our key refused, the partner's 5xx: not the operating unit's fault, and nothing was recorded.
      return { unreachable: `the partner biller answered ${status} ${detail?.code ?? ''}`.trim() };
  }
}
