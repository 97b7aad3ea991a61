// What integrators run today: the Prism mock of one contract (with the front @bbps-kit/mocks puts before it),
// in a process of its own. Prints "listening on <url>" when ready; stops Prism on SIGTERM.
import { type ApiName, startMock } from '@bbps-kit/mocks';

const mock = await startMock((process.argv[2] ?? 'kaleidofin-partner') as ApiName);
console.log(`listening on ${mock.url}`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void mock.stop().finally(() => process.exit(0)));
}
