// The `…0004` magic value of every simulator: the payment is recorded, but its answer never arrives. The connection
// is held past a client's timeout, then closed without a byte (earlier if the client gives up first).
import type { IncomingMessage } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';

/** Past the 35 s a client (and BBPS's ~30 s repost) waits. */
export const DEFAULT_LOST_ANSWER_HOLD_MS = 36_000;

/**
 * Holds the request's connection for `holdMs`, then destroys it, and answers true; false when the request did not
 * come over a socket (app.request in a test), so the caller answers as usual.
 */
export async function loseAnswer(c: Context, holdMs: number): Promise<boolean> {
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
  if (!incoming) return false;
  await hold(incoming, holdMs);
  return true;
}

function hold(incoming: IncomingMessage, holdMs: number): Promise<void> {
  const socket = incoming.socket;
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, holdMs);
    socket.once('close', done);
  });
}
