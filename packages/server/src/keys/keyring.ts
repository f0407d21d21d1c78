/**
 * The keyring in use: the verified master key, each person's data key
 * (created on first use, unwrapped on demand, cached with a bound), the
 * instance key for the log-in email index, and crypto-shredding.
 *
 * Opening checks the master key against the keyring's key-check value, so a
 * wrong key stops the start with one line instead of failing on the first
 * decryption hours later.
 */
import type { KeyObject } from 'node:crypto';
import {
  deriveSubkey,
  generateKey,
  keyCheckValue,
  isCryptoError,
  openDataKey,
  openInstanceIndexKey,
  unwrapDataKey,
  verifyKeyCheckValue,
  wrapDataKey,
  type DataKey,
  type InstanceIndexKey,
  type MasterKey,
} from '@sundial/crypto';
import { BoundedCache } from '@sundial/core';
import type { KeyringRepository, WrappedKeyRow } from '@sundial/store';
import type { MasterKeySource } from '../config.js';
import { KeySetupError, masterKeyProvider } from './master-key.js';

/** Keyring meta entries. */
export const META = {
  masterKeyId: 'master_key_id',
  keyCheck: 'key_check',
  rotationTo: 'rotation_to',
  rotationCheck: 'rotation_check',
  previousMasterKeyId: 'previous_master_key_id',
} as const;

/** The owner id under which the instance's email-index key is kept (people's ids are UUIDs). */
export const INSTANCE_OWNER = '@instance';
/** The owner id of the audit log's HMAC key: wrapped by the master key, so never usable from the database alone. */
export const AUDIT_OWNER = '@audit';
const DATA_KEY_VERSION = 1;
const CACHE_LIMIT = 10_000;

export interface Keyring {
  readonly masterKeyId: string;
  /** Where the master key came from, for logs. */
  readonly masterKeySource: string;
  /** The person's data key, created when they have none. */
  dataKey(ownerId: string): Promise<DataKey>;
  /** The person's data key, or null when they have none (never created, or shredded). */
  existingDataKey(ownerId: string): Promise<DataKey | null>;
  readonly emailIndexKey: InstanceIndexKey;
  /** HMAC key of the audit log's chain (HKDF purpose `audit-hmac` of a keyring-held key; survives master key rotation). */
  readonly auditHmacKey: KeyObject;
  /** HMAC key that turns throttling subjects (accounts, addresses) into opaque counter keys. */
  readonly throttleKey: KeyObject;
  /**
   * The instance's own field key, for the few personal values held before
   * they belong to anyone: a pending device pairing's name and the blind
   * index of its code. Owner `@instance` is bound into each ciphertext.
   */
  readonly instanceDataKey: DataKey;
  /** Destroys the person's data key: everything encrypted with it becomes unreadable, for good. */
  shred(ownerId: string): Promise<number>;
}

export interface OpenKeyringDeps {
  readonly repo: KeyringRepository;
  readonly source: MasterKeySource;
  readonly now?: () => number;
  /**
   * Whether the data database holds people. An empty keyring beside data
   * that does means the keyring was lost: starting a new one would make
   * everyone unreadable and let their emails register again, so it is refused.
   */
  readonly dataHoldsPeople?: () => Promise<boolean>;
}

