// A backend team's program, written as one would outside this repository: only the published packages, imported by
// their public names. The consumer test compiles it (strict + exactOptionalPropertyTypes, once with module nodenext
// and once with moduleResolution bundler) and runs it on Node 22 and 24 against a local Eko mock, then asserts the
// JSON line it prints.
import { createEkoClient, type FetchLike, fetchEkoBill, payEkoBill, waitForEkoTransaction } from '@bbps-kit/client';
import type { EkoBbps } from '@bbps-kit/contracts';
import { Contract } from '@bbps-kit/contracts/validator';
import { ekoRupeeStringFromPaise, formatRupees, paiseFromEkoRupeeString } from '@bbps-kit/money';

const baseUrl = process.argv[2];
if (baseUrl === undefined) throw new Error('usage: node main.js <eko base url>');

// Which requests left signed: the client adds Eko's secret-key and secret-key-timestamp to each one.
const signed: string[] = [];
const recordingFetch: FetchLike = async (input, init) => {
  const request = new Request(input, init);
  const secret = request.headers.get('secret-key') ?? '';
  const timestamp = request.headers.get('secret-key-timestamp') ?? '';
  if (secret.length > 0 && /^\d+$/.test(timestamp)) signed.push(`${request.method} ${new URL(request.url).pathname}`);
  return fetch(request);
};

const eko = createEkoClient({
  baseUrl,
  developerKey: 'dev-key-0123456789abcdef',
  accessKey: 'test-access-key-123',
  fetch: recordingFetch,
  timeoutMs: 10_000,
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
const billPath: keyof EkoBbps.paths = '/customer/payment/bbps/bill';

const bill = await fetchEkoBill(eko, customer);
if (bill.billAmountPaise === undefined) throw new Error(`no bill: ${bill.response.message}`);
// The mock's PayBillAwaited example: tx_status "2", so the payment is pending and must be inquired, never repeated.
const payment = await payEkoBill(
  eko,
  { ...customer, client_ref_id: 'REQ-20260101-002', amountPaise: bill.billAmountPaise },
  { headers: { Prefer: 'example=PayBillAwaited' } },
);
const wait = { deadlineMs: 20_000, intervalMs: 100 };
const settled =
  payment.state === 'pending' && payment.tid !== undefined
    ? await waitForEkoTransaction(eko, { tid: payment.tid, initiatorId }, wait)
    : undefined;
const byReference = await waitForEkoTransaction(eko, { clientRefId: 'REQ-20260101-002', initiatorId }, wait);

const contract = await Contract.load('eko-bbps');
const payBody = { ...customer, client_ref_id: 'REQ-20260101-002', amount: ekoRupeeStringFromPaise(135000n) };

console.log(
  JSON.stringify({
    node: process.versions.node.split('.')[0],
    billPath,
    signed,
    billAmountPaise: String(bill.billAmountPaise),
    formatted: formatRupees(bill.billAmountPaise),
    payment: { state: payment.state, tid: payment.tid },
    settled: settled && { state: settled.state, tid: settled.tid, amountPaise: String(settled.amountPaise) },
    byReference: { state: byReference.state, txStatus: byReference.txStatus },
    money: { rupees: ekoRupeeStringFromPaise(135050n), paise: String(paiseFromEkoRupeeString('1350.50')) },
    validator: {
      valid: contract.requestBody('payBill', payBody).valid,
      invalid: contract.requestBody('payBill', { ...payBody, amount: 1350 }).errors,
    },
  }),
);
