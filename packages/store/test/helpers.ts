/**
 * Looking at a test database from outside the store: a raw connection of the
 * right dialect, the tables it has, the migrations it records, and a check
 * for the store's own errors.
 */
import { expect } from 'vitest';
import type { DatabaseTarget } from '../src/database-url.js';
import type { Connection } from '../src/dialects/dialect.js';
import { openPostgres } from '../src/dialects/postgres.js';
import { openSqlite } from '../src/dialects/sqlite.js';
import { StoreError, type StoreErrorCode } from '../src/errors.js';
import type { Migration } from '../src/migrations/index.js';

export async function openConnection(target: DatabaseTarget): Promise<Connection> {
  return target.kind === 'sqlite' ? openSqlite(target.file) : openPostgres(target.url);
}

export async function withConnection<T>(target: DatabaseTarget, use: (conn: Connection) => Promise<T>): Promise<T> {
  const conn = await openConnection(target);
  try {
    return await use(conn);
  } finally {
    await conn.close();
  }
}

/** Names of the data tables (not the keyring's: its own file, or its own PostgreSQL schema), sorted. */
export async function tableNames(target: DatabaseTarget): Promise<string[]> {
  return withConnection(target, async (conn) => {
    const tables = await conn.db.introspection.getTables();
    return tables
      .filter((t) => t.schema === undefined || t.schema === 'public')
      .map((t) => t.name)
      .sort();
  });
}

/** The rows of `sundial_migrations` ordered by name; empty when the table does not exist. */
export async function recordedMigrations(target: DatabaseTarget): Promise<{ name: string; applied_at: number }[]> {
  if (!(await tableNames(target)).includes('sundial_migrations')) return [];
  return withConnection(target, (conn) =>
    conn.db.selectFrom('sundial_migrations').select(['name', 'applied_at']).orderBy('name').execute(),
  );
}

/** Awaits a rejection that must be a `StoreError` with `code`, and returns it for further checks. */
export async function expectStoreError(promise: Promise<unknown>, code: StoreErrorCode): Promise<StoreError> {
  const error: unknown = await promise.then(
    () => expect.fail(`expected a StoreError ${code}, but it resolved`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  expect(error).toMatchObject({ name: 'StoreError', code });
  return error as StoreError;
}

/** A migration that creates a one-column table. */
export function createTableMigration(name: string, table: string): Migration {
  return {
    name,
    async up(db) {
      await db.schema
        .createTable(table)
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .execute();
    },
  };
}

/** A migration whose `up` throws after doing nothing. */
export function throwingMigration(name: string, message: string): Migration {
  return {
    name,
    async up() {
      throw new Error(message);
    },
  };
}
