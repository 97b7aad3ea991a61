// Loads a biller's book from CSV: one row per (customer, account[, bill]). It is an upsert keyed on
// customer_reference, account_number and bill_id, so a file can be imported again (fixed, or grown) safely.
// The whole file is one transaction: if any row is bad, nothing is applied and every bad row is reported.
import {
  zAccountNumber,
  zCustomerAccount,
  zCustomerReference,
  zLookupCustomersRequest,
  zMpaCustomer,
  zNotificationEmail,
} from '@bbps-kit/contracts/schemas/ebpp-mpa';
import { zBill, zCustomerInfo } from '@bbps-kit/contracts/schemas/kaleidofin-partner';
import { MoneyError, paiseFromEbppAmount } from '@bbps-kit/money';
import type * as z from 'zod';
import { indianDateOf, isCalendarDate } from '../dates.ts';
import type { Db } from '../db/db.ts';
import {
  type AccountStatus,
  accountStatuses,
  type BookBatch,
  type Exactness,
  emptyBatch,
  exactnessValues,
  type HolderRole,
  holderRoles,
  upsertBook,
} from '../ledger/book.ts';
import { CsvSyntaxError, readCsv } from './csv.ts';

export const csvColumns = [
  'customer_reference',
  'customer_name',
  'phone',
  'email',
  'ssn',
  'lookup_reference',
  'account_number',
  'account_status',
  'account_nickname',
  'holder_role',
  'min_payment',
  'max_payment',
  'bill_id',
  'bill_name',
  'bill_amount',
  'bill_generated_date',
  'bill_due_date',
  'bill_exactness',
] as const;
type Column = (typeof csvColumns)[number];
const requiredColumns: Column[] = ['customer_reference', 'customer_name', 'account_number'];
const billColumns: Column[] = ['bill_name', 'bill_amount', 'bill_generated_date', 'bill_due_date', 'bill_exactness'];

export interface RowError {
  /** File line of the row; the header is line 1. */
  row: number;
  column: Column | null;
  message: string;
}

export interface ImportReport {
  ok: boolean;
  rows: number;
  customers: number;
  accounts: number;
  bills: number;
  /** The first `maxErrors` problems, in file order. */
  errors: RowError[];
  /** All problems, including those not listed. */
  errorCount: number;
}

export interface ImportOptions {
  /** Rows per multi-row statement. */
  batchSize?: number;
  maxErrors?: number;
  /** Bills dated after this day are refused (NPCI: a bill date is never in the future). Default: today in India. */
  today?: string;
}

class Rejected extends Error {}

/**
 * What each column must be, as the contract that serves it back says (the generated schemas): what is imported
 * is what fetchBills and the EBPP lookup answer with, so it must be valid there. Where the two contracts differ,
 * the stricter one is named (a customer reference EBPP accepts is one Kaleidofin accepts too).
 */
const rules = {
  customer_reference: { schema: zCustomerReference, source: 'EBPP customer_reference' },
  customer_name: { schema: zCustomerInfo.shape.name, source: 'Kaleidofin customer name' },
  phone: { schema: zCustomerInfo.shape.phoneNumber.unwrap(), source: 'Kaleidofin phoneNumber' },
  email: { schema: zNotificationEmail, source: 'EBPP email' },
  ssn: { schema: zLookupCustomersRequest.out.shape.ssn.unwrap(), source: 'EBPP ssn' },
  lookup_reference: { schema: zMpaCustomer.shape.lookup_reference.unwrap(), source: 'EBPP lookup_reference' },
  account_number: { schema: zAccountNumber, source: 'EBPP account_number' },
  account_nickname: { schema: zCustomerAccount.shape.nickname.unwrap(), source: 'EBPP nickname' },
  bill_id: { schema: zBill.shape.partnerBillId, source: 'Kaleidofin partnerBillId' },
  bill_name: { schema: zBill.shape.billName, source: 'Kaleidofin billName' },
  bill_generated_date: { schema: zBill.shape.generatedDate, source: 'Kaleidofin generatedDate' },
  bill_due_date: { schema: zBill.shape.dueDate, source: 'Kaleidofin dueDate' },
} satisfies Partial<Record<Column, { schema: z.ZodType<string>; source: string }>>;
type RuledColumn = keyof typeof rules;

// The import's own rule, not a contract's: a line break inside these one-line fields is almost always a
// quoting mistake in the file (a name that swallowed the next row), so it is refused rather than stored.
const oneLineColumns: ReadonlySet<Column> = new Set<Column>(['customer_name', 'account_nickname', 'bill_id']);
const lineBreak = /[\n\r\u2028\u2029]/;

