/**
 * PostgreSQL through node-postgres, selected by a postgres:// URL.
 *
 * node-postgres returns int8 and numeric as strings (they may not fit a
 * JavaScript number). Sundial stores epoch milliseconds and counts in
 * bigint columns, all far below 2^53, so this pool parses them to numbers
 * and refuses, loudly, a value that would lose precision.
 */
import { spawn } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { maskDatabaseUrl } from '../database-url.js';
import { StoreError } from '../errors.js';
import type { Database } from '../schema.js';
import type { Connection, DialectSql } from './dialect.js';

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const CONNECT_TIMEOUT_MS = 5_000;

/** Schemas whose content a data backup leaves out (the keyring is backed up separately). */
export const SCHEMAS_EXCLUDED_FROM_BACKUP = ['sundial_keyring'];

function postgresSql(url: string): DialectSql {
  return {
    kind: 'postgres',
    async beginMigrationTransaction(conn, lockName) {
      await sql`begin`.execute(conn);
      // Transaction-scoped advisory lock: released at commit or rollback, and
      // by the server if this process dies.
      await sql`select pg_advisory_xact_lock(hashtext(${lockName}))`.execute(conn);
    },
    // Connections of one process wait on the advisory lock asynchronously.
    exclusive: (work) => work(),
    async purgeDeleted(db, table) {
      // VACUUM FULL rewrites the table without its dead tuples (a brief exclusive lock; used only on small tables).
      await sql`vacuum full ${sql.table(table)}`.execute(db);
    },
    async backup(file) {
      // pg_dump takes a consistent snapshot (one repeatable-read transaction).
      const args = ['--format=custom', '--no-owner', `--file=${file}`];
      for (const schema of SCHEMAS_EXCLUDED_FROM_BACKUP) args.push(`--exclude-schema=${schema}`);
      await runTool('pg_dump', [...args, url]);
      chmodSync(file, 0o600);
    },
  };
}

/** Runs a PostgreSQL client tool; its error output (never the URL's password) becomes the message. */
export function runTool(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) =>
      reject(
        new StoreError(
          'store.backup_failed',
          `cannot run ${command}: ${error.message} (is the PostgreSQL client installed?)`,
        ),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) resolvePromise();
      else
        reject(new StoreError('store.backup_failed', `${command} failed (${code}): ${maskDatabaseUrl(stderr.trim())}`));
    });
  });
}

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
export async function openPostgres<DB = Database>(
  url: string,
  options: { maxConnections?: number } = {},
): Promise<Connection<DB>> {
  const pool = new pg.Pool({
    connectionString: url,
    types: typeParsers,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    max: options.maxConnections ?? 10,
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
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    sql: postgresSql(url),
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
