/**
 * What differs between SQLite and PostgreSQL. Every other query is shared
 * and tested on both; when a difference appears, it gets a method here and
 * an implementation in each dialect file, nowhere else.
 */
import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../database-url.js';
import type { Database } from '../schema.js';

export interface DialectSql {
  readonly kind: DatabaseKind;
  /**
   * Opens a transaction on a pinned connection and takes a lock that
   * serialises migrations across processes; commit or rollback releases it.
   */
  beginMigrationTransaction(conn: Kysely<Database>): Promise<void>;
  /**
   * Runs the whole migration step alone among this process's connections to
   * the same database. (SQLite: better-sqlite3 waits for a lock
   * synchronously, so two connections of one process must never wait on each
   * other — the one holding the lock could not run to release it.)
   */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

/** An open connection (SQLite) or pool (PostgreSQL) with its dialect helpers. */
export interface Connection {
  readonly db: Kysely<Database>;
  readonly sql: DialectSql;
  /** Closes the connection; waits for queries in flight. */
  close(): Promise<void>;
}
