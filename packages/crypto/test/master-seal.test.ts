import { describe, expect, it } from 'vitest';
import { generateKey, masterKeyFromBytes } from '../src/keys.js';
import { openWithMaster, sealWithMaster } from '../src/master-seal.js';
import { CryptoError } from '../src/errors.js';

const master = masterKeyFromBytes(generateKey());
const other = masterKeyFromBytes(generateKey());
const doc = Buffer.from(JSON.stringify({ keys: ['a', 'b'] }));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof CryptoError ? error.code : 'not a CryptoError';
  }
  return undefined;
}

describe('sealWithMaster', () => {
  it('round-trips and hides the content', () => {
    const sealed = sealWithMaster(master, 'keyring-backup', doc);
    expect(sealed.includes(Buffer.from('keys'))).toBe(false);
    expect(openWithMaster(master, 'keyring-backup', sealed).equals(doc)).toBe(true);
  });

  it('refuses another master key, another label, and any damaged byte', () => {
    const sealed = sealWithMaster(master, 'keyring-backup', doc);
    expect(codeOf(() => openWithMaster(other, 'keyring-backup', sealed))).toBe('crypto.decrypt_failed');
    expect(codeOf(() => openWithMaster(master, 'something-else', sealed))).toBe('crypto.decrypt_failed');
    for (let i = 0; i < sealed.length; i++) {
      const copy = Buffer.from(sealed);
      copy[i] = (copy[i] ?? 0) ^ 0x01;
      expect(
        codeOf(() => openWithMaster(master, 'keyring-backup', copy)),
        `byte ${i}`,
      ).toBe('crypto.decrypt_failed');
    }
    expect(codeOf(() => openWithMaster(master, 'keyring-backup', sealed.subarray(0, 20)))).toBe(
      'crypto.decrypt_failed',
    );
  });
});
