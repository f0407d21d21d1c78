import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { openDataKey, openInstanceIndexKey } from '../src/data-key.js';
import { deriveSubkey } from '../src/hkdf.js';
import { expectCryptoError, rawKey } from './fixtures.js';

describe('openDataKey', () => {
  it('derives separate encryption and blind-index subkeys, never the raw key', () => {
    const key = openDataKey('alice', 4, rawKey(3));
    expect(key.ownerId).toBe('alice');
    expect(key.version).toBe(4);
    const encryption = key.encryptionKey.export();
    const index = key.blindIndexKey.export();
    expect(encryption.equals(deriveSubkey(rawKey(3), 'field-encryption').export())).toBe(true);
    expect(index.equals(deriveSubkey(rawKey(3), 'blind-index').export())).toBe(true);
    expect(encryption.equals(index)).toBe(false);
    expect(encryption.equals(rawKey(3))).toBe(false);
    expect(Object.isFrozen(key)).toBe(true);
  });

  it('refuses raw keys that are not 32 bytes and versions that are not uint32', () => {
    for (const length of [0, 16, 31, 33]) {
      expectCryptoError(() => openDataKey('alice', 1, Buffer.alloc(length, 1)), 'crypto.invalid_key');
    }
    for (const version of [-1, 0.5, 2 ** 32]) {
      expect(() => openDataKey('alice', version, rawKey(3))).toThrow(RangeError);
    }
  });
});

describe('openInstanceIndexKey', () => {
  it('derives the email-index subkey and checks the length', () => {
    const key = openInstanceIndexKey(rawKey(3));
    expect(key.emailIndexKey.export().equals(deriveSubkey(rawKey(3), 'email-index').export())).toBe(true);
    expect(key.emailIndexKey.export().equals(openDataKey('a', 1, rawKey(3)).blindIndexKey.export())).toBe(false);
    expectCryptoError(() => openInstanceIndexKey(Buffer.alloc(31)), 'crypto.invalid_key');
  });
});
