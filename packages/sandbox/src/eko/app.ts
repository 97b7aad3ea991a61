// The Eko simulator (specs/eko-bbps) as a Hono app: routes, security, statuses and request schemas come from the
// generated route table (@bbps-kit/contracts/operations/eko-bbps) through @hono/zod-openapi; state lives in an
// EkoLedger; every refusal is built by envelope.ts. The order of checks is the contract's: `x-sandbox-delay-ms`
// first (it delays any answer), then the body limit, the credentials (401), header formats (400), signature and
// clock (403), media type (415), then the operation's own request validation (400 naming each field).
import type { IncomingMessage } from 'node:http';
import { operations } from '@bbps-kit/contracts/operations/eko-bbps';
import { Contract } from '@bbps-kit/contracts/validator';
import type { HttpBindings } from '@hono/node-server';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { delayMiddleware } from '../delay.ts';
import { invalidParams } from '../issues.ts';
import { checkEkoSignature, type EkoCredentials } from './auth.ts';
import { ekoProblem } from './envelope.ts';
import {
  EkoLedger,
  type FetchBillResponse,
  type PayBillRequest,
  type PayBillResponse,
  type TransactionResponse,
} from './ledger.ts';
import { scriptFor } from './scripts.ts';

export const defaultEkoCredentials: EkoCredentials = {
  developerKey: 'sandbox-developer-key',
  accessKey: 'sandbox-access-key',
};

export interface EkoSandboxOptions {
  credentials?: EkoCredentials;
  /** The clock the signature's timestamp is checked against. Default Date.now. */
  now?: () => number;
  /**
   * How long a `…0004` payment's connection is held before it is closed without an answer. Default 36 000 ms,
   * past the 35 s a client (and BBPS's ~30 s repost) waits; 0 closes it at once.
   */
  lostAnswerHoldMs?: number;
  bodyLimitBytes?: number;
}

export interface EkoSandbox {
  app: OpenAPIHono<{ Bindings: Partial<HttpBindings> }>;
  ledger: EkoLedger;
  credentials: EkoCredentials;
}

const INQUIRY = '/tools/reference/transaction/:ref';
// Hono's router reads every `:` in a path as a parameter marker, so the contract's
// `/tools/reference/transaction/client_ref_id:{clientRefId}` cannot be registered as written (it would become a
// parameter named `client_ref_id:clientRefId`-ish, and shadow `{tid}`). Both inquiries therefore share one route,
// `/tools/reference/transaction/:ref`, and the handler dispatches on the literal prefix `client_ref_id:`: with it, the
// rest is getTransactionByClientRefId's `clientRefId`; without it, getTransaction's `tid` (whose pattern refuses
// a colon, so a mistyped prefix is a 400 naming `tid`, never a wrong transaction).
const CLIENT_REF_PREFIX = 'client_ref_id:';

/** The seed examples the simulator starts with, read from the contract so that they cannot drift from it. */
export async function loadEkoSeed(contract?: Contract): Promise<ConstructorParameters<typeof EkoLedger>[0]> {
  contract ??= await Contract.load('eko-bbps');
  const ex = <T>(name: string) => contract.example(name) as T;
  const mismatch = ex<PayBillResponse>('PayBillAmountMismatch');
  return {
    fetchBill: ex<FetchBillResponse>('FetchBillSuccess'),
    payRequest: ex<PayBillRequest>('SeedPayBillRequest'),
    transactions: [
      { answer: ex<PayBillResponse>('PayBillSuccess'), inquiry: ex<TransactionResponse>('TransactionSuccess') },
      { answer: ex<PayBillResponse>('PayBillAwaited'), inquiry: ex<TransactionResponse>('TransactionRefundPending') },
      { answer: mismatch, inquiry: { status: 0, message: 'Success', tx_status: mismatch.tx_status ?? '1' } },
    ],
  };
}

