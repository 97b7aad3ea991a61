// The biller's book (customers, accounts, who holds them, bills), written in batches: one multi-row
// statement per table per batch, with arrays unnested server-side, so loading a million bills is a few
// hundred round trips. Used by the CSV import and the demo data alike.
import type { EbppMpa, KaleidofinPartner } from '@bbps-kit/contracts';
import { zCustomerAccount } from '@bbps-kit/contracts/schemas/ebpp-mpa';
import { zAmountExactness } from '@bbps-kit/contracts/schemas/kaleidofin-partner';
import type { Queryable } from '../db/db.ts';

/**
 * How much of a bill may be paid: Kaleidofin's AmountExactness, less RANGE. A RANGE bill's bounds are agreed
 * out of band and the contract has no fields to carry them, so this biller never issues one (the bills table's
 * CHECK refuses it too; test/schema-enums.test.ts keeps the two in step).
 */
export type Exactness = Exclude<KaleidofinPartner.components['schemas']['AmountExactness'], 'RANGE'>;
export const exactnessValues: readonly Exactness[] = zAmountExactness.options.filter(
  (value): value is Exactness => value !== 'RANGE',
);
/** An account's status, as EBPP's CustomerAccount reports it (the contract names no component for it). */
export type AccountStatus = EbppMpa.components['schemas']['CustomerAccount']['status'];
export const accountStatuses: readonly AccountStatus[] = zCustomerAccount.shape.status.options;
/** How a profile holds an account. The biller's own (no contract carries it): primary holder or co-borrower. */
export const holderRoles = ['primary', 'co_borrower'] as const;
export type HolderRole = (typeof holderRoles)[number];

export interface CustomerRecord {
  customerReference: string;
  name: string;
  phone: string | null;
  email: string | null;
  ssn: string | null;
  lookupReference: string | null;
}

export interface AccountRecord {
  accountNumber: string;
  nickname: string | null;
  status: AccountStatus;
  /** null keeps the schema default (₹1.00). */
  minPaymentPaise: bigint | null;
  maxPaymentPaise: bigint | null;
}

export interface HolderRecord {
  accountNumber: string;
  customerReference: string;
  role: HolderRole;
}

export interface BillRecord {
  partnerBillId: string;
  accountNumber: string;
  name: string;
  amountPaise: bigint;
  /** 'YYYY-MM-DD' */
  generatedOn: string;
  dueOn: string;
  exactness: Exactness;
}

export interface BookBatch {
  customers: CustomerRecord[];
  accounts: AccountRecord[];
  holders: HolderRecord[];
  bills: BillRecord[];
}

export function emptyBatch(): BookBatch {
  return { customers: [], accounts: [], holders: [], bills: [] };
}

// ON CONFLICT DO UPDATE refuses to touch one row twice in a statement, so a batch keeps the last record per key.
function lastPerKey<T>(records: T[], key: (record: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const record of records) byKey.set(key(record), record);
  return [...byKey.values()];
}

/**
 * Inserts or updates everything in the batch. Accounts and customers the holders and bills refer to must be in
 * the batch or already stored (else a NOT NULL violation aborts the transaction). Ids are looked up with a
 * scalar subquery per row: an index probe each, where a join would hash the whole accounts table per batch.
 */
