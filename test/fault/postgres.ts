// PostgreSQL for the fault suites: is the server there, and a fresh database per test, dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Any database on the server will do: it is only used to create and drop the test databases. */
export const adminUrl =
  process.env.FAULT_POSTGRES_URL ??
  process.env.BILLER_TEST_POSTGRES_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

/** undefined when PostgreSQL answers, else why not. */
export async function postgresUnavailable(url = adminUrl): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `${new URL(url).host}: ${(error as Error).message || String(error)}`;
  } finally {
    await client.end().catch(() => {});
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A new, empty database (no schema): the biller processes migrate it themselves. */
export async function createDatabase(prefix: string): Promise<TestDatabase> {
  const name = `fault_${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

/** BIGINT as bigint and DATE as text, as the biller reads them, so sums of paise stay exact. */
export function connect(url: string): pg.Client {
  const client = new pg.Client({
    connectionString: url,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === 20) return (value: string) => BigInt(value);
        if (oid === 1082) return (value: string) => value;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  client.on('error', () => {});
  return client;
}
