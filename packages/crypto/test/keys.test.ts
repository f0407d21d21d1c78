import { Buffer } from 'node:buffer';
import { createHmac, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../src/errors.js';
import {
  generateKey,
  keyCheckValue,
  masterKeyFromBase64,
  masterKeyFromBytes,
  verifyKeyCheckValue,
} from '../src/keys.js';
import { expectCryptoError, leakForms, rawKey } from './fixtures.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const raw = rawKey(42);
const master = masterKeyFromBytes(raw);

describe('generateKey', () => {
  it('returns 32 fresh random bytes', () => {
    const keys = new Set<string>();
    for (let i = 0; i < 100; i += 1) {
      const key = generateKey();
      expect(key.length).toBe(32);
      keys.add(key.toString('hex'));
    }
    expect(keys.size).toBe(100);
  });
});

describe('masterKeyFromBytes', () => {
  it('accepts exactly 32 bytes and names the key by an HMAC, not by its bytes', () => {
    const expectedId = createHmac('sha256', raw).update('sundial:key-id:v1').digest().subarray(0, 8).toString('hex');
    expect(master.keyId).toBe(expectedId);
    expect(master.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(raw.toString('hex')).not.toContain(master.keyId);
    expect(masterKeyFromBytes(rawKey(43)).keyId).not.toBe(master.keyId);
    expect(master.key.export().equals(raw)).toBe(true);
  });

  it('copies its input', () => {
    const bytes = Buffer.from(raw);
    const key = masterKeyFromBytes(bytes);
    bytes.fill(0);
    expect(key.keyId).toBe(master.keyId);
    expect(key.key.export().equals(raw)).toBe(true);
  });

  it('refuses any other length', () => {
    for (const length of [0, 1, 16, 31, 33, 48, 64]) {
      expectCryptoError(() => masterKeyFromBytes(Buffer.alloc(length, 7)), 'crypto.invalid_key');
    }
  });
});

describe('masterKeyFromBase64', () => {
  it('reads base64 and base64url, padded or not, with surrounding whitespace', () => {
    const standard = raw.toString('base64');
    const url = raw.toString('base64url');
    expect(standard.endsWith('=')).toBe(true);
    for (const text of [standard, standard.replace(/=+$/, ''), url, `${url}=`, ` ${standard}\n`, `\t${url}\r\n`]) {
      expect(masterKeyFromBase64(text).keyId).toBe(master.keyId);
    }
  });

  it('refuses junk, wrong lengths and non-canonical text', () => {
    // Bytes chosen so that the standard and URL alphabets differ (+/ vs -_).
    const mixedBytes = Buffer.alloc(32, 0xfb);
    const standard = mixedBytes.toString('base64');
    const url = mixedBytes.toString('base64url');
    expect(masterKeyFromBase64(standard).key.export().equals(mixedBytes)).toBe(true);
    expect(masterKeyFromBase64(url).key.export().equals(mixedBytes)).toBe(true);
    // 32 bytes fill 43 characters, leaving the 2 lowest bits of the last one unused.
    const lastChar = standard.at(-2) ?? '';
    const rejected = [
      '',
      '   ',
      'not a key',
      'correct horse battery staple',
      raw.toString('hex'), // 64 hex characters are valid base64, but 48 bytes
      rawKey(1).subarray(0, 31).toString('base64'),
      Buffer.concat([raw, Buffer.of(1)]).toString('base64'),
      Buffer.alloc(16, 3).toString('base64'),
      `${standard.slice(0, 10)} ${standard.slice(10)}`,
      `${standard.slice(0, 10)}\n${standard.slice(10)}`,
      `${url.slice(0, 20)}${standard.slice(20)}`, // both alphabets at once
      `${standard}=`,
      `${standard.replace(/=+$/, '')}==`,
      `${standard}A`,
      `${standard.slice(0, 20)}=${standard.slice(21)}`,
      // Same decoded bytes but non-zero unused low bits in the last character.
      `${standard.slice(0, -2)}${ALPHABET[ALPHABET.indexOf(lastChar) ^ 1] ?? ''}=`,
      `${standard}\u0000`,
      'ＡＡＡＡ',
    ];
    for (const text of rejected) {
      const error = expectCryptoError(() => masterKeyFromBase64(text), 'crypto.invalid_key');
      if (text.trim().length > 8) expect(error.message).not.toContain(text.trim());
    }
  });
});

describe('key-check value', () => {
  it('is 16 bytes of HMAC under the key-check subkey, in hex', () => {
    const subkey = Buffer.from(hkdfSync('sha256', raw, Buffer.alloc(0), 'sundial:key-check:v1', 32));
    const expected = createHmac('sha256', subkey).update('sundial:key-check-value:v1').digest().subarray(0, 16);
    expect(keyCheckValue(master)).toBe(expected.toString('hex'));
    expect(keyCheckValue(master)).toMatch(/^[0-9a-f]{32}$/);
    expect(keyCheckValue(masterKeyFromBytes(Buffer.from(raw)))).toBe(keyCheckValue(master));
  });

  it('accepts the right master key and detects a wrong one', () => {
    const kcv = keyCheckValue(master);
    expect(() => verifyKeyCheckValue(master, kcv)).not.toThrow();
    const wrong = masterKeyFromBytes(rawKey(43));
    expect(keyCheckValue(wrong)).not.toBe(kcv);
    const error = expectCryptoError(() => verifyKeyCheckValue(wrong, kcv), 'crypto.wrong_master_key');
    for (const form of [...leakForms(raw), ...leakForms(rawKey(43))]) expect(error.message).not.toContain(form);
  });

  it('treats a damaged stored value as malformed, not as a wrong key', () => {
    const kcv = keyCheckValue(master);
    for (const stored of ['', kcv.slice(0, 31), `${kcv}0`, kcv.toUpperCase(), `${kcv.slice(0, 31)}g`]) {
      if (stored === kcv) continue;
      expectCryptoError(() => verifyKeyCheckValue(master, stored), 'crypto.malformed');
    }
    const flipped = `${kcv.slice(0, 31)}${kcv.at(-1) === '0' ? '1' : '0'}`;
    expectCryptoError(() => verifyKeyCheckValue(master, flipped), 'crypto.wrong_master_key');
  });

  it('reports errors as CryptoError instances with stable codes', () => {
    const error = expectCryptoError(() => masterKeyFromBytes(Buffer.alloc(3)), 'crypto.invalid_key');
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(CryptoError);
    expect(error.name).toBe('CryptoError');
  });
});
