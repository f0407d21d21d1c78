/**
 * Master key rotation: every data key is re-wrapped under a new master key;
 * the data itself is not touched. Every server process must be stopped.
 *
 * Safe to interrupt and re-run at any point:
 *   1. the new key is written to `<key file>.next` (kept if it exists) and
 *      the keyring records "rotating to <id>" with the new key's check value;
 *   2. keys still wrapped by the old key are re-wrapped, a page at a time, each
 *      row committed on its own — a re-run continues with what is left;
 *   3. the keyring's key check becomes the new key's, then the files are
 *      swapped: the old key is kept as `<key file>.retired-<id>` (keyring
 *      backups made before the rotation need it), the new one takes its place.
 * While "rotating" is recorded, servers refuse to start.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { keyCheckValue, unwrapDataKey, verifyKeyCheckValue, wrapDataKey, type MasterKey } from '@sundial/crypto';
import type { KeyringRepository } from '@sundial/store';
import type { MasterKeySource } from '../config.js';
import { META } from './keyring.js';
import { createKeyFile, KeySetupError, masterKeyProvider, readKeyFile } from './master-key.js';

export interface RotationOptions {
  /** Where the new key goes when the current one comes from SUNDIAL_MASTER_KEY. */
  readonly newKeyFile?: string;
  readonly pageSize?: number;
  /** Test seam: called after each re-wrapped key with the running count. */
  readonly onRewrapped?: (count: number) => void;
}

export interface RotationResult {
  readonly oldKeyId: string;
  readonly newKeyId: string;
  readonly rewrapped: number;
  /** Where the new key is now. */
  readonly keyFile: string;
  /** Where the old key was kept, when it came from a file. */
  readonly retiredKeyFile: string | null;
}

export async function rotateMasterKey(
  repo: KeyringRepository,
  source: MasterKeySource,
  options: RotationOptions = {},
): Promise<RotationResult> {
  const target = source.kind === 'file' ? source.path : options.newKeyFile;
  if (!target) {
    throw new KeySetupError(
      'the master key comes from SUNDIAL_MASTER_KEY: name a file for the new key with --new-key-file',
    );
  }
  const nextFile = source.kind === 'file' ? `${source.path}.next` : target;
  const check = await repo.getMeta(META.keyCheck);
  if (check === null) throw new KeySetupError('the keyring has no master key yet: start Sundial once first');

  const rotatingTo = await repo.getMeta(META.rotationTo);
  const next = readNextKey(nextFile, rotatingTo);
  // A rotation that finished its keyring part but not its file swap: the keyring already trusts `.next`.
  if (next && rotatingTo === null && matches(next, check)) {
    const previous = (await repo.getMeta(META.previousMasterKeyId)) ?? 'unknown';
    return finish(source, next, previous, 0, nextFile);
  }

  const old = await masterKeyProvider(source, { allowCreate: false }).getMasterKey();
  if (!matches(old, check)) {
    throw new KeySetupError(`the current master key (id ${old.keyId}) does not match the keyring: cannot rotate`);
  }
  const fresh = next ?? createKeyFile(nextFile);
  if (rotatingTo !== null && rotatingTo !== fresh.keyId) {
    throw new KeySetupError(`the keyring is rotating to key ${rotatingTo} but ${nextFile} holds key ${fresh.keyId}`);
  }
  if (rotatingTo === null) {
    await repo.setMeta({ [META.rotationTo]: fresh.keyId, [META.rotationCheck]: keyCheckValue(fresh) });
  }

  let rewrapped = 0;
  const pageSize = options.pageSize ?? 200;
  for (;;) {
    const page = await repo.keysNotWrappedBy(fresh.keyId, pageSize);
    if (page.length === 0) break;
    for (const row of page) {
      if (row.masterKeyId !== old.keyId) {
        throw new KeySetupError(`the key of ${row.ownerId} is wrapped by an unknown master key ${row.masterKeyId}`);
      }
      const raw = unwrapDataKey(old, row.ownerId, row.version, row.wrapped);
      try {
        await repo.rewrap({
          ...row,
          wrapped: wrapDataKey(fresh, row.ownerId, row.version, raw),
          masterKeyId: fresh.keyId,
        });
      } finally {
        raw.fill(0);
      }
      rewrapped += 1;
      options.onRewrapped?.(rewrapped);
    }
  }
  await repo.setMeta({
    [META.previousMasterKeyId]: old.keyId,
    [META.masterKeyId]: fresh.keyId,
    [META.keyCheck]: keyCheckValue(fresh),
    [META.rotationTo]: null,
    [META.rotationCheck]: null,
  });
  return finish(source, fresh, old.keyId, rewrapped, nextFile);
}

function finish(
  source: MasterKeySource,
  fresh: MasterKey,
  oldKeyId: string,
  rewrapped: number,
  nextFile: string,
): RotationResult {
  if (source.kind === 'env') {
    return { oldKeyId, newKeyId: fresh.keyId, rewrapped, keyFile: nextFile, retiredKeyFile: null };
  }
  const retired = `${source.path}.retired-${oldKeyId}`;
  if (existsSync(source.path)) renameSync(source.path, retired);
  renameSync(nextFile, source.path);
  return { oldKeyId, newKeyId: fresh.keyId, rewrapped, keyFile: source.path, retiredKeyFile: retired };
}

/**
 * The new key left by an earlier run, or null. Before the keyring records a
 * rotation, an unreadable file there (a run stopped while writing it) holds
 * nothing anybody relies on and is replaced; after, it must be the key.
 */
function readNextKey(nextFile: string, rotatingTo: string | null): MasterKey | null {
  if (!existsSync(nextFile)) return null;
  try {
    return readKeyFile(nextFile, false);
  } catch (error) {
    if (rotatingTo !== null || !(error instanceof KeySetupError)) throw error;
    rmSync(nextFile, { force: true });
    return null;
  }
}

function matches(key: MasterKey, check: string): boolean {
  try {
    verifyKeyCheckValue(key, check);
    return true;
  } catch {
    return false;
  }
}
