/**
 * Applies pending migrations at start, all in one transaction under a
 * cross-process lock, and refuses a database that has a migration this code
 * does not know (it was written by a newer Sundial; running older code on it
 * could corrupt data).
 */
import { sql, type Kysely } from 'kysely';
import type { Connection } from './dialects/dialect.js';
import { StoreError } from './errors.js';
import type { Migration } from './migrations/index.js';
import type { SchemaMigrationTable } from './schema.js';

export interface MigrationResult {
  /** Names applied by this call, oldest first. */
  readonly applied: readonly string[];
  /** The newest migration now in the database. */
  readonly latest: string;
}

interface MigrationsDatabase {
  sundial_migrations: SchemaMigrationTable;
}

export interface MigrateOptions {
  readonly now?: () => number;
  /** Names the cross-process lock; each migrated database (data, keyring) has its own. */
  readonly lockName?: string;
}

export async function migrateToLatest<DB>(
  connection: Connection<DB>,
  migrations: readonly Migration[],
  options: MigrateOptions = {},
): Promise<MigrationResult> {
  assertOrdered(migrations);
  const now = options.now ?? Date.now;
  const known = new Set(migrations.map((m) => m.name));
  return connection.sql.exclusive(() =>
    connection.db.connection().execute(async (pinned) => {
      const conn = pinned as unknown as Kysely<MigrationsDatabase>;
      try {
        await connection.sql.beginMigrationTransaction(conn, options.lockName ?? 'sundial_migrations');
      } catch (cause) {
        throw new StoreError(
          'store.migration_failed',
          `cannot take the migration lock: ${cause instanceof Error ? cause.message : String(cause)}`,
          { cause },
        );
      }
      try {
        await conn.schema
          .createTable('sundial_migrations')
          .ifNotExists()
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('applied_at', 'bigint', (c) => c.notNull())
          .execute();
        const rows = await conn.selectFrom('sundial_migrations').select('name').execute();
        const done = new Set(rows.map((r) => r.name));
        const unknown = [...done].filter((name) => !known.has(name)).sort();
        if (unknown.length > 0) {
          throw new StoreError(
            'store.unknown_migration',
            `the database has migrations this version of Sundial does not know (${unknown.join(', ')}); ` +
              'it was used by a newer version: run that version, or restore a backup made by this one',
          );
        }
        const applied: string[] = [];
        for (const migration of migrations) {
          if (done.has(migration.name)) continue;
          try {
            await migration.up(conn, connection.sql.kind);
          } catch (cause) {
            throw new StoreError(
              'store.migration_failed',
              `migration ${migration.name} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
              { cause },
            );
          }
          await conn.insertInto('sundial_migrations').values({ name: migration.name, applied_at: now() }).execute();
          applied.push(migration.name);
        }
        await sql`commit`.execute(conn);
        const latest = migrations.at(-1)?.name ?? '';
        return { applied, latest };
      } catch (error) {
        await sql`rollback`.execute(conn).catch(() => undefined);
        throw error;
      }
    }),
  );
}

function assertOrdered(migrations: readonly Migration[]): void {
  for (let i = 1; i < migrations.length; i++) {
    const previous = migrations[i - 1];
    const current = migrations[i];
    if (previous && current && previous.name >= current.name) {
      throw new Error(`migrations out of order: ${previous.name} before ${current.name}`);
    }
  }
}
