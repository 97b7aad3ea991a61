// The kit proven both ways: it passes against the real biller with the demo fixtures, for both contracts, and fails
// against each deliberately broken biller, naming the check that catches it. The CLI runs in-process (main()) so
// each run costs a couple of seconds; one spawned run proves the bin and its exit codes.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Db, demoKeys } from '@bbps-kit/biller';
import { Contract } from '@bbps-kit/contracts/validator';
import { afterEach, describe, expect, it } from 'vitest';
import { requiresField } from '../src/checks/common.ts';
import { main } from '../src/cli.ts';
import { loadFixtures } from '../src/fixtures.ts';
import { type Engine, type Handler, postgresReachable, type RunningBiller, startBiller } from './biller.ts';
import {
  acceptsAnyKey,
  creditsRepostTwice,
  errorsAs500,
  errorsOutsideEnvelope,
  ignoresExactness,
  ignoresLimits,
  slow,
} from './mutants.ts';

const running: RunningBiller[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((b) => b.close()));
});

async function conform(
  args: string[],
  wrap?: (real: Handler) => Handler,
  setup?: (db: Db) => Promise<void>,
  engine: Engine = 'PGlite',
) {
  const biller = await startBiller(wrap, setup, engine);
  running.push(biller);
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([...args.slice(0, 1), '--url', biller.url, ...args.slice(1)], {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  const lines = out.join('\n').split('\n');
  const verdict = (name: string) => lines.find((l) => l.slice(6).split(' ')[0] === name)?.slice(0, 4);
  return { code, out: out.join('\n'), err: err.join('\n'), verdict };
}

/** The shipped demo fixtures of a contract, edited by `edit`, written to a fresh temporary file: its path. */
// biome-ignore lint/suspicious/noExplicitAny: the tests edit the parsed JSON freely; the kit validates the result.
async function editedFixtures(contract: 'kaleidofin-partner' | 'ebpp-mpa', edit: (fixtures: any) => void) {
  const fixtures = JSON.parse(await readFile(new URL(`../fixtures/demo.${contract}.json`, import.meta.url), 'utf8'));
  edit(fixtures);
  const file = join(await mkdtemp(join(tmpdir(), 'conform-')), 'fixtures.json');
  await writeFile(file, JSON.stringify(fixtures));
  return file;
}

const kaleidofinKeys = { 'x-api-key': demoKeys.kaleidofinApiKey };
const ebppKeys = { 'client-key': demoKeys.ebppClientKey, 'api-key': demoKeys.ebppApiKey };

// PGlite is one serialised connection: the concurrent reposts prove exactly-once only on a real PostgreSQL pool.
const postgres = await postgresReachable();
for (const engine of ['PGlite', 'PostgreSQL'] as const) {
  const title = `against the real biller with --fixtures demo on ${engine}`;
  const skipped = engine === 'PostgreSQL' && !postgres;
  if (skipped) console.warn(`[conform tests] skipped (PostgreSQL not reachable): ${title}`);
  describe.skipIf(skipped)(title, () => {
    it('kaleidofin-partner: every check passes (bills not marked pay are skipped), reports written', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'conform-'));
      const run = await conform(
        ['kaleidofin-partner', '--fixtures', 'demo', '--report', dir],
        undefined,
        undefined,
        engine,
      );
      expect(run.out).not.toContain('FAIL');
      expect(run.code).toBe(0);
      expect(run.verdict('exactness.TEST-124')).toBe('PASS');
      expect(run.verdict('idempotency.concurrent')).toBe('PASS');
      expect(run.verdict('exactness.TESTING-002')).toBe('SKIP');
      expect(run.out).toMatch(/p50 [\d.]+ ms, p99 [\d.]+ ms/);
      const junit = await readFile(join(dir, 'conform-kaleidofin-partner.junit.xml'), 'utf8');
      expect(junit).toContain('<testcase classname="conform.kaleidofin-partner" name="idempotency.repost"');
      expect(junit).toContain('failures="0"');
      const md = await readFile(join(dir, 'conform-kaleidofin-partner.md'), 'utf8');
      expect(md).toContain('| `timing` | pass |');
    });

    it('ebpp-mpa: every check passes and the balances end where they started', async () => {
      const run = await conform(['ebpp-mpa', '--fixtures', 'demo'], undefined, undefined, engine);
      expect(run.out).not.toContain('FAIL');
      expect(run.out).not.toContain('SKIP');
      expect(run.code).toBe(0);
      expect(run.out).toContain('reversed once, balance back to 2200.00');
      expect(run.out).toMatch(
        /PASS {2}amount-limits.LN-AY1234 +2 payments outside the limits refused, 1.00 and 2200.00 accepted/,
      );
    });
  });
}

