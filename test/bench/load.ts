// "Run autocannon in a child and return {rps, p50, p99}": the parent side of load-child.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logDir, run } from './processes.ts';

export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** Each request carries one of these, picked at random; `{{id}}` becomes a number unique in the run. */
  bodies?: string[];
  firstId?: number;
  connections: number;
  warmupSec: number;
  rounds: number;
  roundSec: number;
}

export interface Figures {
  /** Completed 2xx requests per second. */
  rps: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
}

export interface Round extends Figures {
  ok: number;
  /** Non-2xx answers: a round with any is not a valid measurement. */
  failed: number;
  /** Connection errors and timeouts. */
  errors: number;
  statuses: Record<string, number>;
  bytesPerResponse: number;
}

export interface ChildOutput {
  rounds: Round[];
  /** Every answer, warm-up included: what the CPU figures are divided by. */
  answers: number;
  /** CPU the load generator used, warm-up included. */
  cpuMs: number;
}

export interface LoadResult {
  rounds: Round[];
  answers: number;
  loadCpuMs: number;
  /** Median of each figure over the rounds. */
  median: Figures;
  failed: number;
  bytesPerResponse: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function medianOf(rounds: Figures[]): Figures {
  return {
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
  };
}

let specs = 0;

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  mkdirSync(logDir, { recursive: true });
  const file = join(logDir, `load-spec-${process.pid}-${specs++}.json`);
  writeFileSync(file, JSON.stringify(spec));
  const { stdout } = await run(process.execPath, [new URL('./load-child.ts', import.meta.url).pathname, file]);
  const { rounds, answers, cpuMs } = JSON.parse(stdout.trim().split('\n').at(-1) as string) as ChildOutput;
  return loadResult(rounds, answers, cpuMs);
}

/** The figures of a set of rounds (one load's, or rounds gathered from several). */
export function loadResult(rounds: Round[], answers: number, loadCpuMs: number): LoadResult {
  return {
    rounds,
    answers,
    loadCpuMs,
    median: medianOf(rounds),
    failed: rounds.reduce((sum, r) => sum + r.failed + r.errors, 0),
    bytesPerResponse: median(rounds.map((r) => r.bytesPerResponse)),
  };
}
