// `bbps-conform <contract> --url URL --fixtures FILE|demo` (`pnpm conform` in the repository): checks a biller's
// implementation of the Kaleidofin partner or EBPP MPA contract and prints one line per check. Exit 0 when nothing
// failed, 1 on any failure, 2 on bad arguments or a bad fixtures file.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CheckResult } from './check.ts';
import { type ContractName, contractNames, FixturesError, loadFixtures } from './fixtures.ts';
import { writeReports } from './report.ts';
import { runConform, UsageError } from './run.ts';

export const help = `bbps-conform: check a biller's implementation of a BBPS contract, and report.

Usage:
  bbps-conform <kaleidofin-partner|ebpp-mpa> --url URL --fixtures FILE|demo [options]

  Installed with npm (npm i -D @bbps-kit/conform): npx bbps-conform ...; in the bbps-kit repository: npx pnpm conform ...

  kaleidofin-partner   the two operations a biller implements for Kaleidofin:
                       POST /bills/fetchBills, POST /bills/fetchReceipt
  ebpp-mpa             the four operations a biller implements for EBPP (multi-profile accounts):
                       POST /mpacustomers, /paymentposting, /paymentreversalposting, /paymentrefundposting

Options:
  --url URL            where your biller serves the contract's paths (e.g. https://staging.example.in/bbps)
  --fixtures FILE      a JSON file naming your test data (schema in the package README, "Fixtures"):
                       customers and the identifiers that find them, their bills with amount (rupees) and
                       exactness, a customer that does not exist, a closed account (EBPP), which bills or
                       accounts the kit may pay (and, for EBPP, reverse and refund), and the credential headers.
  --fixtures demo      the shipped fixtures matching this repository's demo biller (pnpm start)
  --header name=value  an extra header on every request (a gateway's own key, say); repeatable
  --report DIR         also write DIR/conform-<contract>.junit.xml (for CI) and DIR/conform-<contract>.md
  --only CHECK,...     run only these checks (a name, or a prefix such as "exactness" or "input")
  --timeout-ms N       an answer slower than N ms fails (default 30000, BBPS's unit timeout)
  --list               print the checks this contract and fixtures give, and exit
  --help               this text

What it does to your biller: it reads the customers and accounts the fixtures name and pays only the bills and
accounts they mark "pay" (in full, once; for EBPP each payment is then reversed or refunded when the fixtures
allow, so balances end where they started). Every other request is one a correct biller refuses without
changing anything (unknown bills and accounts, bad credentials, invalid fields). It touches nothing the fixtures
do not name. Run it against a test ledger, never production. A payable Kaleidofin bill is paid by the first
run; later runs skip the checks that need it until the test data is reloaded.

Each check prints one line: pass, fail or skip, with the reason. The summary gives the answer times (p50, p99).
Exit status: 0 all checks passed or were skipped, 1 a check failed, 2 bad arguments or fixtures.

Example, against the demo biller (npx pnpm start in the bbps-kit repository, then in another terminal):
  npx bbps-conform kaleidofin-partner --url http://localhost:8080 --fixtures demo
  npx bbps-conform ebpp-mpa --url http://localhost:8080 --fixtures demo --report reports
`;

export interface CliOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

const mark: Record<CheckResult['verdict'], string> = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' };

