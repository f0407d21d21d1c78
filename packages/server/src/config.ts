/**
 * Every setting of the Sundial server, in one table: its environment
 * variable, its `sundial serve` flag, what it means, its default and how it
 * is checked. This is the only module that reads `process.env`. Loading
 * reports every problem at once, each naming the setting, so an operator
 * fixes a bad configuration in one go.
 */
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isIP } from 'node:net';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { maskDatabaseUrl, parseDatabaseUrl, type DatabaseTarget } from '@sundial/store';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServerConfig {
  readonly dataDir: string;
  readonly database: DatabaseTarget;
  /** The database URL as given, with any password masked. */
  readonly databaseLabel: string;
  readonly host: string;
  readonly port: number;
  readonly tls: { readonly certFile: string; readonly keyFile: string } | null;
  /** Addresses (IPs or CIDRs) of TLS-terminating proxies whose forwarded headers are trusted. */
  readonly trustProxy: readonly string[];
  readonly logLevel: LogLevel;
  /** Where the instance master key comes from. */
  readonly masterKey: MasterKeySource;
  /** Who may create an account: anyone, only with an invitation, or nobody (the first account is always allowed). */
  readonly signup: SignupMode;
  readonly sessionIdleMs: number;
  readonly sessionMaxMs: number;
  /** Outgoing mail (password resets), or null: then an administrator issues reset links with the CLI. */
  readonly smtp: { readonly url: string; readonly from: string } | null;
  /** The address people reach Sundial at, for links in emails. */
  readonly publicUrl: string;
  /** Where to report a vulnerability of this instance (security.txt `Contact`). */
  readonly securityContact: string;
}

export const SIGNUP_MODES = ['open', 'invite', 'closed'] as const;
export type SignupMode = (typeof SIGNUP_MODES)[number];

/** The master key as base64 text in the environment, or a key file (created on first start). */
export type MasterKeySource =
  { readonly kind: 'env'; readonly base64: string } | { readonly kind: 'file'; readonly path: string };

export interface SettingSpec {
  readonly key: keyof RawSettings;
  readonly env: string;
  /** The command-line flag, or null for a secret that must not appear in a process listing. */
  readonly flag: string | null;
  readonly description: string;
  readonly defaultText: string;
  readonly secret?: boolean;
}

export interface RawSettings {
  dataDir?: string;
  databaseUrl?: string;
  host?: string;
  port?: string;
  tlsCert?: string;
  tlsKey?: string;
  trustProxy?: string;
  logLevel?: string;
  masterKey?: string;
  masterKeyFile?: string;
  signup?: string;
  sessionIdleDays?: string;
  sessionMaxDays?: string;
  smtpUrl?: string;
  securityContact?: string;
  smtpFrom?: string;
  publicUrl?: string;
}

