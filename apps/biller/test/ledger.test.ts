import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Db } from '../src/db/db.ts';
import { prepareDatabase } from '../src/db/prepare.ts';
import { accountsOf, findCustomers, findCustomersWithBills } from '../src/ledger/customers.ts';
import { findPayment, payAccount, payBill, refundPayment, reversePayment } from '../src/ledger/payments.ts';
import { createLedger, forEachEngine, type TestDatabase } from './support/db.ts';

async function balanceOf(db: Db, accountNumber: string): Promise<bigint> {
  const [row] = await db.query<{ balance: bigint }>(
    `SELECT coalesce(sum(b.amount_paise - b.paid_paise), 0)::bigint AS balance
     FROM bills b JOIN accounts a ON a.id = b.account_id WHERE a.account_number = $1`,
    [accountNumber],
  );
  return row?.balance ?? -1n;
}

/** The ledger's own invariant: each bill's paid amount is the sum of its allocations, and never negative. */
async function expectConsistent(db: Db): Promise<void> {
  const broken = await db.query(
    `SELECT b.partner_bill_id, b.paid_paise, coalesce(sum(al.amount_paise), 0) AS allocated
     FROM bills b LEFT JOIN allocations al ON al.bill_id = b.id
     GROUP BY b.id HAVING b.paid_paise <> coalesce(sum(al.amount_paise), 0) OR b.paid_paise < 0`,
  );
  expect(broken).toEqual([]);
}

const vishakhaBills = async (db: Db) => {
  const [vishakha] = await findCustomersWithBills(db, { customerReference: 'AY1234' });
  if (!vishakha) throw new Error('demo customer missing');
  return vishakha.bills;
};

