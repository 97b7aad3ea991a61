// The EBPP MPA contract's own checks: lookups find each fixture customer and account (with its balance), the closed
// account and no one else; postings to a closed or unknown account are refused; a posting is applied once however
// often it is reposted (twice, then 20 copies at once), seen through the account's current_balance; a repost with
// another amount is refused; reversal and refund only of a posted payment, and only once. Every payment the kit posts
// is reversed or refunded again when the fixtures allow it, so a run leaves the balances as it found them.

import type { EbppMpa } from '@bbps-kit/contracts';
import { operations } from '@bbps-kit/contracts/operations/ebpp-mpa';
import type { Contract } from '@bbps-kit/contracts/validator';
import type { Check, CheckContext } from '../check.ts';
import type { EbppFixtures } from '../fixtures.ts';
import type { Exchange } from '../http.ts';
import { type Profile, repostChecks, securityHeaders } from './common.ts';

type Customer = EbppFixtures['customers'][number];
type Account = Customer['accounts'][number];

const form = 'application/x-www-form-urlencoded';

export function toPaise(amount: string): number {
  const [whole, fraction = ''] = amount.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

export function fromPaise(paise: number): string {
  return `${Math.floor(paise / 100)}.${String(paise % 100).padStart(2, '0')}`;
}

const today = () => new Date().toISOString().slice(0, 10);

function paymentBody(customerReference: string, accountNumber: string, amount: string, id: string) {
  return {
    id,
    amount,
    currency_code3d: 'INR',
    confirmation_number: `CONF${id}`,
    status: 'processed',
    payment_date: today(),
    payment_method: 'ach',
    payment_schedule_type: 'one_time_payment',
    customer: { customer_reference: customerReference },
    customer_account: { account_number: accountNumber },
    funding_account: { account_type: 'bank', account_number: '******0000' },
    payment_network_response: {},
    custom_fields: {},
  };
}

function refundBody(id: string, sourceId: string, amount: string) {
  return {
    id,
    refund_amount: amount,
    status: 'processed',
    confirmation_number: `CONF${id}`,
    source_payment: { id: sourceId },
  };
}

const errorsOf = (json: unknown) =>
  ((json as { errors?: { code?: unknown; field?: unknown }[] } | undefined)?.errors ?? []).filter(
    (e) => e && typeof e === 'object',
  );

export function ebppProfile(contract: Contract, fixtures: EbppFixtures, newId: () => string): Profile {
  const first = fixtures.customers[0] as Customer;
  const harmless: Record<string, () => unknown> = {
    lookupCustomers: () => ({ customer_reference: first.customerReference }),
    postPayment: () => paymentBody(first.customerReference, fixtures.missingAccountNumber, '1.00', newId()),
    postPaymentReversal: () => ({
      ...paymentBody(first.customerReference, fixtures.missingAccountNumber, '1.00', newId()),
      status: 'returned',
    }),
    postPaymentRefund: () => refundBody(newId(), newId(), '1.00'),
  };
  return {
    operations: Object.values(operations).map((op) => ({
      operationId: op.operationId,
      path: op.path,
      mediaType: op.operationId === 'lookupCustomers' ? form : ('application/json' as const),
      securityHeaders: securityHeaders(contract, op.security),
      harmless: harmless[op.operationId] as () => unknown,
    })),
    errorFields: (json) => errorsOf(json).flatMap((e) => (typeof e.field === 'string' ? [e.field] : [])),
    errorCodes: (json) => errorsOf(json).flatMap((e) => (typeof e.code === 'string' ? [e.code] : [])),
  };
}

interface Posted {
  customer: Customer;
  account: Account;
  body: ReturnType<typeof paymentBody>;
  reference: string;
  /** The balance before it was posted, in paise. */
  before: number;
}

export function ebppChecks(fixtures: EbppFixtures, newId: () => string): Check[] {
  const codes = (json: unknown) => errorsOf(json).map((e) => String(e.code));
  const lookup = (ctx: CheckContext, criteria: Record<string, string>) =>
    ctx.call('lookupCustomers', {
      path: operations.lookupCustomers.path,
      contentType: form,
      body: new URLSearchParams(criteria).toString(),
    });
  const post = (ctx: CheckContext, path: string, operationId: string, body: unknown) =>
    ctx.call(operationId, { path, body });
  const postPayment = (ctx: CheckContext, body: unknown) => post(ctx, operations.postPayment.path, 'postPayment', body);
  const reverse = (ctx: CheckContext, body: unknown) =>
    post(ctx, operations.postPaymentReversal.path, 'postPaymentReversal', body);
  const refund = (ctx: CheckContext, body: unknown) =>
    post(ctx, operations.postPaymentRefund.path, 'postPaymentRefund', body);

  type Found = {
    customer_reference: string;
    customer_accounts: { account_number: string; status: string; current_balance?: string }[];
  };
  const accountIn = (exchange: Exchange, accountNumber: string) =>
    ((exchange.json as { customers?: Found[] })?.customers ?? [])
      .flatMap((c) => c.customer_accounts ?? [])
      .find((a) => a.account_number === accountNumber);

  const balance = async (ctx: CheckContext, accountNumber: string): Promise<number> => {
    const answer = await lookup(ctx, { account_number: accountNumber });
    const account = answer.status === 200 ? accountIn(answer, accountNumber) : undefined;
    if (!account?.current_balance)
      ctx.stop(`lookup of ${accountNumber} answered ${answer.status} without its current_balance`, answer);
    return toPaise(account.current_balance);
  };

  const payableAccounts = fixtures.customers.flatMap((customer) =>
    customer.accounts.filter((a) => a.pay).map((account) => ({ customer, account })),
  );
  const amountOf = (account: Account) => account.paymentAmount ?? '100.00';

  /** Posts a new payment and checks it lowered the balance by its amount once. */
  const postNew = async (
    ctx: CheckContext,
    customer: Customer,
    account: Account,
    amount = amountOf(account),
  ): Promise<Posted> => {
    const before = await balance(ctx, account.accountNumber);
    const body = paymentBody(customer.customerReference, account.accountNumber, amount, newId());
    const answer = await postPayment(ctx, body);
    const reference = (answer.json as { payment_reference?: string })?.payment_reference;
    if (answer.status !== 200 || !reference)
      ctx.stop(`posting ${body.amount} answered ${answer.status}, expected 200`, answer);
    const after = await balance(ctx, account.accountNumber);
    ctx.expect(
      after === before - toPaise(body.amount),
      `posting ${body.amount} moved ${account.accountNumber}'s balance ${fromPaise(before)} -> ${fromPaise(after)}`,
    );
    return { customer, account, body, reference, before };
  };

  let shared: Posted | undefined;
  const aPayment = async (ctx: CheckContext): Promise<Posted> => {
    if (shared) return shared;
    const pick = payableAccounts.find((p) => p.account.reverse) ?? payableAccounts[0];
    if (!pick) return ctx.skip('the fixtures allow paying no account');
    shared = await postNew(ctx, pick.customer, pick.account);
    return shared;
  };

  const isDuplicate = (answer: Exchange, posted: Posted) =>
    (answer.status === 409 && codes(answer.json).includes('error_duplicate_posting')) ||
    (answer.status === 200 && (answer.json as { payment_reference?: string })?.payment_reference === posted.reference);

  const checks: Check[] = [];
  checks.push({
    name: 'lookup.found',
    description:
      "Each fixture customer by customer_reference, and each of its accounts by account_number: 200 listing the account with the fixtures' balance.",
    async run(ctx) {
      let lookups = 0;
      for (const customer of fixtures.customers) {
        const criteria = [
          { customer_reference: customer.customerReference },
          ...customer.accounts.map((a) => ({ account_number: a.accountNumber })),
        ];
        for (const criterion of criteria) {
          const answer = await lookup(ctx, criterion);
          lookups++;
          const label = `lookup by ${JSON.stringify(criterion)}`;
          if (!ctx.expect(answer.status === 200, `${label}: expected 200, got ${answer.status}`, answer)) continue;
          const refs = ((answer.json as { customers?: Found[] })?.customers ?? []).map((c) => c.customer_reference);
          ctx.expect(
            refs.includes(customer.customerReference),
            `${label}: ${customer.customerReference} not among ${refs.join(', ')}`,
            answer,
          );
          for (const account of customer.accounts) {
            const found = accountIn(answer, account.accountNumber);
            if (!ctx.expect(!!found, `${label}: account ${account.accountNumber} not listed`, answer)) continue;
            if (!account.pay)
              ctx.expect(
                found?.current_balance !== undefined && toPaise(found.current_balance) === toPaise(account.balance),
                `${label}: ${account.accountNumber} current_balance ${found?.current_balance}, fixtures say ${account.balance}`,
                answer,
              );
          }
        }
      }
      return `${lookups} lookups found the fixtures' customers and accounts`;
    },
  });
  checks.push({
    name: 'lookup.closed',
    description: 'The closed account by account_number: 200, listed with status closed.',
    async run(ctx) {
      const answer = await lookup(ctx, { account_number: fixtures.closedAccount.accountNumber });
      const account = answer.status === 200 ? accountIn(answer, fixtures.closedAccount.accountNumber) : undefined;
      ctx.expect(
        account?.status === 'closed',
        `expected 200 with status closed, got ${answer.status} ${account?.status ?? ''}`,
        answer,
      );
      return 'status closed';
    },
  });
  checks.push({
    name: 'lookup.not-found',
    description: 'A customer_reference that matches no one: 404 in the envelope (never 200 with an empty list).',
    async run(ctx) {
      const answer = await lookup(ctx, { customer_reference: fixtures.missingCustomerReference });
      ctx.expect(answer.status === 404, `expected 404, got ${answer.status}`, answer);
      return '404';
    },
  });
  checks.push({
    name: 'posting.closed-account',
    description: 'A payment to the closed account: 422 error_account_closed, nothing applied.',
    async run(ctx) {
      const { customerReference, accountNumber } = fixtures.closedAccount;
      const answer = await postPayment(ctx, paymentBody(customerReference, accountNumber, '1.00', newId()));
      ctx.expect(
        answer.status === 422 && codes(answer.json).includes('error_account_closed'),
        `expected 422 error_account_closed, got ${answer.status} ${codes(answer.json).join(',')}`,
        answer,
      );
      return '422 error_account_closed';
    },
  });
  checks.push({
    name: 'posting.unknown-account',
    description: 'A payment to an account that does not exist: 404.',
    async run(ctx) {
      const customer = fixtures.customers[0] as Customer;
      const answer = await postPayment(
        ctx,
        paymentBody(customer.customerReference, fixtures.missingAccountNumber, '1.00', newId()),
      );
      ctx.expect(answer.status === 404, `expected 404, got ${answer.status}`, answer);
      return '404';
    },
  });
  // Before the idempotency checks: their payment stays posted until reversal.once, and the maximum is the largest
  // payment the account takes at the fixtures' balance.
  for (const customer of fixtures.customers) {
    for (const account of customer.accounts) {
      const limits = account.limits;
      if (!limits) continue;
      checks.push({
        name: `amount-limits.${account.accountNumber}`,
        description: `Account ${account.accountNumber}: a payment 0.01 under its minimum is refused with 422 error_payment_amount_low, 0.01 over its maximum with 422 error_payment_amount_high, nothing applied; the minimum and the maximum are accepted (each reversed or refunded again).`,
        async run(ctx) {
          if (!account.pay) ctx.skip('the fixtures do not allow paying this account');
          const before = await balance(ctx, account.accountNumber);
          const outside: [number, EbppMpa.SchemaErrorCode][] = [];
          if (limits.minimum !== undefined && toPaise(limits.minimum) > 1)
            outside.push([toPaise(limits.minimum) - 1, 'error_payment_amount_low']);
          if (limits.maximum !== undefined) outside.push([toPaise(limits.maximum) + 1, 'error_payment_amount_high']);
          for (const [paise, code] of outside) {
            const amount = fromPaise(paise);
            const answer = await postPayment(
              ctx,
              paymentBody(customer.customerReference, account.accountNumber, amount, newId()),
            );
            ctx.expect(
              answer.status === 422 && codes(answer.json).includes(code),
              `posting ${amount}: expected 422 ${code}, got ${answer.status} ${codes(answer.json).join(',')}`,
              answer,
            );
          }
          const between = await balance(ctx, account.accountNumber);
          if (
            !ctx.expect(
              between === before,
              `the refused payments moved the balance ${fromPaise(before)} -> ${fromPaise(between)}`,
            )
          )
            return;
          const inside = [limits.minimum, limits.maximum].filter((a): a is string => a !== undefined);
          if (!account.reverse && !account.refund)
            return `${outside.length} payments outside the limits refused; the limits themselves not paid (the fixtures allow neither reversing nor refunding ${account.accountNumber})`;
          for (const amount of inside) {
            const posted = await postNew(ctx, customer, account, amount);
            const undo = account.reverse
              ? await reverse(ctx, { ...posted.body, status: 'returned', payment_reference: posted.reference })
              : await refund(ctx, refundBody(newId(), posted.body.id, amount));
            ctx.expect(
              undo.status === 200,
              `undoing the payment of ${amount} answered ${undo.status}, expected 200`,
              undo,
            );
            const after = await balance(ctx, account.accountNumber);
            if (
              !ctx.expect(
                after === posted.before,
                `after undoing ${amount} the balance is ${fromPaise(after)}, not ${fromPaise(posted.before)}`,
              )
            )
              return;
          }
          return `${outside.length} payments outside the limits refused, ${inside.join(' and ')} accepted and ${account.reverse ? 'reversed' : 'refunded'}`;
        },
      });
    }
  }
  checks.push(
    ...repostChecks<Posted, number>({
      describe: (copies) =>
        copies === 1
          ? 'A posting sent again with the same id: 409 error_duplicate_posting (or 200 with the same payment_reference), the balance lowered once.'
          : `The same posting sent ${copies} times at once: each a duplicate, the balance unchanged.`,
      aPayment,
      resend: (ctx, posted) => postPayment(ctx, posted.body),
      wrongAnswer: (answer, posted) =>
        isDuplicate(answer, posted) ? undefined : `answered ${answer.status} ${answer.responseText.slice(0, 200)}`,
      holding: (ctx, posted) => balance(ctx, posted.account.accountNumber),
      moved: (before, after) =>
        after === before ? undefined : `the balance ${fromPaise(before)} -> ${fromPaise(after)}`,
      passed: (posted, copies) =>
        copies === 1 ? `repost of ${posted.body.id} applied once` : `${copies} concurrent reposts, none applied`,
    }),
  );
  checks.push({
    name: 'idempotency.different-amount',
    description: 'A posting with an id already posted but another amount: refused (4xx), the balance unchanged.',
    async run(ctx) {
      const posted = await aPayment(ctx);
      const before = await balance(ctx, posted.account.accountNumber);
      const answer = await postPayment(ctx, { ...posted.body, amount: fromPaise(toPaise(posted.body.amount) + 100) });
      ctx.expect(
        answer.status !== null && answer.status >= 400 && answer.status < 500,
        `expected a 4xx refusal, got ${answer.status}`,
        answer,
      );
      const after = await balance(ctx, posted.account.accountNumber);
      ctx.expect(after === before, `the repost moved the balance ${fromPaise(before)} -> ${fromPaise(after)}`);
      return `refused with ${answer.status}`;
    },
  });
  checks.push({
    name: 'reversal.unposted',
    description: 'A reversal of a payment never posted: 404, nothing applied.',
    async run(ctx) {
      const pick = payableAccounts[0] ?? {
        customer: fixtures.customers[0] as Customer,
        account: (fixtures.customers[0] as Customer).accounts[0] as Account,
      };
      const answer = await reverse(ctx, {
        ...paymentBody(pick.customer.customerReference, pick.account.accountNumber, '1.00', newId()),
        status: 'returned',
      });
      ctx.expect(answer.status === 404, `expected 404, got ${answer.status}`, answer);
      return '404';
    },
  });
  checks.push({
    name: 'reversal.once',
    description: 'A posted payment reversed: 200, the balance restored; the same reversal again: 409, nothing applied.',
    async run(ctx) {
      if (!payableAccounts.some((p) => p.account.reverse)) ctx.skip('the fixtures allow reversing no account');
      const posted = await aPayment(ctx);
      if (!posted.account.reverse) ctx.skip('the fixtures do not allow reversing this account');
      const body = { ...posted.body, status: 'returned', payment_reference: posted.reference };
      const first = await reverse(ctx, body);
      ctx.expect(first.status === 200, `the reversal answered ${first.status}, expected 200`, first);
      const restored = await balance(ctx, posted.account.accountNumber);
      ctx.expect(
        restored === posted.before,
        `after the reversal the balance is ${fromPaise(restored)}, not ${fromPaise(posted.before)}`,
      );
      const again = await reverse(ctx, body);
      ctx.expect(again.status === 409, `the second reversal answered ${again.status}, expected 409`, again);
      const after = await balance(ctx, posted.account.accountNumber);
      ctx.expect(
        after === restored,
        `the second reversal moved the balance ${fromPaise(restored)} -> ${fromPaise(after)}`,
      );
      return `reversed once, balance back to ${fromPaise(restored)}`;
    },
  });
  checks.push({
    name: 'refund.unposted',
    description: 'A refund of a payment never posted: 404, nothing applied.',
    async run(ctx) {
      const answer = await refund(ctx, refundBody(newId(), newId(), '1.00'));
      ctx.expect(answer.status === 404, `expected 404, got ${answer.status}`, answer);
      return '404';
    },
  });
  checks.push({
    name: 'refund.once',
    description:
      'A new payment refunded in full: 200, the balance restored; the same refund id again: 409; another refund beyond the payment: 422; nothing applied twice.',
    async run(ctx) {
      const pick = payableAccounts.find((p) => p.account.refund);
      if (!pick) return ctx.skip('the fixtures allow refunding no account');
      const posted = await postNew(ctx, pick.customer, pick.account);
      const body = refundBody(newId(), posted.body.id, posted.body.amount);
      const first = await refund(ctx, body);
      ctx.expect(first.status === 200, `the refund answered ${first.status}, expected 200`, first);
      const restored = await balance(ctx, posted.account.accountNumber);
      ctx.expect(
        restored === posted.before,
        `after the refund the balance is ${fromPaise(restored)}, not ${fromPaise(posted.before)}`,
      );
      const again = await refund(ctx, body);
      ctx.expect(again.status === 409, `the same refund again answered ${again.status}, expected 409`, again);
      const beyond = await refund(ctx, refundBody(newId(), posted.body.id, '1.00'));
      ctx.expect(beyond.status === 422, `a refund beyond the payment answered ${beyond.status}, expected 422`, beyond);
      const after = await balance(ctx, posted.account.accountNumber);
      ctx.expect(
        after === restored,
        `the repeated refunds moved the balance ${fromPaise(restored)} -> ${fromPaise(after)}`,
      );
      return `refunded once, balance back to ${fromPaise(restored)}`;
    },
  });
  return checks;
}
