import { Buffer } from 'node:buffer';
import { createHmac, createSecretKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveSubkey, subkeyInfo, type SubkeyPurpose } from '../src/hkdf.js';
import { rawKey } from './fixtures.js';

const PURPOSES: SubkeyPurpose[] = [
  'field-encryption',
  'blind-index',
  'key-wrap',
  'key-check',
  'email-index',
  'audit-hmac',
];

/** RFC 5869 written out with HMAC, as an independent reference. */
function referenceHkdf(ikm: Buffer, salt: Buffer, info: Buffer, length: number): Buffer {
  const prk = createHmac('sha256', salt.length > 0 ? salt : Buffer.alloc(32))
    .update(ikm)
    .digest();
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let counter = 1; blocks.length * 32 < length; counter += 1) {
    previous = createHmac('sha256', prk)
      .update(Buffer.concat([previous, info, Buffer.of(counter)]))
      .digest();
    blocks.push(previous);
  }
  return Buffer.concat(blocks).subarray(0, length);
}

describe('deriveSubkey', () => {
  it('has a reference implementation that passes RFC 5869 test case 3', () => {
    const okm = referenceHkdf(Buffer.alloc(22, 0x0b), Buffer.alloc(0), Buffer.alloc(0), 42);
    expect(okm.toString('hex')).toBe(
      '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    );
  });

  it('is HKDF-SHA256 with an empty salt and info "sundial:<purpose>:v1"', () => {
    for (const purpose of PURPOSES) {
      expect(subkeyInfo(purpose)).toBe(`sundial:${purpose}:v1`);
      const expected = referenceHkdf(rawKey(9), Buffer.alloc(0), Buffer.from(`sundial:${purpose}:v1`), 32);
      expect(deriveSubkey(rawKey(9), purpose).export().equals(expected)).toBe(true);
    }
  });

  it('gives a different key for every purpose, none equal to the input', () => {
    const derived = PURPOSES.map((purpose) => deriveSubkey(rawKey(9), purpose).export().toString('hex'));
    expect(new Set(derived).size).toBe(PURPOSES.length);
    expect(derived).not.toContain(rawKey(9).toString('hex'));
  });

  it('depends on the input key, and reads a KeyObject like the same bytes', () => {
    const fromBuffer = deriveSubkey(rawKey(9), 'key-wrap').export();
    const fromKeyObject = deriveSubkey(createSecretKey(rawKey(9)), 'key-wrap').export();
    expect(fromKeyObject.equals(fromBuffer)).toBe(true);
    expect(deriveSubkey(rawKey(10), 'key-wrap').export().equals(fromBuffer)).toBe(false);
  });

  it('honours the requested length within 16 to 64 bytes', () => {
    expect(deriveSubkey(rawKey(9), 'audit-hmac').export().length).toBe(32);
    expect(deriveSubkey(rawKey(9), 'audit-hmac', 16).export().length).toBe(16);
    expect(deriveSubkey(rawKey(9), 'audit-hmac', 64).export().length).toBe(64);
    for (const length of [0, 15, 65, 1.5, Number.NaN]) {
      expect(() => deriveSubkey(rawKey(9), 'audit-hmac', length)).toThrow(RangeError);
    }
  });
});
