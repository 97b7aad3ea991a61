// Kaleidofin collect API: an operating unit fetches a customer's bills and reports the payment.
// Mock: `npx pnpm mock` (kaleidofin-collect on http://127.0.0.1:4011), then
// `node packages/client/examples/kaleidofin-collect.ts`. Stateful sandbox (collect in front of the demo biller):
// `npx pnpm sandbox`, then `KALEIDOFIN_COLLECT_BASE_URL=http://127.0.0.1:4021 KALEIDOFIN_API_KEY=sandbox-key
// node packages/client/examples/kaleidofin-collect.ts`.
import { createKaleidofinCollectClient, isOutcomeUnknown, postKaleidofinPayment, unwrap } from '@bbps-kit/client';
import { formatRupees, paiseFromKaleidofinRupees } from '@bbps-kit/money';

export async function run(baseUrl = 'http://127.0.0.1:4011', log: (line: string) => void = console.log) {
  const kaleidofin = createKaleidofinCollectClient({ baseUrl, apiKey: process.env.KALEIDOFIN_API_KEY ?? 'ou-key-1' });

  // A read done by POST: retried by the library on timeouts and 502/503/504.
  const found = unwrap(
    await kaleidofin.POST('/bills/fetch/{billerId}', {
      params: { path: { billerId: 'AYFIN0000001' } },
      body: [{ identifierKey: 'consumerId', identifierValue: 'AY1234' }],
    }),
  );
  const bill = found.bills.find((b) => b.billStatus === 'BILL_CREATED');
  if (!bill) return { billStatus: undefined };
  const duePaise = paiseFromKaleidofinRupees(bill.billAmount);
  log(`bill ${bill.systemBillId} (${bill.billName}): ${formatRupees(duePaise)}`);

  // The payment report for that bill is sent once; amountPaidPaise goes out as an exact rupee number. A new
  // transactionId per payment: reposting one answers the first payment's status, never a second credit.
  const payment = {
    systemBillId: bill.systemBillId,
    transactionId: `TXN${Date.now()}`,
    amountPaidPaise: duePaise,
    paymentDate: '2020-07-30',
  };
  let status: Awaited<ReturnType<typeof postKaleidofinPayment>>;
  try {
    status = await postKaleidofinPayment(kaleidofin, payment);
  } catch (error) {
    // HttpError 4xx is a refusal (422 BILL_ALREADY_PAID, 404 BILL_NOT_FOUND): nothing was recorded.
    if (!isOutcomeUnknown(error)) throw error;
    // No answer or a 5xx: ask for the bill's status instead of guessing (a read, safe to repeat).
    status = unwrap(
      await kaleidofin.GET('/bills/status/{systemBillId}', {
        params: { path: { systemBillId: payment.systemBillId } },
      }),
    );
  }
  log(`bill ${status.billStatus.systemBillId}: ${status.billStatus.billStatus}, receipt ${status.billStatus.receipt}`);
  return { billStatus: status.billStatus.billStatus, paidPaise: duePaise };
}

if (import.meta.main) {
  // The base URL from KALEIDOFIN_COLLECT_BASE_URL (the sandbox or the biller), else the mock's.
  await run(process.env.KALEIDOFIN_COLLECT_BASE_URL).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