export const SETTINGS: readonly SettingSpec[] = [
  {
    key: 'dataDir',
    env: 'SUNDIAL_DATA_DIR',
    flag: 'data-dir',
    description: 'Folder for the embedded database and other data (created with mode 0700)',
    defaultText: "the platform's user data folder, e.g. ~/.local/share/sundial",
  },
  {
    key: 'databaseUrl',
    env: 'SUNDIAL_DATABASE_URL',
    flag: 'database-url',
    description: 'sqlite:<file> for the embedded database, or postgres://user@host:port/database',
    defaultText: 'sqlite:<data dir>/sundial.db',
    secret: true,
  },
  {
    key: 'host',
    env: 'SUNDIAL_HOST',
    flag: 'host',
    description: 'Address to listen on; plain HTTP is allowed only on loopback',
    defaultText: '127.0.0.1',
  },
  {
    key: 'port',
    env: 'SUNDIAL_PORT',
    flag: 'port',
    description: 'Port to listen on (0: any free port)',
    defaultText: '8600',
  },
  {
    key: 'tlsCert',
    env: 'SUNDIAL_TLS_CERT',
    flag: 'tls-cert',
    description: 'PEM certificate chain file for HTTPS',
    defaultText: 'none',
  },
  {
    key: 'tlsKey',
    env: 'SUNDIAL_TLS_KEY',
    flag: 'tls-key',
    description: 'PEM private key file for HTTPS',
    defaultText: 'none',
  },
  {
    key: 'trustProxy',
    env: 'SUNDIAL_TRUST_PROXY',
    flag: 'trust-proxy',
    description: 'Comma-separated IPs or CIDRs of a TLS-terminating proxy in front of Sundial',
    defaultText: 'none',
  },
  {
    key: 'masterKey',
    env: 'SUNDIAL_MASTER_KEY',
    flag: null,
    description: 'The instance master key, base64 of 32 bytes (instead of a key file)',
    defaultText: 'none',
    secret: true,
  },
  {
    key: 'masterKeyFile',
    env: 'SUNDIAL_MASTER_KEY_FILE',
    flag: 'master-key-file',
    description:
      'File holding the instance master key; created (mode 0600) on first start; keep it outside the data folder',
    defaultText: "the platform's user config folder, e.g. ~/.config/sundial/master.key",
  },
  {
    key: 'signup',
    env: 'SUNDIAL_SIGNUP',
    flag: 'signup',
    description:
      'Who may sign up: open, invite or closed (the first account is always allowed and becomes the administrator)',
    defaultText: 'open',
  },
  {
    key: 'sessionIdleDays',
    env: 'SUNDIAL_SESSION_IDLE_DAYS',
    flag: 'session-idle-days',
    description: 'A session unused this many days ends',
    defaultText: '7',
  },
  {
    key: 'sessionMaxDays',
    env: 'SUNDIAL_SESSION_MAX_DAYS',
    flag: 'session-max-days',
    description: 'A session ends this many days after log-in, however active',
    defaultText: '30',
  },
  {
    key: 'publicUrl',
    env: 'SUNDIAL_PUBLIC_URL',
    flag: 'public-url',
    description: 'The address people reach Sundial at (for links in emails)',
    defaultText: 'http(s)://<host>:<port>',
  },
  {
    key: 'securityContact',
    env: 'SUNDIAL_SECURITY_CONTACT',
    flag: 'security-contact',
    description: 'Where to report a vulnerability: a mailto: or https: URI, published in /.well-known/security.txt',
    defaultText: 'mailto:security@<host of the public URL>',
  },
  {
    key: 'smtpUrl',
    env: 'SUNDIAL_SMTP_URL',
    flag: null,
    description: 'Outgoing mail server, smtp://user:password@host:587 or smtps://…:465 (password reset emails)',
    defaultText: 'none: administrators issue reset links with `sundial admin reset-link`',
    secret: true,
  },
  {
    key: 'smtpFrom',
    env: 'SUNDIAL_SMTP_FROM',
    flag: 'smtp-from',
    description: 'Sender of Sundial emails',
    defaultText: 'Sundial <sundial@localhost>',
  },
  {
    key: 'logLevel',
    env: 'SUNDIAL_LOG_LEVEL',
    flag: 'log-level',
    description: `Log level: ${LOG_LEVELS.join(', ')}`,
    defaultText: 'info',
  },
];

/** Variables under this prefix belong to Sundial's test suite and are ignored here. */
const TEST_PREFIX = 'SUNDIAL_TEST_';

export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface ConfigSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Values from command-line flags; they win over the environment. */
  readonly flags?: RawSettings;
  readonly platform?: NodeJS.Platform;
  readonly home?: string;
  /** Names of SUNDIAL_* variables other components own (they are not "unknown"). */
  readonly otherKnownVariables?: readonly string[];
}

/** Reads the configuration from this process's environment plus the given flags. */
export function loadConfigFromProcess(flags: RawSettings, otherKnownVariables: readonly string[] = []): ServerConfig {
  return loadConfig({ env: process.env, flags, otherKnownVariables });
}

