// The Digiledge simulator (specs/digiledge-agent) as a Hono app: routes, security, statuses and request schemas
// come from the generated route table (@bbps-kit/contracts/operations/digiledge-agent) through
// @bbps-kit/contract-app; state lives in a DigiledgeLedger; every refusal is built by envelope.ts. Checks, in
// order: `x-sandbox-delay-ms`, the body limit, `x-api-key` (401), the media type (415), the request schemas (400
// naming each field), then the operation's own: `tenantId` (401: the key is the tenant's), an unknown id (404), a
// reused `refId`, an unknown or unpaid-for bill or a wrong amount (422).
import { type AppEnv, apiKeyAuth, contractApp, type Handlers, keyChecker } from '@bbps-kit/contract-app';
import { operations } from '@bbps-kit/contracts/operations/digiledge-agent';
import { securitySchemes } from '@bbps-kit/contracts/rules/digiledge-agent';
import { Contract } from '@bbps-kit/contracts/validator';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { delayMiddleware } from '../delay.ts';
import { invalidFields } from '../issues.ts';
import { DEFAULT_LOST_ANSWER_HOLD_MS, loseAnswer } from '../lost-answer.ts';
import { digiledgeEnvelope, digiledgeProblem } from './envelope.ts';
import {
  DigiledgeLedger,
  type DigiledgeSeed,
  type FetchBillRequest,
  type FetchedBill,
  firstParam,
  type PayBillRequest,
  type PaymentRecord,
} from './ledger.ts';
import { digiledgeScriptFor } from './scripts.ts';

export interface DigiledgeCredentials {
  apiKey: string;
  /** The tenant the key belongs to: a body with another `tenantId` is refused (401). */
  tenantId: string;
}

/** The seed's tenant (FE41), so that the contract's examples work as printed. */
export const defaultDigiledgeCredentials: DigiledgeCredentials = { apiKey: 'sandbox-key', tenantId: 'FE41' };

export interface DigiledgeSandboxOptions {
  credentials?: DigiledgeCredentials;
  now?: () => number;
  /** How long a `…0004` payment's connection is held before it is closed unanswered (default 36 s; 0: at once). */
  lostAnswerHoldMs?: number;
  bodyLimitBytes?: number;
}

export interface DigiledgeSandbox {
  app: OpenAPIHono<AppEnv>;
  ledger: DigiledgeLedger;
  credentials: DigiledgeCredentials;
}

/** The contract's examples the simulator starts with, so that they cannot drift from it. */
export async function loadDigiledgeSeed(contract?: Contract): Promise<DigiledgeSeed> {
  contract ??= await Contract.load('digiledge-agent');
  const ex = <T>(name: string) => contract.example(name) as T;
  return {
    fetchRequest: ex<FetchBillRequest>('FetchBillRequest'),
    fetched: [ex<FetchedBill>('FetchedBillSuccess'), ex<FetchedBill>('FetchedBillFailed')],
    payRequest: ex<PayBillRequest>('SeedPayBillRequest'),
    payAnswer: ex<PaymentRecord>('SeedPayBillResponse'),
    payments: [ex<PaymentRecord>('PaymentFailed')],
  };
}

export async function createDigiledgeSandbox(options: DigiledgeSandboxOptions = {}): Promise<DigiledgeSandbox> {
  const credentials = options.credentials ?? defaultDigiledgeCredentials;
  const now = options.now ?? Date.now;
  const holdMs = options.lostAnswerHoldMs ?? DEFAULT_LOST_ANSWER_HOLD_MS;
  const ledger = new DigiledgeLedger(await loadDigiledgeSeed());

  const wrongTenant = (c: Context, tenantId: string) =>
    tenantId === credentials.tenantId
      ? undefined
      : digiledgeProblem(c, {
          kind: 'unauthorized',
          header: `${securitySchemes.DigiledgeApiKey.name} (tenant ${credentials.tenantId}, not ${tenantId})`,
        });
  const notFound = (c: Context, message: string, remarks: string) =>
    digiledgeProblem(c, { kind: 'refused', http: 404, message, remarks }) as never;
  const answer = (c: Context, record: PaymentRecord | undefined, id: string) =>
    record
      ? c.json(record as never, 200)
      : notFound(c, 'Transaction not found', `No payment transaction for ${id} for tenant ${credentials.tenantId}`);

  const handlers: Handlers<typeof operations> = {
    fetchBill: (c) => {
      const body = c.req.valid('json') as FetchBillRequest;
      return (wrongTenant(c, body.tenantId) as never) ?? c.json(ledger.fetch(body, now()) as never, 200);
    },
    getFetchedBill: (c) => {
      const { billId } = c.req.valid('query');
      const bill = ledger.fetched(billId);
      if (!bill)
        return notFound(c, 'Bill not found', `No bill fetch with billId ${billId} for tenant ${credentials.tenantId}`);
      return c.json(bill as never, 200);
    },
    payBill: async (c) => {
      const body = c.req.valid('json') as PayBillRequest;
      const refused = wrongTenant(c, body.tenantId);
      if (refused) return refused as never;
      const refusal = ledger.refusal(body);
      if (refusal) return digiledgeProblem(c, { kind: 'refused', ...refusal }) as never;
      const script = digiledgeScriptFor(firstParam(body)?.value);
      if (script.failsUpstream) return digiledgeProblem(c, { kind: 'internal' }) as never;
      const acknowledgement = ledger.pay(body, now());
      // The socket is gone then; what is returned is never written.
      if (script.losesAnswer && (await loseAnswer(c, holdMs))) return c.body(null) as never;
      return c.json(acknowledgement as never, 200);
    },
    getPaymentByTxnId: (c) => {
      const { txnId } = c.req.valid('query');
      return answer(c, ledger.poll({ txnId }, now()), `txnId ${txnId}`);
    },
    getPaymentByClientReqId: (c) => {
      const { clientReqId } = c.req.valid('query');
      return answer(c, ledger.poll({ clientReqId }, now()), `clientReqId ${clientReqId}`);
    },
  };

  const app = contractApp({
    before: [delayMiddleware(digiledgeEnvelope)],
    routes: operations,
    handlers,
    envelope: digiledgeEnvelope,
    authenticate: apiKeyAuth(securitySchemes, { DigiledgeApiKey: keyChecker([credentials.apiKey]) }),
    bodyLimitBytes: options.bodyLimitBytes ?? 64 * 1024,
    logger: { log: (level, msg, fields) => console.error(`digiledge sandbox: ${level} ${msg}`, fields ?? {}) },
    namespaces: [''],
    invalid: (issues, received) => ({ kind: 'invalid', fields: invalidFields(issues, received) }),
  });
  return { app, ledger, credentials };
}
