import { Contract } from '@bbps-kit/contracts/validator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createDigiledgeClient,
  createEkoClient,
  digiledgeBillState,
  digiledgePaymentState,
  ekoTxState,
  HttpError,
  isOutcomeUnknown,
  NetworkError,
  OutcomeUnknownError,
  PendingTimeoutError,
  waitForDigiledgeBill,
  waitForDigiledgePayment,
  waitForEkoTransaction,
} from '../src/index.ts';
import { json, networkError, recordingFetch, type Step, status } from './recording-fetch.ts';

const BASE = 'https://api.test';

/** A clock that only moves when the poller sleeps, so deadlines are exact and tests take no time. */
function fakeTime() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

function ekoWith(script: Step[]) {
  const recorder = recordingFetch(script);
  const client = createEkoClient({
    baseUrl: BASE,
    developerKey: 'd',
    accessKey: 'a',
    retry: false,
    fetch: recorder.fetch,
  });
  return { client, calls: recorder.calls };
}

function digiledgeWith(script: Step[]) {
  const recorder = recordingFetch(script);
  const client = createDigiledgeClient({ baseUrl: BASE, apiKey: 'k', retry: false, fetch: recorder.fetch });
  return { client, calls: recorder.calls };
}

const tx = (tx_status: string | undefined, extra: Record<string, unknown> = {}) =>
  json({ status: 0, message: 'Success', tx_status, data: { tid: '2882709962', amount: '1350' }, ...extra });

describe('Eko tx_status', () => {
  it.each([
    ['0', 'success'],
    ['1', 'failed'],
    ['2', 'pending'],
    ['3', 'refund-pending'],
    ['4', 'refunded'],
    ['5', 'pending'],
    ['6', 'pending'],
    [undefined, 'pending'],
    [null, 'pending'],
    ['7', 'pending'],
    ['', 'pending'],
  ] as const)('%s → %s', (value, state) => {
    expect(ekoTxState(value)).toBe(state);
  });

  it('accepts a number where Eko sends one', () => {
    expect(ekoTxState(0)).toBe('success');
    expect(ekoTxState(3)).toBe('refund-pending');
  });

  it('anything but 0, 1, 3, 4 is pending, never failed', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        fc.pre(!['0', '1', '3', '4'].includes(value.trim()));
        expect(ekoTxState(value)).toBe('pending');
      }),
    );
  });
});

describe('Digiledge statuses', () => {
  it('payments: SUCCESS and FAILED are final, INITIATED, PENDING, null and unknown are pending', () => {
    expect(digiledgePaymentState('BILL_PAYMENT_SUCCESS')).toBe('success');
    expect(digiledgePaymentState('BILL_PAYMENT_FAILED')).toBe('failed');
    for (const value of ['BILL_PAYMENT_INITIATED', 'BILL_PAYMENT_PENDING', null, undefined, 'BILL_PAYMENT_DEEMED']) {
      expect(digiledgePaymentState(value)).toBe('pending');
    }
  });

  it('bill fetches: SUCCESS and FAILED are final, REQUESTED, INITIATED, null and unknown are pending', () => {
    expect(digiledgeBillState('BILL_FETCH_SUCCESS')).toBe('success');
    expect(digiledgeBillState('BILL_FETCH_FAILED')).toBe('failed');
    for (const value of ['BILL_FETCH_REQUESTED', 'BILL_FETCH_INITIATED', null, undefined, 'SOMETHING_NEW']) {
      expect(digiledgeBillState(value)).toBe('pending');
    }
  });
});

describe('the specs’ x-bbps-outcome tables', () => {
  const schemas = async (api: 'eko-bbps' | 'digiledge-agent') =>
    (await Contract.load(api)).document.components?.schemas as Record<
      string,
      { enum?: string[]; 'x-bbps-outcome'?: Record<string, string> }
    >;

  it.each([
    ['eko-bbps', 'TxStatus', ekoTxState],
    ['digiledge-agent', 'PaymentStatus', digiledgePaymentState],
    ['digiledge-agent', 'BillFetchStatus', digiledgeBillState],
  ] as const)('%s %s: every enum value reads as its table says', async (api, name, state) => {
    const schema = (await schemas(api))[name];
    const table = schema?.['x-bbps-outcome'] ?? {};
    expect(Object.keys(table).sort()).toEqual([...(schema?.enum ?? [])].sort());
    for (const [value, outcome] of Object.entries(table)) expect(state(value)).toBe(outcome);
    // Names an object inherits are not table entries.
    for (const value of ['toString', 'constructor', '__proto__', 'hasOwnProperty'])
      expect(state(value)).toBe('pending');
  });
});

