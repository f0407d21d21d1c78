/** The desktop agent: watchers, durable queue, local ActivityWatch API, sync. */
export type { Watcher, WatcherStatus, WindowSample } from './watchers/types.js';
export { createPlatformWatcher, WatcherUnavailableError } from './watchers/index.js';
export {
  type AgentConfig,
  type RawAgentSettings,
  AGENT_SETTINGS,
  AgentConfigError,
  agentPlatformEnv,
  loadAgentConfig,
  sessionEnv,
} from './config.js';
export { type AgentLog, jsonLog } from './log.js';
export { parseDuration } from './pause.js';
export { AGENT_VERSION, type RunningAgent, startAgent } from './runtime.js';
export { scriptWatcher, scriptWatcherFromFile, type ScriptSegment } from './script-watcher.js';
export { pairDevice, PairingError, platformName } from './pairing/pair.js';
export { readCredentials } from './pairing/credentials.js';
export { AgentNotRunningError, controlRequest } from './local-api/control-client.js';
export { AutostartError, installAutostart, uninstallAutostart } from './autostart/index.js';
