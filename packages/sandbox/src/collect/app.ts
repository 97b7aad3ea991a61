// The Kaleidofin collect simulator (specs/kaleidofin-collect) as a Hono app, fronting a partner biller: routes,
// security, statuses and request schemas come from the generated route table
// (@bbps-kit/contracts/operations/kaleidofin-collect) through @bbps-kit/contract-app; state lives in a
// CollectLedger; every refusal is built by envelope.ts; the partner is called through partner.ts.
// `fetchCustomerBills` asks the partner's `fetchBills` and lists its bills under Kaleidofin's `systemBillId`s;
// `postPayment` asks the partner's `fetchReceipt` (or follows a scripted outcome), after which `getBillStatus`
// shows PAYMENT_SUCCESSFUL with the partner's receipt.
import { type AppEnv, apiKeyAuth, contractApp, type Handlers, keyChecker } from '@bbps-kit/contract-app';
import { operations } from '@bbps-kit/contracts/operations/kaleidofin-collect';
import { securitySchemes } from '@bbps-kit/contracts/rules/kaleidofin-collect';
import { Contract } from '@bbps-kit/contracts/validator';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { delayMiddleware } from '../delay.ts';
import { invalidFields } from '../issues.ts';
import { DEFAULT_LOST_ANSWER_HOLD_MS, loseAnswer } from '../lost-answer.ts';
import { withTextNumbers } from '../text-numbers.ts';
import { type CollectRefusal, collectEnvelope, collectProblem } from './envelope.ts';
import {
  type BillRecord,
  type BillStatusResponse,
  type CollectBill,
  CollectLedger,
  type CollectSeed,
  type PaymentRequest,
  statusAnswer,
} from './ledger.ts';
import { createPartner, defaultPartner, type Partner, type PartnerOptions } from './partner.ts';
import { collectScriptFor, type Step } from './scripts.ts';

export interface CollectSandboxOptions {
  /** The `x-api-key` Kaleidofin issued to the operating unit. Default `sandbox-key`. */
  apiKey?: string;
  /** The biller this Kaleidofin fronts, by its `billerId`. Default AYFIN0000001. */
  billerId?: string;
  /** The partner biller it calls. Default: the demo biller on 8080 with its demo key. */
  partner?: PartnerOptions | Partner;
  lostAnswerHoldMs?: number;
  bodyLimitBytes?: number;
}

export interface CollectSandbox {
  app: OpenAPIHono<AppEnv>;
  ledger: CollectLedger;
  apiKey: string;
  billerId: string;
}

type StepResult =
  | { state: 'BILL_CREATED' | 'PAYMENT_FAILED' | 'PAYMENT_SUCCESSFUL'; receipt?: string }
  | { refused: CollectRefusal }
  | { unreachable: string };

export const defaultCollectApiKey = 'sandbox-key';
export const defaultCollectBillerId = 'AYFIN0000001';

/** The contract's examples the simulator starts with, so that they cannot drift from it. */
export async function loadCollectSeed(contract?: Contract): Promise<CollectSeed> {
  contract ??= await Contract.load('kaleidofin-collect');
  const ex = <T>(name: string) => contract.example(name) as T;
  return {
    fetched: ex<{ bills: CollectBill[] }>('SeedFetchCustomerBillsResponse').bills,
    statuses: [
      { status: ex<BillStatusResponse>('SeedGetBillStatusResponse') },
      {
        status: ex<BillStatusResponse>('SeedPostPaymentResponse'),
        payment: ex<PaymentRequest>('SeedPostPaymentRequest'),
      },
    ],
  };
}