export async function upsertBook(tx: Queryable, batch: BookBatch): Promise<void> {
  const customers = lastPerKey(batch.customers, (c) => c.customerReference);
  if (customers.length > 0) {
    // The WHERE skips rows that did not change, so re-importing a file rewrites nothing.
    await tx.query(
      `INSERT INTO customers (customer_reference, name, phone, email, ssn, lookup_reference)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
       ON CONFLICT (customer_reference) DO UPDATE SET
         name = excluded.name, phone = excluded.phone, email = excluded.email, ssn = excluded.ssn,
         lookup_reference = excluded.lookup_reference, updated_at = now()
       WHERE (customers.name, customers.phone, customers.email, customers.ssn, customers.lookup_reference)
         IS DISTINCT FROM (excluded.name, excluded.phone, excluded.email, excluded.ssn, excluded.lookup_reference)`,
      [
        customers.map((c) => c.customerReference),
        customers.map((c) => c.name),
        customers.map((c) => c.phone),
        customers.map((c) => c.email),
        customers.map((c) => c.ssn),
        customers.map((c) => c.lookupReference),
      ],
    );
  }

  const accounts = lastPerKey(batch.accounts, (a) => a.accountNumber);
  if (accounts.length > 0) {
    await tx.query(
      `INSERT INTO accounts (account_number, nickname, status, min_payment_paise, max_payment_paise)
       SELECT n, nick, s, coalesce(lo, 100), hi
       FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[]) AS u(n, nick, s, lo, hi)
       ON CONFLICT (account_number) DO UPDATE SET
         nickname = excluded.nickname, status = excluded.status,
         min_payment_paise = excluded.min_payment_paise, max_payment_paise = excluded.max_payment_paise,
         updated_at = now()
       WHERE (accounts.nickname, accounts.status, accounts.min_payment_paise, accounts.max_payment_paise)
         IS DISTINCT FROM (excluded.nickname, excluded.status, excluded.min_payment_paise, excluded.max_payment_paise)`,
      [
        accounts.map((a) => a.accountNumber),
        accounts.map((a) => a.nickname),
        accounts.map((a) => a.status),
        accounts.map((a) => a.minPaymentPaise),
        accounts.map((a) => a.maxPaymentPaise),
      ],
    );
  }

  const holders = lastPerKey(batch.holders, (h) => `${h.accountNumber}\u0000${h.customerReference}`);
  if (holders.length > 0) {
    await tx.query(
      `INSERT INTO account_holders (account_id, customer_id, role)
       SELECT (SELECT id FROM accounts WHERE account_number = u.account_number),
              (SELECT id FROM customers WHERE customer_reference = u.customer_reference), u.role
       FROM unnest($1::text[], $2::text[], $3::text[]) AS u(account_number, customer_reference, role)
       ON CONFLICT (account_id, customer_id) DO UPDATE SET role = excluded.role
       WHERE account_holders.role IS DISTINCT FROM excluded.role`,
      [holders.map((h) => h.accountNumber), holders.map((h) => h.customerReference), holders.map((h) => h.role)],
    );
  }

  const bills = lastPerKey(batch.bills, (b) => b.partnerBillId);
  if (bills.length > 0) {
    // WITH ORDINALITY + ORDER BY keeps the file's order in the identity column, which is the order bills
    // are listed in (the seed's fetchBills example is not sorted by date).
    await tx.query(
      `INSERT INTO bills (partner_bill_id, account_id, name, amount_paise, generated_on, due_on, exactness)
       SELECT u.partner_bill_id, (SELECT id FROM accounts WHERE account_number = u.account_number),
              u.name, u.amount_paise, u.generated_on, u.due_on, u.exactness
       FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::date[], $6::date[], $7::text[])
         WITH ORDINALITY AS u(partner_bill_id, account_number, name, amount_paise, generated_on, due_on, exactness, n)
       ORDER BY u.n
       ON CONFLICT (partner_bill_id) DO UPDATE SET
         account_id = excluded.account_id, name = excluded.name, amount_paise = excluded.amount_paise,
         generated_on = excluded.generated_on, due_on = excluded.due_on, exactness = excluded.exactness,
         updated_at = now()
       WHERE (bills.account_id, bills.name, bills.amount_paise, bills.generated_on, bills.due_on, bills.exactness)
         IS DISTINCT FROM (excluded.account_id, excluded.name, excluded.amount_paise, excluded.generated_on,
           excluded.due_on, excluded.exactness)`,
      [
        bills.map((b) => b.partnerBillId),
        bills.map((b) => b.accountNumber),
        bills.map((b) => b.name),
        bills.map((b) => b.amountPaise),
        bills.map((b) => b.generatedOn),
        bills.map((b) => b.dueOn),
        bills.map((b) => b.exactness),
      ],
    );
  }
}
