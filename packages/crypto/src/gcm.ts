/**
 * AES-256-GCM with a 128-bit tag: the one place that drives Node's cipher
 * objects, for envelopes, key wrapping and sealed backups alike.
 */
import { Buffer } from 'node:buffer';
import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';

export const TAG_BYTES = 16;

export function gcmSeal(
  key: KeyObject,
  nonce: Buffer,
  aad: Buffer,
  plaintext: Uint8Array,
): { body: Buffer; tag: Buffer } {
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { body, tag: cipher.getAuthTag() };
}

/** The plaintext, or null when the tag does not verify (wrong key, associated data, or any damage). */
export function gcmOpen(key: KeyObject, nonce: Buffer, aad: Buffer, body: Buffer, tag: Buffer): Buffer | null {
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  const plaintext = decipher.update(body);
  try {
    decipher.final();
  } catch {
    // GCM hands out plaintext before checking the tag; wipe it, it is not data.
    plaintext.fill(0);
    return null;
  }
  return plaintext;
}
