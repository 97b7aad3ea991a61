// What other packages and the cross-package tests use: the app builder, the database layer and the ledger.
export { type AppOptions, buildApp } from './app.ts';
export { type Config, ConfigError, demoKeys, loadConfig } from './config.ts';
export type { Db, Queryable } from './db/db.ts';
export { openDatabase } from './db/open.ts';
export { openPglite } from './db/pglite.ts';
export { openPostgres } from './db/postgres.ts';
export { prepareDatabase } from './db/prepare.ts';
export { demoBook } from './demo/seed.ts';
export { importBookCsv } from './import/book-csv.ts';
export { createLogger } from './logging.ts';
