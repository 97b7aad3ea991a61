// The ledger's CHECK (... IN (...)) lists are a second copy of enums the TypeScript (and, through it, the
// contracts) define. SQL cannot import them, so this test reads every such list back from a migrated database
// and compares it with the list it must equal: a value added on one side only fails here.
import { zCustomerAccount } from '@bbps-kit/contracts/schemas/ebpp-mpa';
import { zAmountExactness } from '@bbps-kit/contracts/schemas/kaleidofin-partner';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { accountStatuses, exactnessValues, holderRoles } from '../src/ledger/book.ts';
import { allocationCauses, channels } from '../src/ledger/payments.ts';
import { createLedger, forEachEngine, type TestDatabase } from './support/db.ts';

/** `table.column` → the values its single-column `IN (...)` CHECK allows, read from the catalog. */
async function checkLists(t: TestDatabase): Promise<Map<string, string[]>> {
  const rows = await t.db.query<{ table_name: string; column_name: string; definition: string }>(
    `SELECT rel.relname AS table_name, att.attname AS column_name, pg_get_constraintdef(con.oid) AS definition
     FROM pg_constraint con
     JOIN pg_class rel ON rel.oid = con.conrelid
     JOIN pg_namespace ns ON ns.oid = rel.relnamespace
     JOIN pg_attribute att ON att.attrelid = rel.oid AND att.attnum = con.conkey[1]
     WHERE con.contype = 'c' AND ns.nspname = current_schema() AND cardinality(con.conkey) = 1
     ORDER BY 1, 2`,
  );
  const lists = new Map<string, string[]>();
  for (const row of rows) {
    // PostgreSQL stores `x IN ('a', 'b')` as `(x = ANY (ARRAY['a'::text, 'b'::text]))`.
    const array = /= ANY \(+ARRAY\[(.*)\]\)/.exec(row.definition)?.[1];
    if (array === undefined) continue;
    const values = [...array.matchAll(/'((?:[^']|'')*)'::text/g)].map((m) => (m[1] as string).replaceAll("''", "'"));
    lists.set(`${row.table_name}.${row.column_name}`, values);
  }
  return lists;
}

const sorted = (values: readonly string[]) => [...values].sort();

forEachEngine('schema CHECK lists', (engine) => {
  let t: TestDatabase;
  let lists: Map<string, string[]>;
  beforeAll(async () => {
    t = await createLedger(engine);
    lists = await checkLists(t);
  });
  afterAll(async () => {
    await t.drop();
  });

  const expected: Record<string, readonly string[]> = {
    'accounts.status': accountStatuses,
    'account_holders.role': holderRoles,
    'bills.exactness': exactnessValues,
    'payments.channel': channels,
    'refunds.channel': channels,
    'allocations.cause': allocationCauses,
  };

  it('has exactly the enum CHECKs this test knows (a new one must be added here)', () => {
    expect(sorted([...lists.keys()])).toEqual(sorted(Object.keys(expected)));
  });

  it.each(Object.entries(expected))('%s allows exactly the TypeScript list', (key, values) => {
    expect(sorted(lists.get(key) ?? [])).toEqual(sorted(values));
  });

  it('the SQL exactness rule (ledger_amount_allowed) knows every exactness, and refuses an unknown one', async () => {
    for (const exactness of exactnessValues) {
      const [row] = await t.db.query<{ allowed: boolean | null }>(
        'SELECT ledger_amount_allowed($1, 100, 100) AS allowed',
        [exactness],
      );
      expect(row?.allowed, exactness).toBe(true);
    }
    await expect(t.db.query("SELECT ledger_amount_allowed('RANGE', 100, 100)")).rejects.toThrow(/case not found/i);
  });

  it('the TypeScript lists are the contracts’ (exactness without RANGE only)', () => {
    expect(sorted(accountStatuses)).toEqual(sorted(zCustomerAccount.shape.status.options));
    expect(zAmountExactness.options.filter((value) => !(exactnessValues as readonly string[]).includes(value))).toEqual(
      ['RANGE'],
    );
  });
});
