// Reading the book: who a customer is, what they hold, what they owe. Both contracts read through here.
import type { Queryable } from '../db/db.ts';
import type { AccountStatus, Exactness, HolderRole } from './book.ts';

export interface Customer {
  id: bigint;
  customerReference: string;
  name: string;
  phone: string | null;
  email: string | null;
  lookupReference: string | null;
}

/** Every given criterion must match; an empty criteria object matches nobody. */
export interface CustomerCriteria {
  customerReference?: string;
  phone?: string;
  email?: string;
  ssn?: string;
  lookupReference?: string;
  /** Any holder of this account. */
  accountNumber?: string;
}

// No ssn: a criterion only (see customerFilter), never read back; EBPP's lookup answer never carries it.
const customerColumns = `c.id, c.customer_reference, c.name, c.phone, c.email, c.lookup_reference`;

interface CustomerRow {
  id: bigint;
  customer_reference: string;
  name: string;
  phone: string | null;
  email: string | null;
  lookup_reference: string | null;
  [column: string]: unknown;
}

function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    customerReference: row.customer_reference,
    name: row.name,
    phone: row.phone,
    email: row.email,
    lookupReference: row.lookup_reference,
  };
}

/** The WHERE clause (on `customers c`) and its parameters for `criteria`; undefined when nothing is asked. */
function customerFilter(criteria: CustomerCriteria): { where: string; params: unknown[] } | undefined {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (placeholder: string) => string, value: string | undefined) => {
    if (value === undefined) return;
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  add((p) => `c.customer_reference = ${p}`, criteria.customerReference);
  add((p) => `c.phone = ${p}`, criteria.phone);
  // Email addresses are matched without regard to case, as mail systems do.
  add((p) => `lower(c.email) = lower(${p})`, criteria.email);
  add((p) => `c.ssn = ${p}`, criteria.ssn);
  add((p) => `c.lookup_reference = ${p}`, criteria.lookupReference);
  add(
    (p) =>
      `EXISTS (SELECT 1 FROM account_holders h JOIN accounts a ON a.id = h.account_id
               WHERE h.customer_id = c.id AND a.account_number = ${p})`,
    criteria.accountNumber,
  );
  return where.length === 0 ? undefined : { where: where.join(' AND '), params };
}

export async function findCustomers(db: Queryable, criteria: CustomerCriteria, limit = 50): Promise<Customer[]> {
  const filter = customerFilter(criteria);
  if (!filter) return [];
  const params = [...filter.params, limit];
  const rows = await db.query<CustomerRow>(
    `SELECT ${customerColumns} FROM customers c WHERE ${filter.where} ORDER BY c.id LIMIT $${params.length}`,
    params,
  );
  return rows.map(toCustomer);
}

export interface OutstandingBill {
  partnerBillId: string;
  name: string;
  /** What is still owed on the bill: its amount less what has been paid. */
  outstandingPaise: bigint;
  amountPaise: bigint;
  generatedOn: string;
  dueOn: string;
  exactness: Exactness;
  accountNumber: string;
}

export interface CustomerWithBills extends Customer {
  /** Bills with something left to pay, on the customer's active accounts, in the order they were issued. */
  bills: OutstandingBill[];
}

interface CustomerBillRow extends CustomerRow {
  partner_bill_id: string | null;
  bill_name: string | null;
  amount_paise: bigint | null;
  paid_paise: bigint | null;
  generated_on: string | null;
  due_on: string | null;
  exactness: Exactness | null;
  account_number: string | null;
}

/**
 * Customers matching `criteria` with their outstanding bills, in one statement (one round trip: this is
 * fetchBills' whole read, and the hot path of the biller).
 */
export async function findCustomersWithBills(
  db: Queryable,
  criteria: CustomerCriteria,
  limit = 50,
): Promise<CustomerWithBills[]> {
  const filter = customerFilter(criteria);
  if (!filter) return [];
  const params = [...filter.params, limit];
  const rows = await db.query<CustomerBillRow>(
    `WITH found AS (
       SELECT ${customerColumns} FROM customers c WHERE ${filter.where} ORDER BY c.id LIMIT $${params.length}
     )
     SELECT f.*, o.partner_bill_id, o.bill_name, o.amount_paise, o.paid_paise, o.generated_on, o.due_on,
            o.exactness, o.account_number
     FROM found f
     LEFT JOIN LATERAL (
       SELECT b.id AS bill_id, b.partner_bill_id, b.name AS bill_name, b.amount_paise, b.paid_paise,
              b.generated_on, b.due_on, b.exactness, a.account_number
       FROM account_holders h
       JOIN accounts a ON a.id = h.account_id AND a.status = 'active'
       JOIN bills b ON b.account_id = a.id AND b.paid_paise < b.amount_paise
       WHERE h.customer_id = f.id
     ) o ON true
     ORDER BY f.id, o.bill_id`,
    params,
  );
  const customers = new Map<bigint, CustomerWithBills>();
  for (const row of rows) {
    let customer = customers.get(row.id);
    if (!customer) {
      customer = { ...toCustomer(row), bills: [] };
      customers.set(row.id, customer);
    }
    // A customer without outstanding bills comes back once, with the bill columns null.
    if (row.partner_bill_id === null) continue;
    const amountPaise = row.amount_paise as bigint;
    customer.bills.push({
      partnerBillId: row.partner_bill_id,
      name: row.bill_name as string,
      outstandingPaise: amountPaise - (row.paid_paise as bigint),
      amountPaise,
      generatedOn: row.generated_on as string,
      dueOn: row.due_on as string,
      exactness: row.exactness as Exactness,
      accountNumber: row.account_number as string,
    });
  }
  return [...customers.values()];
}