forEachEngine('ledger', (engine) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createLedger(engine, { demo: true });
  });
  afterEach(async () => {
    await t.drop();
  });

  it('migrates and seeds only once', async () => {
    expect(await prepareDatabase(t.db, { demo: true })).toEqual({ applied: [], seeded: false });
    const [count] = await t.db.query<{ n: bigint }>('SELECT count(*) AS n FROM bills');
    expect(count?.n).toBe(3n);
  });

  it('reads customers with their bills in one statement: none owed, and two holders of one account', async () => {
    const [ravi, ...others] = await findCustomersWithBills(t.db, { customerReference: 'AY5678' });
    expect(others).toEqual([]);
    expect(ravi?.name).toBe('Ravi Kumar');
    expect(ravi?.bills).toEqual([]);
    const holders = await findCustomersWithBills(t.db, { accountNumber: 'LN-AY1234' });
    expect(holders.map((c) => [c.customerReference, c.bills.map((b) => b.partnerBillId)])).toEqual([
      ['AY1234', ['TESTING-002', 'TEST-124']],
      ['AY1235', ['TESTING-002', 'TEST-124']],
    ]);
    expect(await findCustomersWithBills(t.db, {})).toEqual([]);
  });

  it("lists Vishakha's bills in the seed's order and shares the account with the co-borrower", async () => {
    const bills = await vishakhaBills(t.db);
    expect(bills.map((b) => [b.partnerBillId, b.outstandingPaise])).toEqual([
      ['TESTING-002', 100000n],
      ['TEST-124', 120000n],
    ]);
    const holders = await findCustomers(t.db, { accountNumber: 'LN-AY1234' });
    expect(holders.map((c) => c.customerReference)).toEqual(['AY1234', 'AY1235']);
    const accounts = await accountsOf(
      t.db,
      holders.map((c) => c.id),
      '2020-08-20',
    );
    const [first, second] = holders.map((c) => accounts.get(c.id)?.[0]);
    expect(first).toMatchObject({ accountNumber: 'LN-AY1234', balancePaise: 220000n, role: 'primary' });
    expect(first).toMatchObject({ pastDuePaise: 120000n, nextDueOn: '2020-08-15', nextDuePaise: 120000n });
    expect(first).toMatchObject({ statementOn: '2020-08-01', statementBalancePaise: 220000n, holderName: 'Vishakha' });
    expect(second).toMatchObject({ accountNumber: 'LN-AY1234', balancePaise: 220000n, role: 'co_borrower' });
  });

  it('finds customers by every stored identifier, all criteria together', async () => {
    const refs = async (criteria: Parameters<typeof findCustomers>[1]) =>
      (await findCustomers(t.db, criteria)).map((c) => c.customerReference);
    expect(await refs({ phone: '7706057010' })).toEqual(['AY1234']);
    expect(await refs({ email: 'Vishakha.Kulkarni@gmail.com' })).toEqual(['AY1234']);
    expect(await refs({ lookupReference: 'PUN014-0098231' })).toEqual(['AY1234']);
    expect(await refs({ customerReference: 'AY1235', accountNumber: 'LN-AY1234' })).toEqual(['AY1235']);
    expect(await refs({ customerReference: 'AY1234', accountNumber: 'LN-SAMPLE' })).toEqual([]);
    expect(await refs({})).toEqual([]);
  });

  it('records a bill payment once and answers its repeat with the same receipt', async () => {
    const input = { channel: 'kaleidofin', externalId: '20201223246869', partnerBillId: 'SAMPLE_ID' } as const;
    const first = await payBill(t.db, { ...input, amountPaise: 100000n, details: { systemBillId: 14 } });
    expect(first.outcome).toBe('recorded');
    const again = await payBill(t.db, { ...input, amountPaise: 100000n });
    expect(again).toEqual({ ...first, outcome: 'repeated' });
    expect((await payBill(t.db, { ...input, amountPaise: 90000n })).outcome).toBe('transaction_conflict');
    expect((await payBill(t.db, { ...input, partnerBillId: 'TEST-124', amountPaise: 100000n })).outcome).toBe(
      'transaction_conflict',
    );
    expect((await payBill(t.db, { ...input, externalId: 'other', amountPaise: 100000n })).outcome).toBe('already_paid');
    expect(await balanceOf(t.db, 'LN-SAMPLE')).toBe(0n);
    await expectConsistent(t.db);
  });

  it('enforces exactness against what the bill still owes', async () => {
    const pay = (amountPaise: bigint, externalId = `t${amountPaise}`) =>
      payBill(t.db, { channel: 'kaleidofin', externalId, partnerBillId: 'TESTING-002', amountPaise });
    expect(await pay(99999n)).toEqual({ outcome: 'amount_mismatch', exactness: 'EXACT', outstandingPaise: 100000n });
    expect(await pay(100001n)).toMatchObject({ outcome: 'amount_mismatch' });
    expect((await pay(404n, 'nope')).outcome).toBe('amount_mismatch');
    expect(
      (await payBill(t.db, { channel: 'kaleidofin', externalId: 'x', partnerBillId: 'NOPE', amountPaise: 1n })).outcome,
    ).toBe('bill_not_found');
    await t.db.query(`UPDATE bills SET exactness = 'EXACT_DOWN' WHERE partner_bill_id = 'TESTING-002'`);
    expect((await pay(40000n)).outcome).toBe('recorded');
    expect((await pay(60001n)).outcome).toBe('amount_mismatch');
    expect((await pay(60000n)).outcome).toBe('recorded');
    await expectConsistent(t.db);
  });

  it('shows a payment through either channel to the other', async () => {
    // Kaleidofin pays June's instalment: EBPP's balance drops by 1000.
    const viaKaleidofin = await payBill(t.db, {
      channel: 'kaleidofin',
      externalId: 'K1',
      partnerBillId: 'TESTING-002',
      amountPaise: 100000n,
    });
    expect(viaKaleidofin.outcome).toBe('recorded');
    expect(await balanceOf(t.db, 'LN-AY1234')).toBe(120000n);
    // EBPP pays 500 on the account: it goes to the earliest-due bill, which Kaleidofin then shows reduced.
    const viaEbpp = await payAccount(t.db, {
      channel: 'ebpp',
      externalId: '1001',
      accountNumber: 'LN-AY1234',
      amountPaise: 50000n,
      paidOn: '2020-08-20',
      details: { status: 'SETTLED', confirmation_number: 'C-1' },
    });
    // The record built from the INSERT's RETURNING reads as the stored payment does.
    expect(viaEbpp).toEqual({ outcome: 'posted', payment: await findPayment(t.db, 'ebpp', '1001') });
    expect((await vishakhaBills(t.db)).map((b) => [b.partnerBillId, b.outstandingPaise])).toEqual([
      ['TEST-124', 70000n],
    ]);
    await expectConsistent(t.db);
  });

  it('posts an account payment once and applies the account rules', async () => {
    const post = (externalId: string, accountNumber: string, amountPaise: bigint) =>
      payAccount(t.db, { channel: 'ebpp', externalId, accountNumber, amountPaise });
    const first = await post('1', 'LN-AY1234', 150000n);
    expect(first.outcome).toBe('posted');
    const repeat = await post('1', 'LN-AY1234', 150000n);
    expect(repeat).toEqual({ ...first, outcome: 'duplicate' });
    expect((await post('1', 'LN-SAMPLE', 5n)).outcome).toBe('duplicate');
    expect(await balanceOf(t.db, 'LN-AY1234')).toBe(70000n);
    expect(await post('2', 'LN-AY1234', 99n)).toEqual({ outcome: 'amount_low', minimumPaise: 100n });
    expect(await post('3', 'LN-AY1234', 70001n)).toEqual({ outcome: 'amount_high', maximumPaise: 70000n });
    expect((await post('4', 'LN-AY0871', 100n)).outcome).toBe('account_closed');
    expect((await post('5', 'LN-NOPE', 100n)).outcome).toBe('account_not_found');
    await t.db.query(`UPDATE accounts SET status = 'queued_for_repair' WHERE account_number = 'LN-SAMPLE'`);
    expect((await post('6', 'LN-SAMPLE', 100n)).outcome).toBe('account_status_invalid');
    await t.db.query(`UPDATE accounts SET max_payment_paise = 50000 WHERE account_number = 'LN-AY1234'`);
    expect(await post('7', 'LN-AY1234', 50001n)).toEqual({ outcome: 'amount_high', maximumPaise: 50000n });
    expect((await post('8', 'LN-AY1234', 50000n)).outcome).toBe('posted');
    // 200 rupees are left: a payment below the minimum is still taken when it settles the account.
    await t.db.query(
      `UPDATE accounts SET min_payment_paise = 50000, max_payment_paise = NULL WHERE account_number = 'LN-AY1234'`,
    );
    expect(await post('9', 'LN-AY1234', 19999n)).toEqual({ outcome: 'amount_low', minimumPaise: 50000n });
    expect((await post('10', 'LN-AY1234', 20000n)).outcome).toBe('posted');
    expect(await post('11', 'LN-AY1234', 0n)).toEqual({ outcome: 'amount_low', minimumPaise: 50000n });
    await expectConsistent(t.db);
  });

  it('reverses a posting exactly once', async () => {
    await payAccount(t.db, { channel: 'ebpp', externalId: '77', accountNumber: 'LN-AY1234', amountPaise: 150000n });
    const reversed = await reversePayment(t.db, { channel: 'ebpp', paymentExternalId: '77' });
    expect(reversed).toMatchObject({ outcome: 'reversed', reversedPaise: 150000n });
    expect(await balanceOf(t.db, 'LN-AY1234')).toBe(220000n);
    expect((await reversePayment(t.db, { channel: 'ebpp', paymentExternalId: '77' })).outcome).toBe('already_reversed');
    expect(await balanceOf(t.db, 'LN-AY1234')).toBe(220000n);
    expect((await reversePayment(t.db, { channel: 'ebpp', paymentExternalId: '78' })).outcome).toBe(
      'payment_not_found',
    );
    // A reversed posting is still a used id: reposting it is a duplicate, not a new credit.
    const repost = await payAccount(t.db, {
      channel: 'ebpp',
      externalId: '77',
      accountNumber: 'LN-AY1234',
      amountPaise: 150000n,
    });
    expect(repost.outcome).toBe('duplicate');
    await expectConsistent(t.db);
  });

  it('refunds against the source payment, never more than it', async () => {
    await payAccount(t.db, { channel: 'ebpp', externalId: '90', accountNumber: 'LN-AY1234', amountPaise: 150000n });
    const refund = (externalId: string, amountPaise: bigint | null) =>
      refundPayment(t.db, { channel: 'ebpp', externalId, paymentExternalId: '90', amountPaise });
    const first = await refund('R1', 100000n);
    expect(first).toMatchObject({ outcome: 'refunded', refund: { amountPaise: 100000n } });
    // 1500 paid July's 1200 and 300 of June's; the refund gives back the latest-due bill first.
    expect((await vishakhaBills(t.db)).map((b) => [b.partnerBillId, b.outstandingPaise])).toEqual([
      ['TESTING-002', 100000n],
      ['TEST-124', 70000n],
    ]);
    expect(await refund('R1', 100000n)).toEqual({ ...first, outcome: 'duplicate' });
    expect(await refund('R2', 50001n)).toEqual({ outcome: 'exceeds_payment', refundablePaise: 50000n });
    expect(await refund('R3', null)).toMatchObject({ outcome: 'refunded', refund: { amountPaise: 50000n } });
    expect(await refund('R4', null)).toEqual({ outcome: 'exceeds_payment', refundablePaise: 0n });
    expect(
      (await refundPayment(t.db, { channel: 'ebpp', externalId: 'R5', paymentExternalId: 'x', amountPaise: 1n }))
        .outcome,
    ).toBe('payment_not_found');
    expect(await balanceOf(t.db, 'LN-AY1234')).toBe(220000n);
    // Nothing is left to reverse either.
    expect(await reversePayment(t.db, { channel: 'ebpp', paymentExternalId: '90' })).toMatchObject({
      outcome: 'reversed',
      reversedPaise: 0n,
    });
    await expectConsistent(t.db);
  });
});
