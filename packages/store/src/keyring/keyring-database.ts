/**
 * Opening the keyring database, kept apart from the data so that a data
 * backup never contains keys: on SQLite its own file beside the main one
 * (`sundial.db` → `sundial.keyring.db`); on PostgreSQL the `sundial_keyring`
 * schema, which data backups exclude and an operator can grant separately.
 */
import { basename, dirname, extname, join } from 'node:path';
import { sql } from 'kysely';
import type { DatabaseTarget } from '../database-url.js';
import type { Connection } from '../dialects/dialect.js';
import { openPostgres, SCHEMAS_EXCLUDED_FROM_BACKUP } from '../dialects/postgres.js';
import { openSqlite } from '../dialects/sqlite.js';
import { migrateToLatest } from '../migrator.js';
import type { KeyringDatabase } from '../schema.js';
import { keyringMigrations } from './migrations.js';

export const KEYRING_SCHEMA = 'sundial_keyring';
if (!SCHEMAS_EXCLUDED_FROM_BACKUP.includes(KEYRING_SCHEMA))
  throw new Error('the keyring schema must be excluded from data backups');

/** The keyring file that belongs to a SQLite data file. */
export function keyringFileFor(dataFile: string): string {
  const extension = extname(dataFile);
  const stem = basename(dataFile, extension);
  return join(dirname(dataFile), `${stem}.keyring${extension || '.db'}`);
}

export async function openKeyringConnection(target: DatabaseTarget): Promise<Connection<KeyringDatabase>> {
  if (target.kind === 'sqlite') {
    const connection = openSqlite<KeyringDatabase>(keyringFileFor(target.file));
    await migrate(connection);
    return connection;
  }
  const base = await openPostgres<KeyringDatabase>(target.url, { maxConnections: 4 });
  try {
    await sql`create schema if not exists ${sql.id(KEYRING_SCHEMA)}`.execute(base.db).catch(async (error: unknown) => {
      // Two processes creating the schema at once: the loser sees a duplicate; the schema exists.
      const code = (error as { code?: unknown }).code;
      if (code !== '42P06' && code !== '23505') throw error;
    });
    const connection: Connection<KeyringDatabase> = { ...base, db: base.db.withSchema(KEYRING_SCHEMA) };
    await migrate(connection);
    return connection;
  } catch (error) {
    await base.close();
    throw error;
  }
}

async function migrate(connection: Connection<KeyringDatabase>): Promise<void> {
  try {
    await migrateToLatest(connection, keyringMigrations, { lockName: 'sundial_keyring_migrations' });
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}
