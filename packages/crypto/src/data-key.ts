/**
 * Key material ready for use: a person's data key, and the instance key for
 * the email blind index.
 *
 * A raw 32-byte key is opened once (after unwrapping) into the subkeys that
 * the envelope and blind-index modules use, so the raw bytes never feed two
 * algorithms and callers never handle them after this point. Opened keys are
 * frozen plain objects: cheap to cache per person, and a crypto-shredded
 * person's key disappears with the cache entry.
 */
import { Buffer } from 'node:buffer';
import type { KeyObject } from 'node:crypto';
import { isUint32 } from './canonical.js';
import { CryptoError } from './errors.js';
import { deriveSubkey } from './hkdf.js';
import { KEY_LENGTH } from './keys.js';

export interface DataKey {
  /** The person the key belongs to; bound into every ciphertext made with it. */
  readonly ownerId: string;
  /** Key version (uint32), written into every envelope so rotation can tell keys apart. */
  readonly version: number;
  /** AES-256-GCM key for field envelopes (HKDF purpose `field-encryption`). */
  readonly encryptionKey: KeyObject;
  /** HMAC-SHA256 key for the person's blind indexes (HKDF purpose `blind-index`). */
  readonly blindIndexKey: KeyObject;
}

export interface InstanceIndexKey {
  /** HMAC-SHA256 key for the login email index (HKDF purpose `email-index`). */
  readonly emailIndexKey: KeyObject;
}

/** Opens an unwrapped 32-byte data key for one owner and key version. */
export function openDataKey(ownerId: string, version: number, raw32: Buffer): DataKey {
  assertKeyLength(raw32, 'data key');
  if (!isUint32(version)) throw new RangeError('key version must be an integer from 0 to 2^32-1');
  return Object.freeze({
    ownerId,
    version,
    encryptionKey: deriveSubkey(raw32, 'field-encryption'),
    blindIndexKey: deriveSubkey(raw32, 'blind-index'),
  });
}

/**
 * Opens the instance-level key behind the email blind index. It is a key of
 * its own, not the master key, so rotating the master key does not change
 * every stored email index.
 */
export function openInstanceIndexKey(raw32: Buffer): InstanceIndexKey {
  assertKeyLength(raw32, 'instance index key');
  return Object.freeze({ emailIndexKey: deriveSubkey(raw32, 'email-index') });
}

function assertKeyLength(raw: Buffer, what: string): void {
  if (!Buffer.isBuffer(raw) || raw.length !== KEY_LENGTH) {
    throw new CryptoError('crypto.invalid_key', `${what} must be exactly ${KEY_LENGTH} bytes`);
  }
}
