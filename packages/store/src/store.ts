/**
 * Opening the data store: connect, migrate under a lock, and hand out the
 * repositories. The rest of Sundial sees this and nothing of Kysely's
 * connection handling.
 */
import { sql } from 'kysely';
import type { DatabaseKind, DatabaseTarget } from './database-url.js';
import { maskDatabaseUrl } from './database-url.js';
import type { Connection } from './dialects/dialect.js';
import { openPostgres } from './dialects/postgres.js';
import { openSqlite } from './dialects/sqlite.js';
import { migrateToLatest, type MigrationResult } from './migrator.js';
import { migrations as allMigrations, type Migration } from './migrations/index.js';
import { instanceMetaRepository, type InstanceMetaRepository } from './repositories/instance-meta.js';

export interface Store {
  readonly kind: DatabaseKind;
  /** Where the data lives, safe to print (no password). */
  readonly location: string;
  readonly migration: MigrationResult;
  readonly instanceMeta: InstanceMetaRepository;
  /** Throws if the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  readonly migrations?: readonly Migration[];
  readonly now?: () => number;
}

export async function openStore(target: DatabaseTarget, options: OpenStoreOptions = {}): Promise<Store> {
  const connection: Connection = target.kind === 'sqlite' ? openSqlite(target.file) : await openPostgres(target.url);
  let migration: MigrationResult;
  try {
    migration = await migrateToLatest(connection, options.migrations ?? allMigrations, options.now);
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
  const { db } = connection;
  let closed: Promise<void> | undefined;
  return {
    kind: target.kind,
    location: target.kind === 'sqlite' ? target.file : maskDatabaseUrl(target.url),
    migration,
    instanceMeta: instanceMetaRepository(db),
    async ping() {
      await sql`select 1`.execute(db);
    },
    close() {
      closed ??= connection.close();
      return closed;
    },
  };
}
