import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blindIndex, emailBlindIndex, normaliseEmail } from '../src/blind-index.js';
import { openDataKey, openInstanceIndexKey } from '../src/data-key.js';
import { dataKey, rawKey } from './fixtures.js';

const alice = dataKey('alice', 1, 1);
const bob = dataKey('bob', 1, 2);

describe('blindIndex', () => {
  it('is a deterministic 32-byte value per key', () => {
    const first = blindIndex(alice, 'app', 'firefox');
    expect(first.length).toBe(32);
    expect(blindIndex(alice, 'app', 'firefox').equals(first)).toBe(true);
    expect(blindIndex(openDataKey('alice', 2, rawKey(1)), 'app', 'firefox').equals(first)).toBe(true);
    expect(blindIndex(alice, 'app', 'Firefox').equals(first)).toBe(false);
  });

  it("differs between two people's keys and between kinds", () => {
    expect(blindIndex(bob, 'app', 'firefox').equals(blindIndex(alice, 'app', 'firefox'))).toBe(false);
    expect(blindIndex(alice, 'title', 'firefox').equals(blindIndex(alice, 'app', 'firefox'))).toBe(false);
  });

  it('cannot confuse the boundary between kind and value', () => {
    expect(blindIndex(alice, 'ab', 'c').equals(blindIndex(alice, 'a', 'bc'))).toBe(false);
    expect(blindIndex(alice, 'a:', 'b').equals(blindIndex(alice, 'a', ':b'))).toBe(false);
    expect(blindIndex(alice, '', 'ab').equals(blindIndex(alice, 'ab', ''))).toBe(false);
    fc.assert(
      fc.property(
        fc.string({ maxLength: 6 }),
        fc.string({ maxLength: 6 }),
        fc.string({ maxLength: 6 }),
        fc.string({ maxLength: 6 }),
        (k1, v1, k2, v2) => {
          fc.pre(k1 !== k2 || v1 !== v2);
          expect(blindIndex(alice, k1, v1).equals(blindIndex(alice, k2, v2))).toBe(false);
        },
      ),
    );
  });

  it('refuses values with lone surrogates, which UTF-8 would merge with U+FFFD', () => {
    expect(() => blindIndex(alice, 'title', 'a\uD800')).toThrow(TypeError);
  });
});

describe('normaliseEmail', () => {
  it('trims, applies NFKC and lowercases the whole address', () => {
    expect(normaliseEmail(' Alice@Example.COM ')).toBe(normaliseEmail('alice@example.com'));
    expect(normaliseEmail(' Alice@Example.COM ')).toBe('alice@example.com');
    expect(normaliseEmail('\tＡｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ\n')).toBe('alice@example.com');
    expect(normaliseEmail('JOSE\u0301@example.com')).toBe('jos\u00e9@example.com');
    expect(normaliseEmail('bob@example.com')).not.toBe(normaliseEmail('alice@example.com'));
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const once = normaliseEmail(text);
        expect(normaliseEmail(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('emailBlindIndex', () => {
  const instance = openInstanceIndexKey(rawKey(50));

  it('matches spellings of the same address and separates different ones', () => {
    const index = emailBlindIndex(instance, 'alice@example.com');
    expect(index.length).toBe(32);
    expect(emailBlindIndex(instance, ' ALICE@example.Com\n').equals(index)).toBe(true);
    expect(emailBlindIndex(instance, 'alice@example.org').equals(index)).toBe(false);
    expect(emailBlindIndex(openInstanceIndexKey(rawKey(51)), 'alice@example.com').equals(index)).toBe(false);
  });

  it('refuses addresses with lone surrogates', () => {
    expect(() => emailBlindIndex(instance, 'a\uD800@example.com')).toThrow(TypeError);
  });
});
