/** Instance-wide facts: the instance id and when it was created. */
import type { Migration } from './migration.js';

export const instanceMeta: Migration = {
  name: '20261122T1600_instance_meta',
  async up(db) {
    await db.schema
      .createTable('instance_meta')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
