import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ROLLUP_SLOT_MS, formatIsoTimestamp, parseIsoTimestamp, rollupSlot } from '../src/time.js';

describe('parseIsoTimestamp', () => {
  it('reads Z, offsets and naive values (naive is UTC)', () => {
    const utc = Date.UTC(2026, 10, 22, 15, 30, 5, 123);
    expect(parseIsoTimestamp('2026-11-22T15:30:05.123Z')).toBe(utc);
    expect(parseIsoTimestamp('2026-11-22T15:30:05.123')).toBe(utc);
    expect(parseIsoTimestamp('2026-11-22T21:00:05.123+05:30')).toBe(utc);
    expect(parseIsoTimestamp('2026-11-22T10:30:05.123-0500')).toBe(utc);
    expect(parseIsoTimestamp('2026-11-22T17:30:05.123+02')).toBe(utc);
    expect(parseIsoTimestamp('2026-11-22 15:30:05.123456+00:00')).toBe(utc);
    expect(parseIsoTimestamp('2026-11-22T15:30Z')).toBe(Date.UTC(2026, 10, 22, 15, 30));
  });

  it('refuses what is not an ISO 8601 date-time', () => {
    for (const bad of [
      '',
      'yesterday',
      '2026-11-22',
      '2026-13-01T00:00:00Z',
      '2026-02-30T00:00:00Z',
      '2026-11-22T24:00:00Z',
      '2026-11-22T12:60:00Z',
      '2026-11-22T12:00:00+25:00',
      'Sun, 22 Nov 2026 15:30:05 GMT',
      '2026-11-22T12:00:00ZZ',
    ]) {
      expect(parseIsoTimestamp(bad), bad).toBeNull();
    }
  });

  it('round-trips every formatted instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(9999, 0, 1) }), (ms) => {
        expect(parseIsoTimestamp(formatIsoTimestamp(ms))).toBe(ms);
      }),
    );
  });
});

describe('rollupSlot', () => {
  it('floors to the 15-minute slot', () => {
    const base = Date.UTC(2026, 10, 22, 15, 0);
    expect(rollupSlot(base)).toBe(base);
    expect(rollupSlot(base + ROLLUP_SLOT_MS - 1)).toBe(base);
    expect(rollupSlot(base + ROLLUP_SLOT_MS)).toBe(base + ROLLUP_SLOT_MS);
  });

  it('keeps every slot inside one local day for quarter-hour offsets', () => {
    // Nepal (+05:45): a local midnight is a slot boundary.
    const localMidnightUtc = Date.UTC(2026, 10, 22) - (5 * 60 + 45) * 60_000;
    expect(rollupSlot(localMidnightUtc)).toBe(localMidnightUtc);
  });
});
