import type { FetchLike } from '../src/transport.ts';

/** One scripted answer: a response, a thrown error, a hang until the request is aborted, or a function. */
export type Step = Response | Error | 'hang' | ((request: Request) => Response | Promise<Response>);

export interface RecordedCall {
  /** The call's (input, init) as one Request, for reading its url, method and headers. */
  request: Request;
  init: RequestInit | undefined;
  /** The body text as it arrived on this attempt. */
  body: string;
  headers: Record<string, string>;
}

const hanging = new Set<Promise<Response>>();

/** A fetch that records every call it gets and answers from a script, in order. */
export function recordingFetch(script: Step[]): { fetch: FetchLike; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    const body = await request.clone().text();
    calls.push({ request, init, body, headers: Object.fromEntries(request.headers) });
    const step = script.shift();
    if (step === undefined) throw new Error(`script exhausted at call ${calls.length}`);
    if (step === 'hang') {
      const signal = init?.signal ?? request.signal;
      const hang = new Promise<Response>((_resolve, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      // A real fetch is rooted by its socket. This one must be rooted by hand, or the hang (and the test
      // awaiting it) can be garbage-collected before the timeout reaches it.
      hanging.add(hang);
      return hang.finally(() => hanging.delete(hang));
    }
    if (step instanceof Error) throw step;
    if (typeof step === 'function') return step(request);
    return step;
  };
  return { fetch, calls };
}

export function status(code: number, headers: Record<string, string> = {}, body = ''): Response {
  return new Response(body === '' ? null : body, { status: code, headers });
}

export function json(value: unknown, code = 200): Response {
  return new Response(JSON.stringify(value), { status: code, headers: { 'content-type': 'application/json' } });
}

export function networkError(): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
}

/** A sleep that records each delay and returns at once, still honouring aborts. */
export function recordingSleep(): { sleep: (ms: number, signal?: AbortSignal) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  const sleep = async (ms: number, signal?: AbortSignal) => {
    delays.push(ms);
    signal?.throwIfAborted();
  };
  return { sleep, delays };
}
