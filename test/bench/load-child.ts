// The load generator, in a process of its own so it never shares an event loop with the orchestrator. It
// reads a LoadSpec (JSON file named on the command line), runs a warm-up and then the timed rounds with
// autocannon, and prints one JSON line: every round's completed 2xx requests per second and latency
// percentiles, and what the load itself cost (answers received, warm-up included, and this process's CPU). Latencies are kept exactly (autocannon's own histogram rounds them to whole milliseconds).
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { ChildOutput, LoadSpec, Round } from './load.ts';

const spec = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as LoadSpec;
let nextId = spec.firstId ?? 1;

function setupRequest(request: autocannon.Request): autocannon.Request {
  const bodies = spec.bodies ?? [];
  let body = bodies[Math.floor(Math.random() * bodies.length)];
  if (body?.includes('{{id}}')) body = body.replaceAll('{{id}}', String(nextId++));
  return body === undefined ? request : { ...request, body };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function round(seconds: number): Promise<Round> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let ok = 0;
  let bytes = 0;
  const started = performance.now();
  // Without a callback autocannon returns an event emitter that is also a promise of the result.
  const instance = autocannon({
    url: spec.url,
    method: spec.method,
    headers: spec.headers,
    connections: spec.connections,
    duration: seconds,
    requests: [{ setupRequest }],
  }) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
  instance.on('response', (_client, statusCode, resBytes, responseTime) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    if (statusCode >= 200 && statusCode < 300) {
      ok++;
      bytes += resBytes;
      latencies.push(responseTime);
    }
  });
  const result = await instance;
  const elapsed = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    rps: ok / elapsed,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    ok,
    failed: Object.entries(statuses).reduce((sum, [code, n]) => (code.startsWith('2') ? sum : sum + n), 0),
    errors: result.errors,
    statuses,
    bytesPerResponse: ok > 0 ? bytes / ok : 0,
  };
}

const cpu = process.cpuUsage();
const warmup = spec.warmupSec > 0 ? await round(spec.warmupSec) : undefined;
const rounds: Round[] = [];
for (let i = 0; i < spec.rounds; i++) rounds.push(await round(spec.roundSec));
const used = process.cpuUsage(cpu);
const answers = [warmup, ...rounds].reduce((sum, r) => sum + (r ? r.ok + r.failed : 0), 0);
const output: ChildOutput = { rounds, answers, cpuMs: (used.user + used.system) / 1000 };
process.stdout.write(`${JSON.stringify(output)}\n`);
