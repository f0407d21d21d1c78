/**
 * Alerts: a person's goals ("more than an hour of video today") and the
 * days each one fired.
 *
 * An alert's name, target (it names an app, a site or a category) and time
 * zone are personal, so they are ciphertexts; the comparison, minutes,
 * weekdays and the enabled flag are not. `revision` is bumped by every
 * change of one alert, and alert_state's `version` by every change of a
 * person's alerts, so each server process can tell whether what it cached is
 * current. A firing is unique per (person, alert, local day): two processes
 * that see the same threshold crossed record it once.
 */
import { bytesType } from './column-types.js';
import type { Migration } from './migration.js';

export const alerts: Migration = {
  name: '20261122T2300_alerts',
  async up(db, dialect) {
    const bytes = bytesType(dialect);

    await db.schema
      .createTable('alerts')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('name_ct', bytes, (c) => c.notNull())
      .addColumn('target_ct', bytes, (c) => c.notNull())
      .addColumn('time_zone_ct', bytes, (c) => c.notNull())
      .addColumn('comparison', 'text', (c) => c.notNull())
      .addColumn('minutes', 'integer', (c) => c.notNull())
      // Comma-separated weekday names in week order: "mon,tue,wed".
      .addColumn('days', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('revision', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('alerts_pk', ['user_id', 'id'])
      .execute();

    await db.schema
      .createTable('alert_state')
      .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
      .addColumn('version', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('alert_firings')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('alert_id', 'text', (c) => c.notNull())
      // The local date (YYYY-MM-DD) in the alert's zone.
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('fired_at', 'bigint', (c) => c.notNull())
      .addColumn('observed_ms', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('alert_firings_pk', ['user_id', 'alert_id', 'day'])
      .addForeignKeyConstraint('alert_firings_alert_fk', ['user_id', 'alert_id'], 'alerts', ['user_id', 'id'], (fk) =>
        fk.onDelete('cascade'),
      )
      .execute();
    await db.schema
      .createIndex('alert_firings_fired_at')
      .on('alert_firings')
      .columns(['user_id', 'fired_at'])
      .execute();
  },
};
