/** Single-use password reset tokens (only their SHA-256 is stored). */
import { bytesType } from './column-types.js';
import type { Migration } from './migration.js';

export const passwordResets: Migration = {
  name: '20261122T1900_password_resets',
  async up(db, dialect) {
    await db.schema
      .createTable('password_resets')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('token_hash', bytesType(dialect), (c) => c.notNull().unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .addPrimaryKeyConstraint('password_resets_pk', ['user_id', 'id'])
      .execute();
  },
};
