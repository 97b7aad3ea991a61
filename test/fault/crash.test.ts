// The crash test of crash.ts, run by CI: 50 SIGKILLs of the biller process on each engine while EBPP postings
// stream in, with every unacknowledged posting re-sent after the restart. The two engines run side by side
// (each has its own processes and database) to keep the suite within a few minutes.
import { afterAll, describe, it } from 'vitest';
import { stopAllBillers } from './biller-process.ts';
import { type CrashResult, type Engine, runCrash } from './crash.ts';
import { postgresUnavailable } from './postgres.ts';

const kills = 50;
// Bounded: the kills stop after this long (and the test then fails), well inside the test's own timeout. Each
// PGlite restart opens its database anew (about 1.2 s alone, several seconds while the rest of the suite runs on
// the same two cores), so 50 of them need minutes when the machine is busy.
const budgetMs = 480_000;
const timeoutMs = 600_000;

const unavailable = await postgresUnavailable();
const pgTitle = `crash test on PostgreSQL: ${kills} SIGKILLs while EBPP postings stream in`;
if (unavailable) console.warn(`[fault tests] skipped (no PostgreSQL: ${unavailable}): ${pgTitle}`);

afterAll(() => stopAllBillers());

function verdictOf(engine: Engine) {
  return async ({ expect }: { expect: typeof import('vitest').expect }) => {
    const result: CrashResult = await runCrash({ engine, kills, budgetMs, log: (line) => console.log(line) });
    console.log(result.summary);
    expect(result.problems).toEqual([]);
    expect(result.verdict).toBe('PASS');
    expect(result.kills).toBe(kills);
    // The kills did cut requests off, and every posting ended up acknowledged.
    expect(result.lostInFlight).toBeGreaterThan(0);
    expect(result.resent).toBeGreaterThan(0);
    expect(result.postings).toBeGreaterThan(kills);
    expect(result.acknowledged).toBe(result.postings);
    expect(result.serverErrors).toBe(0);
  };
}

describe.concurrent('crash test', () => {
  it.skipIf(unavailable !== undefined)(pgTitle, verdictOf('postgres'), timeoutMs);
  it(
    `crash test on PGlite: ${kills} SIGKILLs while EBPP postings stream in, recovering the same DATA_DIR`,
    verdictOf('pglite'),
    timeoutMs,
  );
});
