// The Kaleidofin partner contract's own checks: fetchBills finds each fixture customer and lists their bills with
// the fixtures' amounts and exactness; fetchReceipt honours each payable bill's exactness, is idempotent on
// transactionId (twice, then 20 copies at once: one posting, one receipt, seen through the outstanding amounts),
// refuses a repost with another amount and a new payment on a paid bill. Only bills the fixtures mark `pay` are paid.

import { operations } from '@bbps-kit/contracts/operations/kaleidofin-partner';
import type { Contract } from '@bbps-kit/contracts/validator';
import type { Check, CheckContext } from '../check.ts';
import type { KaleidofinFixtures } from '../fixtures.ts';
import { type Profile, repostChecks, securityHeaders } from './common.ts';

type Customer = KaleidofinFixtures['customers'][number];
type FixtureBill = Customer['bills'][number];
type Identifier = Customer['identifiers'][number];

interface Payment {
  customer: Customer;
  bill: FixtureBill;
  body: {
    systemBillId: number;
    partnerBillId: string;
    paymentDetails: { billAmount: number; amountPaid: number; transactionId: string };
  };
  receipt: { id: string; date: string };
}

const paise = (rupees: number) => Math.round(rupees * 100);
const rupees = (p: number) => p / 100;

export function kaleidofinProfile(contract: Contract, fixtures: KaleidofinFixtures, newId: () => string): Profile {
  const first = fixtures.customers[0] as Customer;
  const harmless: Record<string, () => unknown> = {
    fetchBills: () => structuredClone(first.identifiers[0]),
    fetchReceipt: () => ({
      systemBillId: 1,
      partnerBillId: fixtures.missingBillId,
      paymentDetails: { billAmount: 1000, amountPaid: 1000, transactionId: newId() },
    }),
  };
  return {
    operations: Object.values(operations).map((op) => ({
      operationId: op.operationId,
      path: op.path,
      mediaType: 'application/json' as const,
      securityHeaders: securityHeaders(contract, op.security),
      harmless: harmless[op.operationId] as () => unknown,
    })),
    errorFields: (json) => {
      const field = (json as { error?: { field?: unknown } } | undefined)?.error?.field;
      return typeof field === 'string' ? [field] : [];
    },
    errorCodes: (json) => {
      const code = (json as { error?: { code?: unknown } } | undefined)?.error?.code;
      return typeof code === 'string' ? [code] : [];
    },
  };
}

