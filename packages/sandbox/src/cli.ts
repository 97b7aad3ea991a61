// `pnpm sandbox`: the stateful simulators on their fixed ports, in memory (a restart forgets), and the biller in
// demo mode as the Kaleidofin partner that collect calls (a child process, stopped with the sandbox).
//   pnpm sandbox                           kaleidofin-collect 4021, digiledge-agent 4022, eko-bbps 4023, biller 8080
//   pnpm sandbox eko-bbps=5023 biller=0    override a port (0: any free one)
//   pnpm sandbox --partner http://host:port   collect calls that partner biller; no biller is started
// Credentials: EKO_DEVELOPER_KEY, EKO_ACCESS_KEY, DIGILEDGE_API_KEY, KALEIDOFIN_API_KEY override the demo ones;
// PARTNER_API_KEY is the key collect sends to a --partner biller (default: the demo biller's).
// Only node's own modules are imported before the biller child is forked: it is the slowest to start (its
// database), so it starts first and the simulators' modules load meanwhile (see "ready" in the README).
import { type ChildProcess, fork } from 'node:child_process';
import { enableCompileCache } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { RunningServer } from './server.ts';

// Node's on-disk cache of compiled modules (in the OS's temp folder) takes about a third off loading them.
enableCompileCache();

const services = ['kaleidofin-collect', 'digiledge-agent', 'eko-bbps', 'biller'] as const;
type Service = (typeof services)[number];
const defaultPorts: Record<Service, number> = {
  'kaleidofin-collect': 4021,
  'digiledge-agent': 4022,
  'eko-bbps': 4023,
  biller: 8080,
};

function parseArgs(argv: string[]): { ports: Record<Service, number>; partner: string | undefined } {
  const ports = { ...defaultPorts };
  let partner: string | undefined;
  const isService = (name: string): name is Service => (services as readonly string[]).includes(name);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') continue;
    if (arg === '--partner' || arg.startsWith('--partner=')) {
      partner = arg === '--partner' ? argv[++i] : arg.slice('--partner='.length);
      if (!partner || !URL.canParse(partner) || !/^https?:$/.test(new URL(partner).protocol)) {
        throw new Error(`cannot read --partner "${partner ?? ''}": give the partner biller's http(s) URL`);
      }
      partner = partner.replace(/\/+$/, '');
      continue;
    }
    const [name, port] = arg.split('=');
    if (!name || !isService(name) || !port || !/^\d+$/.test(port) || Number(port) > 65_535) {
      throw new Error(`cannot read "${arg}": use <name>=<port> or --partner URL; names: ${services.join(', ')}`);
    }
    ports[name] = Number(port);
  }
  return { ports, partner };
}

