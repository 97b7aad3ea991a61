// Many identical requests at once, on PostgreSQL through a pool, where they really run concurrently
// (PGlite serialises everything, so it cannot show a race).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPostgres } from '../src/db/postgres.ts';
import { prepareDatabase } from '../src/db/prepare.ts';
import { payAccount, payBill, refundPayment, reversePayment } from '../src/ledger/payments.ts';
import { createLedger, postgresEngine, type TestDatabase } from './support/db.ts';

const engine = postgresEngine();
const title = 'exactly-once under concurrency on PostgreSQL';
if (!engine.available) console.warn(`[biller tests] skipped (no PostgreSQL): ${title}`);
const copies = 40;

describe.skipIf(!engine.available)(title, () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createLedger(engine, { demo: true, poolSize: 20 });
  });
  afterEach(async () => {
    await t.drop();
  });

  const count = async (sql: string) => (await t.db.query<{ n: bigint }>(sql))[0]?.n;

  it(`${copies} identical EBPP postings (same id) make one ledger entry`, async () => {
    const results = await Promise.all(
      Array.from({ length: copies }, () =>
        payAccount(t.db, { channel: 'ebpp', externalId: '5550001', accountNumber: 'LN-AY1234', amountPaise: 50000n }),
      ),
    );
    expect(results.filter((r) => r.outcome === 'posted')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'duplicate')).toHaveLength(copies - 1);
    expect(await count(`SELECT count(*) AS n FROM payments WHERE external_id = '5550001'`)).toBe(1n);
    expect(await count('SELECT sum(paid_paise)::bigint AS n FROM bills')).toBe(50000n);
  });

  it(`${copies} identical Kaleidofin acknowledgements (same transactionId) make one ledger entry`, async () => {
    const results = await Promise.all(
      Array.from({ length: copies }, () =>
        payBill(t.db, {
          channel: 'kaleidofin',
          externalId: '20201223246869',
          partnerBillId: 'SAMPLE_ID',
          amountPaise: 100000n,
        }),
      ),
    );
    expect(results.filter((r) => r.outcome === 'recorded')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'repeated')).toHaveLength(copies - 1);
    // Every answer carries the one receipt.
    const receipts = new Set(results.map((r) => ('payment' in r ? r.payment.receiptId : r.outcome)));
    expect(receipts.size).toBe(1);
    expect(await count('SELECT count(*) AS n FROM payments')).toBe(1n);
    expect(await count('SELECT count(*) AS n FROM allocations')).toBe(1n);
  });

  it('postings, acknowledgements, reversals and refunds racing on one account never over-credit it', async () => {
    // Distinct transactions through both channels at once, each sent three times.
    const work = [
      () =>
        payBill(t.db, { channel: 'kaleidofin', externalId: 'K1', partnerBillId: 'TESTING-002', amountPaise: 100000n }),
      () => payAccount(t.db, { channel: 'ebpp', externalId: '1', accountNumber: 'LN-AY1234', amountPaise: 60000n }),
      () => payAccount(t.db, { channel: 'ebpp', externalId: '2', accountNumber: 'LN-AY1234', amountPaise: 60000n }),
      () => payAccount(t.db, { channel: 'ebpp', externalId: '3', accountNumber: 'LN-AY1234', amountPaise: 60000n }),
    ];
    await Promise.all([...work, ...work, ...work].map((run) => run()));
    const paid = await count('SELECT sum(paid_paise)::bigint AS n FROM bills');
    // Whatever order they ran in, the account never takes more than its 2200 rupees.
    expect(paid).toBeLessThanOrEqual(220000n);
    expect(await count('SELECT count(*) AS n FROM bills WHERE paid_paise > amount_paise')).toBe(0n);
    const posted = await count(`SELECT count(*) AS n FROM payments`);
    const credited = await count(`SELECT sum(amount_paise)::bigint AS n FROM payments`);
    expect(paid).toBe(credited);
    expect(posted).toBeLessThanOrEqual(4n);

    const undo = [
      () => reversePayment(t.db, { channel: 'ebpp', paymentExternalId: '1' }),
      () => refundPayment(t.db, { channel: 'ebpp', externalId: 'F1', paymentExternalId: '2', amountPaise: 10000n }),
      () => refundPayment(t.db, { channel: 'ebpp', externalId: 'F2', paymentExternalId: '2', amountPaise: 60000n }),
    ];
    await Promise.all([...undo, ...undo, ...undo].map((run) => run()));
    expect(await count('SELECT count(*) AS n FROM reversals')).toBeLessThanOrEqual(1n);
    // F1 and F2 together exceed payment 2: at most one of them fits.
    const refunded = await count(`SELECT coalesce(sum(amount_paise), 0)::bigint AS n FROM refunds`);
    expect(refunded === 10000n || refunded === 60000n || refunded === 0n).toBe(true);
    const broken = await t.db.query(
      `SELECT b.id FROM bills b LEFT JOIN allocations al ON al.bill_id = b.id
       GROUP BY b.id HAVING b.paid_paise <> coalesce(sum(al.amount_paise), 0)`,
    );
    expect(broken).toEqual([]);
  });

  it('processes starting together migrate and seed once', async () => {
    const fresh = await engine.create();
    try {
      if (!fresh.url) throw new Error('no url');
      const url = fresh.url;
      const processes = await Promise.all(Array.from({ length: 6 }, () => openPostgres(url, { max: 2 })));
      const results = await Promise.all(processes.map((db) => prepareDatabase(db, { demo: true })));
      await Promise.all(processes.map((db) => db.close()));
      expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
      expect(results.filter((r) => r.seeded)).toHaveLength(1);
      const [bills] = await fresh.db.query<{ n: bigint }>('SELECT count(*) AS n FROM bills');
      expect(bills?.n).toBe(3n);
    } finally {
      await fresh.drop();
    }
  });
});
