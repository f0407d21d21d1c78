import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonEqual } from '../src/json-equal.js';

describe('jsonEqual', () => {
  it.each([
    ['key order ignored', { a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }, true],
    ['true is not 1', { a: true }, { a: 1 }, false],
    ['"1" is not 1', { a: '1' }, { a: 1 }, false],
    ['arrays are ordered', [1, 2], [2, 1], false],
    ['array length matters', [1, 2], [1, 2, 3], false],
    ['null is not a missing key', { a: null }, {}, false],
    ['undefined is a missing key', { a: undefined }, {}, true],
    ['NaN never equal', { a: Number.NaN }, { a: Number.NaN }, false],
    ['array is not object', [], {}, false],
    ['null equals null', null, null, true],
    ['nested difference', { a: { b: { c: 1 } } }, { a: { b: { c: 2 } } }, false],
    ['empty objects', {}, {}, true],
  ])('%s', (_name, a, b, expected) => {
    expect(jsonEqual(a, b)).toBe(expected);
    expect(jsonEqual(b, a)).toBe(expected);
  });

  it('agrees with comparing JSON after a round trip, up to key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy: unknown = JSON.parse(JSON.stringify(value));
        expect(jsonEqual(value, copy)).toBe(true);
      }),
    );
  });

  it('is false whenever the canonical JSON differs', () => {
    const canonical = (v: unknown): string =>
      JSON.stringify(v, (_k, x: unknown) =>
        x !== null && typeof x === 'object' && !Array.isArray(x)
          ? Object.fromEntries(Object.entries(x).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0)))
          : x,
      );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 2 }), (a, b) => {
        expect(jsonEqual(a, b)).toBe(canonical(a) === canonical(b));
      }),
    );
  });
});
