// Kaleidofin partner API: call a biller the way Kaleidofin does, to test a biller or from a platform.
// Mock: `npx pnpm mock` (kaleidofin-partner on http://127.0.0.1:4010), then
// `node packages/client/examples/kaleidofin-partner.ts`. Against the demo biller (`npx pnpm sandbox` starts one on
// 8080): `KALEIDOFIN_PARTNER_BASE_URL=http://127.0.0.1:8080 PARTNER_API_KEY=demo-kaleidofin-key node …`.
import { createKaleidofinPartnerClient, HttpError, isOutcomeUnknown, unwrap } from '@bbps-kit/client';
import { formatRupees, kaleidofinRupeesFromPaise, paiseFromKaleidofinRupees } from '@bbps-kit/money';

export async function run(baseUrl = 'http://127.0.0.1:4010', log: (line: string) => void = console.log) {
  const biller = createKaleidofinPartnerClient({ baseUrl, apiKey: process.env.PARTNER_API_KEY ?? 'partner-key-1' });

  // Generate Bill: a read done by POST, retried by the library on timeouts and 502/503/504.
  // unwrap() returns the 200 body or throws HttpError with the contract's envelope (404 CUSTOMER_NOT_FOUND…).
  const { data } = unwrap(
    await biller.POST('/bills/fetchBills', { body: [{ identifierKey: 'customerId', identifierValue: 'AY1234' }] }),
  );
  const bills = data.customerBills.bills;
  const first = bills[0];
  if (data.billFetchStatus !== 'AVAILABLE' || first === undefined) return { bills: 0 };
  const duePaise = paiseFromKaleidofinRupees(first.billAmount); // rupees on the wire, bigint paise in code
  log(`${data.customer.name}: ${bills.length} bill(s), first ${first.partnerBillId} ${formatRupees(duePaise)}`);

  // Acknowledge Bill Payment: sent once. A timeout throws OutcomeUnknownError: repost the SAME body later
  // (the biller answers a repeated transactionId with the same receipt), never a new transactionId.
  try {
    const ack = unwrap(
      await biller.POST('/bills/fetchReceipt', {
        body: {
          systemBillId: 14,
          partnerBillId: first.partnerBillId,
          paymentDetails: {
            billAmount: first.billAmount,
            amountPaid: kaleidofinRupeesFromPaise(duePaise),
            transactionId: '20201223246869',
          },
        },
      }),
    );
    log(`receipt ${ack.data.receipt.id} at ${ack.data.receipt.date}`);
    return { bills: bills.length, dueNowPaise: duePaise, receiptId: ack.data.receipt.id };
  } catch (error) {
    if (isOutcomeUnknown(error)) log('no answer: repost the same acknowledgement later');
    else if (error instanceof HttpError) log(`refused: HTTP ${error.status} ${JSON.stringify(error.envelope)}`);
    throw error;
  }
}

if (import.meta.main) {
  // The base URL from KALEIDOFIN_PARTNER_BASE_URL (the sandbox or the biller), else the mock's.
  await run(process.env.KALEIDOFIN_PARTNER_BASE_URL).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
