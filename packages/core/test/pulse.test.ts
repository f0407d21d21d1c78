import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { productivityPulse } from '../src/pulse.js';

describe('productivityPulse', () => {
  it.each<[string, Parameters<typeof productivityPulse>[0], number | null]>([
    ['all very productive', { 2: 3600 }, 100],
    ['all very distracting', { [-2]: 3600 }, 0],
    ['all neutral', { 0: 120 }, 50],
    ['no time', {}, null],
    ['only zeros', { 2: 0, [-2]: 0 }, null],
    ['equal very productive and very distracting', { 2: 1800, [-2]: 1800 }, 50],
    // (4·3600 + 3·1800 + 1·600) / (4 · 6000) = 20400 / 24000 = 85 %
    ['a working day', { 2: 3600, 1: 1800, [-1]: 600 }, 85],
    // (3·1 + 0·2) / (4 · 3) = 25 %
    ['productive and very distracting', { 1: 1, [-2]: 2 }, 25],
    // (2·3 + 3·1) / (4 · 4) = 56.25 %
    ['rounds down below a half', { 0: 3, 1: 1 }, 56],
    // (4 + 3) / 8 = 87.5 % and (1 + 0) / 8 = 12.5 %: halves round up
    ['rounds a half up', { 2: 1, 1: 1 }, 88],
    ['rounds a low half up', { [-1]: 1, [-2]: 1 }, 13],
  ])('%s', (_name, input, expected) => {
    expect(productivityPulse(input)).toBe(expected);
  });

  it.each<[string, unknown]>([
    ['negative', { 1: -1 }],
    ['NaN', { 0: Number.NaN }],
    ['infinite', { 2: Number.POSITIVE_INFINITY }],
    ['too large to sum', { 2: Number.MAX_VALUE }],
    ['too large in total', { [-2]: Number.MAX_VALUE, [-1]: Number.MAX_VALUE }],
    ['not a number', { 1: '60' }],
  ])('refuses %s time', (_name, input) => {
    expect(() => productivityPulse(input as Parameters<typeof productivityPulse>[0])).toThrow(RangeError);
  });

  const seconds = fc.integer({ min: 0, max: 10_000_000 });
  const byLevel = fc.record({ [-2]: seconds, [-1]: seconds, 0: seconds, 1: seconds, 2: seconds });

  it('stays within 0–100, and is null only without time', () => {
    fc.assert(
      fc.property(byLevel, (input) => {
        const pulse = productivityPulse(input);
        const total = Object.values(input).reduce((a, b) => a + b, 0);
        if (total === 0) expect(pulse).toBeNull();
        else expect(pulse).toSatisfy((p: number) => Number.isInteger(p) && p >= 0 && p <= 100);
      }),
    );
  });

  it('does not depend on the unit of time', () => {
    fc.assert(
      fc.property(byLevel, fc.integer({ min: 2, max: 60 }), (input, factor) => {
        const scaled = Object.fromEntries(Object.entries(input).map(([level, s]) => [level, s * factor]));
        expect(productivityPulse(scaled)).toBe(productivityPulse(input));
      }),
    );
  });

  it('never falls when very productive time is added', () => {
    fc.assert(
      fc.property(byLevel, fc.integer({ min: 1, max: 10_000 }), (input, extra) => {
        const more = productivityPulse({ ...input, 2: input[2] + extra }) ?? 0;
        expect(more).toBeGreaterThanOrEqual(productivityPulse(input) ?? 0);
      }),
    );
  });
});
