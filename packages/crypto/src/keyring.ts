/**
 * Contracts for where keys live. Implementations belong to the store (the
 * keyring database) and to deployment (where the master key comes from); this
 * package only says what they must provide, so key handling never depends on
 * a particular database or secret manager.
 *
 * The keyring is kept apart from the data (its own SQLite file or PostgreSQL
 * schema) so that data backups never contain keys, and deleting a keyring
 * entry is what makes a deleted person's data unreadable (crypto-shredding).
 */
import type { Buffer } from 'node:buffer';
import type { MasterKey } from './keys.js';

/** One person's data key, as stored: wrapped under a master key. */
export interface WrappedKeyRecord {
  /** Opaque id of the key's owner; also bound into the wrap's associated data. */
  readonly ownerId: string;
  /** Data key version (uint32); also bound into the wrap's associated data. */
  readonly version: number;
  /** Output of wrapDataKey. */
  readonly wrapped: Buffer;
  /** keyId of the master key that wrapped it, so a rotation knows what is left to re-wrap. */
  readonly masterKeyId: string;
  /** Unix epoch milliseconds. */
  readonly createdAt: number;
}

/** Storage of wrapped data keys, one current record per owner. */
export interface KeyringStore {
  /** The owner's record, or null when there is none (never created, or shredded). */
  get(ownerId: string): Promise<WrappedKeyRecord | null>;
  /** Inserts or replaces the owner's record (replacing is how re-wrapping is saved). */
  put(record: WrappedKeyRecord): Promise<void>;
  /**
   * Removes the owner's record; true if one existed. This is the
   * crypto-shredding step and must be durable before the owner's rows go.
   */
  delete(ownerId: string): Promise<boolean>;
  /** Every record, for master key rotation; need not hold them all in memory. */
  list(): AsyncIterable<WrappedKeyRecord>;
}

/**
 * Where the instance master key comes from: an environment variable, a key
 * file, or later a KMS or Vault. Called at start; may be called again after a
 * rotation.
 */
export interface KeyProvider {
  /** Where the key comes from, for logs ("key file /etc/sundial/master.key"); never the key. */
  readonly description: string;
  getMasterKey(): Promise<MasterKey>;
}
