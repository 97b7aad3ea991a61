// `pnpm mock`: one Prism mock per contract on the sandbox's fixed ports.
//   pnpm mock                         all five on 4010..4014
//   pnpm mock eko-bbps=5013           override a port
//   pnpm mock --only eko-bbps,ebpp-mpa
import { type ApiName, apiNames, defaultMockPorts, type RunningPrism, startMock } from './prism.ts';

function parseArgs(argv: string[]): { apis: ApiName[]; ports: Record<ApiName, number> } {
  const ports = { ...defaultMockPorts };
  let apis: ApiName[] = [...apiNames];
  const isApi = (name: string): name is ApiName => (apiNames as readonly string[]).includes(name);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') continue;
    if (arg === '--only') {
      const names = (argv[++i] ?? '').split(',');
      const unknown = names.filter((n) => !isApi(n));
      if (unknown.length) throw new Error(`unknown contract(s): ${unknown.join(', ')}; known: ${apiNames.join(', ')}`);
      apis = names as ApiName[];
      continue;
    }
    const [name, port] = arg.split('=');
    if (!name || !isApi(name) || !port || !/^\d+$/.test(port)) {
      throw new Error(`cannot read "${arg}": use <contract>=<port> or --only <contract,...>`);
    }
    ports[name] = Number(port);
  }
  return { apis, ports };
}

const { apis, ports } = parseArgs(process.argv.slice(2));
const running: RunningPrism[] = [];
let stopping = false;

async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  await Promise.all(running.map((mock) => mock.stop()));
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

const results = await Promise.allSettled(apis.map((api) => startMock(api, { port: ports[api] })));
for (const result of results) if (result.status === 'fulfilled') running.push(result.value);
const failures = results.filter((result) => result.status === 'rejected');
if (failures.length > 0) {
  for (const failure of failures)
    console.error(String(failure.reason instanceof Error ? failure.reason.message : failure.reason));
  await stopAll(1);
}

console.log('\nbbps-kit sandbox: Prism mocks serving the contracts’ examples (Ctrl-C stops them all)\n');
console.log(`${'contract'.padEnd(20)} url`);
for (const mock of running) console.log(`${mock.api.padEnd(20)} ${mock.url}`);
console.log('\nChoose another example or status with a header, e.g. `Prefer: code=404` or `Prefer: example=<name>`.');
console.log(
  'A request that breaks the contract gets a 400 in its envelope naming the field; a Prism that dies is restarted.',
);
