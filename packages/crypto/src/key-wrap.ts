/**
 * Wrapping people's data keys under the instance master key.
 *
 * Data keys are stored only in wrapped form, in a keyring kept apart from the
 * data. AES-256-GCM (rather than AES-KW) is used so the wrap can carry
 * associated data: each wrapped key is bound to its owner and key version, so
 * a keyring row copied onto another person, or an old version replayed as the
 * current one, fails to unwrap instead of handing out the wrong key.
 *
 * Layout: [format 0x01][12-byte nonce][32-byte ciphertext][16-byte tag].
 */
import { Buffer } from 'node:buffer';
import type { KeyObject } from 'node:crypto';
import { canonicalEncode, isUint32 } from './canonical.js';
import { CryptoError } from './errors.js';
import { gcmOpen, gcmSeal, TAG_BYTES } from './gcm.js';
import { deriveSubkey } from './hkdf.js';
import { KEY_LENGTH, type MasterKey } from './keys.js';
import { NONCE_BYTES, freshNonce } from './nonce.js';

const FORMAT_V1 = 0x01;
const WRAPPED_LENGTH = 1 + NONCE_BYTES + KEY_LENGTH + TAG_BYTES;
const AAD_LABEL = 'sundial:wrapped-data-key';

// HKDF per call would cost more than the AES itself; a master key is long-lived.
const wrapKeys = new WeakMap<KeyObject, KeyObject>();

function wrapKeyOf(master: MasterKey): KeyObject {
  const cached = wrapKeys.get(master.key);
  if (cached !== undefined) return cached;
  const derived = deriveSubkey(master.key, 'key-wrap');
  wrapKeys.set(master.key, derived);
  return derived;
}

function wrapAad(ownerId: string, keyVersion: number): Buffer {
  if (!isUint32(keyVersion)) throw new RangeError('key version must be an integer from 0 to 2^32-1');
  return canonicalEncode([AAD_LABEL, FORMAT_V1, ownerId, keyVersion]);
}

/** Encrypts a 32-byte data key for storage in the keyring. */
export function wrapDataKey(master: MasterKey, ownerId: string, keyVersion: number, dataKey: Buffer): Buffer {
  if (dataKey.length !== KEY_LENGTH) {
    throw new CryptoError('crypto.invalid_key', `data key must be exactly ${KEY_LENGTH} bytes, got ${dataKey.length}`);
  }
  const aad = wrapAad(ownerId, keyVersion);
  const nonce = freshNonce();
  const { body, tag } = gcmSeal(wrapKeyOf(master), nonce, aad, dataKey);
  return Buffer.concat([Buffer.of(FORMAT_V1), nonce, body, tag]);
}

/**
 * Recovers a data key. Any failure — wrong length or format, tampering, a
 * different owner, version or master key — is the same `crypto.unwrap_failed`.
 */
export function unwrapDataKey(master: MasterKey, ownerId: string, keyVersion: number, wrapped: Uint8Array): Buffer {
  const aad = wrapAad(ownerId, keyVersion);
  if (wrapped.length !== WRAPPED_LENGTH || wrapped[0] !== FORMAT_V1) throw unwrapFailed();
  const bytes = Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.byteLength);
  const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
  const body = bytes.subarray(1 + NONCE_BYTES, 1 + NONCE_BYTES + KEY_LENGTH);
  const tag = bytes.subarray(1 + NONCE_BYTES + KEY_LENGTH);
  const dataKey = gcmOpen(wrapKeyOf(master), nonce, aad, body, tag);
  if (!dataKey) throw unwrapFailed();
  return dataKey;
}

function unwrapFailed(): CryptoError {
  return new CryptoError(
    'crypto.unwrap_failed',
    'wrapped data key could not be unwrapped (wrong master key, owner or version, or damaged)',
  );
}
