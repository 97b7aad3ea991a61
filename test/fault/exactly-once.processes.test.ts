// Exactly once across processes: several biller processes share one PostgreSQL database, start at the same
// moment on an empty one (so their migrations and demo seeding race), then take a storm of copies of ONE EBPP
// posting and ONE Kaleidofin acknowledgement, spread round-robin over them. The ledger must record each once,
// every other copy must get the contract's duplicate answer, and nothing may fail.
import { readdirSync } from 'node:fs';
import { Agent } from 'node:http';
import { fileURLToPath } from 'node:url';
import { demoBook } from '@bbps-kit/biller';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Answer,
  type BillerProcess,
  billerEnv,
  ebppHeaders,
  getStatus,
  kaleidofinHeaders,
  post,
  startBiller,
  stopAllBillers,
} from './biller-process.ts';
import { contract, ebppPosting, requestExample } from './examples.ts';
import { connect, createDatabase, postgresUnavailable, type TestDatabase } from './postgres.ts';

const processCount = 4;
const copies = 1_000;
// Enough sockets that every copy is on the wire at once (4 x 256 = 1,024 connections).
const socketsPerProcess = 256;

const title = `exactly once across ${processCount} biller processes on one PostgreSQL database`;
const unavailable = await postgresUnavailable();
if (unavailable) console.warn(`[fault tests] skipped (no PostgreSQL: ${unavailable}): ${title}`);

const migrationVersions = readdirSync(fileURLToPath(new URL('../../apps/biller/src/migrations/', import.meta.url)))
  .map((file) => /^(\d+)_.+\.sql$/.exec(file)?.[1])
  .filter((version) => version !== undefined)
  .map(Number)
  .sort((a, b) => a - b);

