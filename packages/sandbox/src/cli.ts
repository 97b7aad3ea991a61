// `pnpm sandbox`: the stateful simulators on their fixed ports, in memory (a restart forgets).
//   pnpm sandbox                 eko-bbps on 4023
//   pnpm sandbox eko-bbps=5023   override a port
// Credentials: EKO_DEVELOPER_KEY and EKO_ACCESS_KEY override the demo ones.
import { createEkoSandbox, defaultEkoCredentials } from './eko/app.ts';
import { scripts } from './eko/scripts.ts';
import { listen, type RunningServer } from './server.ts';

const simulators = ['eko-bbps'] as const;
type Simulator = (typeof simulators)[number];
const defaultPorts: Record<Simulator, number> = { 'eko-bbps': 4023 };

function parseArgs(argv: string[]): Record<Simulator, number> {
  const ports = { ...defaultPorts };
  const isSimulator = (name: string): name is Simulator => (simulators as readonly string[]).includes(name);
  for (const arg of argv) {
    if (arg === '--') continue;
    const [name, port] = arg.split('=');
    if (!name || !isSimulator(name) || !port || !/^\d+$/.test(port) || Number(port) > 65_535) {
      throw new Error(`cannot read "${arg}": use <simulator>=<port>; simulators: ${simulators.join(', ')}`);
    }
    ports[name] = Number(port);
  }
  return ports;
}

let ports: Record<Simulator, number>;
try {
  ports = parseArgs(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

const credentials = {
  developerKey: process.env.EKO_DEVELOPER_KEY || defaultEkoCredentials.developerKey,
  accessKey: process.env.EKO_ACCESS_KEY || defaultEkoCredentials.accessKey,
};
const running: RunningServer[] = [];
let stopping = false;
async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  await Promise.all(running.map((server) => server.close()));
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  const eko = await createEkoSandbox({ credentials });
  running.push(await listen(eko.app, ports['eko-bbps']));
} catch (error) {
  console.error(`eko-bbps: ${(error as Error).message}`);
  await stopAll(1);
}

const [eko] = running as [RunningServer];
console.log('\nbbps-kit sandbox: stateful simulators, in memory (Ctrl-C stops them)\n');
console.log(`${'simulator'.padEnd(12)} ${'url'.padEnd(26)} credentials`);
console.log(
  `${'eko-bbps'.padEnd(12)} ${eko.url.padEnd(26)} developer_key ${credentials.developerKey}, access key ${
    // An access key of one's own is a secret: name where it came from, never print it.
    process.env.EKO_ACCESS_KEY ? '(from EKO_ACCESS_KEY)' : credentials.accessKey
  }`,
);
console.log('\nScripted outcomes by the last four characters of utility_acc_no:');
for (const [suffix, script] of Object.entries(scripts)) console.log(`  …${suffix}  ${script.summary}`);
console.log('  other   the payment succeeds at once');
console.log('Header x-sandbox-delay-ms: N (at most 60000) delays any answer.');
