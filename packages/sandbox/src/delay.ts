// `x-sandbox-delay-ms: N` delays any answer of a simulator by N milliseconds (0 to 60 000), so that integrators can
// rehearse their timeouts. A value that is not such a number is refused, naming the header, in the contract's
// envelope (the simulator passes its envelope).
import type { Envelope } from '@bbps-kit/contract-app';
import type { MiddlewareHandler } from 'hono';

export const DELAY_HEADER = 'x-sandbox-delay-ms';
export const MAX_DELAY_MS = 60_000;

/** The delay middleware of one simulator: a bad header value is refused as `invalid` in the contract's envelope. */
export function delayMiddleware<X>(envelope: Envelope<X>): MiddlewareHandler {
  return async (c, next) => {
    const value = c.req.header(DELAY_HEADER);
    if (value === undefined) return next();
    const ms = /^[0-9]{1,5}$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
    if (!(ms >= 0 && ms <= MAX_DELAY_MS)) {
      const message = `${DELAY_HEADER} must be a whole number of milliseconds from 0 to ${MAX_DELAY_MS}`;
      return envelope.problem(c, { kind: 'invalid', fields: [{ field: DELAY_HEADER, message }] });
    }
    await new Promise((resolve) => setTimeout(resolve, ms));
    return next();
  };
}
