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
  beginMigrationTransaction<DB>(conn: Kysely<DB>, lockName: string): Promise<void>;
  /**
   * Runs the whole migration step alone among this process's connections to
   * the same database. (SQLite: better-sqlite3 waits for a lock
   * synchronously, so two connections of one process must never wait on each
   * other — the one holding the lock could not run to release it.)
   */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /** Writes a consistent copy of the database (online) to a file; never includes the keyring. */
  backup(file: string): Promise<void>;
  /**
   * Makes rows deleted from `table` unrecoverable from the database files
   * (for shredded keys): SQLite overwrites deleted content (secure_delete)
   * and this truncates the WAL that still holds it; PostgreSQL rewrites the
   * table, leaving no dead tuples behind.
   */
  purgeDeleted(db: Kysely<unknown>, table: string): Promise<void>;
}

/** An open connection (SQLite) or pool (PostgreSQL) with its dialect helpers. */
export interface Connection<DB = Database> {
  readonly db: Kysely<DB>;
  readonly sql: DialectSql;
  /** Closes the connection; waits for queries in flight. */
  close(): Promise<void>;
}
