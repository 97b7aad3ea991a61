// What the crash and outage tests share: a book of fault-test accounts, a stream of EBPP postings (unique ids, small
// random amounts) that knows which were acknowledged and which must be sent again, and the final check that every
// acknowledged posting is in the ledger exactly once with every balance exact.
import { spawn } from 'node:child_process';
import type { Agent } from 'node:http';
import { ebppHeaders, post, repoRoot } from './biller-process.ts';
import { type EbppPayment, ebppPosting } from './examples.ts';

export interface Posting {
  id: string;
  account: number;
  amountPaise: bigint;
  body: EbppPayment;
  attempts: number;
  answers: number[];
  acknowledged: boolean;
  paymentReference?: string;
}

// Each account owes a small bill due first and a big one due later, so postings also cross bills.
export const smallBillPaise = 500_000n; // 5,000 rupees
export const bigBillPaise = 1_000_000_000n; // 1 crore rupees

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for `promise`, at most `ms`; true when it settled in time. Leaves no timer behind. */
export async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

// mulberry32: a small seeded generator, so a run's choices (amounts, accounts, fault moments) can be replayed.
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const rupees = (paise: bigint) => `${paise / 100n}.${(paise % 100n).toString().padStart(2, '0')}`;
export const accountNumber = (account: number) => `LN-FAULT-${account}`;
const customerReference = (account: number) => `FAULT-${account}`;

/** The biller's CSV book: `accounts` accounts, each owing a small and a big bill. */
export function bookCsv(accounts: number): string {
  const rows = [
    'customer_reference,customer_name,account_number,bill_id,bill_name,bill_amount,bill_generated_date,bill_due_date',
  ];
  for (let a = 0; a < accounts; a++) {
    const start = [customerReference(a), `Fault Customer ${a}`, accountNumber(a)];
    rows.push(
      [...start, `FAULT-${a}-1`, 'FirstInstallment', rupees(smallBillPaise), '2025-01-01', '2025-01-15'].join(','),
    );
    rows.push([...start, `FAULT-${a}-2`, 'Balance', rupees(bigBillPaise), '2025-01-01', '2025-12-31'].join(','));
  }
  return `${rows.join('\n')}\n`;
}

export function runToEnd(
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code) => resolve({ code, output }));
  });
}

export interface SendStats {
  /** HTTP requests sent, first sends and re-sends. */
  requests: number;
  /** Requests that carried an id already sent before. */
  resent: number;
  /** 409 error_duplicate_posting answers: a re-send of a posting whose first answer was lost. */
  duplicates: number;
  /** Requests whose answer never arrived. */
  lost: number;
  /** 503 answers in EBPP's envelope: the biller could not reach its database; sent again later. */
  unavailable: number;
  /** Any other 5xx. */
  serverErrors: number;
}

/** A send's result: acknowledged (200 or a duplicate 409), to be sent again, or refused for good (a problem). */
export type SendResult = 'acknowledged' | 'resend' | 'refused';

/**
 * EBPP postings to the fault-test book, with what became of each. `next()` gives a posting to send: one whose
 * earlier send got no usable answer, else a new one. `send()` posts it and judges the answer; anything wrong is
 * recorded in `problems`.
 */
export class PostingStream {
  readonly postings: Posting[] = [];
  readonly resend: Posting[] = [];
  readonly problems: string[] = [];
  readonly stats: SendStats = { requests: 0, resent: 0, duplicates: 0, lost: 0, unavailable: 0, serverErrors: 0 };

  private readonly template: EbppPayment;
  private readonly accounts: number;
  private readonly rand: () => number;

  private constructor(template: EbppPayment, accounts: number, rand: () => number) {
    this.template = template;
    this.accounts = accounts;
    this.rand = rand;
  }

  static async create(accounts: number, rand: () => number): Promise<PostingStream> {
    const template = await ebppPosting({ id: '0', amount: '1.00', customerReference: '', accountNumber: '' });
    return new PostingStream(template, accounts, rand);
  }