export function kaleidofinChecks(fixtures: KaleidofinFixtures, newId: () => string): Check[] {
  const payments: Payment[] = [];
  const code = (json: unknown) => (json as { error?: { code?: string } } | undefined)?.error?.code;

  const fetchBills = (ctx: CheckContext, identifiers: Identifier) =>
    ctx.call('fetchBills', { path: operations.fetchBills.path, body: identifiers });

  /** What each bill of the customer still owes, in paise, by partnerBillId. */
  const outstanding = async (ctx: CheckContext, customer: Customer): Promise<Map<string, number>> => {
    const answer = await fetchBills(ctx, customer.identifiers[0] as Identifier);
    if (answer.status !== 200)
      ctx.stop(`fetchBills for ${customer.name} answered ${answer.status}, expected 200`, answer);
    const bills =
      (answer.json as { data?: { customerBills?: { bills?: { partnerBillId: string; billAmount: number }[] } } })?.data
        ?.customerBills?.bills ?? [];
    return new Map(bills.map((bill) => [bill.partnerBillId, paise(bill.billAmount)]));
  };

  const pay = (ctx: CheckContext, body: Payment['body']) =>
    ctx.call('fetchReceipt', { path: operations.fetchReceipt.path, body });

  const payBody = (bill: FixtureBill, owed: number, paid: number, transactionId = newId()): Payment['body'] => ({
    systemBillId: 1,
    partnerBillId: bill.partnerBillId,
    paymentDetails: { billAmount: rupees(owed), amountPaid: rupees(paid), transactionId },
  });

  const receiptOf = (json: unknown) => (json as { data?: { receipt?: { id: string; date: string } } })?.data?.receipt;

  const payable = fixtures.customers.flatMap((customer) =>
    customer.bills.filter((bill) => bill.pay).map((bill) => ({ customer, bill })),
  );

  /** The payment the idempotency checks repost: one made earlier in this run, or a new one in full. */
  const aPayment = async (ctx: CheckContext): Promise<Payment> => {
    if (payments[0]) return payments[0];
    for (const { customer, bill } of payable) {
      const owed = (await outstanding(ctx, customer)).get(bill.partnerBillId);
      if (!owed) continue;
      const body = payBody(bill, owed, owed);
      const answer = await pay(ctx, body);
      const receipt = receiptOf(answer.json);
      if (answer.status !== 200 || !receipt)
        ctx.stop(`paying ${bill.partnerBillId} in full answered ${answer.status}`, answer);
      const after = (await outstanding(ctx, customer)).get(bill.partnerBillId) ?? 0;
      ctx.expect(after === 0, `after paying ${bill.partnerBillId} in full it still owes ${rupees(after)}`);
      const payment = { customer, bill, body, receipt };
      payments.push(payment);
      return payment;
    }
    ctx.skip('no bill the fixtures allow paying is outstanding (already paid by an earlier run? reload the test data)');
  };

  const checks: Check[] = [];
  checks.push({
    name: 'fetchBills.available',
    description:
      "Each fixture customer, by each of its identifier lists: 200 AVAILABLE listing its bills with the fixtures' amount and exactness.",
    async run(ctx) {
      let found = 0;
      for (const customer of fixtures.customers.filter((c) => c.bills.length > 0)) {
        for (const identifiers of customer.identifiers) {
          const answer = await fetchBills(ctx, identifiers);
          const label = `${customer.name} by ${identifiers.map((i) => i.identifierKey).join('+')}`;
          if (!ctx.expect(answer.status === 200, `${label}: expected 200, got ${answer.status}`, answer)) continue;
          found++;
          const data = (answer.json as { data?: { billFetchStatus?: string; customerBills?: { bills?: unknown[] } } })
            ?.data;
          const bills = (data?.customerBills?.bills ?? []) as {
            partnerBillId: string;
            billAmount: number;
            amountExactness: string;
          }[];
          const allPayable = customer.bills.every((bill) => bill.pay);
          if (data?.billFetchStatus === 'NO_OUTSTANDING' && allPayable) continue;
          ctx.expect(
            data?.billFetchStatus === 'AVAILABLE',
            `${label}: billFetchStatus ${data?.billFetchStatus}, expected AVAILABLE`,
            answer,
          );
          for (const bill of customer.bills) {
            const listed = bills.find((b) => b.partnerBillId === bill.partnerBillId);
            if (!listed) {
              ctx.expect(bill.pay, `${label}: bill ${bill.partnerBillId} is not listed`, answer);
              continue;
            }
            ctx.expect(
              listed.amountExactness === bill.exactness,
              `${label}: ${bill.partnerBillId} amountExactness ${listed.amountExactness}, fixtures say ${bill.exactness}`,
              answer,
            );
            const ok = bill.pay
              ? paise(listed.billAmount) <= paise(bill.amount)
              : paise(listed.billAmount) === paise(bill.amount);
            ctx.expect(
              ok,
              `${label}: ${bill.partnerBillId} billAmount ${listed.billAmount}, fixtures say ${bill.amount}`,
              answer,
            );
          }
        }
      }
      if (found === 0 && ctx.problems.length === 0) ctx.skip('no fixture customer has bills');
      return `${found} lookups listed the fixtures' bills`;
    },
  });
  checks.push({
    name: 'fetchBills.no-outstanding',
    description: 'A fixture customer with no bills: 200 NO_OUTSTANDING with an empty list.',
    async run(ctx) {
      const owing = fixtures.customers.filter((c) => c.bills.length === 0);
      if (owing.length === 0) ctx.skip('the fixtures name no customer without bills');
      for (const customer of owing) {
        const answer = await fetchBills(ctx, customer.identifiers[0] as Identifier);
        const data = (answer.json as { data?: { billFetchStatus?: string; customerBills?: { bills?: unknown[] } } })
          ?.data;
        ctx.expect(
          answer.status === 200 &&
            data?.billFetchStatus === 'NO_OUTSTANDING' &&
            data.customerBills?.bills?.length === 0,
          `${customer.name}: expected 200 NO_OUTSTANDING with no bills, got ${answer.status} ${data?.billFetchStatus}`,
          answer,
        );
      }
      return `${owing.length} customers without bills answered NO_OUTSTANDING`;
    },
  });
  checks.push({
    name: 'fetchBills.not-found',
    description: 'Identifiers that match no customer: 404 CUSTOMER_NOT_FOUND.',
    async run(ctx) {
      const answer = await fetchBills(ctx, fixtures.missingCustomer);
      ctx.expect(
        answer.status === 404 && code(answer.json) === 'CUSTOMER_NOT_FOUND',
        `expected 404 CUSTOMER_NOT_FOUND, got ${answer.status} ${code(answer.json)}`,
        answer,
      );
      return '404 CUSTOMER_NOT_FOUND';
    },
  });
  checks.push({
    name: 'fetchReceipt.bill-not-found',
    description: 'A payment for a bill that does not exist: 404 BILL_NOT_FOUND.',
    async run(ctx) {
      const answer = await pay(ctx, {
        systemBillId: 1,
        partnerBillId: fixtures.missingBillId,
        paymentDetails: { billAmount: 100, amountPaid: 100, transactionId: newId() },
      });
      ctx.expect(
        answer.status === 404 && code(answer.json) === 'BILL_NOT_FOUND',
        `expected 404 BILL_NOT_FOUND, got ${answer.status} ${code(answer.json)}`,
        answer,
      );
      return '404 BILL_NOT_FOUND';
    },
  });
  for (const { customer, bill } of fixtures.customers.flatMap((c) => c.bills.map((b) => ({ customer: c, bill: b })))) {
    checks.push({
      name: `exactness.${bill.partnerBillId}`,
      description: `Bill ${bill.partnerBillId} (${bill.exactness}): amounts its exactness forbids are refused with 422 AMOUNT_EXACTNESS_VIOLATED and credit nothing; the right amount is accepted with a receipt.`,
      async run(ctx) {
        if (!bill.pay) return ctx.skip('the fixtures do not allow paying this bill');
        const owed = (await outstanding(ctx, customer)).get(bill.partnerBillId);
        if (!owed)
          return ctx.skip('the bill is not outstanding (already paid by an earlier run? reload the test data)');
        const wrong: number[] = [];
        if ((bill.exactness === 'EXACT' || bill.exactness === 'EXACT_UP') && owed > 100) wrong.push(owed - 100);
        if (bill.exactness === 'EXACT' || bill.exactness === 'EXACT_DOWN') wrong.push(owed + 100);
        for (const amount of wrong) {
          const answer = await pay(ctx, payBody(bill, owed, amount));
          ctx.expect(
            answer.status === 422 && code(answer.json) === 'AMOUNT_EXACTNESS_VIOLATED',
            `amountPaid ${rupees(amount)} on ${bill.exactness} bill owing ${rupees(owed)}: expected 422 AMOUNT_EXACTNESS_VIOLATED, got ${answer.status} ${code(answer.json) ?? ''}`,
            answer,
          );
        }
        const between = (await outstanding(ctx, customer)).get(bill.partnerBillId) ?? 0;
        if (
          !ctx.expect(
            between === owed,
            `after the refused amounts the bill owes ${rupees(between)}, not ${rupees(owed)}: a refused payment was credited`,
          )
        )
          return;
        const body = payBody(bill, owed, owed);
        const answer = await pay(ctx, body);
        const receipt = receiptOf(answer.json);
        if (
          !ctx.expect(
            answer.status === 200 && !!receipt,
            `the right amount ${rupees(owed)} answered ${answer.status}, expected 200 with a receipt`,
            answer,
          )
        )
          return;
        const after = (await outstanding(ctx, customer)).get(bill.partnerBillId) ?? 0;
        ctx.expect(after === 0, `after paying ${rupees(owed)} the bill still owes ${rupees(after)}`);
        payments.push({ customer, bill, body, receipt: receipt as Payment['receipt'] });
        return `${wrong.length} wrong amounts refused, ${rupees(owed)} accepted (receipt ${receipt?.id})`;
      },
    });
  }
  checks.push(
    ...repostChecks<Payment, Map<string, number>>({
      describe: (copies) =>
        copies === 1
          ? 'The same fetchReceipt (same transactionId, bill and amount) sent again: 200 with the same receipt, nothing credited again.'
          : `The same fetchReceipt sent ${copies} times at once: every answer 200 with the same receipt, nothing credited again.`,
      aPayment,
      resend: (ctx, payment) => pay(ctx, payment.body),
      wrongAnswer: (answer, payment) => {
        const receipt = receiptOf(answer.json);
        return answer.status === 200 && receipt?.id === payment.receipt.id && receipt?.date === payment.receipt.date
          ? undefined
          : `answered ${answer.status} with receipt ${JSON.stringify(receipt ?? answer.json)}, expected 200 with ${JSON.stringify(payment.receipt)}`;
      },
      holding: (ctx, payment) => outstanding(ctx, payment.customer),
      moved: (before, after) =>
        sameOutstanding(before, after) ? undefined : `the outstanding bills: ${show(before)} -> ${show(after)}`,
      passed: (payment, copies) =>
        copies === 1
          ? `same receipt ${payment.receipt.id}`
          : `${copies} concurrent reposts, one receipt ${payment.receipt.id}`,
    }),
  );
  checks.push({
    name: 'idempotency.different-amount',
    description:
      'A repost of a transactionId with another amount: 409 DUPLICATE_TRANSACTION_MISMATCH, nothing credited.',
    async run(ctx) {
      const payment = await aPayment(ctx);
      const before = await outstanding(ctx, payment.customer);
      const body = structuredClone(payment.body);
      body.paymentDetails.amountPaid = rupees(paise(body.paymentDetails.amountPaid) + 100);
      const answer = await pay(ctx, body);
      ctx.expect(
        answer.status === 409 && code(answer.json) === 'DUPLICATE_TRANSACTION_MISMATCH',
        `expected 409 DUPLICATE_TRANSACTION_MISMATCH, got ${answer.status} ${code(answer.json) ?? ''}`,
        answer,
      );
      const after = await outstanding(ctx, payment.customer);
      ctx.expect(
        sameOutstanding(before, after),
        `the repost changed the outstanding bills: ${show(before)} -> ${show(after)}`,
      );
      return '409 DUPLICATE_TRANSACTION_MISMATCH';
    },
  });
  checks.push({
    name: 'fetchReceipt.already-paid',
    description: 'A new transactionId on a bill paid in full: 422 BILL_ALREADY_PAID, nothing credited.',
    async run(ctx) {
      const payment = await aPayment(ctx);
      const answer = await pay(ctx, {
        ...payment.body,
        paymentDetails: { ...payment.body.paymentDetails, transactionId: newId() },
      });
      ctx.expect(
        answer.status === 422 && code(answer.json) === 'BILL_ALREADY_PAID',
        `expected 422 BILL_ALREADY_PAID, got ${answer.status} ${code(answer.json) ?? ''}`,
        answer,
      );
      return '422 BILL_ALREADY_PAID';
    },
  });
  return checks;
}

function sameOutstanding(a: Map<string, number>, b: Map<string, number>): boolean {
  return a.size === b.size && [...a].every(([id, owed]) => b.get(id) === owed);
}

function show(bills: Map<string, number>): string {
  return `{${[...bills].map(([id, owed]) => `${id}: ${owed / 100}`).join(', ')}}`;
}
