/** Every migration, oldest first. Add new ones at the end. */
import type { Migration } from './migration.js';
import { instanceMeta } from './20261122T1600_instance_meta.js';
import { peopleAndNames } from './20261122T1700_people_and_names.js';
import { accounts } from './20261122T1800_accounts.js';
import { passwordResets } from './20261122T1900_password_resets.js';
import { passkeys } from './20261122T1930_passkeys.js';
import { activity } from './20261122T2000_activity.js';
import { categories } from './20261122T2100_categories.js';
import { categorisation } from './20261122T2200_categorisation.js';
import { longestEvent } from './20261122T2210_longest_event.js';
import { alerts } from './20261122T2300_alerts.js';
import { devicePairing } from './20261204T1800_device_pairing.js';
import { workingHours } from './20261204T1810_working_hours.js';

export const migrations: readonly Migration[] = [
  instanceMeta,
  peopleAndNames,
  accounts,
  passwordResets,
  passkeys,
  activity,
  categories,
  categorisation,
  longestEvent,
  alerts,
  devicePairing,
  workingHours,
];
export type { Migration } from './migration.js';
