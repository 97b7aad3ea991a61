// Digiledge: everything is asynchronous. Request a fetch, poll the bill, pay once, poll the payment.
// Mock: `npx pnpm mock` (digiledge-agent on http://127.0.0.1:4012), then `node packages/client/examples/digiledge.ts`.
// Stateful sandbox: `npx pnpm sandbox`, then
// `DIGILEDGE_BASE_URL=http://127.0.0.1:4022 DIGILEDGE_API_KEY=sandbox-key node packages/client/examples/digiledge.ts`.
import {
  createDigiledgeClient,
  isOutcomeUnknown,
  payDigiledgeBill,
  unwrap,
  waitForDigiledgeBill,
  waitForDigiledgePayment,
} from '@bbps-kit/client';
import { formatRupees } from '@bbps-kit/money';

export async function run(baseUrl = 'http://127.0.0.1:4012', log: (line: string) => void = console.log) {
  const digiledge = createDigiledgeClient({ baseUrl, apiKey: process.env.DIGILEDGE_API_KEY ?? 'tenant-FE41-key' });
  const agent = {
    tenantId: 'FE41',
    billerId: 'KIFS00000NATST',
    billerName: 'KIFS Housing Finance Ltd',
    billerCategory: 'Loan Repayment',
    customerMobNo: '8281970522',
    paymentChannel: 'Agent' as const,
    deviceBlockTags: [
      { name: 'MOBILE' as const, value: '9591810218' },
      { name: 'GEOCODE' as const, value: '28.6139,78.5555' },
      { name: 'POSTAL_CODE' as const, value: '600001' },
      { name: 'TERMINAL_ID' as const, value: '333001' },
    ],
    customerParams: [{ name: 'APPLICATION NUMBER', value: '7710485' }],
  };
  const wait = { deadlineMs: 60_000, intervalMs: 2_000, backoff: 1.5 };

  // 1. Ask for the bill, then poll until BILL_FETCH_SUCCESS or BILL_FETCH_FAILED.
  const ack = unwrap(
    await digiledge.POST('/couapp/agent/bills/fetch', {
      body: { ...agent, refId: newRefId() },
    }),
  );
  if (!ack.billId) throw new Error(`fetch not accepted: ${ack.genericResponse?.message}`);
  const bill = await waitForDigiledgeBill(digiledge, ack.billId, wait);
  if (bill.state !== 'success' || bill.billAmountPaise === undefined)
    throw new Error(`fetch failed: ${bill.bill.genericResponse?.message}`);
  log(`bill ${bill.bill.billerResponse?.billNumber}: ${formatRupees(bill.billAmountPaise)}`);

  // 2. Pay once. Your refId (35 characters) is also the clientReqId that finds the payment if the answer is lost.
  const refId = newRefId();
  let ref: { txnId: string } | { clientReqId: string } = { clientReqId: refId };
  try {
    const initiated = await payDigiledgeBill(digiledge, {
      ...agent,
      refId,
      billId: ack.billId,
      actionType: 'FETCH_PAY',
      amountOptions: false,
      paymentMode: 'UPI',
      paymentInformation: 'xxxxxxxx@abc',
      amountPaise: bill.billAmountPaise, // sent as txnAmount, integer paise
    });
    if (initiated.txnId) ref = { txnId: initiated.txnId };
  } catch (error) {
    if (!isOutcomeUnknown(error)) throw error; // a 4xx: refused, no money moved
    // no answer or 5xx: fall through and poll by clientReqId; never pay again
  }

  // 3. Poll until BILL_PAYMENT_SUCCESS or BILL_PAYMENT_FAILED (INITIATED and PENDING are not final).
  const payment = await waitForDigiledgePayment(digiledge, ref, wait);
  log(
    `payment ${refId}: ${payment.state} ${payment.amountPaise === undefined ? '' : formatRupees(payment.amountPaise)}`,
  );
  return { billAmountPaise: bill.billAmountPaise, state: payment.state, paidPaise: payment.amountPaise };
}

/** A fresh 35-character refId per request (27 letters and digits, then 8 digits), as the seed's vkL5Q79…20751743. */
function newRefId(): string {
  return `vkL5Q79lukhzL4dSHatditBwzin${String(Date.now() * 1000 + Math.floor(Math.random() * 1000)).slice(-8)}`;
}

if (import.meta.main) {
  // The base URL from DIGILEDGE_BASE_URL (the sandbox or the biller), else the mock's.
  await run(process.env.DIGILEDGE_BASE_URL).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