/** Why `value` breaks the column's rule, in words; undefined when it keeps it. */
function breach(column: RuledColumn, value: string): string | undefined {
  const { schema, source } = rules[column];
  const checked = schema.safeParse(value);
  const reasons = checked.success ? [] : [...new Set(checked.error.issues.map(describeIssue))];
  if (oneLineColumns.has(column) && lineBreak.test(value)) reasons.push('must be on one line');
  return reasons.length === 0 ? undefined : `${reasons.join(' and ')} (${source})`;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_big') return `must be at most ${issue.maximum} characters`;
  if (issue.code === 'too_small') return `must be at least ${issue.minimum} characters`;
  if (issue.code === 'invalid_format') {
    if (issue.format === 'regex' && 'pattern' in issue) return `must match ${issue.pattern}`;
    if (issue.format === 'email') return 'must be an email address';
    if (issue.format === 'date') return 'must be a date YYYY-MM-DD';
  }
  return issue.message;
}

/** Imports `chunks` (a file stream) into the book, all or nothing. */
export async function importBookCsv(
  db: Db,
  chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const batchSize = options.batchSize ?? 5000;
  const maxErrors = options.maxErrors ?? 100;
  const today = options.today ?? indianDateOf();
  const errors: RowError[] = [];
  let errorCount = 0;
  const fail = (row: number, column: Column | null, message: string) => {
    errorCount++;
    if (errors.length < maxErrors) errors.push({ row, column, message });
  };
  const customers = new Set<string>();
  const accounts = new Set<string>();
  // bill_id -> row, to report a bill listed twice (most likely a mistake in the file).
  const billRows = new Map<string, number>();
  let rows = 0;

  try {
    await db.transaction(async (tx) => {
      let columns: Map<Column, number> | undefined;
      let batch = emptyBatch();
      let batchRows = 0;
      const flush = async () => {
        // Once the file is known to be bad nothing more is written; the rest is only checked.
        if (batchRows > 0 && errorCount === 0) await upsertBook(tx, batch);
        batch = emptyBatch();
        batchRows = 0;
      };

      for await (const record of readCsv(chunks)) {
        if (!columns) {
          columns = readHeader(record.fields, (message) => fail(record.line, null, message));
          if (errorCount > 0) break;
          continue;
        }
        rows++;
        if (record.fields.length !== columns.size) {
          fail(record.line, null, `has ${record.fields.length} fields, the header has ${columns.size}`);
          continue;
        }
        if (record.fields.some((field) => field.includes('\u0000'))) {
          fail(record.line, null, 'contains a NUL character, which the database cannot store');
          continue;
        }
        const row = readRow(record.line, record.fields, columns, today, fail);
        if (!row) continue;
        customers.add(row.customer.customerReference);
        accounts.add(row.account.accountNumber);
        batch.customers.push(row.customer);
        batch.accounts.push(row.account);
        batch.holders.push(row.holder);
        if (row.bill) {
          const earlier = billRows.get(row.bill.partnerBillId);
          if (earlier !== undefined) {
            fail(record.line, 'bill_id', `bill ${row.bill.partnerBillId} is already on row ${earlier}`);
            continue;
          }
          billRows.set(row.bill.partnerBillId, record.line);
          batch.bills.push(row.bill);
        }
        if (++batchRows >= batchSize) await flush();
      }
      if (!columns && errorCount === 0) fail(1, null, 'the file is empty: expected a header row');
      await flush();
      if (errorCount > 0) throw new Rejected();
    });
  } catch (error) {
    if (error instanceof CsvSyntaxError) fail(error.line, null, error.message.replace(/^line \d+: /, ''));
    else if (!(error instanceof Rejected)) throw error;
  }
  // Fresh statistics after a bulk load: with stale ones the planner hashes whole tables (and JIT-compiles the
  // plan) for lookups that touch a handful of rows.
  if (errorCount === 0 && rows > 0) await db.exec('ANALYZE customers, accounts, account_holders, bills');
  return {
    ok: errorCount === 0,
    rows,
    customers: customers.size,
    accounts: accounts.size,
    bills: billRows.size,
    errors,
    errorCount,
  };
}

function readHeader(fields: string[], fail: (message: string) => void): Map<Column, number> {
  const columns = new Map<Column, number>();
  fields.forEach((name, index) => {
    const column = name.trim().toLowerCase() as Column;
    if (!csvColumns.includes(column)) fail(`unknown column "${name}" (known: ${csvColumns.join(', ')})`);
    else if (columns.has(column)) fail(`column "${column}" appears twice`);
    else columns.set(column, index);
  });
  for (const column of requiredColumns) if (!columns.has(column)) fail(`missing required column "${column}"`);
  return columns;
}

