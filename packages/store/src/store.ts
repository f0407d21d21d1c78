/**
 * Opening the data store: connect to the data database and the keyring
 * database, migrate both under their locks, and hand out the repositories.
 * The rest of Sundial sees this and nothing of Kysely's connection handling.
 */
import { sql, type Kysely } from 'kysely';
import type { DatabaseKind, DatabaseTarget } from './database-url.js';
import { maskDatabaseUrl } from './database-url.js';
import type { Connection } from './dialects/dialect.js';
import { openPostgres } from './dialects/postgres.js';
import { openSqlite } from './dialects/sqlite.js';
import { KEYRING_SCHEMA, keyringFileFor, openKeyringConnection } from './keyring/keyring-database.js';
import { keyringRepository, type KeyringRepository } from './keyring/keyring-repository.js';
import { migrateToLatest, type MigrationResult } from './migrator.js';
import { migrations as allMigrations, type Migration } from './migrations/index.js';
import { instanceMetaRepository, type InstanceMetaRepository } from './repositories/instance-meta.js';
import { namesRepository, type NamesRepository } from './repositories/names.js';
import { usersRepository, type UsersRepository } from './repositories/users.js';
import { auditRepository, type AuditRepository } from './repositories/audit.js';
import { sessionsRepository, type SessionsRepository } from './repositories/sessions.js';
import { apiTokensRepository, type ApiTokensRepository } from './repositories/api-tokens.js';
import { throttleRepository, type ThrottleRepository } from './repositories/throttle.js';
import { recoveryCodesRepository, type RecoveryCodesRepository } from './repositories/recovery-codes.js';
import { passwordResetsRepository, type PasswordResetsRepository } from './repositories/password-resets.js';
import { passkeysRepository, type PasskeysRepository } from './repositories/passkeys.js';
import { eventsRepository, type EventsRepository } from './repositories/events.js';
import { devicesRepository, type DevicesRepository } from './repositories/devices.js';
import { activitySettingsRepository, type ActivitySettingsRepository } from './repositories/activity-settings.js';
import { categoriesRepository, type CategoriesRepository } from './repositories/categories.js';
import { alertsRepository, type AlertsRepository } from './repositories/alerts.js';
import { pairingsRepository, type PairingsRepository } from './repositories/pairings.js';
import { deviceStatusRepository, type DeviceStatusRepository } from './repositories/device-status.js';
import type { KeyringDatabase } from './schema.js';

export interface Store {
  readonly kind: DatabaseKind;
  /** Where the data lives, safe to print (no password). */
  readonly location: string;
  /** Where the keyring lives, safe to print. */
  readonly keyringLocation: string;
  readonly migration: MigrationResult;
  readonly instanceMeta: InstanceMetaRepository;
  readonly users: UsersRepository;
  readonly names: NamesRepository;
  readonly sessions: SessionsRepository;
  readonly apiTokens: ApiTokensRepository;
  readonly throttle: ThrottleRepository;
  readonly recoveryCodes: RecoveryCodesRepository;
  readonly passwordResets: PasswordResetsRepository;
  readonly passkeys: PasskeysRepository;
  readonly audit: AuditRepository;
  readonly events: EventsRepository;
  readonly devices: DevicesRepository;
  readonly activitySettings: ActivitySettingsRepository;
  readonly categories: CategoriesRepository;
  readonly alerts: AlertsRepository;
  readonly pairings: PairingsRepository;
  readonly deviceStatus: DeviceStatusRepository;
  readonly keyring: KeyringRepository;
  /** Throws if the database does not answer. */
  ping(): Promise<void>;
  /** A consistent online copy of the data (never the keyring) written to `file`. */
  backup(file: string): Promise<void>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  readonly migrations?: readonly Migration[];
  readonly now?: () => number;
}

export async function openStore(target: DatabaseTarget, options: OpenStoreOptions = {}): Promise<Store> {
  const connection: Connection = target.kind === 'sqlite' ? openSqlite(target.file) : await openPostgres(target.url);
  let migration: MigrationResult;
  let keyring: Connection<KeyringDatabase>;
  try {
    migration = await migrateToLatest(connection, options.migrations ?? allMigrations, { now: options.now });
    keyring = await openKeyringConnection(target);
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
  const { db } = connection;
  let closed: Promise<void> | undefined;
  return {
    kind: target.kind,
    location: target.kind === 'sqlite' ? target.file : maskDatabaseUrl(target.url),
    keyringLocation:
      target.kind === 'sqlite'
        ? keyringFileFor(target.file)
        : `${maskDatabaseUrl(target.url)} (schema ${KEYRING_SCHEMA})`,
    migration,
    instanceMeta: instanceMetaRepository(db),
    users: usersRepository(db),
    names: namesRepository(db),
    sessions: sessionsRepository(db),
    apiTokens: apiTokensRepository(db),
    throttle: throttleRepository(db),
    recoveryCodes: recoveryCodesRepository(db),
    passwordResets: passwordResetsRepository(db),
    passkeys: passkeysRepository(db),
    audit: auditRepository(db, (work) => connection.sql.exclusive(work)),
    events: eventsRepository(db, target.kind),
    devices: devicesRepository(db),
    activitySettings: activitySettingsRepository(db),
    categories: categoriesRepository(db),
    alerts: alertsRepository(db),
    pairings: pairingsRepository(db),
    deviceStatus: deviceStatusRepository(db),
    keyring: keyringRepository(keyring.db, () =>
      keyring.sql.purgeDeleted(
        keyring.db as Kysely<unknown>,
        target.kind === 'postgres' ? `${KEYRING_SCHEMA}.data_keys` : 'data_keys',
      ),
    ),
    async ping() {
      await sql`select 1`.execute(db);
    },
    backup: (file) => connection.sql.backup(file),
    close() {
      closed ??= Promise.all([connection.close(), keyring.close()]).then(() => undefined);
      return closed;
    },
  };
}
