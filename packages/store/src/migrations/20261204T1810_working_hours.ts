/**
 * privacy_settings.working_hours_ct: the person's working hours (weekdays,
 * local start and end, time zone) as encrypted JSON, null for none. The time
 * zone says where a person lives, so it is not stored in the clear.
 */
import { bytesType } from './column-types.js';
import type { Migration } from './migration.js';

export const workingHours: Migration = {
  name: '20261204T1810_working_hours',
  async up(db, dialect) {
    await db.schema.alterTable('privacy_settings').addColumn('working_hours_ct', bytesType(dialect)).execute();
  },
};