export async function openKeyring(deps: OpenKeyringDeps): Promise<Keyring> {
  const { repo } = deps;
  const now = deps.now ?? Date.now;
  const master = await loadVerifiedMasterKey(repo, deps.source, deps.dataHoldsPeople);
  const provider = masterKeyProvider(deps.source, { allowCreate: false });

  async function createOrGet(ownerId: string): Promise<WrappedKeyRow> {
    const existing = await repo.getKey(ownerId);
    if (existing) return existing;
    const raw = generateKey();
    try {
      return await repo.insertKeyIfAbsent({
        ownerId,
        version: DATA_KEY_VERSION,
        wrapped: wrapDataKey(master, ownerId, DATA_KEY_VERSION, raw),
        masterKeyId: master.keyId,
        createdAt: now(),
      });
    } finally {
      raw.fill(0);
    }
  }

  const instanceRaw = unwrap(master, await createOrGet(INSTANCE_OWNER));
  const emailIndexKey = openInstanceIndexKey(instanceRaw);
  const throttleKey = deriveSubkey(instanceRaw, 'throttle-key');
  // Purposes field-encryption and blind-index: distinct from the two above, so no subkey serves twice.
  const instanceDataKey = openDataKey(INSTANCE_OWNER, DATA_KEY_VERSION, instanceRaw);
  instanceRaw.fill(0);
  const auditRaw = unwrap(master, await createOrGet(AUDIT_OWNER));
  const auditHmacKey = deriveSubkey(auditRaw, 'audit-hmac');
  auditRaw.fill(0);

  // Opened keys are cached by their wrapped bytes, but the keyring row is read
  // on every use (a primary-key lookup): a key shredded by another server
  // process is then gone here too, at once.
  const cache = new BoundedCache<string, { wrapped: Buffer; key: DataKey }>(CACHE_LIMIT);
  function open(row: WrappedKeyRow): DataKey {
    const cached = cache.get(row.ownerId);
    if (cached && cached.wrapped.equals(row.wrapped)) return cached.key;
    const raw = unwrap(master, row);
    try {
      const key = openDataKey(row.ownerId, row.version, raw);
      cache.set(row.ownerId, { wrapped: row.wrapped, key });
      return key;
    } finally {
      raw.fill(0);
    }
  }

  return {
    masterKeyId: master.keyId,
    masterKeySource: provider.description,
    emailIndexKey,
    auditHmacKey,
    throttleKey,
    instanceDataKey,
    async dataKey(ownerId) {
      assertPersonOwner(ownerId);
      return open(await createOrGet(ownerId));
    },
    async existingDataKey(ownerId) {
      assertPersonOwner(ownerId);
      const row = await repo.getKey(ownerId);
      if (!row) {
        cache.delete(ownerId);
        return null;
      }
      return open(row);
    },
    async shred(ownerId) {
      assertPersonOwner(ownerId);
      cache.delete(ownerId);
      return repo.deleteKeys(ownerId);
    },
  };
}

/**
 * Loads the master key and checks it against the keyring; on a keyring that
 * holds nothing yet, creates the key file if needed and records the check.
 */
export async function loadVerifiedMasterKey(
  repo: KeyringRepository,
  source: MasterKeySource,
  dataHoldsPeople: () => Promise<boolean> = async () => false,
): Promise<MasterKey> {
  const check = await repo.getMeta(META.keyCheck);
  const fresh = check === null && (await repo.countKeys()).total === 0;
  if (fresh && (await dataHoldsPeople())) {
    throw new KeySetupError(
      'the keyring is empty but the database holds people: it was lost or not restored. ' +
        "Restore it with 'sundial restore --keys <keyring backup>'; a new keyring could read none of their data",
    );
  }
  const master = await masterKeyProvider(source, { allowCreate: fresh }).getMasterKey();
  const rotatingTo = await repo.getMeta(META.rotationTo);
  if (rotatingTo !== null) {
    throw new KeySetupError(
      `a master key rotation (to key ${rotatingTo}) was interrupted: run 'sundial keys rotate-master' again to finish it`,
    );
  }
  if (check === null) {
    if (!fresh)
      throw new KeySetupError(
        'the keyring holds keys but no key-check value: it is damaged; restore it from a keyring backup',
      );
    await repo.setMeta({ [META.masterKeyId]: master.keyId, [META.keyCheck]: keyCheckValue(master) });
    return master;
  }
  try {
    verifyKeyCheckValue(master, check);
  } catch (error) {
    if (!isCryptoError(error)) throw error;
    const expected = (await repo.getMeta(META.masterKeyId)) ?? 'unknown';
    throw new KeySetupError(
      `the master key (id ${master.keyId}) is not the key this keyring was made with (id ${expected}): ` +
        'check SUNDIAL_MASTER_KEY / SUNDIAL_MASTER_KEY_FILE',
      { cause: error },
    );
  }
  return master;
}

export function unwrap(master: MasterKey, row: WrappedKeyRow): Buffer {
  return unwrapDataKey(master, row.ownerId, row.version, row.wrapped);
}

function assertPersonOwner(ownerId: string): void {
  // Instance-held keys live under '@…' owners; a person's id never starts with '@'.
  if (ownerId.startsWith('@') || ownerId === '') throw new Error(`not a person's id: ${JSON.stringify(ownerId)}`);
}
