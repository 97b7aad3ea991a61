// How long `npx pnpm sandbox` takes a newcomer, from the command to the printed table (everything listening: the
// three simulators and the demo biller). Run as a newcomer's shell runs it: the PATH without node_modules/.bin,
// every port 0 so that a sandbox already running elsewhere is no obstacle. The first start may build the demo
// biller's snapshot (`$DATA_DIR/sandbox`); each start is printed, the median is the figure.
import { delimiter } from 'node:path';
import { startServer } from './processes.ts';

export async function sandboxReadySeconds(starts: number): Promise<number[]> {
  const path = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => !dir.includes('node_modules'))
    .join(delimiter);
  const ports = ['kaleidofin-collect', 'digiledge-agent', 'eko-bbps', 'biller'].map((name) => `${name}=0`);
  const seconds: number[] = [];
  for (let i = 0; i < starts; i++) {
    const started = performance.now();
    const sandbox = await startServer({
      name: 'sandbox-ready',
      command: 'npx',
      args: ['pnpm', 'sandbox', ...ports],
      env: { PATH: path },
      ready: /eko-bbps\s+(http\S+)[\s\S]*x-sandbox-delay-ms/,
      timeoutMs: 60_000,
    });
    seconds.push((performance.now() - started) / 1000);
    await sandbox.stop();
    await groupGone(sandbox.pid); // the biller child too, so the next start has the machine to itself
  }
  return seconds;
}

async function groupGone(group: number): Promise<void> {
  for (;;) {
    try {
      process.kill(-group, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
