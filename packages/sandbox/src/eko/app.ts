// The Eko simulator (specs/eko-bbps) as a Hono app: routes, security, statuses and request schemas come from the
// generated route table (@bbps-kit/contracts/operations/eko-bbps) through @bbps-kit/contract-app; state lives in an
// EkoLedger; every refusal is built by envelope.ts. The order of checks is the contract's: `x-sandbox-delay-ms`
// first (it delays any answer), then the body limit, the credentials (401), header formats (400), signature and
// clock (403), media type (415), then the operation's own request validation (400 naming each field).
import { type AppEnv, contractApp, type Handlers } from '@bbps-kit/contract-app';
import { operations } from '@bbps-kit/contracts/operations/eko-bbps';
import { Contract } from '@bbps-kit/contracts/validator';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { delayMiddleware } from '../delay.ts';
import { invalidFields } from '../issues.ts';
import { DEFAULT_LOST_ANSWER_HOLD_MS, loseAnswer } from '../lost-answer.ts';
import { withTextNumbers } from '../text-numbers.ts';
import { type EkoCredentials, ekoSignatureCheck } from './auth.ts';
import { ekoEnvelope, ekoProblem } from './envelope.ts';
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
  app: OpenAPIHono<AppEnv>;
  ledger: EkoLedger;
  credentials: EkoCredentials;
}

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
  const holdMs = options.lostAnswerHoldMs ?? DEFAULT_LOST_ANSWER_HOLD_MS;
  const bodyLimitBytes = options.bodyLimitBytes ?? 64 * 1024;
  const contract = await Contract.load('eko-bbps');
  const ledger = new EkoLedger(await loadEkoSeed(contract));
  const notFound = loadNotFound(contract);

  // Query text read as numbers where the contract types a parameter numeric (hc_channel).
  const routes = {
    fetchBill: withTextNumbers(contract, operations.fetchBill),
    payBill: operations.payBill,
    getTransaction: withTextNumbers(contract, operations.getTransaction),
    getTransactionByClientRefId: withTextNumbers(contract, operations.getTransactionByClientRefId),
  };
  const handlers: Handlers<typeof routes> = {
    fetchBill: (c) => c.json(ledger.fetchBill(c.req.valid('query'), now()) as never, 200),
    payBill: async (c) => {
      const body = c.req.valid('json') as PayBillRequest;
      const repeat = ledger.repeated(body.client_ref_id);
      if (repeat) return c.json(repeat as never, 200);
      const script = scriptFor(body.utility_acc_no);
      if (script.failsUpstream) return ekoProblem(c, { kind: 'internal' }) as never;
      const tokenProblem = ledger.checkBillToken(body);
      if (tokenProblem) {
        return ekoProblem(c, {
          kind: 'invalid',
          fields: [{ field: 'billfetchresponse', message: tokenProblem }],
        }) as never;
      }
      const { answer } = ledger.pay(body);
      // The socket is gone then; what is returned is never written.
      if (script.losesAnswer && (await loseAnswer(c, holdMs))) return c.body(null) as never;
      return c.json(answer as never, 200);
    },
    getTransaction: (c) => {
      const { tid } = c.req.valid('param');
      return c.json((ledger.inquire({ tid }) ?? notFound(`tid ${tid}`)) as never, 200);
    },
    getTransactionByClientRefId: (c) => {
      const { clientRefId } = c.req.valid('param');
      return c.json((ledger.inquire({ clientRefId }) ?? notFound(`client_ref_id ${clientRefId}`)) as never, 200);
    },
  };

  const checkSignature = ekoSignatureCheck(credentials);
  const app = contractApp({
    before: [delayMiddleware(ekoEnvelope)],
    routes,
    handlers,
    envelope: ekoEnvelope,
    authenticate: (c) => checkSignature((name) => c.req.header(name), now()),
    bodyLimitBytes,
    logger: { log: (level, msg, fields) => console.error(`eko sandbox: ${level} ${msg}`, fields ?? {}) },
    // Every path is Eko's: an unknown one is 404 in its envelope.
    namespaces: [''],
    invalid: (issues, received) => ({ kind: 'invalid', fields: invalidFields(issues, received) }),
  });
  return { app, ledger, credentials };
}

/**
 * Eko's answer to an inquiry about a transaction it never had: the contract's TransactionNotFound example (HTTP 200,
 * `status` 1, no `tx_status`, no `data`; the contract's description says why), naming what was asked.
 */
function loadNotFound(contract: Contract): (what: string) => TransactionResponse {
  const example = contract.example('TransactionNotFound') as TransactionResponse;
  return (what) => ({ ...example, message: `No transaction found for ${what}` });
}