export function loadConfig(sources: ConfigSources): ServerConfig {
  const problems: string[] = [];
  const known = new Set([...SETTINGS.map((s) => s.env), ...(sources.otherKnownVariables ?? [])]);
  for (const name of Object.keys(sources.env)) {
    if (name.startsWith('SUNDIAL_') && !name.startsWith(TEST_PREFIX) && !known.has(name)) {
      problems.push(`${name} is not a Sundial setting (known: ${SETTINGS.map((s) => s.env).join(', ')})`);
    }
  }
  const raw: RawSettings = {};
  const origin = new Map<keyof RawSettings, string>();
  for (const spec of SETTINGS) {
    const fromFlag = spec.flag === null ? undefined : sources.flags?.[spec.key];
    const fromEnv = sources.env[spec.env];
    if (fromFlag !== undefined && spec.flag !== null) {
      raw[spec.key] = fromFlag;
      origin.set(spec.key, `--${spec.flag}`);
    } else if (fromEnv !== undefined && fromEnv !== '') {
      raw[spec.key] = fromEnv;
      origin.set(spec.key, spec.env);
    } else {
      origin.set(spec.key, spec.env);
    }
  }
  const name = (key: keyof RawSettings): string => origin.get(key) ?? key;

  const platform = sources.platform ?? process.platform;
  const home = sources.home ?? homedir();
  const dataDir = resolve(raw.dataDir?.trim() || defaultDataDir(platform, sources.env, home));

  const databaseText = raw.databaseUrl?.trim() || `sqlite:${join(dataDir, 'sundial.db')}`;
  const parsed = parseDatabaseUrl(databaseText, dataDir);
  let database: DatabaseTarget = { kind: 'sqlite', file: join(dataDir, 'sundial.db') };
  if ('error' in parsed) problems.push(`${name('databaseUrl')} ${parsed.error}`);
  else database = parsed;

  const host = (raw.host ?? '127.0.0.1').trim();
  if (!isValidHost(host)) problems.push(`${name('host')} must be an IP address or host name (got "${host}")`);

  const port = raw.port === undefined ? 8600 : Number(raw.port);
  if (
    !Number.isInteger(port) ||
    port < 0 ||
    port > 65535 ||
    (raw.port !== undefined && !/^\d+$/.test(raw.port.trim()))
  ) {
    problems.push(`${name('port')} must be a whole number from 0 to 65535 (got "${raw.port ?? ''}")`);
  }

  let tls: ServerConfig['tls'] = null;
  if ((raw.tlsCert === undefined) !== (raw.tlsKey === undefined)) {
    problems.push(`${name('tlsCert')} and ${name('tlsKey')} go together: set both for HTTPS, or neither`);
  } else if (raw.tlsCert !== undefined && raw.tlsKey !== undefined) {
    for (const key of ['tlsCert', 'tlsKey'] as const) {
      const problem = checkReadableFile(raw[key] ?? '');
      if (problem) problems.push(`${name(key)} ${problem}`);
    }
    tls = { certFile: raw.tlsCert, keyFile: raw.tlsKey };
  }

  const trustProxy = (raw.trustProxy ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  for (const entry of trustProxy) {
    if (!isIpOrCidr(entry)) problems.push(`${name('trustProxy')} entry "${entry}" is not an IP address or CIDR range`);
  }

  const logLevel = (raw.logLevel ?? 'info').trim() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`${name('logLevel')} must be one of ${LOG_LEVELS.join(', ')} (got "${raw.logLevel ?? ''}")`);
  }

  const signup = (raw.signup ?? 'open').trim() as SignupMode;
  if (!SIGNUP_MODES.includes(signup)) {
    problems.push(`${name('signup')} must be one of ${SIGNUP_MODES.join(', ')} (got "${raw.signup ?? ''}")`);
  }
  const days = (key: 'sessionIdleDays' | 'sessionMaxDays', fallback: number): number => {
    const text = raw[key];
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^\d+(\.\d+)?$/.test(text.trim()) || !(value > 0) || value > 3650) {
      problems.push(`${name(key)} must be a number of days from 0 to 3650 (got "${text}")`);
      return fallback;
    }
    return value;
  };
  const sessionIdleMs = days('sessionIdleDays', 7) * 86_400_000;
  const sessionMaxMs = days('sessionMaxDays', 30) * 86_400_000;
  if (sessionIdleMs > sessionMaxMs) {
    problems.push(`${name('sessionIdleDays')} must not be longer than ${name('sessionMaxDays')}`);
  }

  let smtp: ServerConfig['smtp'] = null;
  if (raw.smtpUrl !== undefined) {
    if (!/^smtps?:\/\/[^/\s]+/i.test(raw.smtpUrl.trim())) {
      problems.push(`${name('smtpUrl')} must look like smtp://user:password@host:587 or smtps://host:465`);
    } else {
      smtp = { url: raw.smtpUrl.trim(), from: (raw.smtpFrom ?? 'Sundial <sundial@localhost>').trim() };
    }
  }
  const defaultPublicUrl = `${raw.tlsCert ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const publicUrl = (raw.publicUrl ?? defaultPublicUrl).trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s/]+/i.test(publicUrl))
    problems.push(`${name('publicUrl')} must be an http(s) URL (got "${publicUrl}")`);

  let securityContact = raw.securityContact?.trim() ?? '';
  if (securityContact === '') {
    let hostname = 'localhost';
    try {
      hostname = new URL(publicUrl).hostname;
    } catch {
      // publicUrl's own problem is reported above
    }
    securityContact = `mailto:security@${hostname}`;
  } else if (!/^(mailto:[^\s@]+@[^\s@]+|https:\/\/\S+|tel:\+?[\d\s-]+)$/i.test(securityContact)) {
    problems.push(`${name('securityContact')} must be a mailto:, https: or tel: URI (got "${securityContact}")`);
  }

  let masterKey: MasterKeySource = { kind: 'file', path: defaultMasterKeyFile(platform, sources.env, home) };
  if (raw.masterKey !== undefined && raw.masterKeyFile !== undefined) {
    problems.push(`${name('masterKey')} and ${name('masterKeyFile')} both name a master key: set one`);
  } else if (raw.masterKey !== undefined) {
    masterKey = { kind: 'env', base64: raw.masterKey };
  } else if (raw.masterKeyFile !== undefined) {
    masterKey = { kind: 'file', path: resolve(raw.masterKeyFile.trim()) };
  }
  if (masterKey.kind === 'file' && isInside(masterKey.path, dataDir)) {
    problems.push(
      `${name('masterKeyFile')} (${masterKey.path}) is inside the data folder; a copy of the data folder would then ` +
        'carry the key that unlocks it: keep the key file elsewhere',
    );
  }

  if (problems.length === 0 && !isLoopbackHost(host) && tls === null && trustProxy.length === 0) {
    problems.push(
      `${name('host')}=${host} is not a loopback address, and Sundial serves plain HTTP only on loopback: ` +
        'set SUNDIAL_TLS_CERT and SUNDIAL_TLS_KEY to serve HTTPS, or SUNDIAL_TRUST_PROXY=<proxy address> ' +
        'when a TLS-terminating proxy sits in front',
    );
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    dataDir,
    database,
    databaseLabel: maskDatabaseUrl(databaseText),
    host,
    port,
    tls,
    trustProxy,
    logLevel,
    masterKey,
    signup,
    sessionIdleMs,
    sessionMaxMs,
    smtp,
    publicUrl,
    securityContact,
  };
}

/** The per-user config folder each platform expects; the master key lives there, apart from the data. */
export function defaultMasterKeyFile(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
  home: string,
): string {
  if (platform === 'win32')
    return join(env['APPDATA'] || join(home, 'AppData', 'Roaming'), 'Sundial', 'Config', 'master.key');
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', 'Sundial', 'master.key');
  return join(env['XDG_CONFIG_HOME'] || join(home, '.config'), 'sundial', 'master.key');
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** The per-user data folder each platform expects. */
export function defaultDataDir(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
  home: string,
): string {
  if (platform === 'win32') return join(env['LOCALAPPDATA'] || join(home, 'AppData', 'Local'), 'Sundial', 'Data');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Sundial');
  return join(env['XDG_DATA_HOME'] || join(home, '.local', 'share'), 'sundial');
}

/** 127.0.0.0/8, ::1 and the name localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(bare);
  return false;
}

function isValidHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return (
    isIP(bare) !== 0 ||
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(bare)
  );
}

function isIpOrCidr(entry: string): boolean {
  const [address = '', bits, extra] = entry.split('/');
  if (extra !== undefined) return false;
  const version = isIP(address);
  if (version === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (version === 4 ? 32 : 128);
}

function checkReadableFile(path: string): string | null {
  try {
    return statSync(path).isFile() ? null : `is not a file: ${path}`;
  } catch {
    return `names a file that does not exist or cannot be read: ${path}`;
  }
}

/** The configuration as it is safe to log: no secrets. */
export function describeConfig(config: ServerConfig): Record<string, unknown> {
  return {
    dataDir: config.dataDir,
    database: config.databaseLabel,
    host: config.host,
    port: config.port,
    tls: config.tls !== null,
    trustProxy: config.trustProxy,
    logLevel: config.logLevel,
    masterKey: config.masterKey.kind === 'file' ? `file ${config.masterKey.path}` : 'SUNDIAL_MASTER_KEY',
    signup: config.signup,
    sessionIdleDays: config.sessionIdleMs / 86_400_000,
    sessionMaxDays: config.sessionMaxMs / 86_400_000,
    smtp: config.smtp !== null,
    publicUrl: config.publicUrl,
  };
}