export async function createCollectSandbox(options: CollectSandboxOptions = {}): Promise<CollectSandbox> {
  const apiKey = options.apiKey ?? defaultCollectApiKey;
  const billerId = options.billerId ?? defaultCollectBillerId;
  const holdMs = options.lostAnswerHoldMs ?? DEFAULT_LOST_ANSWER_HOLD_MS;
  const given = options.partner ?? defaultPartner;
  const partner: Partner = 'fetchBills' in given ? given : createPartner(given);
  const contract = await Contract.load('kaleidofin-collect');
  const ledger = new CollectLedger(await loadCollectSeed(contract), billerId);

  const refuse = (c: Context, refusal: CollectRefusal) => collectProblem(c, refusal) as never;
  const unreachable = (c: Context, why: string) => {
    console.error(`kaleidofin-collect sandbox: the partner biller failed: ${why}`);
    return collectProblem(c, { kind: 'internal' }) as never;
  };

  /** One step of a payment: the partner's receipt (or its refusal), or a scripted state. */
  async function step(bill: BillRecord, payment: PaymentRequest, what: Step): Promise<StepResult> {
    if (what === 'pending') return { state: 'BILL_CREATED' };
    if (what === 'failed') return { state: 'PAYMENT_FAILED' };
    const result = await partner.fetchReceipt({
      systemBillId: bill.systemBillId,
      partnerBillId: bill.partnerBillId ?? '',
      paymentDetails: {
        billAmount: bill.billAmount,
        amountPaid: payment.amountPaid,
        transactionId: payment.transactionId,
      },
    });
    if ('ok' in result) return { state: 'PAYMENT_SUCCESSFUL', receipt: result.ok.id };
    return result;
  }

  const routes = {
    fetchCustomerBills: operations.fetchCustomerBills,
    getBillStatus: withTextNumbers(contract, operations.getBillStatus),
    postPayment: operations.postPayment,
  };
  const handlers: Handlers<typeof routes> = {
    fetchCustomerBills: async (c) => {
      const { billerId: asked } = c.req.valid('param');
      const identifiers = c.req.valid('json');
      if (asked !== billerId)
        return refuse(c, { kind: 'refused', http: 404, message: `No biller with billerId ${asked}` });
      if (identifiers.some(({ identifierValue }) => collectScriptFor(identifierValue).noCustomer)) {
        return refuse(c, { kind: 'refused', http: 404, message: 'No customer matches the given identifiers' });
      }
      const result = await partner.fetchBills(identifiers);
      if ('refused' in result) return refuse(c, result.refused);
      if ('unreachable' in result) return unreachable(c, result.unreachable);
      const customerName = result.ok.customer?.name ?? result.ok.customer?.info?.name ?? 'Customer';
      const bills = (result.ok.customerBills?.bills ?? []).map((bill) => {
        const record = ledger.listed(billerId, bill.partnerBillId, bill.billAmount);
        return {
          systemBillId: record.systemBillId,
          partnerBillId: bill.partnerBillId,
          dueDate: bill.dueDate,
          generatedDate: bill.generatedDate,
          billStatus: record.status,
          billAmount: bill.billAmount,
          billName: bill.billName,
          customerName,
        };
      });
      return c.json({ success: true, statusCode: '0', statusMessage: 'Success', bills } as never, 200);
    },
    getBillStatus: async (c) => {
      const { systemBillId } = c.req.valid('param');
      const bill = ledger.bill(systemBillId);
      if (!bill) return refuse(c, { kind: 'refused', http: 404, message: `No bill with systemBillId ${systemBillId}` });
      const payment = bill.payment;
      if (payment && bill.status === 'BILL_CREATED') {
        payment.inquiries++;
        const steps = payment.script.onInquiry;
        const next = await step(
          bill,
          payment.request,
          steps[Math.min(payment.inquiries, steps.length) - 1] ?? 'pending',
        );
        // The partner unreachable: still pending, and the OU asks again.
        if ('state' in next) {
          bill.status = next.state;
          bill.receipt = next.receipt ?? null;
        } else if ('refused' in next) {
          bill.status = 'PAYMENT_FAILED';
        }
      }
      return c.json(statusAnswer(bill) as never, 200);
    },
    postPayment: async (c) => {
      const body = c.req.valid('json');
      const bill = ledger.bill(body.systemBillId);
      if (!bill)
        return refuse(c, { kind: 'refused', http: 404, message: `No bill with systemBillId ${body.systemBillId}` });
      const first = bill.payment;
      // A repost (same transactionId): the first answer, in its current state; never a second credit.
      if (first && first.request.transactionId === body.transactionId) return c.json(statusAnswer(bill) as never, 200);
      const refused = (message: string) => refuse(c, { kind: 'refused', http: 422, message });
      if (bill.status === 'PAYMENT_SUCCESSFUL')
        return refused(`Bill ${bill.systemBillId} is already paid (receipt ${bill.receipt})`);
      if (bill.status === 'BILL_EXPIRED') return refused(`Bill ${bill.systemBillId} has expired and cannot be paid`);
      if (first && bill.status === 'BILL_CREATED') {
        return refused(
          `Bill ${bill.systemBillId} has a payment in progress (transactionId ${first.request.transactionId})`,
        );
      }
      if (bill.partnerBillId === undefined) {
        return refused(`Bill ${bill.systemBillId} is a status example with no partner bill; pay a bill a fetch listed`);
      }
      const script = collectScriptFor(body.transactionId);
      if (script.failsUpstream) return collectProblem(c, { kind: 'internal' }) as never;
      const outcome = await step(bill, body, script.onPay);
      if ('refused' in outcome) return refuse(c, outcome.refused);
      if ('unreachable' in outcome) return unreachable(c, outcome.unreachable);
      bill.payment = { request: body, script, inquiries: 0 };
      bill.status = outcome.state;
      bill.receipt = outcome.receipt ?? null;
      // The socket is gone then; what is returned is never written.
      if (script.losesAnswer && (await loseAnswer(c, holdMs))) return c.body(null) as never;
      return c.json(statusAnswer(bill) as never, 200);
    },
  };

  const app = contractApp({
    before: [delayMiddleware(collectEnvelope)],
    routes,
    handlers,
    envelope: collectEnvelope,
    authenticate: apiKeyAuth(securitySchemes, { kaleidofinApiKey: keyChecker([apiKey]) }),
    bodyLimitBytes: options.bodyLimitBytes ?? 64 * 1024,
    logger: {
      log: (level, msg, fields) => console.error(`kaleidofin-collect sandbox: ${level} ${msg}`, fields ?? {}),
    },
    namespaces: [''],
    invalid: (issues, received) => ({ kind: 'invalid', fields: invalidFields(issues, received) }),
  });
  return { app, ledger, apiKey, billerId };
}
