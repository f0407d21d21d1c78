/** Passkeys (WebAuthn credentials) and the one-time challenges of their ceremonies. */
import { bytesType } from './column-types.js';
import type { Migration } from './migration.js';

export const passkeys: Migration = {
  name: '20261122T1930_passkeys',
  async up(db, dialect) {
    await db.schema
      .createTable('passkeys')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('public_key', bytesType(dialect), (c) => c.notNull())
      .addColumn('counter', 'bigint', (c) => c.notNull())
      .addColumn('transports', 'text', (c) => c.notNull())
      .addColumn('name_ct', bytesType(dialect), (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint')
      .addPrimaryKeyConstraint('passkeys_pk', ['user_id', 'id'])
      .execute();
    await db.schema
      .createTable('webauthn_challenges')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text')
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('challenge', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