let args: ReturnType<typeof parseArgs>;
try {
  args = parseArgs(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

const running: RunningServer[] = [];
let biller: ChildProcess | undefined;
let stopping = false;
async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  const child = biller;
  const childExited =
    child && child.exitCode === null && child.signalCode === null
      ? new Promise<void>((resolve) => child.once('exit', () => resolve()))
      : Promise.resolve();
  if (child?.pid !== undefined && child.exitCode === null) child.kill('SIGTERM');
  await Promise.all([...running.map((server) => server.close()), childExited]);
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

/** The demo biller in a child process; its URL once it listens. */
function startBiller(port: number): Promise<string> {
  const child = fork(fileURLToPath(new URL('./biller/child.ts', import.meta.url)), [], {
    env: { ...process.env, BILLER_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  biller = child;
  return new Promise((resolve, reject) => {
    child.on('message', (message: { listening?: number; failed?: string }) => {
      if (message.listening !== undefined) resolve(`http://127.0.0.1:${message.listening}`);
      else reject(new Error(message.failed ?? 'the biller did not start'));
    });
    child.once('exit', (code) => {
      reject(new Error(`the biller exited (${code})`));
      // A biller that dies while the sandbox runs takes collect's partner with it: say so, and stop.
      if (!stopping) {
        console.error(`biller: exited (${code}); stopping the sandbox`);
        void stopAll(1);
      }
    });
  });
}

async function start(name: Service, run: () => Promise<RunningServer>): Promise<RunningServer> {
  try {
    const server = await run();
    running.push(server);
    return server;
  } catch (error) {
    console.error(`${name}: ${(error as Error).message}`);
    await stopAll(1);
    throw error;
  }
}

// The biller is the slowest to start (its database): it goes first, the simulators load and start meanwhile.
const partnerUrl = args.partner ? Promise.resolve(args.partner) : startBiller(args.ports.biller);
partnerUrl.catch(() => {}); // awaited below; a biller that fails meanwhile is reported there, not as unhandled
const [
  { billerDemoKeys },
  { createCollectSandbox, defaultCollectApiKey, defaultCollectBillerId },
  { collectScripts },
  { createDigiledgeSandbox, defaultDigiledgeCredentials },
  { digiledgeScripts },
  { createEkoSandbox, defaultEkoCredentials },
  { scripts: ekoScripts },
  { listen },
  { credentialHeaders: h },
] = await Promise.all([
  import('./biller/demo.ts'),
  import('./collect/app.ts'),
  import('./collect/scripts.ts'),
  import('./digiledge/app.ts'),
  import('./digiledge/scripts.ts'),
  import('./eko/app.ts'),
  import('./eko/scripts.ts'),
  import('./server.ts'),
  import('./headers.ts'),
]);

const env = (name: string) => process.env[name] || undefined;
const eko = {
  developerKey: env('EKO_DEVELOPER_KEY') ?? defaultEkoCredentials.developerKey,
  accessKey: env('EKO_ACCESS_KEY') ?? defaultEkoCredentials.accessKey,
};
const digiledge = {
  ...defaultDigiledgeCredentials,
  apiKey: env('DIGILEDGE_API_KEY') ?? defaultDigiledgeCredentials.apiKey,
};
const collectKey = env('KALEIDOFIN_API_KEY') ?? defaultCollectApiKey;
// A key of one's own is a secret: name where it came from, never print it.
const shown = (variable: string, demo: string) => (env(variable) ? `(from ${variable})` : demo);

const [ekoServer, digiledgeServer] = await Promise.all([
  start('eko-bbps', async () => listen((await createEkoSandbox({ credentials: eko })).app, args.ports['eko-bbps'])),
  start('digiledge-agent', async () =>
    listen((await createDigiledgeSandbox({ credentials: digiledge })).app, args.ports['digiledge-agent']),
  ),
]);
let partner: string;
try {
  partner = await partnerUrl;
} catch (error) {
  console.error(`biller: ${(error as Error).message}`);
  await stopAll(1);
  throw error;
}
const partnerKey = args.partner
  ? (env('PARTNER_API_KEY') ?? billerDemoKeys.kaleidofinApiKey)
  : billerDemoKeys.kaleidofinApiKey;
const collectServer = await start('kaleidofin-collect', async () =>
  listen(
    (await createCollectSandbox({ apiKey: collectKey, partner: { baseUrl: partner, apiKey: partnerKey } })).app,
    args.ports['kaleidofin-collect'],
  ),
);

const rows: [string, string, string][] = [
  [
    'kaleidofin-collect',
    collectServer.url,
    `${h.collect} ${shown('KALEIDOFIN_API_KEY', collectKey)}; billerId ${defaultCollectBillerId}`,
  ],
  [
    'digiledge-agent',
    digiledgeServer.url,
    `${h.digiledge} ${shown('DIGILEDGE_API_KEY', digiledge.apiKey)}; tenantId ${digiledge.tenantId}`,
  ],
  [
    'eko-bbps',
    ekoServer.url,
    `${h.ekoDeveloperKey} ${eko.developerKey}, access key ${shown('EKO_ACCESS_KEY', eko.accessKey)}`,
  ],
  args.partner
    ? [
        'partner',
        partner,
        `collect's partner biller (${h.partner} ${shown('PARTNER_API_KEY', partnerKey)}); not started here`,
      ]
    : [
        'biller',
        partner,
        `demo mode: Kaleidofin ${h.partner} ${billerDemoKeys.kaleidofinApiKey}; EBPP ${h.ebppClientKey} ${billerDemoKeys.ebppClientKey}, ${h.ebppApiKey} ${billerDemoKeys.ebppApiKey}`,
      ],
];
const lines = [
  '',
  'bbps-kit sandbox: stateful simulators, in memory (Ctrl-C stops them all)',
  '',
  `${'service'.padEnd(19)} ${'url'.padEnd(26)} credentials`,
  ...rows.map(([name, url, credentials]) => `${name.padEnd(19)} ${url.padEnd(26)} ${credentials}`),
  '',
  'Scripted outcomes (magic values): the last four characters of Eko utility_acc_no, Digiledge',
  "customerParams[0].value, Kaleidofin collect's transactionId (0009: an identifierValue):",
  ...['0001', '0002', '0003', '0004', '0005', '0009'].flatMap((suffix) => [
    `  …${suffix}  eko: ${ekoScripts[suffix]?.summary}`,
    `         digiledge: ${digiledgeScripts[suffix]?.summary}`,
    `         collect: ${collectScripts[suffix]?.summary}`,
  ]),
  '  other   the payment succeeds',
  'Header x-sandbox-delay-ms: N (at most 60000) delays any answer.',
];
console.log(lines.join('\n'));
