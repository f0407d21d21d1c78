/**
 * PostgreSQL through node-postgres, selected by a postgres:// URL.
 *
 * node-postgres returns int8 and numeric as strings (they may not fit a
 * JavaScript number). Sundial stores epoch milliseconds and counts in
 * bigint columns, all far below 2^53, so this pool parses them to numbers
 * and refuses, loudly, a value that would lose precision.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { maskDatabaseUrl } from '../database-url.js';
import { StoreError } from '../errors.js';
import type { Database } from '../schema.js';
import type { Connection, DialectSql } from './dialect.js';

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const CONNECT_TIMEOUT_MS = 5_000;

export const postgresSql: DialectSql = {
  kind: 'postgres',
  async beginMigrationTransaction(conn) {
    await sql`begin`.execute(conn);
    // Transaction-scoped advisory lock: released at commit or rollback, and
    // by the server if this process dies.
    await sql`select pg_advisory_xact_lock(hashtext('sundial_migrations'))`.execute(conn);
  },
  // Connections of one process wait on the advisory lock asynchronously.
  exclusive: (work) => work(),
};

export function parseSafeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`integer ${text} from PostgreSQL does not fit a JavaScript number`);
  }
  return value;
}

function parseNumeric(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value)) throw new RangeError(`numeric ${text} from PostgreSQL is not finite`);
  return value;
}

const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) => {
    if (format !== 'binary') {
      if (oid === INT8_OID) return parseSafeInteger;
      if (oid === NUMERIC_OID) return parseNumeric;
    }
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** Opens a pool and checks that the server answers, so start-up fails early and clearly. */
export async function openPostgres(url: string): Promise<Connection> {
  const pool = new pg.Pool({
    connectionString: url,
    types: typeParsers,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    max: 10,
  });
  // An idle client can lose its server; without a listener that error would
  // crash the process. The next query reconnects.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (cause) {
    await pool.end().catch(() => undefined);
    throw new StoreError(
      'store.unreachable',
      `cannot reach PostgreSQL at ${maskDatabaseUrl(url)}: ${describePgError(cause)}`,
      { cause },
    );
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    sql: postgresSql,
    async close() {
      await db.destroy();
    },
  };
}

function describePgError(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const code = (cause as { code?: unknown }).code;
  if (code === 'ECONNREFUSED') return 'connection refused (is the server running?)';
  if (code === 'ENOTFOUND') return 'host not found';
  if (code === '3D000') return 'the database does not exist';
  if (code === '28P01' || code === '28000') return 'authentication failed';
  return cause.message || (typeof code === 'string' ? code : 'unknown error');
}
