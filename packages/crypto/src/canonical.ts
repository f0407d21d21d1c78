/**
 * Canonical byte encoding of short tuples, used for associated data and
 * blind-index input.
 *
 * The encoding must be injective: two different tuples must never produce the
 * same bytes, or a ciphertext made for ("a|b", "c") would also open as
 * ("a", "b|c"). Every field therefore carries a type tag and an explicit
 * length, so no separator character can be forged from inside a value.
 *
 * Strings must be well-formed Unicode. UTF-8 encoding replaces a lone
 * surrogate with U+FFFD, which would make "\uD800" and "\uFFFD" encode — and
 * so index and authenticate — identically, and would make a decrypted value
 * differ from what was encrypted. Such strings are refused instead of being
 * changed in silence; callers should reject them at their input boundary.
 */
import { Buffer } from 'node:buffer';

export type CanonicalField = string | number;

const TAG_STRING = 0x73; // 's'
const TAG_UINT32 = 0x6e; // 'n'
const MAX_UINT32 = 0xffff_ffff;
const LONE_SURROGATE = /\p{Cs}/u;

/** True unless the string contains an unpaired UTF-16 surrogate. */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** Throws a TypeError unless the string is well-formed Unicode. */
export function assertWellFormed(text: string, what: string): void {
  if (!isWellFormed(text)) {
    throw new TypeError(`${what} contains an unpaired UTF-16 surrogate and cannot be encoded`);
  }
}

/** True for an integer from 0 to 2^32 - 1 (a key version, for example). */
export function isUint32(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= MAX_UINT32;
}

/** Encodes fields as [tag][uint32 big-endian length or value][bytes] each. */
export function canonicalEncode(fields: readonly CanonicalField[]): Buffer {
  let total = 0;
  for (const field of fields) {
    if (typeof field === 'number') {
      if (!isUint32(field)) throw new RangeError('canonicalEncode: numbers must be uint32');
      total += 5;
    } else {
      assertWellFormed(field, 'canonicalEncode: a string field');
      total += 5 + Buffer.byteLength(field, 'utf8');
    }
  }
  // One allocation: this runs for every field encrypted and every index computed.
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (const field of fields) {
    if (typeof field === 'number') {
      out[at] = TAG_UINT32;
      out.writeUInt32BE(field, at + 1);
      at += 5;
    } else {
      out[at] = TAG_STRING;
      const length = out.write(field, at + 5, 'utf8');
      out.writeUInt32BE(length, at + 1);
      at += 5 + length;
    }
  }
  return out;
}
