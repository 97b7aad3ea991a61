import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPglite } from '../../src/db/pglite.ts';
import { prepareDatabase } from '../../src/db/prepare.ts';
import { postgresAdminUrl } from './postgres-url.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin connection URL when PostgreSQL answers, else null (and the PostgreSQL suites are skipped). */
    postgresUrl: string | null;
    /** A dumpDataDir() tarball of an empty, migrated PGlite database, shared by every test file. */
    pgliteDumpFile: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  // initdb takes seconds; each test file loading this dump instead takes well under one.
  const template = await openPglite();
  await prepareDatabase(template, { demo: false });
  const dump = await template.pglite.dumpDataDir('none');
  await template.close();
  const dumpFile = join(tmpdir(), `biller-tests-${process.pid}.tar`);
  writeFileSync(dumpFile, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteDumpFile', dumpFile);

  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    project.provide('postgresUrl', postgresAdminUrl);
  } catch (error) {
    console.warn(
      `\n[biller tests] PostgreSQL is not reachable at ${postgresAdminUrl} (${(error as Error).message}).\n` +
        '[biller tests] SKIPPING every suite whose name ends in "on PostgreSQL"; the PGlite suites still run.\n',
    );
    project.provide('postgresUrl', null);
  } finally {
    await client.end().catch(() => {});
  }
  return () => rmSync(dumpFile, { force: true });
}
