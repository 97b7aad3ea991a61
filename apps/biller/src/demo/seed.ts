// Demo data: enough for every example printed in the seeds (and the specs) to work as printed.
// Kaleidofin's fetchBills for AY1234 answers TESTING-002 then TEST-124, in that order, as in the seed;
// the seed's fetchReceipt pays bill SAMPLE_ID, which belongs to another customer so AY1234's list stays as printed.
import type { Queryable } from '../db/db.ts';
import { type BookBatch, upsertBook } from '../ledger/book.ts';

const none = { phone: null, email: null, ssn: null, lookupReference: null };

export const demoBook: BookBatch = {
  customers: [
    {
      customerReference: 'AY1234',
      name: 'Vishakha',
      phone: '7706057010',
      email: 'vishakha@example.com',
      ssn: null,
      lookupReference: 'KF-AY1234',
    },
    // The co-borrower on Vishakha's loan: a second profile holding the same account (EBPP's multi-profile model).
    { ...none, customerReference: 'AY1235', name: 'Rohan', phone: '7706057011' },
    { ...none, customerReference: 'SAMPLE', name: 'Sample Customer', phone: '9000000014' },
  ],
  accounts: [
    { accountNumber: 'LN-AY1234', nickname: 'Loan', status: 'active', minPaymentPaise: null, maxPaymentPaise: null },
    { accountNumber: 'LN-SAMPLE', nickname: 'Loan', status: 'active', minPaymentPaise: null, maxPaymentPaise: null },
    {
      accountNumber: 'LN-CLOSED',
      nickname: 'Repaid loan',
      status: 'closed',
      minPaymentPaise: null,
      maxPaymentPaise: null,
    },
  ],
  holders: [
    { accountNumber: 'LN-AY1234', customerReference: 'AY1234', role: 'primary' },
    { accountNumber: 'LN-AY1234', customerReference: 'AY1235', role: 'co_borrower' },
    { accountNumber: 'LN-SAMPLE', customerReference: 'SAMPLE', role: 'primary' },
    { accountNumber: 'LN-CLOSED', customerReference: 'SAMPLE', role: 'primary' },
  ],
  bills: [
    {
      partnerBillId: 'TESTING-002',
      accountNumber: 'LN-AY1234',
      name: 'JuneInstallment',
      amountPaise: 100000n,
      generatedOn: '2020-08-01',
      dueOn: '2020-09-01',
      exactness: 'EXACT',
    },
    {
      partnerBillId: 'TEST-124',
      accountNumber: 'LN-AY1234',
      name: 'JulyInstallment',
      amountPaise: 120000n,
      generatedOn: '2020-08-01',
      dueOn: '2020-08-15',
      exactness: 'EXACT',
    },
    {
      partnerBillId: 'SAMPLE_ID',
      accountNumber: 'LN-SAMPLE',
      name: 'SampleInstallment',
      amountPaise: 100000n,
      generatedOn: '2020-08-01',
      dueOn: '2020-09-01',
      exactness: 'EXACT',
    },
  ],
};

/** Loads the demo book into an empty database; a database holding any customer is left alone. */
export async function seedDemo(tx: Queryable): Promise<boolean> {
  const [row] = await tx.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM customers) AS any');
  if (row?.any) return false;
  await upsertBook(tx, demoBook);
  return true;
}
