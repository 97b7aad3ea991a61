// The client end to end against the Eko simulator on a real socket: `createEkoClient` signs with the sandbox's
// credentials, `payEkoBill` pays a fetched bill once, `waitForEkoTransaction` settles the pending scripts, and the
// lost answer of a `…0004` account is rehearsed as the client is built for: OutcomeUnknownError → inquire by
// client_ref_id → the success, with no second payment.
import {
  createEkoClient,
  type EkoClient,
  fetchEkoBill,
  HttpError,
  isOutcomeUnknown,
  OutcomeUnknownError,
  payEkoBill,
  waitForEkoTransaction,
} from '@bbps-kit/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, initiator, newRef, startEko } from './harness.ts';

let eko: Harness;
let client: EkoClient;
beforeAll(async () => {
  eko = await startEko();
  client = createEkoClient({ baseUrl: eko.url, ...eko.sandbox.credentials, timeoutMs: 5_000 });
});
afterAll(() => eko.close());

const customer = (utilityAccNo: string) => ({
  initiator_id: initiator,
  user_code: '20810200',
  utility_acc_no: utilityAccNo,
  confirmation_mobile_no: '9999988888',
  sender_name: 'Asha Rao',
  operator_id: '83',
  source_ip: '192.168.1.1',
  latlong: '28.6139,77.2090',
});
const wait = { deadlineMs: 5_000, intervalMs: 10 };

describe('@bbps-kit/client against the Eko sandbox', () => {
  it('fetches a bill and pays it once with its token: success', async () => {
    const bill = await fetchEkoBill(client, customer('880012345678'));
    expect(bill.fetched).toBe(true);
    const amountPaise = bill.billAmountPaise as bigint;
    const payment = await payEkoBill(client, {
      ...customer('880012345678'),
      client_ref_id: newRef(),
      amountPaise,
      billfetchresponse: bill.response.data?.billfetchresponse,
    });
    expect(payment).toMatchObject({ state: 'success', amountPaise });
    const outcome = await waitForEkoTransaction(client, { tid: payment.tid as string, initiatorId: initiator }, wait);
    expect(outcome).toMatchObject({ state: 'success', tid: payment.tid, amountPaise, checks: 1 });
  });

  it('0009: the fetch is answered, not fetched', async () => {
    const bill = await fetchEkoBill(client, customer('88880009'));
    expect(bill).toMatchObject({ fetched: false, billAmountPaise: undefined });
  });

  it('0002: pending, then waitForEkoTransaction sees the success at the second inquiry', async () => {
    const payment = await payEkoBill(client, {
      ...customer('88880002'),
      client_ref_id: newRef(),
      amountPaise: 50_000n,
    });
    expect(payment.state).toBe('pending');
    const outcome = await waitForEkoTransaction(client, { tid: payment.tid as string, initiatorId: initiator }, wait);
    expect(outcome).toMatchObject({ state: 'success', checks: 2, amountPaise: 50_000n });
  });

  it('0003: pending, then refund pending (a final outcome for the client)', async () => {
    const ref = newRef();
    const payment = await payEkoBill(client, { ...customer('88880003'), client_ref_id: ref, amountPaise: 50_000n });
    expect(payment.state).toBe('pending');
    const outcome = await waitForEkoTransaction(client, { clientRefId: ref, initiatorId: initiator }, wait);
    expect(outcome).toMatchObject({ state: 'refund-pending', txStatus: '3' });
    expect((await waitForEkoTransaction(client, { clientRefId: ref, initiatorId: initiator }, wait)).state).toBe(
      'refunded',
    );
  });

  it('0001: failed', async () => {
    const payment = await payEkoBill(client, { ...customer('88880001'), client_ref_id: newRef(), amountPaise: 100n });
    expect(payment.state).toBe('failed');
  });

  it('0005: an HttpError 500 whose outcome is unknown; inquiring finds nothing', async () => {
    const ref = newRef();
    const error = await payEkoBill(client, { ...customer('88880005'), client_ref_id: ref, amountPaise: 100n }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(500);
    expect(isOutcomeUnknown(error)).toBe(true);
    const { data } = await client.GET('/tools/reference/transaction/client_ref_id:{clientRefId}', {
      params: { path: { clientRefId: ref }, query: { initiator_id: initiator } },
    });
    expect(data).toMatchObject({ message: expect.stringMatching(/No transaction found/) });
    expect(data?.tx_status).toBeUndefined();
  });

  it('0004: OutcomeUnknownError (a short timeoutMs) → inquire by client_ref_id → success, never pay again', async () => {
    const impatient = createEkoClient({ baseUrl: eko.url, ...eko.sandbox.credentials, timeoutMs: 300 });
    const ref = newRef();
    const count = eko.sandbox.ledger.transactionCount();
    const error = await payEkoBill(impatient, {
      ...customer('88880004'),
      client_ref_id: ref,
      amountPaise: 135_000n,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect((error as OutcomeUnknownError).reason).toBe('timeout');
    const outcome = await waitForEkoTransaction(impatient, { clientRefId: ref, initiatorId: initiator }, wait);
    expect(outcome).toMatchObject({ state: 'success', amountPaise: 135_000n });
    expect(eko.sandbox.ledger.transactionCount()).toBe(count + 1);
  });

  it('0004 closed at once: OutcomeUnknownError (network) → inquire → success', async () => {
    const closing = await startEko({ lostAnswerHoldMs: 0 });
    try {
      const quick = createEkoClient({ baseUrl: closing.url, ...closing.sandbox.credentials, timeoutMs: 5_000 });
      const ref = newRef();
      const count = closing.sandbox.ledger.transactionCount();
      const error = await payEkoBill(quick, { ...customer('77770004'), client_ref_id: ref, amountPaise: 100n }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(OutcomeUnknownError);
      expect((error as OutcomeUnknownError).reason).toBe('network');
      const outcome = await waitForEkoTransaction(quick, { clientRefId: ref, initiatorId: initiator }, wait);
      expect(outcome.state).toBe('success');
      expect(closing.sandbox.ledger.transactionCount()).toBe(count + 1);
    } finally {
      await closing.close();
    }
  });

  it('a client with the wrong access key is refused with 403', async () => {
    const wrong = createEkoClient({
      baseUrl: eko.url,
      developerKey: eko.sandbox.credentials.developerKey,
      accessKey: 'x',
    });
    const error = await fetchEkoBill(wrong, customer('880012345678')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(403);
  });
});