export async function createEkoSandbox(options: EkoSandboxOptions = {}): Promise<EkoSandbox> {
  const credentials = options.credentials ?? defaultEkoCredentials;
  const now = options.now ?? Date.now;
  const holdMs = options.lostAnswerHoldMs ?? 36_000;
  const bodyLimitBytes = options.bodyLimitBytes ?? 64 * 1024;
  const contract = await Contract.load('eko-bbps');
  const ledger = new EkoLedger(await loadEkoSeed(contract));

  const app = new OpenAPIHono<{ Bindings: Partial<HttpBindings> }>({
    defaultHook: (result, c) => {
      if (result.success) return;
      // The validator hands the hook the value it received as `data` on failure too (not in the hook's type).
      const received = (result as { data?: unknown }).data;
      return ekoProblem(c, { kind: 'invalid', fields: invalidParams(result.error.issues, received) });
    },
  });

  app.use(
    '*',
    delayMiddleware((c, field, message) => ekoProblem(c, { kind: 'invalid', fields: { [field]: message } })),
  );
  const known = [operations.fetchBill.path, operations.payBill.path, INQUIRY];
  for (const path of known) {
    app.use(
      path,
      bodyLimit({
        maxSize: bodyLimitBytes,
        onError: (c) => {
          c.header('connection', 'close');
          return ekoProblem(c, { kind: 'too_large', limitBytes: bodyLimitBytes });
        },
      }),
    );
    app.use(path, async (c, next) => {
      const problem = checkEkoSignature((name) => c.req.header(name), credentials, now());
      if (problem) return ekoProblem(c, problem);
      if (c.req.method === 'POST') {
        const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
        if (type !== 'application/json') return ekoProblem(c, { kind: 'unsupported_media_type' });
      }
      await next();
    });
  }

  app.openapi(createRoute(withTextQuery(contract, operations.fetchBill)), (c) => {
    const query = c.req.valid('query');
    return c.json(ledger.fetchBill(query, now()) as never, 200);
  });

  app.openapi(createRoute(operations.payBill), async (c) => {
    const body = c.req.valid('json') as PayBillRequest;
    const repeat = ledger.repeated(body.client_ref_id);
    if (repeat) return c.json(repeat as never, 200);
    const script = scriptFor(body.utility_acc_no);
    if (script.failsUpstream) return ekoProblem(c, { kind: 'internal' }) as never;
    const tokenProblem = ledger.checkBillToken(body);
    if (tokenProblem) return ekoProblem(c, { kind: 'invalid', fields: { billfetchresponse: tokenProblem } }) as never;
    const { answer } = ledger.pay(body);
    if (script.losesAnswer) {
      const incoming = c.env?.incoming;
      if (incoming) {
        await loseAnswer(incoming, holdMs);
        // The socket is gone; what is returned here is never written.
        return c.body(null) as never;
      }
    }
    return c.json(answer as never, 200);
  });

  app.get(INQUIRY, async (c, next) => {
    const ref = c.req.param('ref');
    if (!ref.startsWith(CLIENT_REF_PREFIX)) return next();
    const { request } = operations.getTransactionByClientRefId;
    const params = { clientRefId: ref.slice(CLIENT_REF_PREFIX.length) };
    const query = numbersFromText(c.req.query(), numericQueryNames(contract, 'getTransactionByClientRefId'));
    const fields = {
      ...parseFields(request.params, params),
      ...parseFields(request.query, query),
    };
    if (Object.keys(fields).length > 0) return ekoProblem(c, { kind: 'invalid', fields });
    return c.json(ledger.inquire(params) ?? notFound(`client_ref_id ${params.clientRefId}`), 200);
  });
  app.openapi(createRoute(withTextQuery(contract, operations.getTransaction)), (c) => {
    const { tid } = c.req.valid('param');
    return c.json((ledger.inquire({ tid }) ?? notFound(`tid ${tid}`)) as never, 200);
  });

  for (const [path, allowed] of [
    [operations.fetchBill.path, 'GET'],
    [operations.payBill.path, 'POST'],
    [INQUIRY, 'GET'],
  ] as const) {
    app.all(path, (c) => ekoProblem(c, { kind: 'method_not_allowed', allowed }));
  }
  app.notFound((c) => ekoProblem(c, { kind: 'not_found' }));
  app.onError((error, c) => {
    // The JSON validator throws 400 for a body that does not parse.
    if (error instanceof HTTPException && error.status === 400) {
      return ekoProblem(c, { kind: 'invalid', fields: { body: 'body must be valid JSON' } });
    }
    if (error instanceof HTTPException && error.status === 413) {
      return ekoProblem(c, { kind: 'too_large', limitBytes: bodyLimitBytes });
    }
    console.error('eko sandbox: unhandled error', error);
    return ekoProblem(c, { kind: 'internal' });
  });
  return { app, ledger, credentials };
}

/**
 * A query string carries text, while the contract types some query parameters as numbers (`hc_channel`: 0 or 1).
 * The generated zod schema checks the typed value, so the text of each parameter the contract declares numeric is
 * read as a number first (when it looks like one; otherwise the schema's own message names the field).
 */
function numericQueryNames(contract: Contract, operationId: string): string[] {
  return contract
    .parameters(operationId)
    .filter((p) => {
      if (p.in !== 'query') return false;
      const type = (contract.resolve(p.schema) as { type?: unknown } | undefined)?.type;
      return [type].flat().some((t) => t === 'number' || t === 'integer');
    })
    .map((p) => p.name);
}

function numbersFromText(query: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const out = { ...query };
  for (const name of names) {
    const value = out[name];
    if (typeof value === 'string' && /^-?[0-9]+(\.[0-9]+)?$/.test(value)) out[name] = Number(value);
  }
  return out;
}

function withTextQuery<R extends { operationId: string; request: { query: z.ZodType } }>(
  contract: Contract,
  route: R,
): R {
  const names = numericQueryNames(contract, route.operationId);
  if (names.length === 0) return route;
  const query = z.preprocess(
    (value) =>
      typeof value === 'object' && value !== null ? numbersFromText(value as Record<string, unknown>, names) : value,
    route.request.query,
  );
  return { ...route, request: { ...route.request, query } } as R;
}

function parseFields(
  schema: { safeParse(value: unknown): { success: boolean; error?: { issues: unknown[] } } },
  value: unknown,
): Record<string, string> {
  const result = schema.safeParse(value);
  return result.success
    ? {}
    : invalidParams((result.error?.issues ?? []) as Parameters<typeof invalidParams>[0], value);
}

/**
 * Eko's answer to an inquiry about a transaction it never had. The contract declares no 404 on the inquiry, so
 * this is Eko's refusal shape: HTTP 200, `status` other than 0, no `tx_status` and no `data` (which a client
 * reads as "not found", not as any state of a payment).
 */
function notFound(what: string): TransactionResponse {
  return { status: 1, message: `No transaction found for ${what}`, response_status_id: 1 };
}

/** Holds the connection, then closes it without an answer (earlier if the client gives up first). */
function loseAnswer(incoming: IncomingMessage, holdMs: number): Promise<void> {
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
