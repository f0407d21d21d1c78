export { parseDatabaseUrl, maskDatabaseUrl, type DatabaseTarget, type DatabaseKind } from './database-url.js';
export { StoreError, isUniqueViolation, isForeignKeyViolation, type StoreErrorCode } from './errors.js';
export { openStore, type Store, type OpenStoreOptions } from './store.js';
export { restoreDataBackup } from './restore.js';
export { migrations, type Migration } from './migrations/index.js';
export type { MigrationResult } from './migrator.js';
export type { InstanceMetaRepository } from './repositories/instance-meta.js';
export type { UsersRepository, UserRow } from './repositories/users.js';
export type { NamesRepository, NameRow, InsertNameResult } from './repositories/names.js';
export type { KeyringRepository, WrappedKeyRow } from './keyring/keyring-repository.js';
export { KEYRING_SCHEMA, keyringFileFor } from './keyring/keyring-database.js';
export type { PersonStatus } from './schema.js';
export type { SessionsRepository, SessionRow } from './repositories/sessions.js';
export type { ApiTokensRepository, ApiTokenRow } from './repositories/api-tokens.js';
export type { ThrottleRepository, ThrottleState } from './repositories/throttle.js';
export type { Role } from './schema.js';
export type { AuditRepository, AuditRow, AuditHead, NewAuditRow } from './repositories/audit.js';
export type { RecoveryCodesRepository, RecoveryCodeRow } from './repositories/recovery-codes.js';
export type { PasswordResetsRepository } from './repositories/password-resets.js';
export type { PasskeysRepository, PasskeyRow } from './repositories/passkeys.js';
export type {
  EventsRepository,
  EventWrites,
  EventRow,
  NewEventRow,
  RollupRow,
  EventQuery,
  EventSelector,
} from './repositories/events.js';
export type { DevicesRepository, DeviceRow, ListedDeviceRow, BucketRow } from './repositories/devices.js';
export type { PairingsRepository, PairingRow, NewPairingRow, PairingApproval } from './repositories/pairings.js';
export type { DeviceStatusRepository, DeviceStatusRow } from './repositories/device-status.js';
export type { ActivitySettingsRepository, PrivacyRow, AwSettingRow } from './repositories/activity-settings.js';
export type {
  CategoriesRepository,
  CategoryRow,
  CategoryRuleRow,
  CategoryState,
  Categorisation,
  CategoryWriter,
} from './repositories/categories.js';
export type {
  AlertsRepository,
  AlertRow,
  AlertFields,
  AlertWriter,
  FiringRow,
  NewFiring,
  FireOutcome,
} from './repositories/alerts.js';
export type { ActivityKind } from './schema.js';
