import { Buffer } from 'node:buffer';
import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalEncode } from '../src/canonical.js';
import { CryptoError } from '../src/errors.js';
import { deriveSubkey } from '../src/hkdf.js';
import { unwrapDataKey, wrapDataKey } from '../src/key-wrap.js';
import { generateKey, masterKeyFromBytes } from '../src/keys.js';
import { expectCryptoError, leakForms, rawKey } from './fixtures.js';

const master = masterKeyFromBytes(rawKey(100));
const otherMaster = masterKeyFromBytes(rawKey(101));
const dataKeyBytes = rawKey(5);

describe('wrapDataKey / unwrapDataKey', () => {
  it('round-trips any 32-byte key for any owner and version', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.nat({ max: 0xffff_ffff }),
        (bytes, ownerId, version) => {
          const key = Buffer.from(bytes);
          expect(unwrapDataKey(master, ownerId, version, wrapDataKey(master, ownerId, version, key)).equals(key)).toBe(
            true,
          );
        },
      ),
    );
  });

  it('writes [0x01][nonce 12][ciphertext 32][tag 16] with a fresh nonce and no clear key', () => {
    const first = wrapDataKey(master, 'alice', 1, dataKeyBytes);
    const second = wrapDataKey(master, 'alice', 1, dataKeyBytes);
    expect(first.length).toBe(61);
    expect(first[0]).toBe(0x01);
    expect(first.subarray(1, 13).equals(second.subarray(1, 13))).toBe(false);
    expect(first.equals(second)).toBe(false);
    expect(first.includes(dataKeyBytes.subarray(0, 8))).toBe(false);
  });

  it('is AES-256-GCM under the key-wrap subkey with (owner, version) as associated data', () => {
    const wrapped = wrapDataKey(master, 'alice', 7, dataKeyBytes);
    const decipher = createDecipheriv('aes-256-gcm', deriveSubkey(master.key, 'key-wrap'), wrapped.subarray(1, 13));
    decipher.setAAD(canonicalEncode(['sundial:wrapped-data-key', 1, 'alice', 7]));
    decipher.setAuthTag(wrapped.subarray(45));
    const opened = Buffer.concat([decipher.update(wrapped.subarray(13, 45)), decipher.final()]);
    expect(opened.equals(dataKeyBytes)).toBe(true);
  });

  it('refuses data keys that are not 32 bytes', () => {
    for (const length of [0, 16, 31, 33, 64]) {
      expectCryptoError(() => wrapDataKey(master, 'alice', 1, Buffer.alloc(length, 1)), 'crypto.invalid_key');
    }
  });

  it('refuses key versions that are not uint32', () => {
    for (const version of [-1, 1.5, 2 ** 32, Number.NaN]) {
      expect(() => wrapDataKey(master, 'alice', version, dataKeyBytes)).toThrow(RangeError);
    }
  });
});

describe('unwrap failures', () => {
  const wrapped = wrapDataKey(master, 'alice', 3, dataKeyBytes);

  it('fails on any single-byte change', () => {
    for (let position = 0; position < wrapped.length; position += 1) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const tampered = Buffer.from(wrapped);
        tampered[position] = (tampered[position] ?? 0) ^ mask;
        expectCryptoError(() => unwrapDataKey(master, 'alice', 3, tampered), 'crypto.unwrap_failed');
      }
    }
  });

  it('fails on every wrong length', () => {
    for (let length = 0; length < wrapped.length; length += 1) {
      expectCryptoError(() => unwrapDataKey(master, 'alice', 3, wrapped.subarray(0, length)), 'crypto.unwrap_failed');
    }
    const longer = Buffer.concat([wrapped, Buffer.of(0)]);
    expectCryptoError(() => unwrapDataKey(master, 'alice', 3, longer), 'crypto.unwrap_failed');
  });

  it('fails for another owner, version or master key', () => {
    expectCryptoError(() => unwrapDataKey(master, 'bob', 3, wrapped), 'crypto.unwrap_failed');
    expectCryptoError(() => unwrapDataKey(master, 'alice', 2, wrapped), 'crypto.unwrap_failed');
    expectCryptoError(() => unwrapDataKey(master, 'alice', 4, wrapped), 'crypto.unwrap_failed');
    expectCryptoError(() => unwrapDataKey(otherMaster, 'alice', 3, wrapped), 'crypto.unwrap_failed');
    expect(unwrapDataKey(master, 'alice', 3, wrapped).equals(dataKeyBytes)).toBe(true);
  });

  it('keeps owner and version apart in the associated data', () => {
    // "a" + version 0x31 must not look like "a1" + anything.
    const made = wrapDataKey(master, 'a', 0x31, dataKeyBytes);
    expectCryptoError(() => unwrapDataKey(master, 'a1', 0x31, made), 'crypto.unwrap_failed');
    expectCryptoError(() => unwrapDataKey(master, 'a\u0000', 0x31, made), 'crypto.unwrap_failed');
  });

  it('never puts key bytes in an error message', () => {
    const secret = generateKey();
    const made = wrapDataKey(master, 'alice', 1, secret);
    let message = '';
    try {
      unwrapDataKey(otherMaster, 'alice', 1, made);
    } catch (error) {
      if (error instanceof CryptoError) message = error.message;
    }
    expect(message).not.toBe('');
    for (const form of [...leakForms(secret), ...leakForms(rawKey(100)), ...leakForms(rawKey(101))]) {
      expect(message).not.toContain(form);
    }
  });
});
