// Runs the checks of one contract in order against a biller and adds the `timing` check, which reads every exchange
// the others made: p50 and p99 of the answer times, and any answer slower than the timeout is a failure.
import { Contract } from '@bbps-kit/contracts/validator';
import { type Check, type CheckResult, type RunSettings, runCheck } from './check.ts';
import { commonChecks, type Profile } from './checks/common.ts';
import { ebppChecks, ebppProfile } from './checks/ebpp.ts';
import { kaleidofinChecks, kaleidofinProfile } from './checks/kaleidofin.ts';
import type { ContractName, Fixtures } from './fixtures.ts';

export interface RunOptions extends RunSettings {
  contract: ContractName;
  fixtures: Fixtures;
  /** Check names or name prefixes (`exactness` selects every `exactness.<bill>`); all when undefined. */
  only?: string[] | undefined;
  /** Called as each check ends (the CLI prints a line). */
  onResult?: (result: CheckResult) => void;
}

export interface Timing {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface RunReport {
  contract: ContractName;
  url: string;
  timeoutMs: number;
  results: CheckResult[];
  timing: Timing;
  startedAt: string;
  ms: number;
}

export class UsageError extends Error {}

/** A run-unique id source: digits only (EBPP ids are `[0-9]{1,20}`), prefixed where the contract allows letters. */
export function idSource(): () => string {
  let n = 0;
  const stamp = String(Date.now());
  return () => `${stamp}${String(++n).padStart(5, '0')}`;
}

export function checksFor(contract: Contract, name: ContractName, fixtures: Fixtures): Check[] {
  const newId = idSource();
  let profile: Profile;
  let own: Check[];
  if (name === 'kaleidofin-partner') {
    if (fixtures.contract !== 'kaleidofin-partner') throw new UsageError('the fixtures are not for kaleidofin-partner');
    profile = kaleidofinProfile(contract, fixtures, newId);
    own = kaleidofinChecks(fixtures, newId);
  } else {
    if (fixtures.contract !== 'ebpp-mpa') throw new UsageError('the fixtures are not for ebpp-mpa');
    profile = ebppProfile(contract, fixtures, newId);
    own = ebppChecks(fixtures, newId);
  }
  const missing = [...new Set(profile.operations.flatMap((op) => op.securityHeaders))].filter(
    (header) => !(header in fixtures.credentials),
  );
  if (missing.length) throw new UsageError(`the fixtures' credentials lack ${missing.join(', ')}`);
  return [...own, ...commonChecks(profile), timingCheckPlaceholder];
}

const timingCheckPlaceholder: Check = {
  name: 'timing',
  description: 'Answer times of every request the run made: p50 and p99; any answer slower than the timeout fails.',
  run: async () => undefined,
};

export function selectChecks(checks: Check[], only: string[] | undefined): Check[] {
  if (!only) return checks;
  const unknown = only.filter((name) => !checks.some((c) => c.name === name || c.name.startsWith(`${name}.`)));
  if (unknown.length)
    throw new UsageError(`unknown check(s): ${unknown.join(', ')}; known: ${checks.map((c) => c.name).join(', ')}`);
  return checks.filter((c) => only.some((name) => c.name === name || c.name.startsWith(`${name}.`)));
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export async function runConform(options: RunOptions): Promise<RunReport> {
  const contract = await Contract.load(options.contract);
  const checks = selectChecks(checksFor(contract, options.contract, options.fixtures), options.only);
  const settings: RunSettings = { url: options.url, extraHeaders: options.extraHeaders, timeoutMs: options.timeoutMs };
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const results: CheckResult[] = [];
  for (const check of checks) {
    if (check === timingCheckPlaceholder) continue;
    const result = await runCheck(check, contract, settings, options.fixtures.credentials);
    results.push(result);
    options.onResult?.(result);
  }
  const all = results.flatMap((r) => r.exchanges);
  // Percentiles over answers (and timeouts, at the time waited); a refused connection is no answer time.
  const timedOut = (e: (typeof all)[number]) => e.error?.startsWith('no answer within') ?? false;
  const times = all
    .filter((e) => e.status !== null || timedOut(e))
    .map((e) => e.ms)
    .sort((a, b) => a - b);
  const timing: Timing = {
    count: times.length,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    max: times[times.length - 1] ?? 0,
  };
  if (checks.includes(timingCheckPlaceholder)) {
    const slow = all.filter((e) => e.ms > options.timeoutMs || timedOut(e));
    const figures = `${timing.count} answers, p50 ${timing.p50.toFixed(1)} ms, p99 ${timing.p99.toFixed(1)} ms, max ${timing.max.toFixed(1)} ms`;
    const result: CheckResult = {
      name: 'timing',
      description: timingCheckPlaceholder.description,
      verdict: timing.count === 0 ? 'skip' : slow.length ? 'fail' : 'pass',
      reason:
        timing.count === 0
          ? 'no request was made'
          : slow.length
            ? `${slow.length} answers slower than ${options.timeoutMs} ms (${figures})`
            : figures,
      problems: slow.map((e) => `${e.operationId} took ${Math.round(e.ms)} ms (timeout ${options.timeoutMs} ms)`),
      exchanges: [],
      failedExchanges: slow.slice(0, 5),
      ms: 0,
    };
    results.push(result);
    options.onResult?.(result);
  }
  return {
    contract: options.contract,
    url: options.url,
    timeoutMs: options.timeoutMs,
    results,
    timing,
    startedAt,
    ms: performance.now() - started,
  };
}
