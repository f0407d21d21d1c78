/**
 * Device pairing and device status.
 *
 * `device_pairings` holds one row per pairing started by an agent: the code
 * the person types is found by a blind index (HMAC under an instance key),
 * the agent's poll secret is kept as its SHA-256 only, and the name the
 * agent gave is encrypted under an instance key until a person approves the
 * pairing. Approval fills in the person, the device and the new token
 * sealed under the person's key; the agent's claim takes the token once and
 * erases it. The table is instance-level (a pending pairing belongs to
 * nobody yet), so its key is the pairing id; rows are deleted a day after
 * they expire.
 *
 * `device_status` holds the latest report of each agent (queue, last sync,
 * version, watchers), one row per device, keyed like every per-person table.
 */
import { bytesType } from './column-types.js';
import type { Migration } from './migration.js';

export const devicePairing: Migration = {
  name: '20261204T1800_device_pairing',
  async up(db, dialect) {
    const bytes = bytesType(dialect);

    await db.schema
      .createTable('device_pairings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('code_index', bytes, (c) => c.notNull().unique())
      .addColumn('secret_hash', bytes, (c) => c.notNull())
      .addColumn('name_ct', bytes)
      .addColumn('platform', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
      .addColumn('device_id', 'text')
      .addColumn('token_ct', bytes)
      .addColumn('approved_at', 'bigint')
      .addColumn('claimed_at', 'bigint')
      .execute();
    await db.schema.createIndex('device_pairings_expires').on('device_pairings').column('expires_at').execute();

    await db.schema
      .createTable('device_status')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('queue_length', 'bigint', (c) => c.notNull())
      .addColumn('oldest_queued_at', 'bigint')
      .addColumn('last_sync_at', 'bigint')
      .addColumn('version', 'text', (c) => c.notNull())
      // Free text from the agent ("x11 ok"): encrypted like other strings a device sends.
      .addColumn('watchers_ct', bytes, (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('device_status_pk', ['user_id', 'device_id'])
      .addForeignKeyConstraint(
        'device_status_device_fk',
        ['user_id', 'device_id'],
        'devices',
        ['user_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();
  },
};