  next(): Posting {
    const again = this.resend.shift();
    if (again) return again;
    const n = this.postings.length;
    const account = Math.floor(this.rand() * this.accounts);
    // 1.00 to 99.99 rupees: at least the account's default minimum, far below what it owes.
    const amountPaise = 100n + BigInt(Math.floor(this.rand() * 9_900));
    const id = String(9_000_000_000 + n);
    const body = structuredClone(this.template);
    body.id = id;
    body.amount = rupees(amountPaise);
    body.confirmation_number = `EBPF${n}`;
    body.customer.customer_reference = customerReference(account);
    body.customer_account.account_number = accountNumber(account);
    const posting: Posting = { id, account, amountPaise, body, attempts: 0, answers: [], acknowledged: false };
    this.postings.push(posting);
    return posting;
  }

  /** One send of a posting over `agent`; what came of it. */
  async send(agent: Agent, port: number, posting: Posting, timeoutMs = 15_000): Promise<SendResult> {
    posting.attempts++;
    this.stats.requests++;
    if (posting.attempts > 1) this.stats.resent++;
    let answer: Awaited<ReturnType<typeof post>>;
    try {
      answer = await post(agent, port, '/paymentposting', ebppHeaders, { json: posting.body }, timeoutMs);
    } catch {
      this.stats.lost++;
      this.resend.push(posting);
      return 'resend';
    }
    const { status, body, headers } = answer;
    posting.answers.push(status);
    if (status === 200) {
      const echo = JSON.parse(body) as {
        id?: string;
        amount?: string;
        account_number?: string;
        payment_reference?: string;
      };
      if (posting.acknowledged)
        this.problems.push(`posting ${posting.id} was answered 200 twice (${posting.answers.join(', ')})`);
      if (
        echo.id !== posting.id ||
        echo.amount !== rupees(posting.amountPaise) ||
        echo.account_number !== accountNumber(posting.account)
      ) {
        this.problems.push(`posting ${posting.id}: 200 does not describe it: ${body}`);
      }
      posting.paymentReference = echo.payment_reference;
      posting.acknowledged = true;
      return 'acknowledged';
    }
    if (status === 409 && body.includes('"error_duplicate_posting"')) {
      this.stats.duplicates++;
      // Only a re-send can be a duplicate: the ids are unique.
      if (posting.attempts === 1) this.problems.push(`posting ${posting.id}: 409 duplicate on its first send`);
      posting.acknowledged = true;
      return 'acknowledged';
    }
    if (status === 503 && isEbppUnavailable(body) && headers['retry-after'] !== undefined) {
      this.stats.unavailable++;
      this.resend.push(posting);
      return 'resend';
    }
    if (status >= 500) this.stats.serverErrors++;
    this.problems.push(`posting ${posting.id}: unexpected ${status} ${body.slice(0, 300)}`);
    // A 5xx promises nothing: send it again later. Any other refusal is final (and already a problem).
    if (status >= 500) {
      this.resend.push(posting);
      return 'resend';
    }
    return 'refused';
  }

  /** Sends what is still unacknowledged until it is, `concurrency` at a time, at most `rounds` times over. */
  async drain(agent: Agent, port: number, concurrency: number, rounds = 5): Promise<void> {
    for (let round = 0; round < rounds && this.resend.length > 0; round++) {
      const batch = this.resend.splice(0);
      for (let i = 0; i < batch.length; i += concurrency) {
        await Promise.all(batch.slice(i, i + concurrency).map((posting) => this.send(agent, port, posting)));
      }
    }
  }

  unacknowledged(): Posting[] {
    return this.postings.filter((p) => !p.acknowledged);
  }
}

/** EBPP's envelope with no `field`: how the biller says its database is unavailable. */
function isEbppUnavailable(body: string): boolean {
  try {
    const { errors } = JSON.parse(body) as { errors?: { code?: string; field?: string }[] };
    return errors?.length === 1 && errors[0]?.code === 'error_field' && errors[0].field === undefined;
  } catch {
    return false;
  }
}

/** Each account's current_balance as the biller's EBPP lookup shows it (or the failed answer, as text). */
export async function balancesShown(agent: Agent, port: number, accounts: number): Promise<Map<number, string>> {
  const shown = new Map<number, string>();
  for (let a = 0; a < accounts; a++) {
    const lookup = await post(agent, port, '/mpacustomers', ebppHeaders, {
      form: { account_number: accountNumber(a) },
    });
    const balance = (JSON.parse(lookup.body) as { customers?: { customer_accounts: { current_balance: string }[] }[] })
      .customers?.[0]?.customer_accounts[0]?.current_balance;
    shown.set(a, lookup.status === 200 && balance ? balance : `HTTP ${lookup.status} ${lookup.body}`);
  }
  return shown;
}

