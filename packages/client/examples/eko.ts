// Eko: fetch a bill, pay it once, and settle a pending or lost answer by inquiring, never by paying again.
// Mock: `npx pnpm mock` (Eko on http://127.0.0.1:4013), then `node packages/client/examples/eko.ts`. Stateful sandbox:
// `npx pnpm sandbox`, then `EKO_BASE_URL=http://127.0.0.1:4023 EKO_DEVELOPER_KEY=sandbox-developer-key
// EKO_ACCESS_KEY=sandbox-access-key node packages/client/examples/eko.ts`.
import {
  createEkoClient,
  type EkoTxState,
  fetchEkoBill,
  HttpError,
  isOutcomeUnknown,
  payEkoBill,
  waitForEkoTransaction,
} from '@bbps-kit/client';
import { formatRupees } from '@bbps-kit/money';

export async function run(baseUrl = 'http://127.0.0.1:4013', log: (line: string) => void = console.log) {
  const eko = createEkoClient({
    baseUrl,
    developerKey: process.env.EKO_DEVELOPER_KEY ?? 'dev-key-0123456789abcdef',
    accessKey: process.env.EKO_ACCESS_KEY ?? 'test-access-key-123',
    timeoutMs: 30_000,
  });
  const initiatorId = '9962981729';
  const customer = {
    initiator_id: initiatorId,
    user_code: '20810200',
    utility_acc_no: '1234567890',
    confirmation_mobile_no: '9999988888',
    sender_name: 'Ramesh Kumar',
    operator_id: '83',
    source_ip: '192.168.1.1',
    latlong: '28.6139,77.2090',
  };

  // 1. Fetch: a read, retried by the library on timeouts and 502/503/504.
  const bill = await fetchEkoBill(eko, customer);
  if (!bill.fetched || bill.billAmountPaise === undefined) throw new Error(`no bill: ${bill.response.message}`);
  log(`bill ${bill.response.data?.bill_number}: ${formatRupees(bill.billAmountPaise)}`);

  // 2. Pay: sent exactly once. Keep your client_ref_id: it finds the payment if the answer is lost.
  const clientRefId = 'REQ-20260101-001';
  const wait = { deadlineMs: 120_000, intervalMs: 5_000, backoff: 1.5 };
  let state: EkoTxState | 'refused';
  let tid: string | undefined;
  try {
    const payment = await payEkoBill(eko, {
      ...customer,
      client_ref_id: clientRefId,
      amountPaise: bill.billAmountPaise, // sent as Eko's rupee string, "1350"
      billfetchresponse: bill.response.data?.billfetchresponse,
    });
    ({ state, tid } = payment);
    if (state === 'pending') {
      // tx_status 2, 5, 6 or unknown: inquire until final; never pay again.
      const ref = tid ? { tid, initiatorId } : { clientRefId, initiatorId };
      ({ state } = await waitForEkoTransaction(eko, ref, wait));
    }
  } catch (error) {
    if (!isOutcomeUnknown(error)) throw error; // e.g. HttpError 400/401/403: refused, no money moved
    // Timeout, network failure or 5xx: the payment may have gone through. Inquire by client_ref_id.
    const outcome = await waitForEkoTransaction(eko, { clientRefId, initiatorId }, wait);
    ({ state, tid } = outcome);
  }
  log(`payment ${clientRefId} (tid ${tid}): ${state}`);
  return { billAmountPaise: bill.billAmountPaise, state, tid };
}

if (import.meta.main) {
  // The base URL from EKO_BASE_URL (the sandbox or the biller), else the mock's.
  await run(process.env.EKO_BASE_URL).catch((error: unknown) => {
    console.error(error instanceof HttpError ? `${error.message}: ${JSON.stringify(error.envelope)}` : error);
    process.exitCode = 1;
  });
}
