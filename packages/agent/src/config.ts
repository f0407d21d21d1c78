/**
 * Every setting of the agent: its environment variable, its flag, its default
 * and its check. This is the only agent module that reads `process.env`.
 * Loading reports every problem at once, each naming the setting.
 *
 * Two refusals protect the person: the server must be https unless it is on
 * this computer (a device token and activity must not cross a network in the
 * clear), and the local API binds only to loopback (it answers without a
 * password, like ActivityWatch's).
 */
import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { defaultConfigDir, defaultDataDir, hostPlatformEnv, type PlatformEnv } from './paths.js';

export interface AgentConfig {
  /** The server's origin without a trailing slash, or null when not paired yet. */
  readonly server: string | null;
  readonly token: string | null;
  readonly host: string;
  /** Local API port; 0 = any free port. */
  readonly port: number;
  readonly dataDir: string;
  readonly configDir: string;
  readonly awayAfterSeconds: number;
  readonly syncIntervalSeconds: number;
  readonly queueMaxBytes: number;
  /** Which watcher to run: `platform` (the default) or `script:<file>` (a recorded sequence, for tests and demos). */
  readonly watcher: string;
  /** Accept a server key that differs from the pinned one (once; the new key is pinned). */
  readonly trustNewKey: boolean;
}

export interface RawAgentSettings {
  server?: string;
  token?: string;
  host?: string;
  port?: string;
  dataDir?: string;
  configDir?: string;
  awayAfter?: string;
  syncInterval?: string;
  queueMaxMb?: string;
  watcher?: string;
}

export interface AgentSettingSpec {
  readonly key: keyof RawAgentSettings;
  readonly env: string;
  /** The matching command-line flag. */
  readonly flag: string;
  readonly description: string;
  readonly defaultText: string;
}

export const AGENT_SETTINGS: readonly AgentSettingSpec[] = [
  {
    key: 'server',
    env: 'SUNDIAL_AGENT_SERVER',
    flag: '--server',
    description: 'Server address (https, or http on this computer)',
    defaultText: 'the paired server',
  },
  {
    key: 'token',
    env: 'SUNDIAL_AGENT_TOKEN',
    flag: '--token',
    description: 'Device token (scope ingest)',
    defaultText: 'the paired token',
  },
  {
    key: 'host',
    env: 'SUNDIAL_AGENT_HOST',
    flag: '--host',
    description: 'Local API address (loopback only)',
    defaultText: '127.0.0.1',
  },
  {
    key: 'port',
    env: 'SUNDIAL_AGENT_PORT',
    flag: '--port',
    description: 'Local API port (0 = any free port)',
    defaultText: '5600',
  },
  {
    key: 'dataDir',
    env: 'SUNDIAL_AGENT_DATA_DIR',
    flag: '--data-dir',
    description: 'Queue and privacy cache',
    defaultText: '~/.local/share/sundial-agent (per platform)',
  },
  {
    key: 'configDir',
    env: 'SUNDIAL_AGENT_CONFIG_DIR',
    flag: '--config-dir',
    description: 'Device token and pinned server key',
    defaultText: '~/.config/sundial-agent (per platform)',
  },
  {
    key: 'awayAfter',
    env: 'SUNDIAL_AGENT_AWAY_AFTER',
    flag: '--away-after',
    description: 'Seconds without input before you count as away',
    defaultText: '180',
  },
  {
    key: 'syncInterval',
    env: 'SUNDIAL_AGENT_SYNC_INTERVAL',
    flag: '--sync-interval',
    description: 'Seconds between uploads',
    defaultText: '10',
  },
  {
    key: 'queueMaxMb',
    env: 'SUNDIAL_AGENT_QUEUE_MAX_MB',
    flag: '--queue-max-mb',
    description: 'Largest queue before the oldest events are dropped',
    defaultText: '500',
  },
  {
    key: 'watcher',
    env: 'SUNDIAL_AGENT_WATCHER',
    flag: '--watcher',
    description: '`platform`, or `script:<file>` to replay a recorded session',
    defaultText: 'platform',
  },
];

