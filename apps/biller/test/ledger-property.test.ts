// Random sequences of payments, repeats, reversals and refunds, through both channels, never break the
// ledger's books: each payment's allocations equal what is left of it, bills are never overpaid nor
// negative, and a repeated reference never credits twice.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Db } from '../src/db/db.ts';
import { payAccount, payBill, refundPayment, reversePayment } from '../src/ledger/payments.ts';
import { createLedger, pgliteEngine } from './support/db.ts';

const reference = fc.constantFrom('1', '2', '3', '4', '5');
const paise = fc.constantFrom(50n, 100n, 10000n, 50000n, 100000n, 120000n, 220000n);
const operation = fc.oneof(
  fc.record({
    kind: fc.constant('bill' as const),
    ref: reference,
    bill: fc.constantFrom('TESTING-002', 'TEST-124', 'SAMPLE_ID'),
    amount: paise,
  }),
  fc.record({
    kind: fc.constant('account' as const),
    ref: reference,
    account: fc.constantFrom('LN-AY1234', 'LN-SAMPLE'),
    amount: paise,
  }),
  fc.record({ kind: fc.constant('reverse' as const), ref: reference }),
  fc.record({ kind: fc.constant('refund' as const), ref: reference, refundRef: reference, amount: fc.option(paise) }),
);

type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never;

async function run(db: Db, op: Operation) {
  switch (op.kind) {
    case 'bill':
      return payBill(db, { channel: 'kaleidofin', externalId: op.ref, partnerBillId: op.bill, amountPaise: op.amount });
    case 'account':
      return payAccount(db, { channel: 'ebpp', externalId: op.ref, accountNumber: op.account, amountPaise: op.amount });
    case 'reverse':
      return reversePayment(db, { channel: 'ebpp', paymentExternalId: op.ref });
    case 'refund':
      return refundPayment(db, {
        channel: 'ebpp',
        externalId: op.refundRef,
        paymentExternalId: op.ref,
        amountPaise: op.amount,
      });
  }
}

async function expectBooksBalance(db: Db): Promise<void> {
  const wrongPayments = await db.query(
    `SELECT p.id FROM payments p
     LEFT JOIN LATERAL (SELECT coalesce(sum(amount_paise), 0) AS net FROM allocations WHERE payment_id = p.id) al ON true
     LEFT JOIN LATERAL (SELECT coalesce(sum(amount_paise), 0) AS refunded FROM refunds WHERE payment_id = p.id) r ON true
     WHERE al.net <> CASE WHEN EXISTS (SELECT 1 FROM reversals WHERE payment_id = p.id) THEN 0
                          ELSE p.amount_paise - r.refunded END`,
  );
  expect(wrongPayments).toEqual([]);
  const wrongBills = await db.query(
    `SELECT b.partner_bill_id FROM bills b
     WHERE b.paid_paise < 0 OR b.paid_paise > b.amount_paise
        OR b.paid_paise <> (SELECT coalesce(sum(amount_paise), 0) FROM allocations WHERE bill_id = b.id)`,
  );
  expect(wrongBills).toEqual([]);
}

it('keeps the books balanced under any sequence of operations (PGlite)', async () => {
  const t = await createLedger(pgliteEngine, { demo: true });
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 25 }), async (ops) => {
        // Each run starts from the demo book with nothing paid.
        await t.db.exec('TRUNCATE allocations, reversals, refunds, payments; UPDATE bills SET paid_paise = 0');
        const accepted = new Set<string>();
        for (const op of ops) {
          const result = await run(t.db, op);
          // A reference is credited at most once.
          if (result.outcome === 'recorded' || result.outcome === 'posted') {
            const key = `${op.kind === 'bill' ? 'kaleidofin' : 'ebpp'}:${op.ref}`;
            expect(accepted.has(key)).toBe(false);
            accepted.add(key);
          }
        }
        await expectBooksBalance(t.db);
      }),
      { numRuns: 60 },
    );
  } finally {
    await t.drop();
  }
});
