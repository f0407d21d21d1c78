/**
 * Table types for Kysely. Times are UTC epoch milliseconds (integers);
 * PostgreSQL `bigint` is parsed to a JavaScript number at connection time.
 */
export interface SchemaMigrationTable {
  name: string;
  applied_at: number;
}

/** Instance-wide facts (instance id, creation time). No personal data. */
export interface InstanceMetaTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface Database {
  sundial_migrations: SchemaMigrationTable;
  instance_meta: InstanceMetaTable;
}
