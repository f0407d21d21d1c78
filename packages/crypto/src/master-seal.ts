/**
 * Sealing a whole document under the master key, for keyring backups.
 *
 * The wrapped data keys in a keyring backup are already encrypted under the
 * master key; sealing the backup as a whole also authenticates it (a
 * tampered or truncated backup is refused instead of half-restored) and hides
 * which people have keys. AES-256-GCM under an HKDF subkey of the master key
 * (purpose `backup-seal`), the document's label bound as associated data.
 * Layout: [0x01][12-byte nonce][ciphertext][16-byte tag].
 */
import { Buffer } from 'node:buffer';
import { canonicalEncode } from './canonical.js';
import { CryptoError } from './errors.js';
import { gcmOpen, gcmSeal, TAG_BYTES } from './gcm.js';
import { deriveSubkey } from './hkdf.js';
import type { MasterKey } from './keys.js';
import { NONCE_BYTES, freshNonce } from './nonce.js';

const FORMAT_V1 = 0x01;

function aad(label: string): Buffer {
  return canonicalEncode(['sundial:master-seal', FORMAT_V1, label]);
}

export function sealWithMaster(master: MasterKey, label: string, plaintext: Uint8Array): Buffer {
  const nonce = freshNonce();
  const { body, tag } = gcmSeal(deriveSubkey(master.key, 'backup-seal'), nonce, aad(label), plaintext);
  return Buffer.concat([Buffer.from([FORMAT_V1]), nonce, body, tag]);
}

/** Opens a sealed document; `crypto.decrypt_failed` for a wrong key, wrong label, or any damage. */
export function openWithMaster(master: MasterKey, label: string, sealed: Uint8Array): Buffer {
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (bytes.length < 1 + NONCE_BYTES + TAG_BYTES || bytes[0] !== FORMAT_V1) {
    throw new CryptoError('crypto.decrypt_failed', 'sealed document is malformed');
  }
  const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
  const body = bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const plaintext = gcmOpen(deriveSubkey(master.key, 'backup-seal'), nonce, aad(label), body, tag);
  if (!plaintext) {
    throw new CryptoError(
      'crypto.decrypt_failed',
      'sealed document does not open with this master key (wrong key or damaged)',
    );
  }
  return plaintext;
}