describe('isOutcomeUnknown', () => {
  it('is true for no answer and for a 5xx, false for a refusal', () => {
    const where = { method: 'POST', url: 'u' };
    expect(isOutcomeUnknown(new OutcomeUnknownError({ ...where, reason: 'timeout', cause: null }))).toBe(true);
    expect(isOutcomeUnknown(new HttpError({ status: 500 }))).toBe(true);
    expect(isOutcomeUnknown(new HttpError({ status: 422 }))).toBe(false);
    expect(isOutcomeUnknown(new NetworkError({ ...where, attempts: 1, cause: null }))).toBe(false);
    expect(isOutcomeUnknown(new Error('x'))).toBe(false);
  });
});

describe('waitForEkoTransaction', () => {
  it('inquires until tx_status is final, through pending states, 5xx and network failures', async () => {
    const { client, calls } = ekoWith([tx('2'), status(500), networkError(), tx('5'), tx('6'), tx('0')]);
    const time = fakeTime();
    const outcome = await waitForEkoTransaction(
      client,
      { tid: '2882709962', initiatorId: '9962981729' },
      { deadlineMs: 60_000, intervalMs: 1_000, ...time },
    );
    expect(outcome).toMatchObject({
      state: 'success',
      txStatus: '0',
      tid: '2882709962',
      amountPaise: 135000n,
      checks: 6,
    });
    expect(calls.map((call) => call.request.url)).toEqual(
      Array(6).fill(`${BASE}/tools/reference/transaction/2882709962?initiator_id=9962981729`),
    );
    expect(time.sleeps).toEqual([1_000, 1_000, 1_000, 1_000, 1_000]);
  });

  it('by client_ref_id, stops at refund pending (final) and reports it as such', async () => {
    const { client, calls } = ekoWith([tx(undefined, { status: 1, message: 'No such transaction' }), tx('3')]);
    const outcome = await waitForEkoTransaction(
      client,
      { clientRefId: 'REQ-20260101-002', initiatorId: '9962981729' },
      { deadlineMs: 10_000, intervalMs: 500, ...fakeTime() },
    );
    expect(outcome.state).toBe('refund-pending');
    expect(new URL(calls[0]?.request.url ?? '').pathname).toBe(
      '/tools/reference/transaction/client_ref_id:REQ-20260101-002',
    );
  });

  it('throws PendingTimeoutError at the deadline with the last answer', async () => {
    const { client } = ekoWith([tx('2'), tx('2'), tx('5'), tx('2')]);
    const error = await waitForEkoTransaction(
      client,
      { tid: '1', initiatorId: '9' },
      { deadlineMs: 3_000, intervalMs: 1_000, ...fakeTime() },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PendingTimeoutError);
    const timeout = error as PendingTimeoutError;
    expect(timeout.checks).toBe(4);
    expect(timeout.lastValue).toMatchObject({ tx_status: '2' });
  });

  it('keeps the last answer when the final checks failed with a 5xx', async () => {
    const { client } = ekoWith([tx('6'), status(503), status(503)]);
    const error = (await waitForEkoTransaction(
      client,
      { tid: '1', initiatorId: '9' },
      { deadlineMs: 2_000, intervalMs: 1_000, ...fakeTime() },
    ).catch((e: unknown) => e)) as PendingTimeoutError;
    expect(error.lastValue).toMatchObject({ tx_status: '6' });
  });

  it('ends at once on a refusal of the inquiry itself (403 stale signature)', async () => {
    const { client, calls } = ekoWith([json({ status: 403, message: 'Forbidden' }, 403)]);
    const error = await waitForEkoTransaction(
      client,
      { tid: '1', initiatorId: '9' },
      { deadlineMs: 60_000, intervalMs: 1_000, ...fakeTime() },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(403);
    expect(calls).toHaveLength(1);
  });
});

describe('waitForDigiledgePayment', () => {
  const record = (status: string | null, txnAmount: number | null = 5600) =>
    json({ txnId: 't-1', status, txnAmount, genericResponse: { statusCode: '200', status: 'success', message: 'ok' } });

  it('by txnId: polls INITIATED and PENDING until SUCCESS, amount in paise', async () => {
    const { client, calls } = digiledgeWith([
      record('BILL_PAYMENT_INITIATED'),
      record('BILL_PAYMENT_PENDING'),
      record('BILL_PAYMENT_SUCCESS'),
    ]);
    const outcome = await waitForDigiledgePayment(
      client,
      { txnId: 't-1' },
      { deadlineMs: 30_000, intervalMs: 1_000, ...fakeTime() },
    );
    expect(outcome).toMatchObject({ state: 'success', amountPaise: 5600n, checks: 3 });
    expect(calls[0]?.request.url).toBe(`${BASE}/couapp/transactions/payment/byTxnId?txnId=t-1`);
  });

  it('by clientReqId: a 404 (not recorded yet) is pending, FAILED is final', async () => {
    const notFound = json(
      { genericResponse: { statusCode: '404', status: 'failure', message: 'Payment not found' } },
      404,
    );
    const { client, calls } = digiledgeWith([notFound, record('BILL_PAYMENT_FAILED', null)]);
    const outcome = await waitForDigiledgePayment(
      client,
      { clientReqId: 'vkL5Q79lukhzL4dSHatditBwzin20751743' },
      { deadlineMs: 30_000, intervalMs: 1_000, ...fakeTime() },
    );
    expect(outcome).toMatchObject({ state: 'failed', amountPaise: undefined });
    expect(calls[0]?.request.url).toBe(
      `${BASE}/couapp/transactions/payment/byClientId?clientReqId=vkL5Q79lukhzL4dSHatditBwzin20751743`,
    );
  });

  it('a payment never found by the deadline ends in PendingTimeoutError carrying the 404', async () => {
    const notFound = () => json({ genericResponse: { statusCode: '404', status: 'failure', message: 'no' } }, 404);
    const { client } = digiledgeWith([notFound(), notFound(), notFound()]);
    const error = (await waitForDigiledgePayment(
      client,
      { clientReqId: 'x' },
      { deadlineMs: 2_000, intervalMs: 1_000, ...fakeTime() },
    ).catch((e: unknown) => e)) as PendingTimeoutError;
    expect(error).toBeInstanceOf(PendingTimeoutError);
    expect(error.lastValue).toBeInstanceOf(HttpError);
  });
});

describe('waitForDigiledgeBill', () => {
  const fetched = (status: string | null, billerResponse: unknown = null) =>
    json({
      billId: 'b-1',
      status,
      billerResponse,
      genericResponse: { statusCode: '200', status: 'success', message: 'ok' },
    });

  it('polls REQUESTED and INITIATED until SUCCESS; the bill amount string becomes paise', async () => {
    const bill = { customerName: 'Ramesh Kumar', billAmount: '560000', dueDate: '2025-03-10' };
    const { client, calls } = digiledgeWith([
      fetched(null),
      fetched('BILL_FETCH_REQUESTED'),
      fetched('BILL_FETCH_INITIATED'),
      fetched('BILL_FETCH_SUCCESS', bill),
    ]);
    const outcome = await waitForDigiledgeBill(client, 'b-1', { deadlineMs: 30_000, intervalMs: 500, ...fakeTime() });
    expect(outcome).toMatchObject({ state: 'success', billAmountPaise: 560000n, checks: 4 });
    expect(calls[0]?.request.url).toBe(`${BASE}/couapp/bills/fetch/byId?billId=b-1`);
  });

  it('an unknown billId (404) ends the wait with HttpError', async () => {
    const { client } = digiledgeWith([
      json({ genericResponse: { statusCode: '404', status: 'failure', message: 'no' } }, 404),
    ]);
    await expect(
      waitForDigiledgeBill(client, 'b-404', { deadlineMs: 30_000, intervalMs: 500, ...fakeTime() }),
    ).rejects.toBeInstanceOf(HttpError);
  });

  it('stops polling when aborted', async () => {
    const { client } = digiledgeWith([fetched('BILL_FETCH_REQUESTED'), fetched('BILL_FETCH_REQUESTED')]);
    const controller = new AbortController();
    const time = fakeTime();
    const waiting = waitForDigiledgeBill(client, 'b-1', {
      deadlineMs: 30_000,
      intervalMs: 500,
      now: time.now,
      sleep: async (ms, signal) => {
        controller.abort(new Error('shutting down'));
        await time.sleep(ms);
        signal?.throwIfAborted();
      },
      signal: controller.signal,
    });
    await expect(waiting).rejects.toThrow('shutting down');
  });
});
