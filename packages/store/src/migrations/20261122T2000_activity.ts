/**
 * Activity: devices, buckets (ActivityWatch's streams, one per device and
 * watcher), events, rollups, the person's privacy settings and the free
 * key-value settings of the ActivityWatch API.
 *
 * Events have two identities: `uid`, the client's UUID that makes replays
 * idempotent, and `seq`, the integer ActivityWatch clients expect. SQLite
 * makes `seq` the rowid (AUTOINCREMENT, so an id is never reused after a
 * delete); PostgreSQL an identity column inside a primary key that starts
 * with user_id (the distribution column when sharded). Every secondary index
 * starts with user_id.
 */
import { bytesType } from './column-types.js';
import type { Migration } from './migration.js';

export const activity: Migration = {
  name: '20261122T2000_activity',
  async up(db, dialect) {
    const bytes = bytesType(dialect);

    await db.schema
      .createTable('devices')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('name_ct', bytes, (c) => c.notNull())
      .addColumn('platform', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_at', 'bigint')
      .addPrimaryKeyConstraint('devices_pk', ['user_id', 'id'])
      .execute();

    await db.schema
      .createTable('buckets')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      // The client's bucket name ("aw-watcher-window_<host>") holds a host
      // name: looked up by blind index, stored encrypted.
      .addColumn('key_index', bytes, (c) => c.notNull())
      .addColumn('key_ct', bytes, (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('client', 'text', (c) => c.notNull())
      .addColumn('meta_ct', bytes, (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_updated_at', 'bigint')
      .addPrimaryKeyConstraint('buckets_pk', ['user_id', 'id'])
      .addUniqueConstraint('buckets_key_unique', ['user_id', 'key_index'])
      .execute();

    const withSeq =
      dialect === 'sqlite'
        ? db.schema.createTable('events').addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
        : db.schema.createTable('events').addColumn('seq', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity());
    const events = withSeq
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('uid', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('bucket_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('start_ms', 'bigint', (c) => c.notNull())
      .addColumn('end_ms', 'bigint', (c) => c.notNull())
      .addColumn('app_id', 'bigint')
      .addColumn('title_id', 'bigint')
      .addColumn('domain_id', 'bigint')
      .addColumn('url_id', 'bigint')
      // 1 away (afk), 0 present (not-afk); null for other kinds.
      .addColumn('away', 'integer')
      // Fields other than app, title, url and status, as encrypted JSON.
      .addColumn('extra_ct', bytes)
      .addColumn('updated_at', 'bigint', (c) => c.notNull());
    // Every name an event uses must exist: a process whose names cache is stale
    // (another process erased and pruned them) fails and re-interns instead of
    // storing a dangling id.
    const withNames = (['app', 'title', 'domain', 'url'] as const).reduce(
      (table, name) =>
        table.addForeignKeyConstraint(`events_${name}_fk`, ['user_id', `${name}_id`], 'names', ['user_id', 'id']),
      events,
    );
    await (
      dialect === 'postgres' ? withNames.addPrimaryKeyConstraint('events_pk', ['user_id', 'seq']) : withNames
    ).execute();
    await db.schema.createIndex('events_uid').on('events').columns(['user_id', 'uid']).unique().execute();
    await db.schema.createIndex('events_start').on('events').columns(['user_id', 'start_ms']).execute();
    await db.schema
      .createIndex('events_bucket_start')
      .on('events')
      .columns(['user_id', 'bucket_id', 'start_ms'])
      .execute();
    await db.schema.createIndex('events_device_end').on('events').columns(['user_id', 'device_id', 'end_ms']).execute();

    await db.schema
      .createTable('rollups')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('dimension', 'text', (c) => c.notNull())
      .addColumn('slot', 'bigint', (c) => c.notNull())
      .addColumn('key', 'bigint', (c) => c.notNull())
      .addColumn('ms', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('rollups_pk', ['user_id', 'dimension', 'slot', 'key'])
      .execute();

    await db.schema
      .createTable('privacy_settings')
      .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('rules_ct', bytes, (c) => c.notNull())
      .addColumn('paused', 'integer', (c) => c.notNull())
      .addColumn('retention_days', 'integer')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('aw_settings')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('key_index', bytes, (c) => c.notNull())
      .addColumn('key_ct', bytes, (c) => c.notNull())
      .addColumn('value_ct', bytes, (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('aw_settings_pk', ['user_id', 'key_index'])
      .execute();
  },
};
