/**
 * `sundial backup`, `sundial backup-keys` and `sundial restore`. Data and
 * keys are backed up apart, so that a data backup alone reveals nothing and a
 * deleted person's key can age out of the keyring backups.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  ConfigError,
  KeySetupError,
  exportKeyring,
  loadConfigFromProcess,
  openKeyringBackup,
  restoreKeyring,
  type OpenedKeyringBackup,
  type ServerConfig,
} from '@sundial/server';
import { openStore, restoreDataBackup, StoreError } from '@sundial/store';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { Output } from '../output.js';
import { recordMaintenance } from '../audit-trail.js';
import { UsageError, type StoreCommand } from '../run-command.js';
import { parseCommand, settingsHelp, STORE_SETTINGS } from './settings-flags.js';

/** The file to write; with --force an existing one is removed first, so the new file is made fresh (mode 0600). */
function targetFile(positionals: readonly string[], force: boolean): string {
  const [file, extra] = positionals;
  if (!file || extra !== undefined) throw new UsageError('name exactly one file to write');
  const path = resolve(file);
  if (existsSync(path)) {
    if (!force) throw new UsageError(`${path} exists; pass --force to replace it`);
    rmSync(path);
  }
  return path;
}

export const backupData: StoreCommand = {
  name: 'backup',
  usage: 'backup <file> [--force] [options]',
  summary:
    'Write a consistent copy of the data (SQLite online backup, or pg_dump for PostgreSQL) while Sundial runs. ' +
    'It holds no keys: back the keyring up with `sundial backup-keys`.',
  options: { force: { type: 'boolean' } },
  optionHelp: ['  --force                 Replace the file if it exists'],
  async run({ store, config, parsed, output }) {
    const file = targetFile(parsed.positionals, parsed.values['force'] === true);
    await store.backup(file);
    await recordMaintenance(store, config, 'backup.create', { kind: 'data', database: store.kind });
    output.out(`Data backup written to ${file} (mode 0600). It contains no keys.`);
  },
};

export const backupKeys: StoreCommand = {
  name: 'backup-keys',
  usage: 'backup-keys <file> [--force] [options]',
  summary:
    'Export the keyring, sealed under the master key. Keep it apart from data backups; keep it no longer than your retention (default 7 days).',
  options: { force: { type: 'boolean' } },
  optionHelp: ['  --force                 Replace the file if it exists'],
  async run({ store, config, parsed, output }) {
    const file = targetFile(parsed.positionals, parsed.values['force'] === true);
    const exported = await exportKeyring(store.keyring, config.masterKey);
    writeFileSync(file, exported.text, { mode: 0o600, flag: 'wx' });
    await recordMaintenance(store, config, 'backup.create', { kind: 'keys', keys: exported.keys });
    output.out(
      `Keyring backup with ${exported.keys} keys written to ${file} (mode 0600), sealed under the current master key.`,
    );
  },
};

const RESTORE_HELP = `Usage: sundial restore [--data <file>] [--keys <file>] [options]

Replace the data with a data backup and/or the keyring with a keyring backup.
Stop every Sundial server first. The keyring backup is opened and checked with
the current master key before anything is replaced.

Options:
  --data <file>           A file written by \`sundial backup\`
  --keys <file>           A file written by \`sundial backup-keys\``;

export async function runRestore(argv: readonly string[], output: Output): Promise<number> {
  try {
    const parsed = parseCommand(argv, { data: { type: 'string' }, keys: { type: 'string' } }, STORE_SETTINGS);
    if (parsed.help) {
      output.out([RESTORE_HELP, ...settingsHelp(STORE_SETTINGS)].join('\n'));
      return EXIT_OK;
    }
    const data = parsed.values['data'];
    const keys = parsed.values['keys'];
    if (typeof data !== 'string' && typeof keys !== 'string') throw new UsageError('name --data, --keys or both');
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument ${parsed.positionals[0] ?? ''}`);
    const config = loadConfigFromProcess(parsed.settings);
    const result = await restore(config, {
      data: typeof data === 'string' ? resolve(data) : undefined,
      keys: typeof keys === 'string' ? resolve(keys) : undefined,
    });
    if (typeof data === 'string') output.out(`Data restored from ${resolve(data)}.`);
    if (result.keys !== null) output.out(`Keyring restored with ${result.keys} keys.`);
    if (!result.audited) output.out('Not yet in the audit log: restore the keyring (--keys) to record it.');
    return EXIT_OK;
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) output.err(`sundial: configuration: ${problem}`);
      return EXIT_USAGE;
    }
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      output.err(`sundial restore: ${error.message}`);
      return EXIT_USAGE;
    }
    const known = error instanceof StoreError || error instanceof KeySetupError;
    output.err(
      `sundial restore: ${known ? '' : 'unexpected error: '}${error instanceof Error ? error.message : String(error)}`,
    );
    return EXIT_FAILURE;
  }
}

/** Restores data and/or keyring; the keys file is checked before anything is replaced. */
export async function restore(
  config: ServerConfig,
  files: { data?: string; keys?: string },
): Promise<{ keys: number | null; audited: boolean }> {
  let keys: OpenedKeyringBackup | null = null;
  if (files.keys) keys = await openKeyringBackup(config.masterKey, readFileSync(files.keys, 'utf8'));
  if (files.data) await restoreDataBackup(config.database, files.data);
  const store = await openStore(config.database);
  try {
    if (keys) await restoreKeyring(store.keyring, keys);
    try {
      await recordMaintenance(store, config, 'backup.restore', {
        data: files.data !== undefined,
        keys: keys?.keys ?? 0,
      });
      return { keys: keys?.keys ?? null, audited: true };
    } catch (error) {
      // Data restored without its keyring yet: there is no audit key to sign with until the keys follow.
      if (error instanceof KeySetupError) return { keys: keys?.keys ?? null, audited: false };
      throw error;
    }
  } finally {
    await store.close();
  }
}
