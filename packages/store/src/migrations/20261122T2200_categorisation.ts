/**
 * Categorisation state: which version of a person's categories and rules
 * their `category` and `level` rollups were computed with, and the progress
 * of the background re-categorisation that brings them up to date.
 *
 * People who already have activity get a state row marked "never
 * categorised" (−1), so the server categorises their history once.
 */
import { sql } from 'kysely';
import type { Migration } from './migration.js';

export const categorisation: Migration = {
  name: '20261122T2200_categorisation',
  async up(db) {
    await db.schema
      .alterTable('category_state')
      .addColumn('categorised_version', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('category_state').addColumn('progress_done', 'integer').execute();
    await db.schema.alterTable('category_state').addColumn('progress_total', 'integer').execute();
    await sql`update category_state set categorised_version = -1`.execute(db);
    await sql`
      insert into category_state (user_id, customised, version, categorised_version)
      select distinct e.user_id, 0, 0, -1 from events e
      where not exists (select 1 from category_state s where s.user_id = e.user_id)
    `.execute(db);
  },
};
