// The outage test of outage.ts, run by CI. It stops and starts a PostgreSQL server of its own (never the machine's
// shared one), and always stops it and deletes it at the end, whatever happened.
import { afterAll, expect, it } from 'vitest';
import { stopAllBillers } from './biller-process.ts';
import { runOutage } from './outage.ts';
import { privatePostgresUnavailable } from './private-postgres.ts';

const title =
  'PostgreSQL outages (stops and starts its own private PostgreSQL server twice, terminates the biller backends 12 times): ' +
  'the biller answers 503, never dies, serves again within 5 s, and applies every acknowledged posting once';
const unavailable = privatePostgresUnavailable();
if (unavailable) console.warn(`[fault tests] skipped (${unavailable}): ${title}`);

afterAll(() => stopAllBillers());

it.skipIf(unavailable !== undefined)(
  title,
  async () => {
    const result = await runOutage({ terminations: 12, outages: 2, log: (line) => console.log(line) });
    console.log(result.summary);
    expect(result.problems).toEqual([]);
    expect(result.terminationBursts).toBeGreaterThanOrEqual(10);
    expect(result.outages).toBe(2);
    expect(result.unavailableAnswers).toBeGreaterThan(0);
    expect(result.healthUnavailable).toBeGreaterThan(0);
    expect(result.acknowledged).toBe(result.postings);
    expect(result.statuses['500']).toBeUndefined();
  },
  300_000,
);
