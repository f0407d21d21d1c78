/**
 * Purpose-specific subkeys (HKDF-SHA256, RFC 5869).
 *
 * One secret never serves two algorithms: apart from the HMAC that names the
 * master key (keys.ts), the master key and each person's data key are used
 * only as HKDF input, and every use gets its own subkey named by a purpose. The purpose list is closed so that a typo cannot
 * silently derive a key nobody else derives. The info string carries a
 * version so a future change of scheme derives different keys instead of
 * reinterpreting old ones. The salt is empty (RFC 5869 §3.1: fine when the
 * input is already a uniformly random key, which ours always are).
 */
import { Buffer } from 'node:buffer';
import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';

export type SubkeyPurpose =
  | 'field-encryption'
  | 'blind-index'
  | 'key-wrap'
  | 'key-check'
  | 'email-index'
  | 'audit-hmac'
  | 'backup-seal'
  | 'throttle-key';

const EMPTY_SALT = Buffer.alloc(0);
const MIN_LENGTH = 16;
const MAX_LENGTH = 64;

/** The HKDF info string for a purpose: `sundial:<purpose>:v1`. */
export function subkeyInfo(purpose: SubkeyPurpose): string {
  return `sundial:${purpose}:v1`;
}

/** Derives a `length`-byte secret key for one purpose from input key material. */
export function deriveSubkey(ikm: KeyObject | Buffer, purpose: SubkeyPurpose, length = 32): KeyObject {
  if (!Number.isInteger(length) || length < MIN_LENGTH || length > MAX_LENGTH) {
    throw new RangeError(`deriveSubkey: length must be an integer from ${MIN_LENGTH} to ${MAX_LENGTH}`);
  }
  const okm = Buffer.from(hkdfSync('sha256', ikm, EMPTY_SALT, subkeyInfo(purpose), length));
  const key = createSecretKey(okm);
  // createSecretKey copies; do not leave a second copy of the subkey on the heap.
  okm.fill(0);
  return key;
}