describe.skipIf(unavailable !== undefined)(title, () => {
  let database: TestDatabase;
  let sql: pg.Client;
  let billers: BillerProcess[] = [];
  let ports: number[] = [];
  const agents: Agent[] = [];

  beforeAll(async () => {
    database = await createDatabase('processes');
    sql = connect(database.url);
    await sql.connect();
  });

  afterAll(async () => {
    await stopAllBillers(5_000);
    for (const agent of agents) agent.destroy();
    await sql?.end().catch(() => {});
    await database?.drop();
  });

  const count = async (query: string, params: unknown[] = []) =>
    (await sql.query<{ n: bigint }>(query, params)).rows[0]?.n;

  it(`${processCount} processes started together on an empty database come up healthy; schema and demo data exist once`, async () => {
    // Spawned in one synchronous loop: they reach the migration lock within milliseconds of each other.
    billers = Array.from({ length: processCount }, (_, i) =>
      startBiller(billerEnv({ engine: 'postgres', url: database.url }), `biller-${i}`),
    );
    ports = await Promise.all(billers.map((b) => b.listening));
    for (const port of ports) {
      agents.push(new Agent({ keepAlive: true, maxSockets: socketsPerProcess }));
      expect(await getStatus(port, '/healthz')).toMatchObject({ status: 200, body: '{"status":"ok"}' });
    }

    const ready = billers.map((b) => b.events().find((e) => e.msg === 'database ready'));
    expect(ready.every((line) => line !== undefined)).toBe(true);
    const migrated = ready.filter((line) => ((line?.migrations_applied ?? []) as number[]).length > 0);
    expect(migrated).toHaveLength(1);
    expect(migrated[0]?.migrations_applied).toEqual(migrationVersions);
    expect(ready.filter((line) => line?.demo_data_loaded === true)).toHaveLength(1);
    for (const b of billers) expect(b.events().filter((e) => e.level === 'error')).toEqual([]);

    expect(await count('SELECT count(*) AS n FROM schema_migrations')).toBe(BigInt(migrationVersions.length));
    expect(await count('SELECT count(DISTINCT version) AS n FROM schema_migrations')).toBe(
      BigInt(migrationVersions.length),
    );
    expect(await count('SELECT count(*) AS n FROM customers')).toBe(BigInt(demoBook.customers.length));
    expect(await count('SELECT count(*) AS n FROM accounts')).toBe(BigInt(demoBook.accounts.length));
    expect(await count('SELECT count(*) AS n FROM account_holders')).toBe(BigInt(demoBook.holders.length));
    expect(await count('SELECT count(*) AS n FROM bills')).toBe(BigInt(demoBook.bills.length));
    expect(await count('SELECT count(*) AS n FROM payments')).toBe(0n);
  });

  it(`${copies} simultaneous copies of one EBPP posting and of one Kaleidofin acknowledgement make one ledger entry each`, async () => {
    expect(ports).toHaveLength(processCount);
    const ebpp = await contract('ebpp-mpa');
    const kaleidofin = await contract('kaleidofin-partner');

    // 500 rupees against LN-AY1234 goes to its earliest-due bill (TEST-124, 1200); the Kaleidofin payment
    // settles the other bill (TESTING-002, 1000, EXACT). The account then owes 700.
    const posting = await ebppPosting({
      id: '7300018829',
      amount: '500.00',
      customerReference: 'AY1234',
      accountNumber: 'LN-AY1234',
    });
    const acknowledgement = (await requestExample('kaleidofin-partner', 'fetchReceipt', 'SeedFetchReceiptRequest')) as {
      partnerBillId: string;
      paymentDetails: { billAmount: number; amountPaid: number; transactionId: string };
    };
    acknowledgement.partnerBillId = 'TESTING-002';
    expect(ebpp.requestBody('postPayment', posting).errors).toEqual([]);
    expect(kaleidofin.requestBody('fetchReceipt', acknowledgement).errors).toEqual([]);

    // Warm every process up first with requests that change nothing (lookups, a posting refused for its
    // currency, an acknowledgement for an unknown bill): a cold process answers its first requests slowly
    // and one at a time, which would hide a race instead of provoking one.
    const refused = { ...posting, id: '7300000001', currency_code3d: 'USD' };
    const unknownBill = { ...acknowledgement, partnerBillId: 'NO-SUCH-BILL' };
    await Promise.all(
      ports.flatMap((port, i) =>
        Array.from({ length: 40 }, async (_, k) => {
          const agent = agents[i] as Agent;
          const answer = [
            () => post(agent, port, '/mpacustomers', ebppHeaders, { form: { account_number: 'LN-AY1234' } }),
            () => post(agent, port, '/paymentposting', ebppHeaders, { json: refused }),
            () => post(agent, port, '/bills/fetchReceipt', kaleidofinHeaders, { json: unknownBill }),
            () =>
              post(agent, port, '/bills/fetchBills', kaleidofinHeaders, {
                json: [{ identifierKey: 'customerId', identifierValue: 'AY1234' }],
              }),
          ][k % 4]?.();
          expect([200, 404, 422]).toContain((await answer)?.status);
        }),
      ),
    );
    expect(await count('SELECT count(*) AS n FROM payments')).toBe(0n);

    type Sent = { channel: 'ebpp' | 'kaleidofin'; process: number; answer?: Answer; error?: string };
    const sends: Sent[] = [];
    for (let i = 0; i < copies; i++) {
      sends.push({ channel: 'ebpp', process: sends.length % processCount });
      sends.push({ channel: 'kaleidofin', process: sends.length % processCount });
    }
    const started = performance.now();
    await Promise.all(
      sends.map(async (send) => {
        const port = ports[send.process] as number;
        const agent = agents[send.process] as Agent;
        try {
          send.answer =
            send.channel === 'ebpp'
              ? await post(agent, port, '/paymentposting', ebppHeaders, { json: posting })
              : await post(agent, port, '/bills/fetchReceipt', kaleidofinHeaders, { json: acknowledgement });
        } catch (error) {
          send.error = (error as Error).message;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    expect(sends.filter((s) => s.error !== undefined).map((s) => s.error)).toEqual([]);
    const answers = sends.map((s) => ({ ...s, answer: s.answer as Answer, json: JSON.parse(s.answer?.body ?? '') }));
    expect(answers.filter((a) => a.answer.status >= 500)).toEqual([]);

    const ebppAnswers = answers.filter((a) => a.channel === 'ebpp');
    const posted = ebppAnswers.filter((a) => a.answer.status === 200);
    const duplicates = ebppAnswers.filter((a) => a.answer.status === 409);
    expect(posted).toHaveLength(1);
    expect(duplicates).toHaveLength(copies - 1);
    expect(posted[0]?.json).toMatchObject({ id: posting.id, amount: '500.00', account_number: 'LN-AY1234' });
    expect(ebpp.response('postPayment', 200, posted[0]?.json).errors).toEqual([]);
    const duplicateBodies = new Set(duplicates.map((a) => a.answer.body));
    expect(duplicateBodies.size).toBe(1);
    expect(duplicates[0]?.json).toEqual({
      errors: [{ code: 'error_duplicate_posting', message: 'Duplicate Posting, no action required', field: 'id' }],
    });
    expect(ebpp.response('postPayment', 409, duplicates[0]?.json).errors).toEqual([]);

    const receipts = answers.filter((a) => a.channel === 'kaleidofin');
    expect(receipts.filter((a) => a.answer.status !== 200).map((a) => a.answer)).toEqual([]);
    // The same receipt (id and date) for every copy, whichever process answered it.
    expect(new Set(receipts.map((a) => a.answer.body)).size).toBe(1);
    const receipt = receipts[0]?.json as { data: { receipt: { id: string; date: string } } };
    expect(receipt).toMatchObject({ success: true, status: 0 });
    expect(receipt.data.receipt.id).toMatch(/^R\d{4,}$/);
    expect(kaleidofin.response('fetchReceipt', 200, receipt).errors).toEqual([]);

    // Every process answered its share, and none logged a fault.
    for (const b of billers) {
      const statuses = b.requestStatuses();
      const served = [...statuses.values()].reduce((sum, n) => sum + n, 0);
      expect(served).toBeGreaterThanOrEqual((2 * copies) / processCount);
      expect([...statuses.keys()].filter((status) => status >= 500)).toEqual([]);
      expect(b.events().filter((e) => e.level === 'error')).toEqual([]);
    }

    // The ledger itself: one payment per key, one allocation each, bills moved by exactly one payment each.
    expect(
      await count(`SELECT count(*) AS n FROM payments WHERE channel = 'ebpp' AND external_id = $1`, [posting.id]),
    ).toBe(1n);
    expect(
      await count(`SELECT count(*) AS n FROM payments WHERE channel = 'kaleidofin' AND external_id = $1`, [
        acknowledgement.paymentDetails.transactionId,
      ]),
    ).toBe(1n);
    expect(await count('SELECT count(*) AS n FROM payments')).toBe(2n);
    expect(await count('SELECT count(*) AS n FROM allocations')).toBe(2n);
    const paid = await sql.query<{ partner_bill_id: string; paid_paise: bigint; allocated: bigint }>(
      `SELECT b.partner_bill_id, b.paid_paise, coalesce(sum(al.amount_paise), 0)::bigint AS allocated
       FROM bills b LEFT JOIN allocations al ON al.bill_id = b.id GROUP BY b.id ORDER BY b.partner_bill_id`,
    );
    expect(paid.rows).toEqual([
      { partner_bill_id: 'SAMPLE_ID', paid_paise: 0n, allocated: 0n },
      { partner_bill_id: 'TEST-124', paid_paise: 50_000n, allocated: 50_000n },
      { partner_bill_id: 'TESTING-002', paid_paise: 100_000n, allocated: 100_000n },
    ]);
    const [winner] = (
      await sql.query<{ id: bigint }>(`SELECT id FROM payments WHERE channel = 'ebpp' AND external_id = $1`, [
        posting.id,
      ])
    ).rows;
    expect(`R${String(winner?.id).padStart(4, '0')}`).toBe(posted[0]?.json.payment_reference);

    // What both contracts show afterwards, from every process: exactly one payment each.
    for (const [i, port] of ports.entries()) {
      const agent = agents[i] as Agent;
      const lookup = await post(agent, port, '/mpacustomers', ebppHeaders, { form: { account_number: 'LN-AY1234' } });
      expect(lookup.status).toBe(200);
      const accounts = (
        JSON.parse(lookup.body) as { customers: { customer_accounts: { current_balance: string }[] }[] }
      ).customers.flatMap((c) => c.customer_accounts);
      expect(accounts.map((a) => a.current_balance)).toEqual(['700.00', '700.00']); // holder and co-borrower
      const bills = await post(agent, port, '/bills/fetchBills', kaleidofinHeaders, {
        json: [{ identifierKey: 'customerId', identifierValue: 'AY1234' }],
      });
      expect(bills.status).toBe(200);
      expect(
        (JSON.parse(bills.body) as { data: { customerBills: { bills: unknown[] } } }).data.customerBills.bills,
      ).toMatchObject([{ partnerBillId: 'TEST-124', billAmount: 700 }]);
    }

    console.log(
      `[fault] exactly-once: ${processCount} processes, ${sends.length} requests (${copies} EBPP + ${copies} Kaleidofin) ` +
        `in ${seconds.toFixed(1)} s; EBPP 1 posted + ${duplicates.length} x 409 duplicate; ` +
        `Kaleidofin ${receipts.length} x 200 receipt ${receipt.data.receipt.id}; 0 errors, 0 x 5xx`,
    );
  }, 60_000);
});
