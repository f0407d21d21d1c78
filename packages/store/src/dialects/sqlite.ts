/**
 * SQLite through better-sqlite3: the embedded default. WAL so that readers
 * never wait for the writer, foreign keys on (SQLite leaves them off), a busy
 * timeout so a second process waits for the write lock instead of failing
 * with "database is locked", and full fsync at commit so an acknowledged
 * write survives power loss as well as a killed process.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import { StoreError } from '../errors.js';
import type { Database } from '../schema.js';
import type { Connection, DialectSql } from './dialect.js';

const BUSY_TIMEOUT_MS = 5_000;

/** Per database file, the tail of this process's queue of exclusive work. */
const fileQueues = new Map<string, Promise<unknown>>();

function sqliteSql(file: string, native: BetterSqlite3.Database): DialectSql {
  return {
    kind: 'sqlite',
    async beginMigrationTransaction(conn) {
      // IMMEDIATE takes the write lock at once (waiting up to the busy
      // timeout), so a second process reads the applied list only after the
      // first has committed, and each migration runs once.
      await sql`begin immediate`.execute(conn);
    },
    exclusive(work) {
      const key = resolve(file);
      const previous = fileQueues.get(key) ?? Promise.resolve();
      const run = previous.then(work, work);
      const tail = run.catch(() => undefined);
      fileQueues.set(key, tail);
      void tail.then(() => {
        if (fileQueues.get(key) === tail) fileQueues.delete(key);
      });
      return run;
    },
    async purgeDeleted() {
      // The WAL still holds the deleted rows' pages until a checkpoint; TRUNCATE empties it.
      native.pragma('wal_checkpoint(TRUNCATE)');
    },
    async backup(target) {
      // SQLite's online backup API: a consistent snapshot while writers go on.
      await native.backup(target);
      chmodSync(target, 0o600);
    },
  };
}

export function openSqlite<DB = Database>(file: string): Connection<DB> {
  let native: BetterSqlite3.Database | undefined;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    native = new BetterSqlite3(file, { timeout: BUSY_TIMEOUT_MS });
    native.pragma('journal_mode = WAL');
    native.pragma('foreign_keys = ON');
    native.pragma('synchronous = FULL');
    // Deleted content is overwritten with zeros, not just unlinked: erased
    // activity and shredded keys must not linger in free pages.
    native.pragma('secure_delete = ON');
    // The database holds personal data (encrypted, but still): owner only.
    chmodSync(file, 0o600);
  } catch (cause) {
    native?.close();
    throw new StoreError('store.open_failed', `cannot open the SQLite database ${file}: ${describe(cause)}`, { cause });
  }
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: cachingStatements(native) }) });
  return {
    db,
    sql: sqliteSql(file, native),
    async close() {
      // Kysely closes the native handle; SQLite checkpoints and removes the WAL.
      await db.destroy();
    },
  };
}

const STATEMENT_CACHE = 256;

/**
 * The native handle as Kysely sees it, with prepared statements reused:
 * Kysely prepares every query afresh, and preparing costs more than running
 * the small statements of a heartbeat. Safe because Kysely runs one query at
 * a time on this connection and drains an iterator before the next.
 */
function cachingStatements(native: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => native.close(),
    prepare(text) {
      let statement = cache.get(text);
      if (statement) {
        // Least recently used last: re-insert on every hit.
        cache.delete(text);
      } else {
        statement = native.prepare(text);
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value as string);
      }
      cache.set(text, statement);
      return statement as unknown as ReturnType<SqliteDatabase['prepare']>;
    },
  };
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${cause.message} (${code})` : cause.message;
  }
  return String(cause);
}
