/**
 * Keyring backups: every wrapped key and the keyring's facts, sealed under
 * the master key (an export of the keyring is useless without it, and a
 * damaged one is refused whole). Kept apart from data backups on purpose: a
 * person deleted today stays unrecoverable once the keyring backups older
 * than the deletion are gone (see docs/operations.md, "Retention").
 */
import { openWithMaster, sealWithMaster } from '@sundial/crypto';
import type { KeyringRepository } from '@sundial/store';
import type { MasterKeySource } from '../config.js';
import { loadVerifiedMasterKey, META } from './keyring.js';
import { KeySetupError, masterKeyProvider } from './master-key.js';

const LABEL = 'sundial-keyring-backup-v1';
const FORMAT = 'sundial-keyring-backup';

interface BackupFile {
  format: typeof FORMAT;
  version: 1;
  masterKeyId: string;
  createdAt: number;
  sealed: string;
}

export interface BackupContent {
  meta: Record<string, string>;
  keys: Array<{ ownerId: string; version: number; wrapped: string; masterKeyId: string; createdAt: number }>;
}

export async function exportKeyring(
  repo: KeyringRepository,
  source: MasterKeySource,
  now = Date.now(),
): Promise<{ text: string; keys: number }> {
  const master = await loadVerifiedMasterKey(repo, source);
  const meta: Record<string, string> = {};
  for (const key of [META.masterKeyId, META.keyCheck]) {
    const value = await repo.getMeta(key);
    if (value !== null) meta[key] = value;
  }
  const rows = await repo.allKeys();
  const content: BackupContent = {
    meta,
    keys: rows.map((r) => ({ ...r, wrapped: r.wrapped.toString('base64') })),
  };
  const sealed = sealWithMaster(master, LABEL, Buffer.from(JSON.stringify(content), 'utf8'));
  const file: BackupFile = {
    format: FORMAT,
    version: 1,
    masterKeyId: master.keyId,
    createdAt: now,
    sealed: sealed.toString('base64'),
  };
  return { text: `${JSON.stringify(file)}\n`, keys: rows.length };
}

/** A keyring backup, opened and checked, ready to restore. */
export interface OpenedKeyringBackup {
  readonly keys: number;
  readonly masterKeyId: string;
  readonly content: BackupContent;
}

/** Opens a keyring backup with the current master key, which must be the one it was sealed with. */
export async function openKeyringBackup(source: MasterKeySource, text: string): Promise<OpenedKeyringBackup> {
  let file: BackupFile;
  try {
    file = JSON.parse(text) as BackupFile;
    if (file.format !== FORMAT || file.version !== 1 || typeof file.sealed !== 'string')
      throw new Error('not a keyring backup');
  } catch (cause) {
    throw new KeySetupError('the file is not a Sundial keyring backup', { cause });
  }
  const master = await masterKeyProvider(source, { allowCreate: false }).getMasterKey();
  if (master.keyId !== file.masterKeyId) {
    throw new KeySetupError(
      `the keyring backup was sealed with master key ${file.masterKeyId}, but the current key is ${master.keyId}: ` +
        'use the master key that was current when the backup was made',
    );
  }
  let content: BackupContent;
  try {
    content = JSON.parse(
      openWithMaster(master, LABEL, Buffer.from(file.sealed, 'base64')).toString('utf8'),
    ) as BackupContent;
  } catch (cause) {
    throw new KeySetupError('the keyring backup is damaged or was not made with this master key', { cause });
  }
  return { keys: content.keys.length, masterKeyId: file.masterKeyId, content };
}

/** Replaces the whole keyring with an opened backup. */
export async function restoreKeyring(repo: KeyringRepository, backup: OpenedKeyringBackup): Promise<void> {
  await repo.replaceAll(
    backup.content.keys.map((k) => ({ ...k, wrapped: Buffer.from(k.wrapped, 'base64') })),
    backup.content.meta,
  );
}
