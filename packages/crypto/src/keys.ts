/**
 * The instance master key: parsing, naming and checking it.
 *
 * The master key only ever wraps people's data keys (see key-wrap.ts); it is
 * held as a KeyObject so its bytes are not an ordinary Buffer that could be
 * logged or serialised by accident. Two public fingerprints exist, each for a
 * different question:
 * - `keyId` answers "which key is this?" in logs and next to each wrapped key
 *   (so a rotation can tell old wraps from new ones);
 * - the key-check value answers "is the configured key the right one?" at
 *   start, before anything is unwrapped, so a mistyped key fails loudly
 *   instead of as a stream of decryption errors.
 * Both are one-way HMACs: they name the key without revealing it.
 */
import { Buffer } from 'node:buffer';
import { createHmac, createSecretKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { CryptoError } from './errors.js';
import { deriveSubkey } from './hkdf.js';

export const KEY_LENGTH = 32;

const KEY_ID_LABEL = 'sundial:key-id:v1';
const KEY_CHECK_LABEL = 'sundial:key-check-value:v1';
const KEY_ID_BYTES = 8;
const KEY_CHECK_BYTES = 16;
const KEY_CHECK_PATTERN = /^[0-9a-f]{32}$/;
const BASE64_STANDARD = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64_URL = /^[A-Za-z0-9_-]+={0,2}$/;

export interface MasterKey {
  /** The secret itself; never export it outside this package's modules. */
  readonly key: KeyObject;
  /** First 8 bytes (hex) of HMAC-SHA256(key, "sundial:key-id:v1"): safe to log. */
  readonly keyId: string;
}

/** 32 bytes from the operating system's CSPRNG, for a new master or data key. */
export function generateKey(): Buffer {
  return randomBytes(KEY_LENGTH);
}

/** Wraps exactly 32 bytes as a master key. The input is copied, not kept. */
export function masterKeyFromBytes(bytes: Uint8Array): MasterKey {
  if (bytes.length !== KEY_LENGTH) {
    throw new CryptoError('crypto.invalid_key', `master key must be exactly ${KEY_LENGTH} bytes, got ${bytes.length}`);
  }
  const key = createSecretKey(Buffer.from(bytes));
  const keyId = createHmac('sha256', key)
    .update(KEY_ID_LABEL, 'utf8')
    .digest()
    .subarray(0, KEY_ID_BYTES)
    .toString('hex');
  return Object.freeze({ key, keyId });
}

/**
 * Parses a master key written as base64 or base64url (padded or not), as
 * found in SUNDIAL_MASTER_KEY or a key file. Surrounding whitespace is
 * ignored because key files usually end with a newline. Anything else —
 * mixed alphabets, inner whitespace, non-canonical trailing bits, a length
 * other than 32 bytes — is refused: Buffer.from(text, 'base64') would
 * quietly skip junk and hand back a different, weaker key.
 */
export function masterKeyFromBase64(text: string): MasterKey {
  const trimmed = text.trim();
  const isStandard = BASE64_STANDARD.test(trimmed);
  const isUrl = BASE64_URL.test(trimmed);
  if (!isStandard && !isUrl) {
    throw new CryptoError(
      'crypto.invalid_key',
      'master key must be base64 or base64url text of 32 bytes (for example from `openssl rand -base64 32`)',
    );
  }
  const hasPadding = trimmed.endsWith('=');
  const unpadded = trimmed.replace(/=+$/, '');
  const paddingIsRight = !hasPadding || trimmed.length % 4 === 0;
  const encoding = isStandard ? 'base64' : 'base64url';
  const bytes = Buffer.from(unpadded, encoding);
  // Re-encoding catches lengths that are not whole bytes and stray low bits.
  const canonical = bytes.toString(encoding).replace(/=+$/, '') === unpadded;
  if (!paddingIsRight || !canonical) {
    bytes.fill(0);
    throw new CryptoError('crypto.invalid_key', 'master key is not valid base64 or base64url');
  }
  try {
    return masterKeyFromBytes(bytes);
  } finally {
    bytes.fill(0);
  }
}

/**
 * The key-check value of a master key: HMAC-SHA256 of a fixed label under a
 * dedicated HKDF subkey, first 16 bytes, hex. Stored beside the wrapped keys.
 */
export function keyCheckValue(master: MasterKey): string {
  return keyCheckBytes(master).toString('hex');
}

/**
 * Throws `crypto.wrong_master_key` unless `kcv` was made from this master key,
 * or `crypto.malformed` if `kcv` is not a key-check value at all.
 */
export function verifyKeyCheckValue(master: MasterKey, kcv: string): void {
  if (!KEY_CHECK_PATTERN.test(kcv)) {
    throw new CryptoError('crypto.malformed', 'stored key-check value is not 32 lowercase hex characters');
  }
  if (!timingSafeEqual(keyCheckBytes(master), Buffer.from(kcv, 'hex'))) {
    throw new CryptoError(
      'crypto.wrong_master_key',
      `master key ${master.keyId} does not match the key that protects this keyring`,
    );
  }
}

function keyCheckBytes(master: MasterKey): Buffer {
  return createHmac('sha256', deriveSubkey(master.key, 'key-check'))
    .update(KEY_CHECK_LABEL, 'utf8')
    .digest()
    .subarray(0, KEY_CHECK_BYTES);
}
