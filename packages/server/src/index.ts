export { buildApp, BODY_LIMIT_BYTES, type AppDependencies, type SundialApp } from './app.js';
export {
  loadConfig,
  loadConfigFromProcess,
  defaultDataDir,
  describeConfig,
  isLoopbackHost,
  ConfigError,
  SETTINGS,
  LOG_LEVELS,
  type ServerConfig,
  type RawSettings,
  type SettingSpec,
  type LogLevel,
} from './config.js';
export { AppError, invalidInput, notFound, unavailable } from './errors.js';
export { createLogger, REDACTED_PATHS } from './logger.js';
export { startServer, StartupError, type RunningServer, type StartOptions } from './run.js';
export { CONTENT_SECURITY_POLICY, STRICT_TRANSPORT_SECURITY } from './security-headers.js';
export { TLS_CIPHERS } from './transport.js';
export { VERSION } from './version.js';
export type { AccessRule, RouteRecord, TokenScope } from './access.js';
export { openKeyring, loadVerifiedMasterKey, INSTANCE_OWNER, type Keyring } from './keys/keyring.js';
export { KeySetupError, masterKeyProvider, readKeyFile } from './keys/master-key.js';
export { rotateMasterKey, type RotationOptions, type RotationResult } from './keys/rotate.js';
export { exportKeyring, openKeyringBackup, restoreKeyring, type OpenedKeyringBackup } from './keys/keyring-backup.js';
export { createServices, type Services } from './services/services.js';
export { namesDictionary, NAME_KINDS, type NameKind, type NamesDictionary } from './services/names-dictionary.js';
export { people, type People, type Person } from './services/people.js';
export { defaultMasterKeyFile, type MasterKeySource } from './config.js';
export * from './audit/index.js';
