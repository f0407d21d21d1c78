/** Every migration, oldest first. Add new ones at the end. */
import type { Migration } from './migration.js';
import { instanceMeta } from './20261122T1600_instance_meta.js';

export const migrations: readonly Migration[] = [instanceMeta];
export type { Migration } from './migration.js';
