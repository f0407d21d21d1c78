export { parseDatabaseUrl, maskDatabaseUrl, type DatabaseTarget, type DatabaseKind } from './database-url.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export { openStore, type Store, type OpenStoreOptions } from './store.js';
export { migrations, type Migration } from './migrations/index.js';
export type { MigrationResult } from './migrator.js';
export type { InstanceMetaRepository } from './repositories/instance-meta.js';
