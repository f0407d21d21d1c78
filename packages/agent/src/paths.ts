/**
 * Where the agent keeps things on each platform: the data folder (queue file,
 * privacy cache, pause state) and the config folder (device token, pinned
 * server key), following XDG on Linux, Application Support on macOS and
 * %LOCALAPPDATA% / %APPDATA% on Windows.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface PlatformEnv {
  readonly platform: NodeJS.Platform;
  readonly home: string;
  /** XDG_DATA_HOME, XDG_CONFIG_HOME, LOCALAPPDATA, APPDATA when set. */
  readonly vars: Readonly<Record<string, string | undefined>>;
}

export const APP_DIR = 'sundial-agent';

export function defaultDataDir(env: PlatformEnv): string {
  if (env.platform === 'darwin') return join(env.home, 'Library', 'Application Support', APP_DIR);
  if (env.platform === 'win32') {
    return join(env.vars.LOCALAPPDATA ?? join(env.home, 'AppData', 'Local'), APP_DIR, 'data');
  }
  return join(nonEmpty(env.vars.XDG_DATA_HOME) ?? join(env.home, '.local', 'share'), APP_DIR);
}

export function defaultConfigDir(env: PlatformEnv): string {
  if (env.platform === 'darwin') return join(env.home, 'Library', 'Preferences', APP_DIR);
  if (env.platform === 'win32') return join(env.vars.APPDATA ?? join(env.home, 'AppData', 'Roaming'), APP_DIR);
  return join(nonEmpty(env.vars.XDG_CONFIG_HOME) ?? join(env.home, '.config'), APP_DIR);
}

export function hostPlatformEnv(vars: Readonly<Record<string, string | undefined>>): PlatformEnv {
  return { platform: process.platform, home: homedir(), vars };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