export interface AccountSummary {
  accountNumber: string;
  nickname: string | null;
  status: AccountStatus;
  /** How the customer asked about holds this account. */
  role: HolderRole;
  /** The primary holder's name (the first holder's when none is marked primary). */
  holderName: string;
  /** Everything still owed on the account's bills (also what pays the account off: there is no interest model). */
  balancePaise: bigint;
  /** Owed on bills whose due date is before `asOf`. */
  pastDuePaise: bigint;
  /** Earliest due date among the bills still owed; null when nothing is owed. */
  nextDueOn: string | null;
  /** Owed on the bills due on `nextDueOn`: the instalment to pay next. */
  nextDuePaise: bigint;
  /** Latest bill date (the latest "statement"); null for an account with no bills. */
  statementOn: string | null;
  /** Still owed on the bills dated `statementOn`. */
  statementBalancePaise: bigint;
  minPaymentPaise: bigint;
  maxPaymentPaise: bigint | null;
}

/** Accounts each customer holds, with balances computed from their bills as of `asOf` ('YYYY-MM-DD'). */
export async function accountsOf(
  db: Queryable,
  customerIds: bigint[],
  asOf: string,
): Promise<Map<bigint, AccountSummary[]>> {
  const rows = await db.query<{
    customer_id: bigint;
    account_number: string;
    nickname: string | null;
    status: AccountStatus;
    role: HolderRole;
    holder_name: string;
    balance: bigint;
    past_due: bigint;
    next_due_on: string | null;
    next_due: bigint;
    statement_on: string | null;
    statement_balance: bigint;
    min_payment_paise: bigint;
    max_payment_paise: bigint | null;
  }>(
    // Overpaid bills (EXACT_UP, ANY) owe nothing rather than a negative amount: greatest(..., 0).
    `SELECT h.customer_id, a.account_number, a.nickname, a.status, h.role, a.min_payment_paise, a.max_payment_paise,
            (SELECT c.name FROM account_holders ph JOIN customers c ON c.id = ph.customer_id
             WHERE ph.account_id = a.id ORDER BY (ph.role = 'primary') DESC, c.id LIMIT 1) AS holder_name,
            s.balance, s.past_due, s.next_due_on, s.statement_on, t.next_due, t.statement_balance
     FROM account_holders h
     JOIN accounts a ON a.id = h.account_id
     CROSS JOIN LATERAL (
       SELECT coalesce(sum(greatest(b.amount_paise - b.paid_paise, 0)), 0)::bigint AS balance,
              coalesce(sum(greatest(b.amount_paise - b.paid_paise, 0)) FILTER (WHERE b.due_on < $2::date), 0)::bigint
                AS past_due,
              min(b.due_on) FILTER (WHERE b.paid_paise < b.amount_paise) AS next_due_on,
              max(b.generated_on) AS statement_on
       FROM bills b WHERE b.account_id = a.id
     ) s
     CROSS JOIN LATERAL (
       SELECT coalesce(sum(greatest(b.amount_paise - b.paid_paise, 0)) FILTER (WHERE b.due_on = s.next_due_on), 0)::bigint
                AS next_due,
              coalesce(sum(greatest(b.amount_paise - b.paid_paise, 0)) FILTER (WHERE b.generated_on = s.statement_on), 0)::bigint
                AS statement_balance
       FROM bills b WHERE b.account_id = a.id
     ) t
     WHERE h.customer_id = ANY($1::bigint[])
     ORDER BY h.customer_id, a.id`,
    [customerIds, asOf],
  );
  const byCustomer = new Map<bigint, AccountSummary[]>();
  for (const row of rows) {
    const list = byCustomer.get(row.customer_id) ?? [];
    list.push({
      accountNumber: row.account_number,
      nickname: row.nickname,
      status: row.status,
      role: row.role,
      holderName: row.holder_name,
      balancePaise: row.balance,
      pastDuePaise: row.past_due,
      nextDueOn: row.next_due_on,
      nextDuePaise: row.next_due,
      statementOn: row.statement_on,
      statementBalancePaise: row.statement_balance,
      minPaymentPaise: row.min_payment_paise,
      maxPaymentPaise: row.max_payment_paise,
    });
    byCustomer.set(row.customer_id, list);
  }
  return byCustomer;
}
