// EBPP MPA: look customers up (a form-encoded read) and post a payment to the biller, the way EBPP does.
// Mock: `npx pnpm mock` (ebpp-mpa on http://127.0.0.1:4014), then `node packages/client/examples/ebpp.ts`. Against the
// demo biller (`npx pnpm sandbox` starts one on 8080): `EBPP_BASE_URL=http://127.0.0.1:8080 EBPP_CLIENT_KEY=demo-client
// EBPP_API_KEY=demo-ebpp-key node packages/client/examples/ebpp.ts`.
import { createEbppClient, HttpError, isOutcomeUnknown, lookupEbppCustomers, unwrap } from '@bbps-kit/client';
import { ebppAmountFromPaise, formatRupees, paiseFromEbppAmount } from '@bbps-kit/money';

export async function run(baseUrl = 'http://127.0.0.1:4014', log: (line: string) => void = console.log) {
  // client-key and api-key go on every request; call sites never repeat them.
  const biller = createEbppClient({
    baseUrl,
    clientKey: process.env.EBPP_CLIENT_KEY ?? 'ebpp_ayfin_01',
    apiKey: process.env.EBPP_API_KEY ?? 'biller-api-key',
  });

  // Lookup: sent as application/x-www-form-urlencoded (account_number=LN-AY1234); a read, so retried when safe.
  // 404 (nothing matched) arrives as HttpError with the contract's {errors: [...]} envelope.
  const { customers } = await lookupEbppCustomers(biller, { account_number: 'LN-AY1234' });
  const account = customers[0]?.customer_accounts?.[0];
  if (!account?.minimum_payment_due) throw new Error('no account due');
  const duePaise = paiseFromEbppAmount(account.minimum_payment_due);
  log(`${customers.length} profile(s) on ${account.account_number}, minimum due ${formatRupees(duePaise)}`);

  // Payment posting: sent once. EBPP reposts the same `id` after a timeout; the biller answers 409 to a repeat.
  try {
    const posted = unwrap(
      await biller.POST('/paymentposting', {
        body: {
          id: '7300018829',
          confirmation_number: 'EBP5K2M9Q7X4',
          amount: ebppAmountFromPaise(duePaise), // "1200.00"
          currency_code3d: 'INR',
          custom_fields: { branch_code: 'PUN014' },
          customer: { id: '4100027731', customer_reference: 'AY1234' },
          customer_account: { id: '5200011840', account_number: account.account_number },
          funding_account: { id: '6300045512', account_type: 'bank', account_number: '******7421' },
          payment_date: '2025-03-05',
          payment_method: 'ach',
          payment_network_response: { payment_response_code: '00', payment_response_msg: 'Accepted' },
          payment_schedule_type: 'one_time_payment',
          status: 'processing',
        },
      }),
    );
    log(`posted as ${posted.payment_reference}`);
    return { profiles: customers.length, minimumDuePaise: duePaise, paymentReference: posted.payment_reference };
  } catch (error) {
    if (isOutcomeUnknown(error)) log('no answer: the posting may have been applied; repost the same id');
    else if (error instanceof HttpError) log(`refused: ${JSON.stringify(error.envelope)}`);
    throw error;
  }
}

if (import.meta.main) {
  // The base URL from EBPP_BASE_URL (the sandbox or the biller), else the mock's.
  await run(process.env.EBPP_BASE_URL).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
