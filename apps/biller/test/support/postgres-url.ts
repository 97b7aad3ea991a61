/** The PostgreSQL the suites use: each suite creates (and drops) its own database there. */
export const postgresAdminUrl = process.env.BILLER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