describe('the demo fixtures', () => {
  it('the demo fixtures carry the demo keys', async () => {
    expect((await loadFixtures('kaleidofin-partner', 'demo')).credentials).toEqual(kaleidofinKeys);
    expect((await loadFixtures('ebpp-mpa', 'demo')).credentials).toEqual(ebppKeys);
  });
});

describe('against broken billers, the right check fails', () => {
  it('a biller that credits a repost twice (EBPP): idempotency.repost and .concurrent fail', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'conform-'));
    const run = await conform(
      ['ebpp-mpa', '--fixtures', 'demo', '--only', 'idempotency', '--report', dir],
      creditsRepostTwice,
    );
    expect(run.code).toBe(1);
    expect(run.verdict('idempotency.repost')).toBe('FAIL');
    expect(run.verdict('idempotency.concurrent')).toBe('FAIL');
    expect(run.out).toMatch(/the repost moved the balance 2100.00 -> 2000.00/);
    const junit = await readFile(join(dir, 'conform-ebpp-mpa.junit.xml'), 'utf8');
    expect(junit).toMatch(/<testcase[^>]*name="idempotency.repost"[^>]*>\s*<failure/);
    expect(junit).toContain('POST http://127.0.0.1');
    expect(junit).not.toContain(demoKeys.ebppApiKey);
    const md = await readFile(join(dir, 'conform-ebpp-mpa.md'), 'utf8');
    expect(md).toContain('### `idempotency.repost`');
    expect(md).toContain('```http');
  });

  it('a biller that credits a repost twice (Kaleidofin): idempotency.repost fails', async () => {
    const run = await conform(
      ['kaleidofin-partner', '--fixtures', 'demo', '--only', 'idempotency'],
      creditsRepostTwice,
    );
    expect(run.code).toBe(1);
    expect(run.verdict('idempotency.repost')).toBe('FAIL');
    expect(run.verdict('idempotency.concurrent')).toBe('FAIL');
  });

  it('a biller that ignores exactness: exactness.<bill> fails', async () => {
    const run = await conform(['kaleidofin-partner', '--fixtures', 'demo'], ignoresExactness);
    expect(run.code).toBe(1);
    expect(run.verdict('exactness.TEST-124')).toBe('FAIL');
    expect(run.out).toMatch(/expected 422 AMOUNT_EXACTNESS_VIOLATED, got 200/);
    expect(run.verdict('fetchBills.available')).toBe('PASS');
    expect(run.verdict('auth.missing')).toBe('PASS');
  });

  it('a biller that answers client errors as 500: the input and auth checks fail', async () => {
    const run = await conform(['kaleidofin-partner', '--fixtures', 'demo'], errorsAs500);
    expect(run.code).toBe(1);
    for (const name of ['input.malformed-json', 'input.content-type', 'input.fields.fetchBills', 'auth.missing'])
      expect(run.verdict(name), name).toBe('FAIL');
    expect(run.verdict('fetchBills.available')).toBe('PASS');
  });

  it('a biller whose errors leave the envelope: the checks fail with the contract violation', async () => {
    const run = await conform(
      ['ebpp-mpa', '--fixtures', 'demo', '--only', 'auth,input.malformed-json,lookup'],
      errorsOutsideEnvelope,
    );
    expect(run.code).toBe(1);
    expect(run.verdict('auth.missing')).toBe('FAIL');
    expect(run.verdict('input.malformed-json')).toBe('FAIL');
    expect(run.verdict('lookup.not-found')).toBe('FAIL');
    expect(run.verdict('lookup.found')).toBe('PASS');
    expect(run.out).toContain('off the contract: the body is not JSON');
  });

  it('a biller that accepts any key: auth.missing and auth.wrong fail', async () => {
    const run = await conform(
      ['ebpp-mpa', '--fixtures', 'demo', '--only', 'auth,lookup.found'],
      acceptsAnyKey(ebppKeys),
    );
    expect(run.code).toBe(1);
    expect(run.verdict('auth.missing')).toBe('FAIL');
    expect(run.verdict('auth.wrong')).toBe('FAIL');
    expect(run.verdict('lookup.found')).toBe('PASS');
  });

  it('a biller slower than the timeout: its checks and timing fail', async () => {
    const run = await conform(
      ['kaleidofin-partner', '--fixtures', 'demo', '--only', 'fetchBills.not-found,timing', '--timeout-ms', '150'],
      slow(400),
    );
    expect(run.code).toBe(1);
    expect(run.verdict('fetchBills.not-found')).toBe('FAIL');
    expect(run.out).toContain('no answer within 150 ms');
    expect(run.verdict('timing')).toBe('FAIL');
  });
});