export class AgentConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid agent settings:\n  - ${problems.join('\n  - ')}`);
  }
}

export interface LoadOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly flags?: RawAgentSettings;
  /** The paired server and token from the config folder, used when neither flag nor environment gives one. */
  readonly stored?: { readonly server: string; readonly token: string } | null;
  readonly platform?: PlatformEnv;
  /** `run` needs a server and a token; `control` (status, pause) only the local API. */
  readonly need?: 'run' | 'control';
  readonly trustNewKey?: boolean;
}

/** Reads the settings: a flag wins over the environment, which wins over the stored pairing. */
export function loadAgentConfig(options: LoadOptions = {}): AgentConfig {
  const env = options.env ?? process.env;
  const platform = options.platform ?? hostPlatformEnv(env);
  const raw: RawAgentSettings = {};
  for (const spec of AGENT_SETTINGS) {
    const value = options.flags?.[spec.key] ?? env[spec.env];
    if (value !== undefined && value !== '') raw[spec.key] = value;
  }
  const problems: string[] = [];
  const named = (key: keyof RawAgentSettings) => {
    const spec = AGENT_SETTINGS.find((s) => s.key === key);
    return spec ? `${spec.env} (${spec.flag})` : key;
  };

  const stored = options.stored ?? null;
  const serverText = raw.server ?? stored?.server;
  const server =
    serverText === undefined ? null : checkServer(serverText, (m) => problems.push(`${named('server')}: ${m}`));
  // A token belongs to its server: a stored token is not sent to another server given by flag.
  const token =
    raw.token ??
    (stored && (raw.server === undefined || sameOrigin(stored.server, raw.server)) ? stored.token : undefined);
  if (options.need === 'run') {
    if (server === null)
      problems.push(`${named('server')}: not set and not paired (run 'sundial agent pair --server <url>')`);
    if (token === undefined)
      problems.push(`${named('token')}: not set and not paired (run 'sundial agent pair --server <url>')`);
  }
  if (token !== undefined && !/^[\x21-\x7e]{8,512}$/.test(token)) problems.push(`${named('token')}: is not a token`);

  const host = raw.host ?? '127.0.0.1';
  if (!isLoopback(host))
    problems.push(`${named('host')}: the local API binds only to loopback (127.0.0.1, ::1 or localhost), not ${host}`);

  const integer = (key: keyof RawAgentSettings, fallback: number, min: number, max: number): number => {
    const text = raw[key];
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) {
      problems.push(`${named(key)}: must be a whole number from ${min} to ${max}, got '${text}'`);
      return fallback;
    }
    return value;
  };
  const port = integer('port', 5600, 0, 65_535);
  const awayAfterSeconds = integer('awayAfter', 180, 10, 86_400);
  const syncIntervalSeconds = integer('syncInterval', 10, 1, 3600);
  const queueMaxMb = integer('queueMaxMb', 500, 1, 1_000_000);

  const dir = (key: 'dataDir' | 'configDir', fallback: string): string => {
    const text = raw[key];
    if (text === undefined) return fallback;
    if (!isAbsolute(text)) problems.push(`${named(key)}: must be an absolute path`);
    return resolve(text);
  };
  const dataDir = dir('dataDir', defaultDataDir(platform));
  const configDir = dir('configDir', defaultConfigDir(platform));

  const watcher = raw.watcher ?? 'platform';
  if (watcher !== 'platform' && !/^script:.+/.test(watcher)) {
    problems.push(`${named('watcher')}: must be 'platform' or 'script:<file>'`);
  }

  if (problems.length > 0) throw new AgentConfigError(problems);
  return {
    server,
    token: token ?? null,
    host,
    port,
    dataDir,
    configDir,
    awayAfterSeconds,
    syncIntervalSeconds,
    queueMaxBytes: queueMaxMb * 1024 * 1024,
    watcher,
    trustNewKey: options.trustNewKey ?? false,
  };
}

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/** The server's origin, or null after reporting why it cannot be used. */
export function checkServer(text: string, problem: (message: string) => void): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problem(`'${text}' is not a URL`);
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problem(`must be an https:// address, got ${url.protocol}`);
    return null;
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    problem(
      `refusing http:// to ${url.hostname}: the token and your activity would cross the network unencrypted; use https://`,
    );
    return null;
  }
  if (url.username !== '' || url.password !== '') {
    problem('must not contain a user name or password');
    return null;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** The session variables the platform watcher needs (DISPLAY, Wayland, desktop). */
export function sessionEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Record<string, string | undefined> {
  const names = ['DISPLAY', 'WAYLAND_DISPLAY', 'XDG_SESSION_TYPE', 'XDG_CURRENT_DESKTOP', 'XAUTHORITY', 'HOME'];
  return Object.fromEntries(names.map((name) => [name, env[name]]));
}

/** This computer's platform, home and XDG / APPDATA folders (for autostart entries). */
export function agentPlatformEnv(env: Readonly<Record<string, string | undefined>> = process.env): PlatformEnv {
  return hostPlatformEnv(env);
}
