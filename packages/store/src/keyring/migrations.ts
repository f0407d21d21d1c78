/**
 * Migrations of the keyring database (its own SQLite file, or the
 * `sundial_keyring` schema in PostgreSQL). History: never edit a released one.
 */
import { bytesType } from '../migrations/column-types.js';
import type { Migration } from '../migrations/migration.js';

export const keyringMigrations: readonly Migration[] = [
  {
    name: '20261122T1700_keyring',
    async up(db, dialect) {
      await db.schema
        .createTable('keyring_meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('data_keys')
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('wrapped', bytesType(dialect), (c) => c.notNull())
        .addColumn('master_key_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('data_keys_pk', ['owner_id', 'version'])
        .execute();
      await db.schema.createIndex('data_keys_master').on('data_keys').columns(['master_key_id', 'owner_id']).execute();
    },
  },
];