describe('amount limits (EBPP)', () => {
  it('a biller that ignores the limits: amount-limits.<account> fails, naming the contract code', async () => {
    const run = await conform(
      ['ebpp-mpa', '--fixtures', 'demo', '--only', 'amount-limits,lookup.found'],
      ignoresLimits,
    );
    expect(run.code).toBe(1);
    expect(run.verdict('amount-limits.LN-AY1234')).toBe('FAIL');
    expect(run.out).toContain('posting 0.99: expected 422 error_payment_amount_low, got 200');
    expect(run.out).toContain('posting 2200.01: expected 422 error_payment_amount_high, got 200');
    expect(run.verdict('lookup.found')).toBe('PASS');
  });

  it("limits the biller's ledger sets (minimum 100.00, maximum 1500.00) pass when the fixtures name them", async () => {
    const setup = async (db: Db) => {
      await db.query(
        "UPDATE accounts SET min_payment_paise = 10000, max_payment_paise = 150000 WHERE account_number = 'LN-AY1234'",
      );
    };
    const file = await editedFixtures('ebpp-mpa', (fixtures) => {
      fixtures.customers[0].accounts[0].limits = { minimum: '100.00', maximum: '1500.00' };
    });
    const run = await conform(['ebpp-mpa', '--fixtures', file, '--only', 'amount-limits'], undefined, setup);
    expect(run.out).toMatch(
      /PASS {2}amount-limits.LN-AY1234 +2 payments outside the limits refused, 100.00 and 1500.00/,
    );
    expect(run.code).toBe(0);
    // The demo fixtures' limits (1.00 to 2200.00) are not this ledger's: the minimum they name is refused.
    const wrong = await conform(['ebpp-mpa', '--fixtures', 'demo', '--only', 'amount-limits'], undefined, setup);
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('posting 1.00 answered 422, expected 200');
  });
});

describe('401 answers', () => {
  it("require a field exactly where the contract's 401 schema does (neither contract does today)", async () => {
    const ebpp = await Contract.load('ebpp-mpa');
    expect(requiresField(await Contract.load('kaleidofin-partner'), 'fetchBills', 401)).toBe(false);
    expect(requiresField(ebpp, 'postPayment', 401)).toBe(false);
    // A copy of the EBPP contract whose Error requires field: the same derivation now demands it.
    const document = structuredClone(ebpp.document) as unknown as {
      components: { schemas: { Error: { required: string[] } } };
    };
    document.components.schemas.Error.required.push('field');
    expect(requiresField(Contract.fromDocument('ebpp-mpa', document), 'postPayment', 401)).toBe(true);
  });

  it('a 401 without field passes the auth checks; one outside the 401 schema fails them', async () => {
    const edit401 =
      (edit: (error: Record<string, unknown>) => void) =>
      (real: Handler): Handler =>
      async (request) => {
        const response = await real(request);
        if (response.status !== 401) return response;
        const json = (await response.json()) as { errors: Record<string, unknown>[] };
        for (const error of json.errors) edit(error);
        return Response.json(json, { status: 401 });
      };
    const noField = await conform(
      ['ebpp-mpa', '--fixtures', 'demo', '--only', 'auth'],
      edit401((error) => {
        delete error.field;
      }),
    );
    expect(noField.out).toContain('PASS  auth.missing');
    expect(noField.code).toBe(0);
    const noCode = await conform(
      ['ebpp-mpa', '--fixtures', 'demo', '--only', 'auth.wrong'],
      edit401((error) => {
        delete error.code;
      }),
    );
    expect(noCode.code).toBe(1);
    expect(noCode.out).toMatch(/answered 401 off the contract: .*code/);
  });
});

describe('--header', () => {
  it('adds the header to every request (a gateway in front of the biller that wants its own key)', async () => {
    const gateway =
      (real: Handler): Handler =>
      async (request) =>
        request.headers.get('x-gateway-key') === 'g-1'
          ? real(request)
          : new Response('no gateway key', { status: 403 });
    const without = await conform(['ebpp-mpa', '--fixtures', 'demo', '--only', 'lookup.not-found'], gateway);
    expect(without.code).toBe(1);
    const withHeader = await conform(
      ['ebpp-mpa', '--fixtures', 'demo', '--only', 'lookup.not-found', '--header', 'X-Gateway-Key=g-1'],
      gateway,
    );
    expect(withHeader.out).toContain('PASS  lookup.not-found');
    expect(withHeader.code).toBe(0);
  });
});

