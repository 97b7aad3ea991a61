import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { postgresAdminUrl } from './postgres-url.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin connection URL when PostgreSQL answers, else null (and the PostgreSQL suites are skipped). */
    postgresUrl: string | null;
  }
}

export default async function setup(project: TestProject): Promise<void> {
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
}
