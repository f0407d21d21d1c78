/**
 * The field ciphertext format. This is the only module that builds or reads
 * it; everything else treats an envelope as opaque bytes.
 *
 * Layout (version 1):
 *   [0x01][key version: uint32 BE][nonce: 12 bytes][ciphertext][tag: 16 bytes]
 *
 * AES-256-GCM with a fresh random 96-bit nonce per encryption. With one key
 * per person the 2^32-encryptions-per-key bound for random nonces is out of
 * reach. The associated data binds the ciphertext to (owner, table, column,
 * key version), canonically encoded (see canonical.ts), so a ciphertext moved
 * to another person, row type or column — or presented under another key
 * version — fails to decrypt rather than decrypting to someone else's value.
 * The format byte and key version are in the clear so a reader can pick the
 * key, and are authenticated through the associated data.
 */
import { Buffer } from 'node:buffer';
import { assertWellFormed, canonicalEncode } from './canonical.js';
import type { DataKey } from './data-key.js';
import { CryptoError } from './errors.js';
import { gcmOpen, gcmSeal, TAG_BYTES } from './gcm.js';
import { NONCE_BYTES, writeNonce } from './nonce.js';

export interface FieldContext {
  readonly table: string;
  readonly column: string;
}

const FORMAT_V1 = 0x01;
const HEADER_BYTES = 1 + 4;
const MIN_LENGTH = HEADER_BYTES + NONCE_BYTES + TAG_BYTES;
const AAD_LABEL = 'sundial:field';

// fatal: invalid UTF-8 after a successful decryption means a bytes envelope was
// read as a string field; replacing bytes with U+FFFD would return garbage as data.
// ignoreBOM: by default a leading U+FEFF is stripped, so '\uFEFFx' would come back as 'x'.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function fieldAad(key: DataKey, ctx: FieldContext): Buffer {
  return canonicalEncode([AAD_LABEL, FORMAT_V1, key.ownerId, ctx.table, ctx.column, key.version]);
}

/** Encrypts binary plaintext for one owner's field. */
export function encryptBytes(key: DataKey, ctx: FieldContext, plaintext: Uint8Array): Buffer {
  const aad = fieldAad(key, ctx);
  const head = Buffer.allocUnsafe(HEADER_BYTES + NONCE_BYTES);
  head[0] = FORMAT_V1;
  head.writeUInt32BE(key.version, 1);
  writeNonce(head, HEADER_BYTES);
  const nonce = head.subarray(HEADER_BYTES);
  const { body, tag } = gcmSeal(key.encryptionKey, nonce, aad, plaintext);
  return Buffer.concat([head, body, tag]);
}

/** Encrypts a string (as UTF-8). Strings with lone surrogates are refused (TypeError). */
export function encryptField(key: DataKey, ctx: FieldContext, plaintext: string): Buffer {
  assertWellFormed(plaintext, 'field plaintext');
  return encryptBytes(key, ctx, Buffer.from(plaintext, 'utf8'));
}

/**
 * Decrypts an envelope made by encryptBytes for this key and context. Every
 * failure is `crypto.decrypt_failed`; no partial or unverified data escapes.
 */
export function decryptBytes(key: DataKey, ctx: FieldContext, envelope: Uint8Array): Buffer {
  const aad = fieldAad(key, ctx);
  if (envelope.length < MIN_LENGTH || envelope[0] !== FORMAT_V1) throw decryptFailed();
  const bytes = Buffer.from(envelope.buffer, envelope.byteOffset, envelope.byteLength);
  // A different version can only mean the wrong key was chosen; GCM would fail anyway.
  if (bytes.readUInt32BE(1) !== key.version) throw decryptFailed();
  const nonce = bytes.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES);
  const body = bytes.subarray(HEADER_BYTES + NONCE_BYTES, bytes.length - TAG_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const plaintext = gcmOpen(key.encryptionKey, nonce, aad, body, tag);
  if (!plaintext) throw decryptFailed();
  return plaintext;
}

/** Decrypts a string field; also fails with `crypto.decrypt_failed` on invalid UTF-8. */
export function decryptField(key: DataKey, ctx: FieldContext, envelope: Uint8Array): string {
  const plaintext = decryptBytes(key, ctx, envelope);
  try {
    return utf8.decode(plaintext);
  } catch {
    throw decryptFailed();
  } finally {
    plaintext.fill(0);
  }
}

/**
 * The key version an envelope was made with, read without decrypting, so a
 * caller can fetch the right key. Unauthenticated until decryption succeeds.
 */
export function envelopeKeyVersion(envelope: Uint8Array): number {
  if (envelope.length < MIN_LENGTH) {
    throw new CryptoError(
      'crypto.malformed',
      `envelope is ${envelope.length} bytes, shorter than the minimum ${MIN_LENGTH}`,
    );
  }
  if (envelope[0] !== FORMAT_V1) {
    throw new CryptoError('crypto.malformed', `unknown envelope format ${envelope[0] ?? 'none'}`);
  }
  return Buffer.from(envelope.buffer, envelope.byteOffset, envelope.byteLength).readUInt32BE(1);
}

function decryptFailed(): CryptoError {
  return new CryptoError('crypto.decrypt_failed', 'field could not be decrypted (wrong key or context, or damaged)');
}
