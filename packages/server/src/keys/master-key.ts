/**
 * Where the instance master key comes from: `SUNDIAL_MASTER_KEY` (base64),
 * or a key file outside the data folder, created with mode 0600 on the first
 * start of an empty keyring. A key file readable by others, or missing while
 * the keyring already holds keys, stops the start: silently making a new key
 * would orphan every wrapped key.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { generateKey, isCryptoError, masterKeyFromBase64, type KeyProvider, type MasterKey } from '@sundial/crypto';
import type { MasterKeySource } from '../config.js';

/** A problem with the master key or keyring, worded for an operator; one line. */
export class KeySetupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeySetupError';
  }
}

export interface ProviderOptions {
  /** Create the key file when it is missing (only for a keyring that holds no key yet). */
  readonly allowCreate: boolean;
}

export function masterKeyProvider(source: MasterKeySource, options: ProviderOptions): KeyProvider {
  if (source.kind === 'env') {
    return {
      description: 'SUNDIAL_MASTER_KEY',
      async getMasterKey() {
        return parseKey(source.base64, 'SUNDIAL_MASTER_KEY');
      },
    };
  }
  return {
    description: `key file ${source.path}`,
    async getMasterKey() {
      return readKeyFile(source.path, options.allowCreate);
    },
  };
}

/** Reads a key file, checking its permissions; creates it (0600, exclusively) when allowed. */
export function readKeyFile(path: string, allowCreate: boolean): MasterKey {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') {
      throw new KeySetupError(`cannot read the master key file ${path}: ${describe(error)}`, { cause: error });
    }
    if (!allowCreate) {
      throw new KeySetupError(
        `the master key file ${path} is missing, but the keyring already holds keys it wrapped: ` +
          'restore the key file (or set SUNDIAL_MASTER_KEY); a new key could not unlock any existing data',
      );
    }
    return createKeyFile(path);
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new KeySetupError(
      `the master key file ${path} is readable by others (mode ${(mode & 0o777).toString(8)}): run chmod 600 ${path}`,
    );
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new KeySetupError(`cannot read the master key file ${path}: ${describe(error)}`, { cause: error });
  }
  return parseKey(text, `the master key file ${path}`);
}

/**
 * Writes a new random key to a file that must not exist yet; answers the key.
 * The key is written and flushed to a private temporary file first and then
 * linked into place, which fails if the file appeared meanwhile: nobody can
 * ever see a half-written key file, and of two processes creating it at
 * once, both end up with the one that won.
 */
export function createKeyFile(path: string): MasterKey {
  const raw = generateKey();
  const text = `${raw.toString('base64')}\n`;
  raw.fill(0);
  const temporary = `${path}.creating-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(temporary, path);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EEXIST') return readKeyFile(path, false);
    throw new KeySetupError(`cannot create the master key file ${path}: ${describe(error)}`, { cause: error });
  } finally {
    rmSync(temporary, { force: true });
  }
  return parseKey(text, `the master key file ${path}`);
}

function parseKey(text: string, where: string): MasterKey {
  try {
    return masterKeyFromBase64(text);
  } catch (error) {
    if (isCryptoError(error))
      throw new KeySetupError(`${where} does not hold a valid key: ${error.message}`, { cause: error });
    throw error;
  }
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
