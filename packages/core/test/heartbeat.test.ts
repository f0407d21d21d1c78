import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { TimedEvent } from '../src/event.js';
import { mergeHeartbeat } from '../src/heartbeat.js';
import { HORIZON, countTrue, coverage } from './brute-force.js';

type Data = Record<string, unknown>;
const ev = (start: number, duration: number, data: Data = { app: 'x' }): TimedEvent => ({ start, duration, data });
const PULSE = 2000;
const last = ev(10_000, 5000);

describe('mergeHeartbeat', () => {
  it.each<[string, TimedEvent | null, TimedEvent, 'merged' | 'new', TimedEvent]>([
    ['no last event', null, ev(10_000, 0), 'new', ev(10_000, 0)],
    ['inside the window', last, ev(13_000, 0), 'merged', ev(10_000, 5000)],
    ['extends past last end', last, ev(14_000, 3000), 'merged', ev(10_000, 7000)],
    ['exactly at the window edge', last, ev(17_000, 0), 'merged', ev(10_000, 7000)],
    ['just past the window', last, ev(17_001, 0), 'new', ev(17_001, 0)],
    ['at last start', last, ev(10_000, 1000), 'merged', ev(10_000, 5000)],
    ['data changed', last, ev(12_000, 0, { app: 'y' }), 'new', ev(12_000, 0, { app: 'y' })],
    [
      'key order only differs',
      ev(0, 1000, { app: 'x', title: 't' }),
      ev(500, 0, { title: 't', app: 'x' }),
      'merged',
      ev(0, 1000, { app: 'x', title: 't' }),
    ],
    ['true vs 1', ev(0, 1000, { on: true }), ev(500, 0, { on: 1 }), 'new', ev(500, 0, { on: 1 })],
    ['heartbeat older than last', last, ev(9999, 10_000), 'new', ev(9999, 10_000)],
    ['merged duration never shrinks', last, ev(10_500, 100), 'merged', ev(10_000, 5000)],
    ['zero pulsetime at the end', last, ev(15_000, 0), 'merged', ev(10_000, 5000)],
  ])('%s', (_name, previous, heartbeat, kind, event) => {
    const result = mergeHeartbeat(previous, heartbeat, PULSE);
    expect(result).toEqual({ kind, event });
  });

  it('keeps the last event data (not the heartbeat copy) when merging', () => {
    const result = mergeHeartbeat(ev(0, 10, { b: 1, a: 2 }), ev(5, 10, { a: 2, b: 1 }), 0);
    expect(result.kind).toBe('merged');
    expect(Object.keys(result.event.data)).toEqual(['b', 'a']);
  });

  it.each([
    ['negative pulsetime', last, ev(0, 0), -1],
    ['NaN pulsetime', last, ev(0, 0), Number.NaN],
    ['negative heartbeat duration', last, ev(0, -1), 0],
    ['NaN heartbeat duration', last, ev(0, Number.NaN), 0],
    ['negative last duration', ev(0, -5), ev(0, 0), 0],
    ['NaN start', null, ev(Number.NaN, 0), 0],
  ])('rejects %s', (_name, previous, heartbeat, pulse) => {
    expect(() => mergeHeartbeat(previous, heartbeat, pulse)).toThrow(RangeError);
  });

  it('a stream of heartbeats in time order covers exactly the reference time', () => {
    const arbBeats = fc.array(
      fc.record({
        step: fc.integer({ min: 0, max: 15 }),
        duration: fc.integer({ min: 0, max: 8 }),
        k: fc.constantFrom('a', 'b'),
      }),
      { maxLength: 20 },
    );
    fc.assert(
      fc.property(arbBeats, fc.integer({ min: 0, max: 10 }), (beats, pulse) => {
        let t = 0;
        const heartbeats = beats.map(({ step, duration, k }) => {
          t += step;
          return ev(t, duration, { k });
        });
        const stored: TimedEvent[] = [];
        for (const hb of heartbeats) {
          const result = mergeHeartbeat(stored.at(-1) ?? null, hb, pulse);
          if (result.kind === 'merged') stored[stored.length - 1] = result.event;
          else stored.push(result.event);
        }
        // Reference: each heartbeat covers its own time, plus the gap back to the
        // previous heartbeat's run when it has equal data and starts within the pulse.
        const reference: TimedEvent[] = [];
        let runStart = -1;
        let runEnd = -1;
        let runKey: unknown = undefined;
        for (const hb of heartbeats) {
          const end = hb.start + hb.duration;
          if (runStart >= 0 && runKey === hb.data.k && hb.start <= runEnd + pulse) {
            runEnd = Math.max(runEnd, end);
          } else {
            if (runStart >= 0) reference.push(ev(runStart, runEnd - runStart));
            [runStart, runEnd, runKey] = [hb.start, end, hb.data.k];
          }
        }
        if (runStart >= 0) reference.push(ev(runStart, runEnd - runStart));
        expect(countTrue(coverage(stored, HORIZON))).toBe(countTrue(coverage(reference, HORIZON)));
        expect(stored.map((e) => e.start)).toEqual(reference.map((e) => e.start));
      }),
    );
  });
});
