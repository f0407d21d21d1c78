/** People (encrypted email and name) and the encrypted names dictionary. */
import { bytesType } from './column-types.js';
import type { Migration } from './migration.js';

export const peopleAndNames: Migration = {
  name: '20261122T1700_people_and_names',
  async up(db, dialect) {
    const bytes = bytesType(dialect);
    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('email_index', bytes, (c) => c.notNull().unique())
      .addColumn('email_ct', bytes, (c) => c.notNull())
      .addColumn('display_name_ct', bytes)
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('names')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('id', 'bigint', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('blind_index', bytes, (c) => c.notNull())
      .addColumn('value_ct', bytes, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('names_pk', ['user_id', 'id'])
      .addUniqueConstraint('names_blind_index_unique', ['user_id', 'kind', 'blind_index'])
      .execute();
  },
};
