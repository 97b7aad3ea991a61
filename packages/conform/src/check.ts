// What a check is, and the context it runs in: `ctx.call` sends a request, validates the answer against the
// contract (status declared, JSON body valid for that status) and keeps the exchange; `expect` records a broken
// rule without stopping the check, `fail` stops it. A check passes when it ends with no problem recorded.
import type { Contract } from '@bbps-kit/contracts/validator';
import { type Exchange, send } from './http.ts';

export type Verdict = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  name: string;
  description: string;
  verdict: Verdict;
  /** Why it failed or was skipped; what it established when it passed. */
  reason: string;
  problems: string[];
  exchanges: Exchange[];
  /** The exchanges a problem was found in (shown in reports). */
  failedExchanges: Exchange[];
  ms: number;
}

export interface Check {
  name: string;
  description: string;
  run(ctx: CheckContext): Promise<string | undefined>;
}

export class Skip extends Error {}
export class Stop extends Error {}

export interface RunSettings {
  url: string;
  extraHeaders: Record<string, string>;
  timeoutMs: number;
}

export interface CallOptions {
  path: string;
  /** Headers in place of the default credentials + content type (for the auth and content-type checks). */
  headers?: Record<string, string>;
  contentType?: string;
  /** A JSON value, or a string sent as is. */
  body: unknown;
  /** Validate the answer against the contract (default true). */
  validate?: boolean;
}

export class CheckContext {
  readonly contract: Contract;
  readonly settings: RunSettings;
  readonly credentials: Record<string, string>;
  readonly problems: string[] = [];
  readonly exchanges: Exchange[] = [];
  readonly failedExchanges: Exchange[] = [];

  constructor(contract: Contract, settings: RunSettings, credentials: Record<string, string>) {
    this.contract = contract;
    this.settings = settings;
    this.credentials = credentials;
  }

  async call(operationId: string, options: CallOptions): Promise<Exchange> {
    const contentType = options.contentType ?? 'application/json';
    const headers = options.headers ?? { ...this.credentials, 'content-type': contentType };
    const body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    const exchange = await send(this.settings.url, {
      operationId,
      path: options.path,
      headers: { ...this.settings.extraHeaders, ...headers },
      body,
      timeoutMs: this.settings.timeoutMs,
    });
    this.exchanges.push(exchange);
    if (exchange.status === null) this.stop(`${operationId}: ${exchange.error}`, exchange);
    if (options.validate !== false) {
      const spec = this.conformance(exchange);
      if (spec) this.expect(false, `${operationId} answered ${exchange.status} off the contract: ${spec}`, exchange);
    }
    return exchange;
  }

  /** Undefined when the answer is one the contract declares for the operation; else what is wrong. */
  conformance(exchange: Exchange): string | undefined {
    const status = exchange.status as number;
    if (exchange.json === undefined)
      return `the body is not JSON (${JSON.stringify(exchange.responseText.slice(0, 80))})`;
    const verdict = this.contract.response(exchange.operationId, status, exchange.json);
    if (!verdict.valid) return verdict.errors.slice(0, 5).join('; ');
    // Every answer either contract declares is application/json; the header must say so.
    const contentType = exchange.responseHeaders['content-type'] ?? '';
    if (!/^application\/json\s*(;|$)/i.test(contentType))
      return `content-type ${contentType || '(none)'}, the contract declares application/json`;
    return undefined;
  }

  expect(ok: boolean, problem: string, exchange?: Exchange): boolean {
    if (!ok) {
      this.problems.push(problem);
      if (exchange && !this.failedExchanges.includes(exchange)) this.failedExchanges.push(exchange);
    }
    return ok;
  }

  /** Records the problem and ends the check. */
  stop(problem: string, exchange?: Exchange): never {
    this.expect(false, problem, exchange);
    throw new Stop(problem);
  }

  skip(reason: string): never {
    throw new Skip(reason);
  }
}

export async function runCheck(
  check: Check,
  contract: Contract,
  settings: RunSettings,
  credentials: Record<string, string>,
): Promise<CheckResult> {
  const ctx = new CheckContext(contract, settings, credentials);
  const started = performance.now();
  let verdict: Verdict = 'pass';
  let reason = '';
  try {
    reason = (await check.run(ctx)) ?? '';
  } catch (error) {
    if (error instanceof Skip) {
      verdict = 'skip';
      reason = error.message;
    } else if (!(error instanceof Stop)) {
      ctx.problems.push(`the kit itself failed: ${(error as Error).stack ?? String(error)}`);
    }
  }
  if (ctx.problems.length > 0) {
    verdict = 'fail';
    reason =
      ctx.problems.length === 1
        ? (ctx.problems[0] as string)
        : `${ctx.problems.length} problems: ${ctx.problems.join(' | ')}`;
  }
  return {
    name: check.name,
    description: check.description,
    verdict,
    reason,
    problems: ctx.problems,
    exchanges: ctx.exchanges,
    failedExchanges: ctx.failedExchanges,
    ms: performance.now() - started,
  };
}