export async function main(argv: string[], io: CliOutput = defaultIo()): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.err(`${(error as Error).message}\n\nRun with --help for usage.`);
    return 2;
  }
  if (parsed === 'help') {
    io.out(help);
    return 0;
  }
  try {
    const fixtures = await loadFixtures(parsed.contract, parsed.fixtures);
    if (parsed.list) {
      const { Contract } = await import('@bbps-kit/contracts/validator');
      const { checksFor } = await import('./run.ts');
      for (const check of checksFor(await Contract.load(parsed.contract), parsed.contract, fixtures))
        io.out(`${check.name.padEnd(34)} ${check.description}`);
      return 0;
    }
    io.out(`bbps-conform ${parsed.contract} against ${parsed.url} (timeout ${parsed.timeoutMs} ms)\n`);
    const report = await runConform({
      contract: parsed.contract,
      url: parsed.url,
      fixtures,
      extraHeaders: parsed.headers,
      timeoutMs: parsed.timeoutMs,
      only: parsed.only,
      onResult: (r) => io.out(`${mark[r.verdict]}  ${r.name.padEnd(34)} ${r.reason}`),
    });
    const count = (v: string) => report.results.filter((r) => r.verdict === v).length;
    io.out(
      `\n${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped in ${(report.ms / 1000).toFixed(1)} s; ` +
        `answer times p50 ${report.timing.p50.toFixed(1)} ms, p99 ${report.timing.p99.toFixed(1)} ms (${report.timing.count} answers)`,
    );
    if (parsed.report) {
      const secrets = [...Object.values(fixtures.credentials), ...Object.values(parsed.headers)];
      for (const file of await writeReports(parsed.report, report, secrets)) io.out(`report: ${file}`);
    }
    return count('fail') > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof FixturesError || error instanceof UsageError) {
      io.err(error.message);
      return 2;
    }
    throw error;
  }
}

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv.filter((arg) => arg !== '--'),
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      header: { type: 'string', multiple: true },
      fixtures: { type: 'string' },
      report: { type: 'string' },
      only: { type: 'string' },
      'timeout-ms': { type: 'string' },
      list: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help' as const;
  const problems: string[] = [];
  const [contract, ...extra] = positionals;
  if (!contract) problems.push(`name the contract: ${contractNames.join(' or ')}`);
  else if (!(contractNames as readonly string[]).includes(contract))
    problems.push(`unknown contract "${contract}": use ${contractNames.join(' or ')}`);
  if (extra.length) problems.push(`unexpected arguments: ${extra.join(' ')}`);
  if (!values.fixtures) problems.push('--fixtures FILE|demo is required');
  let url = values.url ?? '';
  if (!values.list) {
    if (!values.url) problems.push('--url is required');
    else {
      try {
        const parsedUrl = new URL(values.url);
        if (!['http:', 'https:'].includes(parsedUrl.protocol))
          problems.push(`--url must be http or https: ${values.url}`);
        url = parsedUrl.toString();
      } catch {
        problems.push(`--url is not a URL: ${values.url}`);
      }
    }
  }
  const headers: Record<string, string> = {};
  for (const header of values.header ?? []) {
    const at = header.indexOf('=');
    if (at <= 0) problems.push(`--header must be name=value: ${header}`);
    else headers[header.slice(0, at).trim().toLowerCase()] = header.slice(at + 1);
  }
  let timeoutMs = 30_000;
  if (values['timeout-ms'] !== undefined) {
    if (!/^[1-9][0-9]*$/.test(values['timeout-ms']))
      problems.push(`--timeout-ms must be a positive integer: ${values['timeout-ms']}`);
    else timeoutMs = Number(values['timeout-ms']);
  }
  const only = values.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (values.only !== undefined && !only?.length) problems.push('--only needs at least one check name');
  if (problems.length) throw new UsageError(problems.join('\n'));
  // `pnpm conform` runs in the repository root; paths are meant from where the command was typed.
  const from = (path: string) => resolve(process.env.INIT_CWD ?? process.cwd(), path);
  return {
    contract: contract as ContractName,
    url,
    fixtures: values.fixtures === 'demo' ? 'demo' : from(values.fixtures as string),
    headers,
    report: values.report === undefined ? undefined : from(values.report),
    only,
    timeoutMs,
    list: values.list ?? false,
  };
}

function defaultIo(): CliOutput {
  return { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) };
}

/** Runs the command on this process's arguments and sets its exit code (a failure of the kit itself is 2). */
export async function runProcess(): Promise<void> {
  process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    return 2;
  });
}

// `node src/cli.ts` (the repository's `pnpm conform`).
if (import.meta.main) await runProcess();
