// The client's overhead, in a process of its own: Eko's fetch-bill through createEkoClient (openapi-fetch,
// signing middleware, retry transport) against a raw `fetch` sending the same signed request, both against
// the bare server, at a fixed concurrency, in alternating short slices so drift hits both alike. Prints one
// JSON line: per mode, the rounds' calls per second, latency percentiles and client CPU time per call.
import { createEkoClient, type EkoFetchBillQuery, ekoSecretKey, ekoTimestamp, fetchEkoBill } from '@bbps-kit/client';
import { Contract } from '@bbps-kit/contracts/validator';

const [baseUrl, warmupSec, rounds, roundSec, concurrency] = [
  process.argv[2] as string,
  ...process.argv.slice(3, 7).map(Number),
] as [string, number, number, number, number];

const developerKey = 'bench-developer-key';
const accessKey = 'bench-access-key';
// The seed's fetch-bill query: every required query parameter of fetchBill at its example in the contract.
const customer = Object.fromEntries(
  (await Contract.load('eko-bbps'))
    .parameters('fetchBill')
    .filter((p) => p.in === 'query' && p.required)
    .map((p) => [p.name, String(p.example)]),
) as EkoFetchBillQuery & Record<string, string>;

const eko = createEkoClient({ baseUrl, developerKey, accessKey });
const viaClient = async () => {
  const bill = await fetchEkoBill(eko, customer);
  if (!bill.fetched) throw new Error('client: no bill');
};

const rawUrl = `${baseUrl}/customer/payment/bbps/bill?${new URLSearchParams(customer)}`;
const viaFetch = async () => {
  const timestamp = ekoTimestamp();
  const response = await fetch(rawUrl, {
    headers: {
      developer_key: developerKey,
      'content-type': 'application/json',
      'secret-key-timestamp': timestamp,
      'secret-key': ekoSecretKey(accessKey, timestamp),
    },
  });
  if (!response.ok) throw new Error(`fetch: HTTP ${response.status}`);
  const body = (await response.json()) as { status?: number };
  if (body.status !== 0) throw new Error('fetch: no bill');
};

interface ModeRound {
  rps: number;
  p50: number;
  p99: number;
  cpuUsPerCall: number;
}

type Mode = 'fetch' | 'client';
const calls: Record<Mode, () => Promise<void>> = { fetch: viaFetch, client: viaClient };

/**
 * Runs both modes for `seconds` each, in alternating slices of `sliceMs`, so that load from anything else on
 * the machine falls on both alike.
 */
async function measure(seconds: number, sliceMs = 250): Promise<Record<Mode, ModeRound>> {
  const totals = {
    fetch: { latencies: [] as number[], ms: 0, cpuUs: 0 },
    client: { latencies: [] as number[], ms: 0, cpuUs: 0 },
  };
  for (let slice = 0; slice < (seconds * 1000) / sliceMs; slice++) {
    for (const mode of (slice % 2 === 0 ? ['fetch', 'client'] : ['client', 'fetch']) as Mode[]) {
      const total = totals[mode];
      const cpu = process.cpuUsage();
      const started = performance.now();
      const end = started + sliceMs;
      const loop = async () => {
        while (performance.now() < end) {
          const t = performance.now();
          await calls[mode]();
          total.latencies.push(performance.now() - t);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, loop));
      total.ms += performance.now() - started;
      const used = process.cpuUsage(cpu);
      total.cpuUs += used.user + used.system;
    }
  }
  const figures = (mode: Mode): ModeRound => {
    const { latencies, ms, cpuUs } = totals[mode];
    const sorted = Float64Array.from(latencies).sort();
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
    return { rps: latencies.length / (ms / 1000), p50: at(50), p99: at(99), cpuUsPerCall: cpuUs / latencies.length };
  };
  return { fetch: figures('fetch'), client: figures('client') };
}

await measure(warmupSec);
const result: Record<Mode, ModeRound[]> = { fetch: [], client: [] };
for (let i = 0; i < rounds; i++) {
  const round = await measure(roundSec);
  result.fetch.push(round.fetch);
  result.client.push(round.client);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
