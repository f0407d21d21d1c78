/**
 * The device's credentials (server address, device token, device id) in the
 * platform config folder, readable only by the person: the folder is 0700
 * and the file 0600, written to a temporary file and renamed so a crash
 * never leaves half a token.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Credentials {
  readonly server: string;
  readonly token: string;
  readonly deviceId: string | null;
}

export const CREDENTIALS_FILE = 'credentials.json';

export function readCredentials(configDir: string): Credentials | null {
  const file = join(configDir, CREDENTIALS_FILE);
  if (!existsSync(file)) return null;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Credentials>;
    if (typeof parsed.server !== 'string' || typeof parsed.token !== 'string') return null;
    return {
      server: parsed.server,
      token: parsed.token,
      deviceId: typeof parsed.deviceId === 'string' ? parsed.deviceId : null,
    };
  } catch {
    return null;
  }
}

export function writeCredentials(configDir: string, credentials: Credentials): string {
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const file = join(configDir, CREDENTIALS_FILE);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  // The mode of writeFileSync applies only to new files; a left-over temp file keeps its own.
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return file;
}
