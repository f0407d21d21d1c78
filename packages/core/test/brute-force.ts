/** Per-millisecond reference computations for the property tests (small times only). */
import fc from 'fast-check';
import type { Period, TimedEvent } from '../src/event.js';

export const HORIZON = 200;

/** The milliseconds [0, HORIZON + extra) covered by the periods, as a boolean array. */
export function coverage(periods: readonly Period[], extra = 0): boolean[] {
  const covered = new Array<boolean>(HORIZON + extra).fill(false);
  for (const p of periods) for (let t = p.start; t < p.start + p.duration; t += 1) covered[t] = true;
  return covered;
}

export function countTrue(flags: readonly boolean[]): number {
  return flags.filter(Boolean).length;
}

/** Small events inside 0..HORIZON with data drawn from a tiny alphabet so equal data is common. */
export function arbEvents(maxLength = 8, minDuration = 0): fc.Arbitrary<TimedEvent<{ k: string }>[]> {
  return fc.array(
    fc
      .record({
        start: fc.integer({ min: 0, max: HORIZON - 1 }),
        duration: fc.integer({ min: minDuration, max: 40 }),
        k: fc.constantFrom('a', 'b', 'c'),
      })
      .map(({ start, duration, k }) => ({
        start,
        duration: Math.min(duration, HORIZON - start),
        data: { k },
      })),
    { maxLength },
  );
}
