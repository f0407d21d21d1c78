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
