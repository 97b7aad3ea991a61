import { afterEach, beforeEach, expect, it } from 'vitest';
import { importBookCsv } from '../src/import/book-csv.ts';
import { findCustomers, findCustomersWithBills } from '../src/ledger/customers.ts';
import { payBill } from '../src/ledger/payments.ts';
import { createLedger, forEachEngine, type TestDatabase } from './support/db.ts';

const header =
  'customer_reference,customer_name,phone,email,account_number,holder_role,account_status,bill_id,bill_name,bill_amount,bill_generated_date,bill_due_date,bill_exactness';
const good = [
  header,
  'C1,Asha,9876543210,asha@example.com,ACC-1,primary,active,B1,June EMI,1500.50,2024-06-01,2024-06-10,EXACT',
  'C1,Asha,9876543210,asha@example.com,ACC-1,primary,active,B2,July EMI,1500.50,2024-07-01,2024-07-10,EXACT_DOWN',
  'C2,"Ravi, Jr.",,,ACC-1,co_borrower,,,,,,,',
  'C3,Meena,,,ACC-2,,closed,,,,,,',
].join('\n');

const run = (t: TestDatabase, text: string) => importBookCsv(t.db, [text], { today: '2024-12-31', batchSize: 2 });
const count = async (t: TestDatabase, table: string) =>
  (await t.db.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n;

forEachEngine('CSV import', (engine) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createLedger(engine);
  });
  afterEach(async () => {
    await t.drop();
  });

  it('loads customers, co-borrowers, accounts and bills', async () => {
    const report = await run(t, good);
    expect(report).toEqual({ ok: true, rows: 4, customers: 3, accounts: 2, bills: 2, errors: [], errorCount: 0 });
    const holders = await findCustomers(t.db, { accountNumber: 'ACC-1' });
    expect(holders.map((c) => [c.customerReference, c.name])).toEqual([
      ['C1', 'Asha'],
      ['C2', 'Ravi, Jr.'],
    ]);
    const [ravi] = await findCustomersWithBills(t.db, { customerReference: 'C2' });
    expect(ravi?.bills.map((b) => [b.partnerBillId, b.amountPaise, b.exactness])).toEqual([
      ['B1', 150050n, 'EXACT'],
      ['B2', 150050n, 'EXACT_DOWN'],
    ]);
  });

  it('is an idempotent upsert: the same file twice changes nothing, a corrected file updates in place', async () => {
    await run(t, good);
    const before = await t.db.query('SELECT * FROM bills ORDER BY id');
    expect((await run(t, good)).ok).toBe(true);
    expect(await t.db.query('SELECT * FROM bills ORDER BY id')).toEqual(before);
    // Payments survive a re-import that changes a bill's amount.
    await payBill(t.db, { channel: 'kaleidofin', externalId: 'T1', partnerBillId: 'B1', amountPaise: 150050n });
    const corrected = good.replace('B2,July EMI,1500.50', 'B2,July EMI,1600');
    expect((await run(t, corrected)).ok).toBe(true);
    const [b1, b2] = await t.db.query<{ amount_paise: bigint; paid_paise: bigint }>(
      'SELECT amount_paise, paid_paise FROM bills ORDER BY id',
    );
    expect(b1).toMatchObject({ amount_paise: 150050n, paid_paise: 150050n });
    expect(b2).toMatchObject({ amount_paise: 160000n, paid_paise: 0n });
    expect(await count(t, 'customers')).toBe(3n);
  });

  it('rejects bad rows by row number and applies nothing of the file', async () => {
    const bad = [
      good,
      'C4,Kiran,12345,,ACC-3,,,,,,,,',
      'C5,Lata,,,ACC-4,,,B3,Aug EMI,10.123,2024-08-01,2024-08-10,EXACT',
      'C5,Lata,,,ACC-4,,,B4,Sep EMI,100,2024-09-31,2024-09-10,HALF',
      'C5,Lata,,,ACC-4,,,B1,Dup,100,2024-09-01,2024-09-10,EXACT',
      'C6,Uma,,,ACC-5,,,B5,Future,100,2030-01-01,2030-01-10,EXACT',
      'C7,Short,row',
      'C8,Nul\u0000name,,,ACC-8,,,,,,,,',
    ].join('\n');
    const report = await run(t, bad);
    expect(report.ok).toBe(false);
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([
      [6, 'phone'],
      [7, 'bill_amount'],
      [8, 'bill_generated_date'],
      [8, 'bill_exactness'],
      [9, 'bill_id'],
      [10, 'bill_generated_date'],
      [11, null],
      [12, null],
    ]);
    expect(report.errors[4]?.message).toBe('bill B1 is already on row 2');
    // The good rows before the bad ones (in earlier batches) were rolled back too.
    expect(await count(t, 'customers')).toBe(0n);
    expect(await count(t, 'bills')).toBe(0n);
  });

  it('says why a value breaks its contract, in the words of the generated schema', async () => {
    const report = await run(
      t,
      [
        header,
        'C1,Asha,12345,not-an-email,ACC 1,,,B1,June EMI,1500.505,2024-06-01,2024-06-10,RANGE',
        `${'R'.repeat(101)},"Two
lines",,,ACC-2,,frozen,,,,,,`,
      ].join('\n'),
    );
    expect(report.errors.map((e) => [e.row, e.column, e.message])).toEqual([
      [2, 'phone', expect.stringMatching(/^must match \/.+\/ \(Kaleidofin phoneNumber\), got "12345"$/)],
      [
        2,
        'email',
        expect.stringMatching(/^must be an email address and must match \/.+\/ \(EBPP email\), got "not-an-email"$/),
      ],
      [2, 'account_number', expect.stringMatching(/^must match \/.+\/ \(EBPP account_number\), got "ACC 1"$/)],
      [
        2,
        'bill_amount',
        'must be an EBPP amount in rupees, like 1200.50: more than 2 decimal places (sub-paisa amount)',
      ],
      [2, 'bill_exactness', 'must be one of EXACT, EXACT_UP, EXACT_DOWN, ANY'],
      [
        3,
        'customer_reference',
        expect.stringMatching(/^must be at most 100 characters \(EBPP customer_reference\), got "R{40}"$/),
      ],
      [3, 'customer_name', 'must be on one line (Kaleidofin customer name), got "Two\nlines"'],
      [3, 'account_status', 'must be one of active, closed, queued_for_repair'],
    ]);
  });

  it('refuses a header it does not know, and an empty file', async () => {
    const report = await run(t, 'customer_reference,customer_nmae,account_number\nC1,A,X');
    expect(report.errors.map((e) => e.message)).toEqual([
      expect.stringContaining('unknown column "customer_nmae"'),
      'missing required column "customer_name"',
    ]);
    expect((await run(t, '')).errors).toEqual([
      { row: 1, column: null, message: 'the file is empty: expected a header row' },
    ]);
    expect((await run(t, `${header}\nC1,"broken`)).errors).toEqual([
      { row: 2, column: null, message: 'a quoted field is never closed' },
    ]);
  });
});
