// Demo data: enough for every example printed in the seeds (and the specs) to work as printed.
// Kaleidofin's fetchBills for AY1234 answers TESTING-002 then TEST-124, in that order, as in the seed;
// the seed's fetchReceipt pays bill SAMPLE_ID, which belongs to another customer so AY1234's list stays as printed.
import type { Queryable } from '../db/db.ts';
import { type BookBatch, upsertBook } from '../ledger/book.ts';

const none = { phone: null, email: null, ssn: null, lookupReference: null };

export const demoBook: BookBatch = {
  customers: [
    // The seed's customer. Email and alternate reference are the EBPP spec's examples, so those lookups work too.
    {
      customerReference: 'AY1234',
      name: 'Vishakha',
      phone: '7706057010',
      email: 'vishakha.kulkarni@gmail.com',
      ssn: null,
      lookupReference: 'PUN014-0098231',
    },
    // The co-borrower on Vishakha's loan: a second profile holding the same account (EBPP's multi-profile model).
    {
      ...none,
      customerReference: 'AY1235',
      name: 'Aditya Kulkarni',
      phone: '9850098765',
      email: 'aditya.kulkarni@outlook.com',
    },
    // The Kaleidofin spec's NO_OUTSTANDING example: a customer who owes nothing.
    { ...none, customerReference: 'AY5678', name: 'Ravi Kumar', phone: '9845012345' },
    // The EBPP spec's closed-account example.
    {
      ...none,
      customerReference: 'AY0871',
      name: 'Rahul Deshpande',
      phone: '9766012345',
      email: 'rahul.deshpande@yahoo.co.in',
    },
    // Holder of the seed's fetchReceipt bill SAMPLE_ID.
    { ...none, customerReference: 'SAMPLE', name: 'Sample Customer', phone: '9000000014' },
  ],
  accounts: [
    {
      accountNumber: 'LN-AY1234',
      nickname: 'Instalment loan',
      status: 'active',
      minPaymentPaise: null,
      maxPaymentPaise: null,
    },
    { accountNumber: 'LN-AY5678', nickname: null, status: 'active', minPaymentPaise: null, maxPaymentPaise: null },
    {
      accountNumber: 'LN-AY0871',
      nickname: 'Two-wheeler loan',
      status: 'closed',
      minPaymentPaise: null,
      maxPaymentPaise: null,
    },
    { accountNumber: 'LN-SAMPLE', nickname: null, status: 'active', minPaymentPaise: null, maxPaymentPaise: null },
  ],
  holders: [
    { accountNumber: 'LN-AY1234', customerReference: 'AY1234', role: 'primary' },
    { accountNumber: 'LN-AY1234', customerReference: 'AY1235', role: 'co_borrower' },
    { accountNumber: 'LN-AY5678', customerReference: 'AY5678', role: 'primary' },
    { accountNumber: 'LN-AY0871', customerReference: 'AY0871', role: 'primary' },
    { accountNumber: 'LN-SAMPLE', customerReference: 'SAMPLE', role: 'primary' },
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
