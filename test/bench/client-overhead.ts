// The client's overhead, in a process of its own: Eko's fetch-bill through createEkoClient (openapi-fetch,
// signing middleware, retry transport) against a raw `fetch` sending the same signed request, both against
// the bare server, at a fixed concurrency, in alternating short slices so drift hits all modes alike. Two more
// modes split the difference: openapi-fetch with only the signing middleware (what the library itself costs),
// and createEkoClient without its per-attempt timeout (what the timeout signal costs). Prints one JSON line:
// per mode, the rounds' calls per second, latency percentiles and client CPU time per call.
import {
  createEkoClient,
  type EkoFetchBillQuery,
  ekoSecretKey,
  ekoSigningMiddleware,
  ekoTimestamp,
  fetchEkoBill,
} from '@bbps-kit/client';
import type { EkoBbps } from '@bbps-kit/contracts';
import { Contract } from '@bbps-kit/contracts/validator';
import createClient from 'openapi-fetch';

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

const viaClient = (client: ReturnType<typeof createEkoClient>) => async () => {
  const bill = await fetchEkoBill(client, customer);
  if (!bill.fetched) throw new Error('client: no bill');
};

const signedOnly = createClient<EkoBbps.paths>({ baseUrl });
signedOnly.use(ekoSigningMiddleware({ developerKey, accessKey }));
const viaOpenapiFetch = async () => {
  const { data } = await signedOnly.GET('/customer/payment/bbps/bill', { params: { query: customer } });
  if (data?.status !== 0) throw new Error('openapi-fetch: no bill');
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

const calls = {
  fetch: viaFetch,
  'openapi-fetch': viaOpenapiFetch,
  'client-no-timeout': viaClient(createEkoClient({ baseUrl, developerKey, accessKey, timeoutMs: Infinity })),
  client: viaClient(createEkoClient({ baseUrl, developerKey, accessKey })),
};
type Mode = keyof typeof calls;
const modes = Object.keys(calls) as Mode[];

/**
 * Runs every mode for `seconds`, in slices of `sliceMs` taken in turn (the order reversed every other time), so
 * that load from anything else on the machine falls on all of them alike.
 */
async function measure(seconds: number, sliceMs = 250): Promise<Record<Mode, ModeRound>> {
  type Total = { latencies: number[]; ms: number; cpuUs: number };
  const totals = Object.fromEntries(
    modes.map((mode): [Mode, Total] => [mode, { latencies: [], ms: 0, cpuUs: 0 }]),
  ) as Record<Mode, Total>;
  for (let slice = 0; slice < (seconds * 1000) / sliceMs; slice++) {
    for (const mode of slice % 2 === 0 ? modes : modes.toReversed()) {
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
  return Object.fromEntries(modes.map((mode) => [mode, figures(mode)])) as Record<Mode, ModeRound>;
}

await measure(warmupSec);
const result = Object.fromEntries(modes.map((mode) => [mode, [] as ModeRound[]])) as Record<Mode, ModeRound[]>;
for (let i = 0; i < rounds; i++) {
  const round = await measure(roundSec);
  for (const mode of modes) result[mode].push(round[mode]);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
