/**
 * Categories: a person's category tree and categorisation rules.
 *
 * Names and patterns are personal (a category called after a client, a rule
 * naming a site), so they are ciphertexts. A person who never changed their
 * categories has no rows here and sees the default tree; category_state says
 * whether their tree is stored, and its version — bumped by every change —
 * lets each server process tell whether its compiled rules are still current.
 */
import { bytesType } from './column-types.js';
import type { Migration } from './migration.js';

export const categories: Migration = {
  name: '20261122T2100_categories',
  async up(db, dialect) {
    const bytes = bytesType(dialect);

    await db.schema
      .createTable('categories')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('parent_id', 'text')
      .addColumn('name_ct', bytes, (c) => c.notNull())
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('color', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('categories_pk', ['user_id', 'id'])
      .execute();

    await db.schema
      .createTable('category_rules')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('match', 'text', (c) => c.notNull())
      .addColumn('pattern_ct', bytes, (c) => c.notNull())
      // Null: matching activity stays uncategorised (or only gets `level`).
      .addColumn('category_id', 'text')
      .addColumn('level', 'integer')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('category_rules_pk', ['user_id', 'id'])
      .execute();

    await db.schema
      .createTable('category_state')
      .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
      // 1 once the person's own tree is stored in `categories`.
      .addColumn('customised', 'integer', (c) => c.notNull())
      .addColumn('version', 'bigint', (c) => c.notNull())
      .execute();
  },
};
