/** Every migration, oldest first. Add new ones at the end. */
import type { Migration } from './migration.js';
import { instanceMeta } from './20261122T1600_instance_meta.js';
import { peopleAndNames } from './20261122T1700_people_and_names.js';

export const migrations: readonly Migration[] = [instanceMeta, peopleAndNames];
export type { Migration } from './migration.js';
