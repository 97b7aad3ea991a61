// The stateful Eko simulator of `pnpm sandbox` (@bbps-kit/sandbox), alone in a process of its own, with its demo
// credentials. Prints "listening on <url>" when ready.
import { createEkoSandbox, listen } from '@bbps-kit/sandbox';

const { app } = await createEkoSandbox();
const server = await listen(app, Number(process.env.PORT ?? 0));
console.log(`listening on ${server.url}`);
