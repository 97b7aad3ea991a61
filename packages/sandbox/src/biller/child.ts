// The biller child of `pnpm sandbox`: the demo biller (demo.ts) in a process of its own, so that its database work
// never slows the simulators. Its port comes in BILLER_PORT; it reports `{ listening: port }` (or `{ failed }`)
// over the IPC channel, and stops on SIGTERM, SIGINT, or when the sandbox goes away (the channel closes), so it
// never outlives the sandbox. Its database starts from a snapshot under DATA_DIR (default .data, as the biller's).
import { enableCompileCache } from 'node:module';
import { join } from 'node:path';

// Node's on-disk cache of compiled modules (in the OS's temp folder) takes about a third off loading the biller.
enableCompileCache();
const { startDemoBiller } = await import('./demo.ts');

const report = (message: unknown) => process.send?.(message);
try {
  const snapshots = join(process.env.DATA_DIR || '.data', 'sandbox');
  const biller = await startDemoBiller(Number(process.env.BILLER_PORT ?? '8080'), undefined, snapshots);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await biller.close();
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop());
  process.on('disconnect', () => void stop());
  report({ listening: biller.server.port });
} catch (error) {
  report({ failed: (error as Error).message });
  process.exit(1);
}
