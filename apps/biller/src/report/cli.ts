// `pnpm --filter @bbps-kit/biller report --date YYYY-MM-DD [--channel kaleidofin|ebpp] [--format csv|json]`:
// the day's reconciliation report on stdout, progress on stderr. Reads the database the biller uses
// (DATABASE_URL, else the embedded one under DATA_DIR) and never writes to it. Exit code 0 when the whole report
// was written, 1 when the database could not be read or the report stopped part way (then the totals are
// missing, so a cut-short file cannot pass for a whole one), 2 for bad arguments or configuration.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { databaseFromEnv } from '../config.ts';
import type { Db } from '../db/db.ts';
import { openDatabase } from '../db/open.ts';
import { parseReportArgs, UsageError, usage, writeReport } from './report.ts';

function fail(code: number, message: string): void {
  console.error(`report: ${message}`);
  process.exitCode = code;
}

/** A sentence for the operator; pg's AggregateError (one refusal per address) has no message of its own. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const nested = error instanceof AggregateError ? error.errors.map(describe).join('; ') : '';
  const message = error.message.replace(/: ?$/, '');
  if (message && nested) return `${message}: ${nested}`;
  if (message || nested) return message || nested;
  return error.cause !== undefined ? describe(error.cause) : error.name;
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parseReportArgs>;
  try {
    options = parseReportArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return fail(2, `${error.message}\n${usage}`);
  }
  const { database, problem } = databaseFromEnv();
  if (problem) return fail(2, problem);
  // Opening a folder that holds no database would create an empty one: say so instead.
  if (database.kind === 'pglite' && database.dataDir && !existsSync(join(database.dataDir, 'PG_VERSION'))) {
    return fail(
      1,
      `there is no embedded database in ${database.dataDir} (set DATA_DIR, or DATABASE_URL for PostgreSQL)`,
    );
  }
  let db: Db | undefined;
  try {
    // One cursor needs one connection.
    db = await openDatabase(database.kind === 'postgres' ? { ...database, poolSize: 1 } : database);
    await writeReport(db, process.stdout, { ...options, progress: (line) => console.error(line) });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === '42P01')
      fail(1, `the database has no ledger tables (has the biller ever run on it?): ${describe(error)}`);
    else if (code === 'EPIPE') fail(1, 'the output was closed before the report ended');
    else fail(1, describe(error));
  } finally {
    await db?.close().catch(() => {});
  }
}

await main();
