import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Period, TimedEvent } from '../src/event.js';
import { clipToRange, intersectPeriods, sumDurations, unionNoOverlap, unionPeriods } from '../src/periods.js';
import { HORIZON, arbEvents, countTrue, coverage } from './brute-force.js';

const ev = (start: number, duration: number, k = 'x'): TimedEvent<{ k: string }> => ({ start, duration, data: { k } });
const p = (start: number, duration: number): Period => ({ start, duration });

/** Milliseconds of e that fall in the covered set. */
function overlapMs(e: Period, covered: readonly boolean[]): number {
  let n = 0;
  for (let t = e.start; t < e.start + e.duration; t += 1) if (covered[t] === true) n += 1;
  return n;
}

describe('intersectPeriods', () => {
  it('clips events to the periods (aw-transform example)', () => {
    const events = [ev(0, 12, 'a'), ev(12, 6, 'b')];
    const periods = [p(0, 6), p(9, 7)];
    expect(intersectPeriods(events, periods)).toEqual([ev(0, 6, 'a'), ev(9, 3, 'a'), ev(12, 4, 'b')]);
  });

  it('emits time covered by overlapping or touching periods once', () => {
    expect(intersectPeriods([ev(0, 10)], [p(0, 6), p(4, 4)])).toEqual([ev(0, 8)]);
    expect(intersectPeriods([ev(0, 20)], [p(0, 10), p(10, 10)])).toEqual([ev(0, 20)]);
  });

  it('keeps zero-duration events inside a period, edges included, once', () => {
    expect(intersectPeriods([ev(5, 0)], [p(0, 10)])).toEqual([ev(5, 0)]);
    expect(intersectPeriods([ev(10, 0)], [p(0, 10), p(10, 10)])).toEqual([ev(10, 0)]);
    expect(intersectPeriods([ev(15, 0)], [p(0, 10), p(20, 10)])).toEqual([]);
    expect(intersectPeriods([ev(10, 0), ev(20, 0)], [p(0, 10), p(20, 10)])).toEqual([ev(10, 0), ev(20, 0)]);
  });

  it('drops events that only touch a period', () => {
    expect(intersectPeriods([ev(10, 10), ev(25, 5)], [p(0, 10), p(30, 5)])).toEqual([]);
  });

  it('never yields time outside the periods and totals the brute-force overlap', () => {
    fc.assert(
      fc.property(arbEvents(8), arbEvents(6), (events, periods) => {
        const out = intersectPeriods(events, periods);
        const inPeriods = coverage(periods);
        for (const e of out) {
          for (let t = e.start; t < e.start + e.duration; t += 1) expect(inPeriods[t]).toBe(true);
        }
        const expected = events.reduce((sum, e) => sum + overlapMs(e, inPeriods), 0);
        expect(sumDurations(out)).toBe(expected);
      }),
    );
  });
});

describe('unionPeriods', () => {
  it('merges overlapping and touching ranges, dropping data', () => {
    expect(unionPeriods([ev(0, 5), ev(20, 5)], [ev(3, 5, 'y'), ev(8, 2)])).toEqual([p(0, 10), p(20, 5)]);
    expect(unionPeriods([], [])).toEqual([]);
  });

  it('covers exactly the union, with disjoint ranges', () => {
    fc.assert(
      fc.property(arbEvents(8), arbEvents(8), (a, b) => {
        const out = unionPeriods(a, b);
        const expected = coverage([...a, ...b]);
        expect(coverage(out)).toEqual(expected);
        expect(sumDurations(out)).toBe(countTrue(expected));
        for (let i = 1; i < out.length; i += 1) {
          const [prev, next] = [out[i - 1], out[i]];
          if (prev === undefined || next === undefined) throw new Error('unreachable');
          expect(prev.start + prev.duration).toBeLessThan(next.start);
        }
      }),
    );
  });
});

describe('unionNoOverlap', () => {
  it('keeps a and fills with the uncovered parts of b', () => {
    expect(unionNoOverlap([ev(5, 5, 'a')], [ev(0, 20, 'b')])).toEqual([ev(0, 5, 'b'), ev(5, 5, 'a'), ev(10, 10, 'b')]);
    expect(unionNoOverlap([ev(0, 10, 'a')], [ev(2, 3, 'b'), ev(10, 0, 'b'), ev(5, 0, 'b')])).toEqual([
      ev(0, 10, 'a'),
      ev(10, 0, 'b'),
    ]);
  });

  it('totals a plus the brute-force uncovered part of b', () => {
    fc.assert(
      fc.property(arbEvents(8), arbEvents(8), (a, b) => {
        const out = unionNoOverlap(a, b);
        const inA = coverage(a);
        const notA = inA.map((x) => !x);
        const expected = sumDurations(a) + b.reduce((sum, e) => sum + overlapMs(e, notA), 0);
        expect(sumDurations(out)).toBe(expected);
        // The parts taken from b never overlap a.
        const fromB = out.filter(
          (x) => !a.some((y) => y.data === x.data && y.start === x.start && y.duration === x.duration),
        );
        for (const e of fromB) {
          expect(overlapMs(e, inA)).toBe(0);
        }
        expect(coverage(out)).toEqual(coverage([...a, ...b]));
      }),
    );
  });
});

describe('clipToRange', () => {
  it('clips and drops what falls outside', () => {
    const events = [ev(0, 10), ev(15, 10), ev(30, 5), ev(20, 0), ev(40, 0)];
    expect(clipToRange(events, 5, 40)).toEqual([ev(5, 5), ev(15, 10), ev(30, 5), ev(20, 0)]);
    expect(clipToRange(events, 10, 15)).toEqual([]);
    expect(() => clipToRange(events, 10, 5)).toThrow(RangeError);
  });

  it('totals the brute-force overlap with the range', () => {
    fc.assert(
      fc.property(
        arbEvents(8),
        fc.integer({ min: 0, max: HORIZON }),
        fc.integer({ min: 0, max: HORIZON }),
        (events, x, y) => {
          const [from, to] = x <= y ? [x, y] : [y, x];
          const range = coverage([p(from, to - from)]);
          const out = clipToRange(events, from, to);
          expect(sumDurations(out)).toBe(events.reduce((sum, e) => sum + overlapMs(e, range), 0));
          for (const e of out) expect(e.start >= from && e.start + e.duration <= to).toBe(true);
        },
      ),
    );
  });
});

describe('sumDurations', () => {
  it('adds durations, overlaps counted per event', () => {
    expect(sumDurations([])).toBe(0);
    expect(sumDurations([p(0, 5), p(2, 5)])).toBe(10);
  });
});
