import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalEncode, isWellFormed } from '../src/canonical.js';

describe('canonicalEncode', () => {
  it('writes [tag][uint32 BE length or value][UTF-8] per field', () => {
    expect(canonicalEncode(['é', 258]).toString('hex')).toBe('73' + '00000002' + 'c3a9' + '6e' + '00000102');
    expect(canonicalEncode([]).length).toBe(0);
    expect(canonicalEncode(['']).toString('hex')).toBe('7300000000');
  });

  it('never maps two different tuples to the same bytes', () => {
    // A tiny alphabet that includes the tag and length bytes makes collisions likely if any exist.
    const piece = fc.string({ unit: fc.constantFrom('s', 'n', 'a', '\u0000', '\u0001', '|'), maxLength: 6 });
    const field = fc.oneof(piece, fc.nat({ max: 0xffff_ffff }), fc.constantFrom(0, 1, 0x73, 0x6e));
    const tuple = fc.array(field, { maxLength: 4 });
    fc.assert(
      fc.property(tuple, tuple, (one, other) => {
        fc.pre(JSON.stringify(one) !== JSON.stringify(other));
        expect(canonicalEncode(one).equals(canonicalEncode(other))).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses numbers that are not uint32 and strings with lone surrogates', () => {
    for (const bad of [-1, 2 ** 32, 0.5, Number.NaN]) expect(() => canonicalEncode([bad])).toThrow(RangeError);
    expect(() => canonicalEncode(['\uD800'])).toThrow(TypeError);
    expect(isWellFormed('😀 paired surrogates are fine')).toBe(true);
    expect(isWellFormed('\uDE00\uD83D')).toBe(false);
  });
});
