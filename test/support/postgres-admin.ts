/**
 * The PostgreSQL server the tests use: `SUNDIAL_TEST_DATABASE_URL`, or the
 * local default. Test databases are created beside the one it names and
 * dropped afterwards.
 */
import pg from 'pg';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export function adminUrl(): string {
  return process.env['SUNDIAL_TEST_DATABASE_URL'] || DEFAULT_TEST_DATABASE_URL;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function adminQuery(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}
