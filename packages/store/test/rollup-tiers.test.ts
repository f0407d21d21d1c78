/** signedParts: any slot-aligned range as signed slot- and day-tier parts that sum to exactly its slots. */
import { expect, it } from 'vitest';
import fc from 'fast-check';
import { DAY_MS, signedParts } from '../src/repositories/rollup-tiers.js';

const SLOT = 15 * 60_000;
const BASE = Date.UTC(2025, 0, 1);

/** Which slots a set of parts counts, and how often, expanding day parts into their 96 slots. */
function counted(parts: ReturnType<typeof signedParts>): Map<number, number> {
  const out = new Map<number, number>();
  for (const p of parts) {
    const day = p.dimension.endsWith('/day');
    for (let t = p.start; t < p.end; t += day ? DAY_MS : SLOT) {
      for (let s = t; s < t + (day ? DAY_MS : SLOT); s += SLOT) out.set(s, (out.get(s) ?? 0) + p.sign);
    }
  }
  for (const [slot, n] of out) if (n === 0) out.delete(slot);
  return out;
}

it('counts every slot of the range once and nothing else', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 96 * 40 }), fc.integer({ min: 0, max: 96 * 40 }), (a, b) => {
      const [start, end] = [BASE + Math.min(a, b) * SLOT, BASE + Math.max(a, b) * SLOT];
      const expected = new Map<number, number>();
      for (let s = start; s < end; s += SLOT) expected.set(s, 1);
      expect(counted(signedParts('level', start, end))).toEqual(expected);
    }),
  );
});

it('reads a local day in UTC+1 as one day cell plus and minus an hour of slots', () => {
  const start = BASE - 3_600_000;
  expect(signedParts('level', start, start + DAY_MS)).toEqual([
    { sign: 1, dimension: 'level', start, end: BASE },
    { sign: 1, dimension: 'level/day', start: BASE, end: BASE + 1 },
    { sign: -1, dimension: 'level', start: BASE + DAY_MS - 3_600_000, end: BASE + DAY_MS },
  ]);
});