interface BookRow {
  customer: BookBatch['customers'][number];
  account: BookBatch['accounts'][number];
  holder: BookBatch['holders'][number];
  bill: BookBatch['bills'][number] | null;
}

function readRow(
  line: number,
  fields: string[],
  columns: Map<Column, number>,
  today: string,
  fail: (row: number, column: Column | null, message: string) => void,
): BookRow | undefined {
  let bad = false;
  const problem = (column: Column, message: string) => {
    bad = true;
    fail(line, column, message);
  };
  const get = (column: Column): string => {
    const index = columns.get(column);
    return index === undefined ? '' : (fields[index] ?? '').trim();
  };
  const checked = (column: RuledColumn, value: string): string => {
    const why = breach(column, value);
    if (why !== undefined) problem(column, `${why}, got "${value.slice(0, 40)}"`);
    return value;
  };
  const optional = (column: RuledColumn): string | null => {
    const value = get(column);
    return value === '' ? null : checked(column, value);
  };
  const required = (column: RuledColumn, whenMissing = 'is required'): string => {
    const value = get(column);
    if (value === '') problem(column, whenMissing);
    else checked(column, value);
    return value;
  };
  const oneOf = <T extends string>(column: Column, allowed: readonly T[], fallback: T): T => {
    const value = get(column);
    if (value === '') return fallback;
    if (!(allowed as readonly string[]).includes(value)) problem(column, `must be one of ${allowed.join(', ')}`);
    return value as T;
  };
  const money = (column: Column): bigint | null => {
    const value = get(column);
    if (value === '') return null;
    try {
      const paise = paiseFromEbppAmount(value);
      if (paise === 0n) problem(column, 'must be more than 0');
      return paise;
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error;
      problem(column, `must be an EBPP amount in rupees, like 1200.50: ${error.reason}`);
      return null;
    }
  };
  // The contract's date, and one PostgreSQL can store (it has no year 0).
  const date = (column: 'bill_generated_date' | 'bill_due_date'): string => {
    const value = required(column, 'is required with bill_id');
    if (value !== '' && breach(column, value) === undefined && !isCalendarDate(value)) {
      problem(column, `must be a date YYYY-MM-DD from the year 1, got "${value.slice(0, 40)}"`);
    }
    return value;
  };

  const customerReference = required('customer_reference');
  const name = required('customer_name');
  const customer = {
    customerReference,
    name,
    phone: optional('phone'),
    email: optional('email'),
    ssn: optional('ssn'),
    lookupReference: optional('lookup_reference'),
  };
  const accountNumber = required('account_number');
  const minPaymentPaise = money('min_payment');
  const maxPaymentPaise = money('max_payment');
  if (minPaymentPaise !== null && maxPaymentPaise !== null && maxPaymentPaise < minPaymentPaise) {
    problem('max_payment', 'must not be below min_payment');
  }
  const account = {
    accountNumber,
    nickname: optional('account_nickname'),
    status: oneOf<AccountStatus>('account_status', accountStatuses, 'active'),
    minPaymentPaise,
    maxPaymentPaise,
  };
  const holder = { accountNumber, customerReference, role: oneOf<HolderRole>('holder_role', holderRoles, 'primary') };

  let bill: BookRow['bill'] = null;
  const partnerBillId = get('bill_id');
  if (partnerBillId === '') {
    for (const column of billColumns) if (get(column) !== '') problem(column, 'needs a bill_id');
  } else {
    checked('bill_id', partnerBillId);
    const billName = required('bill_name', 'is required with bill_id');
    const amountPaise = money('bill_amount');
    if (get('bill_amount') === '') problem('bill_amount', 'is required with bill_id');
    const generatedOn = date('bill_generated_date');
    const dueOn = date('bill_due_date');
    if (!bad && generatedOn > dueOn) problem('bill_due_date', 'must not be before bill_generated_date');
    if (!bad && generatedOn > today) problem('bill_generated_date', `must not be in the future (after ${today})`);
    const exactness = oneOf<Exactness>('bill_exactness', exactnessValues, 'EXACT');
    bill = {
      partnerBillId,
      accountNumber,
      name: billName,
      amountPaise: amountPaise ?? 0n,
      generatedOn,
      dueOn,
      exactness,
    };
  }
  return bad ? undefined : { customer, account, holder, bill };
}