/** Every acknowledged posting once, nothing else, and every balance (in the tables and as shown) exact. */
export async function checkLedger(
  query: <R extends Record<string, unknown>>(sql: string) => Promise<R[]>,
  postings: Posting[],
  accounts: number,
  shown: Map<number, string>,
): Promise<string[]> {
  const problems: string[] = [];
  const rows = await query<{
    id: bigint;
    external_id: string;
    account_number: string;
    amount_paise: bigint;
    allocated: bigint;
  }>(
    `SELECT p.id, p.external_id, a.account_number, p.amount_paise,
            (SELECT coalesce(sum(al.amount_paise), 0) FROM allocations al WHERE al.payment_id = p.id)::bigint AS allocated
     FROM payments p JOIN accounts a ON a.id = p.account_id WHERE p.channel = 'ebpp'`,
  );
  const stored = new Map<string, typeof rows>();
  for (const row of rows) stored.set(row.external_id, [...(stored.get(row.external_id) ?? []), row]);
  const sent = new Map(postings.map((p) => [p.id, p]));
  for (const posting of postings) {
    const found = stored.get(posting.id) ?? [];
    if (posting.acknowledged && found.length !== 1) {
      problems.push(`acknowledged posting ${posting.id} is in the ledger ${found.length} times`);
    }
    if (!posting.acknowledged && found.length > 1)
      problems.push(`posting ${posting.id} is in the ledger ${found.length} times`);
    for (const row of found) {
      if (row.account_number !== accountNumber(posting.account) || row.amount_paise !== posting.amountPaise) {
        problems.push(`posting ${posting.id} stored as ${row.account_number} ${row.amount_paise} paise`);
      }
      // The payment the 200 answered with is this very row.
      const reference = `R${row.id.toString().padStart(4, '0')}`;
      if (posting.paymentReference !== undefined && posting.paymentReference !== reference) {
        problems.push(
          `posting ${posting.id} was answered with ${posting.paymentReference} but is stored as ${reference}`,
        );
      }
      if (row.allocated !== row.amount_paise) {
        problems.push(`posting ${posting.id} of ${row.amount_paise} paise allocated ${row.allocated} paise to bills`);
      }
    }
  }
  for (const id of stored.keys()) if (!sent.has(id)) problems.push(`the ledger holds a payment ${id} nobody sent`);

  const bills = await query<{ partner_bill_id: string; amount_paise: bigint; paid_paise: bigint; allocated: bigint }>(
    `SELECT b.partner_bill_id, b.amount_paise, b.paid_paise,
            (SELECT coalesce(sum(al.amount_paise), 0) FROM allocations al WHERE al.bill_id = b.id)::bigint AS allocated
     FROM bills b`,
  );
  for (const bill of bills) {
    if (bill.paid_paise !== bill.allocated || bill.paid_paise > bill.amount_paise || bill.paid_paise < 0n) {
      problems.push(
        `bill ${bill.partner_bill_id}: paid ${bill.paid_paise} of ${bill.amount_paise}, allocations ${bill.allocated}`,
      );
    }
  }

  const owed = await query<{ account_number: string; owed: bigint }>(
    `SELECT a.account_number, sum(b.amount_paise - b.paid_paise)::bigint AS owed
     FROM bills b JOIN accounts a ON a.id = b.account_id GROUP BY a.account_number`,
  );
  for (let a = 0; a < accounts; a++) {
    const applied = postings
      .filter((p) => p.account === a && p.acknowledged)
      .reduce((sum, p) => sum + p.amountPaise, 0n);
    const expected = smallBillPaise + bigBillPaise - applied;
    const inTables = owed.find((row) => row.account_number === accountNumber(a))?.owed;
    if (inTables !== expected) {
      problems.push(
        `${accountNumber(a)}: owes ${inTables} paise in the tables, expected ${expected} (opening balance less the postings)`,
      );
    }
    if (shown.get(a) !== rupees(expected)) {
      problems.push(`${accountNumber(a)}: lookup shows current_balance ${shown.get(a)}, expected ${rupees(expected)}`);
    }
  }
  return problems;
}