describe('every exactness', () => {
  // The demo bills are all EXACT; the ledger supports the other three, so the demo bills are given them here.
  const exactness = { 'TESTING-002': 'EXACT_UP', 'TEST-124': 'EXACT_DOWN', SAMPLE_ID: 'ANY' } as const;
  const setup = async (db: Db) => {
    for (const [bill, value] of Object.entries(exactness))
      await db.query('UPDATE bills SET exactness = $1 WHERE partner_bill_id = $2', [value, bill]);
  };
  const fixturesFile = () =>
    editedFixtures('kaleidofin-partner', (fixtures) => {
      for (const bill of fixtures.customers.flatMap((c: { bills: unknown[] }) => c.bills)) {
        bill.exactness = exactness[bill.partnerBillId as keyof typeof exactness];
        bill.pay = true;
      }
    });

  it('EXACT_UP, EXACT_DOWN and ANY bills pass on the real biller', async () => {
    const run = await conform(
      ['kaleidofin-partner', '--fixtures', await fixturesFile(), '--only', 'exactness,fetchBills'],
      undefined,
      setup,
    );
    expect(run.out).not.toContain('FAIL');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/PASS {2}exactness.TESTING-002 +1 wrong amounts refused/);
    expect(run.out).toMatch(/PASS {2}exactness.TEST-124 +1 wrong amounts refused/);
    expect(run.out).toMatch(/PASS {2}exactness.SAMPLE_ID +0 wrong amounts refused/);
  });

  it('a biller ignoring exactness fails the EXACT_UP and EXACT_DOWN bills', async () => {
    const run = await conform(
      ['kaleidofin-partner', '--fixtures', await fixturesFile(), '--only', 'exactness'],
      ignoresExactness,
      setup,
    );
    expect(run.code).toBe(1);
    expect(run.verdict('exactness.TESTING-002')).toBe('FAIL');
    expect(run.verdict('exactness.TEST-124')).toBe('FAIL');
    expect(run.verdict('exactness.SAMPLE_ID')).toBe('PASS');
  });
});

describe('arguments and fixtures', () => {
  const cli = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
  const spawn = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  // In-process, as the spawned CLI would run: exit code and both streams.
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const status = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { status, stdout: out.join('\n'), stderr: err.join('\n') };
  };

  it('the bin: --help explains the kit and exits 0; a bad argument exits 2', () => {
    const help = spawn('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('touches nothing the fixtures');
    const bad = spawn('eko-bbps', '--url', 'http://x', '--fixtures', 'demo');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown contract "eko-bbps"');
  });

  it('bad arguments exit 2, each named', async () => {
    const missing = await run('ebpp-mpa');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--url is required');
    expect(missing.stderr).toContain('--fixtures FILE|demo is required');
    const only = await run('ebpp-mpa', '--url', 'http://127.0.0.1:9', '--fixtures', 'demo', '--only', 'nope');
    expect(only.status).toBe(2);
    expect(only.stderr).toContain('unknown check(s): nope');
    expect(
      (await run('ebpp-mpa', '--url', 'http://127.0.0.1:9', '--fixtures', 'demo', '--timeout-ms', '0')).status,
    ).toBe(2);
    expect((await run('ebpp-mpa', '--url', 'ftp://x', '--fixtures', 'demo')).status).toBe(2);
    expect((await run('ebpp-mpa', '--url', 'http://x', '--fixtures', 'demo', '--header', 'novalue')).status).toBe(2);
  });

  it('--list names the stable checks', async () => {
    const list = await run('kaleidofin-partner', '--fixtures', 'demo', '--list');
    expect(list.status).toBe(0);
    for (const name of [
      'exactness.TEST-124',
      'idempotency.repost',
      'auth.wrong',
      'input.fields.fetchReceipt',
      'timing',
    ])
      expect(list.stdout).toContain(name);
  });

  it('a bad fixtures file is refused (exit 2) naming each bad entry', async () => {
    const file = await editedFixtures('kaleidofin-partner', (fixtures) => {
      fixtures.customers[0].bills[1].exactness = 'SOMETIMES';
      delete fixtures.missingBillId;
    });
    const refused = await run('kaleidofin-partner', '--url', 'http://127.0.0.1:9', '--fixtures', file);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('customers[0].bills[1].exactness');
    expect(refused.stderr).toContain('missingBillId');
  });

  it('an unreachable biller fails the checks (exit 1), naming the connection error', async () => {
    const out: string[] = [];
    const code = await main(
      ['ebpp-mpa', '--url', 'http://127.0.0.1:9', '--fixtures', 'demo', '--only', 'lookup.not-found'],
      {
        out: (l) => out.push(l),
        err: () => {},
      },
    );
    expect(code).toBe(1);
    expect(out.join('\n')).toContain('FAIL  lookup.not-found');
    expect(out.join('\n')).toContain('(0 answers)');
  });
});
