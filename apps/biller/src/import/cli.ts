// `pnpm --filter @bbps-kit/biller run import <file.csv>`: loads customers, accounts and bills into the database
// the server uses (DATABASE_URL, else the embedded one under DATA_DIR). Exit code 0 when applied, 1 when the
// file was rejected (nothing applied), 2 on a usage or setup error.
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { databaseFromEnv } from '../config.ts';
import { openDatabase } from '../db/open.ts';
import { prepareDatabase } from '../db/prepare.ts';
import { importBookCsv } from './book-csv.ts';

const file = process.argv[2];
if (!file || process.argv.length > 3) {
  console.error('usage: pnpm --filter @bbps-kit/biller run import <file.csv>   (columns: see apps/biller/README.md)');
  process.exit(2);
}
// pnpm runs scripts inside the package; INIT_CWD is where the user typed the command.
const path = resolve(process.env.INIT_CWD ?? process.cwd(), file);
const { database, problem } = databaseFromEnv();
if (problem) {
  console.error(problem);
  process.exit(2);
}

const started = performance.now();
let db: Awaited<ReturnType<typeof openDatabase>> | undefined;
try {
  db = await openDatabase(database);
  await prepareDatabase(db, { demo: false });
  const report = await importBookCsv(db, createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 }));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (report.ok) {
    console.log(
      `imported ${path}: ${report.rows} rows, ${report.customers} customers, ${report.accounts} accounts, ` +
        `${report.bills} bills in ${seconds} s`,
    );
  } else {
    console.error(`rejected ${path}: nothing was applied. ${report.errorCount} problem(s):`);
    for (const error of report.errors) {
      console.error(`  row ${error.row}${error.column ? `, ${error.column}` : ''}: ${error.message}`);
    }
    if (report.errorCount > report.errors.length) {
      console.error(`  ... and ${report.errorCount - report.errors.length} more`);
    }
    process.exitCode = 1;
  }
} catch (error) {
  console.error(`import failed: ${(error as Error).message}`);
  process.exitCode = 2;
} finally {
  await db?.close();
}
