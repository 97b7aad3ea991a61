import { describe, expect, it } from 'vitest';
import { PendingTimeoutError } from '../src/errors.ts';
import { pollUntilFinal } from '../src/poll.ts';

/** A fake clock that only moves when the poller sleeps. */
function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number, signal?: AbortSignal) => {
      signal?.throwIfAborted();
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

function answers<T>(...values: T[]) {
  const checked: number[] = [];
  const check = async (attempt: number) => {
    checked.push(attempt);
    const value = values[Math.min(attempt, values.length) - 1];
    if (value === undefined) throw new Error('no answer scripted');
    return value;
  };
  return { check, checked };
}

const isFinal = (status: string) => status !== 'PENDING';

describe('pollUntilFinal', () => {
  it('returns the first final value, waiting a fixed interval between checks', async () => {
    const time = fakeTime();
    const { check, checked } = answers('PENDING', 'PENDING', 'SUCCESS');
    const result = await pollUntilFinal({ check, isFinal, deadlineMs: 10_000, intervalMs: 500, ...time });
    expect(result).toBe('SUCCESS');
    expect(checked).toEqual([1, 2, 3]);
    expect(time.sleeps).toEqual([500, 500]);
  });

  it('returns at once when the first answer is final', async () => {
    const time = fakeTime();
    expect(await pollUntilFinal({ ...answers('FAILED'), isFinal, deadlineMs: 0, intervalMs: 500, ...time })).toBe(
      'FAILED',
    );
    expect(time.sleeps).toEqual([]);
  });

  it('backs off geometrically up to maxIntervalMs', async () => {
    const time = fakeTime();
    const { check } = answers('PENDING', 'PENDING', 'PENDING', 'PENDING', 'PENDING', 'SUCCESS');
    await pollUntilFinal({
      check,
      isFinal,
      deadlineMs: 60_000,
      intervalMs: 1_000,
      backoff: 2,
      maxIntervalMs: 5_000,
      ...time,
    });
    expect(time.sleeps).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it('makes a last check at the deadline, then throws PendingTimeoutError with the last value', async () => {
    const time = fakeTime();
    const values = [{ tx_status: '2' }, { tx_status: '2' }, { tx_status: '2' }, { tx_status: '6' }];
    const { check, checked } = answers(...values);
    const error = await pollUntilFinal({
      check,
      isFinal: (v) => v.tx_status === '0' || v.tx_status === '1',
      deadlineMs: 250,
      intervalMs: 100,
      ...time,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PendingTimeoutError);
    const pending = error as PendingTimeoutError<{ tx_status: string }>;
    expect(pending.kind).toBe('pending-timeout');
    expect(pending.lastValue).toEqual({ tx_status: '6' });
    expect(pending.checks).toBe(4);
    expect(pending.elapsedMs).toBe(250);
    expect(checked).toEqual([1, 2, 3, 4]);
    expect(time.sleeps).toEqual([100, 100, 50]);
  });

  it('counts the time a slow check takes against the deadline', async () => {
    const time = fakeTime();
    const check = async () => {
      time.advance(400);
      return 'PENDING';
    };
    const error = await pollUntilFinal({ check, isFinal, deadlineMs: 1_000, intervalMs: 100, ...time }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind: 'pending-timeout', checks: 3, elapsedMs: 1_400 });
    expect(time.sleeps).toEqual([100, 100]);
  });

  it('lets an error from check end the polling as is', async () => {
    const time = fakeTime();
    const boom = new Error('401 from the inquiry');
    let calls = 0;
    const check = async () => {
      calls++;
      if (calls === 2) throw boom;
      return 'PENDING';
    };
    await expect(pollUntilFinal({ check, isFinal, deadlineMs: 10_000, intervalMs: 10, ...time })).rejects.toBe(boom);
    expect(calls).toBe(2);
  });

  it('stops when the signal aborts', async () => {
    const time = fakeTime();
    const controller = new AbortController();
    let calls = 0;
    const check = async () => {
      calls++;
      if (calls === 2) controller.abort(new Error('shutdown'));
      return 'PENDING';
    };
    await expect(
      pollUntilFinal({ check, isFinal, deadlineMs: 10_000, intervalMs: 10, signal: controller.signal, ...time }),
    ).rejects.toThrow('shutdown');
    expect(calls).toBe(2);
  });

  it('really sleeps by default', async () => {
    const { check } = answers('PENDING', 'DONE');
    const started = performance.now();
    expect(await pollUntilFinal({ check, isFinal, deadlineMs: 1_000, intervalMs: 20 })).toBe('DONE');
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('rejects nonsense options', async () => {
    const { check } = answers('DONE');
    await expect(pollUntilFinal({ check, isFinal, deadlineMs: -1, intervalMs: 1 })).rejects.toThrow(RangeError);
    await expect(pollUntilFinal({ check, isFinal, deadlineMs: 1, intervalMs: Number.NaN })).rejects.toThrow(RangeError);
    await expect(pollUntilFinal({ check, isFinal, deadlineMs: 1, intervalMs: 1, backoff: 0.5 })).rejects.toThrow(
      RangeError,
    );
  });
});
