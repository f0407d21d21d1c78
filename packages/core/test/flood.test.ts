import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { TimedEvent } from '../src/event.js';
import { flood } from '../src/flood.js';
import { HORIZON, arbEvents, countTrue, coverage } from './brute-force.js';

const ev = (start: number, duration: number, k = 'a'): TimedEvent<{ k: string }> => ({ start, duration, data: { k } });

describe('flood', () => {
  it.each<[string, TimedEvent<{ k: string }>[], number, TimedEvent<{ k: string }>[]]>([
    ['empty', [], 5, []],
    ['equal data merges across a gap', [ev(0, 1), ev(3, 1)], 5, [ev(0, 4)]],
    ['different data meet in the middle', [ev(0, 1), ev(3, 1, 'b')], 5, [ev(0, 2), ev(2, 2, 'b')]],
    ['odd gap: earlier side gets the floor', [ev(0, 1), ev(4, 1, 'b')], 5, [ev(0, 2), ev(2, 3, 'b')]],
    ['gap equal to maxGap is filled', [ev(0, 1), ev(6, 1)], 5, [ev(0, 7)]],
    ['gap larger than maxGap stays', [ev(0, 1), ev(7, 1)], 5, [ev(0, 1), ev(7, 1)]],
    ['unsorted input is sorted', [ev(3, 1, 'b'), ev(0, 1)], 5, [ev(0, 2), ev(2, 2, 'b')]],
    ['chains of equal data merge', [ev(0, 1), ev(2, 1), ev(4, 1)], 5, [ev(0, 5)]],
    ['overlap with different data: earlier wins', [ev(0, 5), ev(3, 5, 'b')], 5, [ev(0, 5), ev(5, 3, 'b')]],
    ['contained event is dropped', [ev(0, 10), ev(2, 3, 'b')], 5, [ev(0, 10)]],
    ['overlap with equal data merges', [ev(0, 5), ev(3, 5)], 5, [ev(0, 8)]],
    ['zero-duration event at the cursor is dropped', [ev(0, 5), ev(5, 0, 'b')], 5, [ev(0, 5)]],
    ['zero-duration event in a small gap takes its half', [ev(0, 5), ev(9, 0, 'b')], 5, [ev(0, 7), ev(7, 2, 'b')]],
  ])('%s', (_name, input, maxGap, expected) => {
    expect(flood(input, maxGap)).toEqual(expected);
  });

  it('defaults to 5 s and leaves the input untouched', () => {
    const input = [ev(10_000, 1000, 'b'), ev(0, 1000)];
    const copy = structuredClone(input);
    expect(flood(input)).toEqual([ev(0, 1000), ev(10_000, 1000, 'b')]);
    expect(flood([ev(0, 1000), ev(6000, 1000)])).toEqual([ev(0, 7000)]);
    expect(input).toEqual(copy);
  });

  it('rejects a negative or NaN gap and invalid events', () => {
    expect(() => flood([], -1)).toThrow(RangeError);
    expect(() => flood([], Number.NaN)).toThrow(RangeError);
    expect(() => flood([ev(0, -1)])).toThrow(RangeError);
  });

  it('never overlaps, never loses time, fills exactly the small gaps', () => {
    fc.assert(
      fc.property(arbEvents(10), fc.integer({ min: 0, max: 30 }), (events, maxGap) => {
        const out = flood(events, maxGap);
        for (let i = 1; i < out.length; i += 1) {
          const [prev, next] = [out[i - 1], out[i]];
          if (prev === undefined || next === undefined) throw new Error('unreachable');
          expect(prev.start + prev.duration).toBeLessThanOrEqual(next.start);
        }
        for (const e of out) expect(e.duration).toBeGreaterThanOrEqual(0);
        const before = coverage(events);
        const after = coverage(out);
        // Nothing overlaps, so the total duration is the covered time.
        expect(out.reduce((s, e) => s + e.duration, 0)).toBe(countTrue(after));
        expect(countTrue(after)).toBeGreaterThanOrEqual(countTrue(before));
        // Reference: covered time plus every gap ≤ maxGap between the merged input
        // intervals (zero-duration events are points that bound gaps too).
        const sorted = [...events].sort((a, b) => a.start - b.start);
        const expected = [...before];
        let cursor: number | null = null;
        for (const e of sorted) {
          if (cursor !== null && e.start > cursor && e.start - cursor <= maxGap) {
            for (let t = cursor; t < e.start; t += 1) expected[t] = true;
          }
          cursor = Math.max(cursor ?? e.start, e.start + e.duration);
        }
        expect(after).toEqual(expected);
        // Never outside the input span.
        if (events.length > 0) {
          const first = Math.min(...events.map((e) => e.start));
          const last = Math.max(...events.map((e) => e.start + e.duration));
          expect(after.slice(0, first).some(Boolean)).toBe(false);
          expect(after.slice(last, HORIZON).some(Boolean)).toBe(false);
        }
      }),
    );
  });

  it('with maxGap 0, every output millisecond has the data of an input event covering it', () => {
    fc.assert(
      fc.property(arbEvents(10), (events) => {
        for (const e of flood(events, 0)) {
          for (let t = e.start; t < e.start + e.duration; t += 1) {
            expect(
              events.some((src) => src.data.k === e.data.k && src.start <= t && t < src.start + src.duration),
            ).toBe(true);
          }
        }
      }),
    );
  });
});
