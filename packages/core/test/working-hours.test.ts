import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  type WorkingHours,
  compileWorkingHours,
  validateWorkingHours,
  withinWorkingHours,
} from '../src/working-hours.js';
import { compilePrivacy, DEFAULT_PRIVACY } from '../src/privacy.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

/** Monday to Friday, 09:00–17:00 in Berlin. December: CET, UTC+1. 2026-12-07 is a Monday. */
const OFFICE: WorkingHours = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', timeZone: 'Europe/Berlin' };
/** A night shift starting on Mondays only. */
const NIGHT: WorkingHours = { days: [1], start: '22:00', end: '06:00', timeZone: 'Europe/Berlin' };

describe('withinWorkingHours', () => {
  it('is always true without working hours', () => {
    expect(withinWorkingHours(null, at('2026-12-06T03:00:00Z'))).toBe(true);
  });

  it('takes the start, not the end, and only the listed weekdays', () => {
    expect(withinWorkingHours(OFFICE, at('2026-12-07T08:00:00Z'))).toBe(true); // Mon 09:00
    expect(withinWorkingHours(OFFICE, at('2026-12-07T07:59:59.999Z'))).toBe(false); // Mon 08:59:59.999
    expect(withinWorkingHours(OFFICE, at('2026-12-07T15:59:59.999Z'))).toBe(true);
    expect(withinWorkingHours(OFFICE, at('2026-12-07T16:00:00Z'))).toBe(false); // Mon 17:00
    expect(withinWorkingHours(OFFICE, at('2026-12-11T10:00:00Z'))).toBe(true); // Fri 11:00
    expect(withinWorkingHours(OFFICE, at('2026-12-12T10:00:00Z'))).toBe(false); // Sat
    expect(withinWorkingHours(OFFICE, at('2026-12-13T10:00:00Z'))).toBe(false); // Sun
  });

  it('reads the clock in the given zone, not in UTC', () => {
    const tokyo = { ...OFFICE, timeZone: 'Asia/Tokyo' }; // UTC+9
    expect(withinWorkingHours(tokyo, at('2026-12-07T00:30:00Z'))).toBe(true); // Mon 09:30 in Tokyo
    expect(withinWorkingHours(OFFICE, at('2026-12-07T00:30:00Z'))).toBe(false); // Mon 01:30 in Berlin
  });

  it('runs an overnight range into the next morning, belonging to the day it starts', () => {
    expect(withinWorkingHours(NIGHT, at('2026-12-07T20:59:00Z'))).toBe(false); // Mon 21:59
    expect(withinWorkingHours(NIGHT, at('2026-12-07T21:00:00Z'))).toBe(true); // Mon 22:00
    expect(withinWorkingHours(NIGHT, at('2026-12-07T23:30:00Z'))).toBe(true); // Tue 00:30
    expect(withinWorkingHours(NIGHT, at('2026-12-08T04:59:59Z'))).toBe(true); // Tue 05:59:59
    expect(withinWorkingHours(NIGHT, at('2026-12-08T05:00:00Z'))).toBe(false); // Tue 06:00
    // Monday early morning belongs to Sunday night, and Sunday is not listed; nor is Tuesday night.
    expect(withinWorkingHours(NIGHT, at('2026-12-07T02:00:00Z'))).toBe(false);
    expect(withinWorkingHours(NIGHT, at('2026-12-08T22:00:00Z'))).toBe(false);
  });

  it('takes equal start and end as a whole day, wall clock to wall clock', () => {
    const wednesdays = { days: [3], start: '00:00', end: '00:00', timeZone: 'Europe/Berlin' };
    expect(withinWorkingHours(wednesdays, at('2026-12-08T23:00:00Z'))).toBe(true); // Wed 00:00
    expect(withinWorkingHours(wednesdays, at('2026-12-09T22:59:59Z'))).toBe(true); // Wed 23:59:59
    expect(withinWorkingHours(wednesdays, at('2026-12-09T23:00:00Z'))).toBe(false); // Thu 00:00
  });

  it('answers false for an instant that is not a finite number', () => {
    expect(withinWorkingHours(OFFICE, Number.NaN)).toBe(false);
  });
});

describe('working hours across DST changes (Europe/Berlin)', () => {
  const span = (hours: WorkingHours, from: string, to: string) => {
    const part = compileWorkingHours(hours).firstPart(at(from), at(to));
    return part && { start: iso(part.start), end: iso(part.end), hours: (part.end - part.start) / HOUR };
  };

  it('makes a night shift 7 hours long when clocks go forward (Sat 28 → Sun 29 March 2026)', () => {
    const saturdays = { ...NIGHT, days: [6] };
    // 22:00 CET = 21:00Z; 06:00 CEST = 04:00Z.
    expect(span(saturdays, '2026-03-28T12:00:00Z', '2026-03-29T12:00:00Z')).toEqual({
      start: '2026-03-28T21:00:00.000Z',
      end: '2026-03-29T04:00:00.000Z',
      hours: 7,
    });
  });

  it('makes a night shift 9 hours long when clocks go back (Sat 24 → Sun 25 October 2026)', () => {
    const saturdays = { ...NIGHT, days: [6] };
    // 22:00 CEST = 20:00Z; 06:00 CET = 05:00Z.
    expect(span(saturdays, '2026-10-24T12:00:00Z', '2026-10-25T12:00:00Z')).toEqual({
      start: '2026-10-24T20:00:00.000Z',
      end: '2026-10-25T05:00:00.000Z',
      hours: 9,
    });
  });

  it('starts a period whose start was skipped at the end of the gap (02:30 on 29 March is 03:00)', () => {
    const sundays = { days: [7], start: '02:30', end: '04:00', timeZone: 'Europe/Berlin' };
    expect(span(sundays, '2026-03-28T23:00:00Z', '2026-03-29T06:00:00Z')).toEqual({
      start: '2026-03-29T01:00:00.000Z', // 03:00 CEST
      end: '2026-03-29T02:00:00.000Z', // 04:00 CEST
      hours: 1,
    });
  });

  it('takes the first of a time that happens twice (02:30 on 25 October is 02:30 CEST)', () => {
    const sundays = { days: [7], start: '02:30', end: '04:00', timeZone: 'Europe/Berlin' };
    expect(span(sundays, '2026-10-24T22:00:00Z', '2026-10-25T06:00:00Z')).toEqual({
      start: '2026-10-25T00:30:00.000Z', // 02:30 CEST
      end: '2026-10-25T03:00:00.000Z', // 04:00 CET
      hours: 2.5,
    });
    // The second 02:15 (CET) lies inside the period that began at the first 02:30.
    expect(withinWorkingHours(sundays, at('2026-10-25T01:15:00Z'))).toBe(true);
  });

  it('leaves out a period that lies wholly inside a DST gap', () => {
    const gap = { days: [7], start: '02:10', end: '02:50', timeZone: 'Europe/Berlin' };
    expect(span(gap, '2026-03-28T23:00:00Z', '2026-03-29T06:00:00Z')).toBeNull();
    expect(span(gap, '2026-04-04T23:00:00Z', '2026-04-05T06:00:00Z')?.hours).toBeCloseTo(40 / 60);
  });
});

describe('firstPart: cutting a range to working hours', () => {
  const office = compileWorkingHours(OFFICE);
  const cut = (from: string, to: string) => {
    const part = office.firstPart(at(from), at(to));
    return part && [iso(part.start), iso(part.end)];
  };

  it('keeps a range inside working hours whole', () => {
    expect(cut('2026-12-07T09:00:00Z', '2026-12-07T10:00:00Z')).toEqual([
      '2026-12-07T09:00:00.000Z',
      '2026-12-07T10:00:00.000Z',
    ]);
  });

  it('cuts a range that runs past the end or starts before the start', () => {
    // Mon 16:50–17:10 → 16:50–17:00.
    expect(cut('2026-12-07T15:50:00Z', '2026-12-07T16:10:00Z')).toEqual([
      '2026-12-07T15:50:00.000Z',
      '2026-12-07T16:00:00.000Z',
    ]);
    // Mon 08:00–09:30 → 09:00–09:30.
    expect(cut('2026-12-07T07:00:00Z', '2026-12-07T08:30:00Z')).toEqual([
      '2026-12-07T08:00:00.000Z',
      '2026-12-07T08:30:00.000Z',
    ]);
  });

  it('answers null for a range wholly outside, and keeps only the first part of one spanning a gap', () => {
    expect(cut('2026-12-12T09:00:00Z', '2026-12-12T15:00:00Z')).toBeNull(); // Saturday
    expect(cut('2026-12-07T16:00:00Z', '2026-12-08T08:00:00Z')).toBeNull(); // Mon 17:00 → Tue 09:00
    // Mon 16:00 → Tue 10:00: Monday's last hour, not Tuesday's first.
    expect(cut('2026-12-07T15:00:00Z', '2026-12-08T09:00:00Z')).toEqual([
      '2026-12-07T15:00:00.000Z',
      '2026-12-07T16:00:00.000Z',
    ]);
  });

  it('finds working time at the end of a long range (a 20-day event starting on a Saturday)', () => {
    expect(cut('2026-12-12T00:00:00Z', '2027-01-01T00:00:00Z')).toEqual([
      '2026-12-14T08:00:00.000Z',
      '2026-12-14T16:00:00.000Z',
    ]);
  });

  it('keeps a zero-length range only at a working instant, and refuses a backwards one', () => {
    const monday = at('2026-12-07T09:00:00Z');
    expect(office.firstPart(monday, monday)).toEqual({ start: monday, end: monday });
    const saturday = at('2026-12-12T09:00:00Z');
    expect(office.firstPart(saturday, saturday)).toBeNull();
    expect(office.firstPart(monday + HOUR, monday)).toBeNull();
  });
});

describe('validateWorkingHours', () => {
  it('accepts valid hours', () => {
    expect(validateWorkingHours(OFFICE)).toBeNull();
    expect(validateWorkingHours({ ...NIGHT, timeZone: 'America/Argentina/Buenos_Aires' })).toBeNull();
  });

  it.each<[string, WorkingHours, RegExp]>([
    ['no days', { ...OFFICE, days: [] }, /days/],
    ['day 0', { ...OFFICE, days: [0, 1] }, /days/],
    ['day 8', { ...OFFICE, days: [8] }, /days/],
    ['a fractional day', { ...OFFICE, days: [1.5] }, /days/],
    ['a repeated day', { ...OFFICE, days: [1, 1] }, /twice/],
    ['24:00', { ...OFFICE, end: '24:00' }, /end/],
    ['9:00', { ...OFFICE, start: '9:00' }, /start/],
    ['09:60', { ...OFFICE, start: '09:60' }, /start/],
    ['seconds', { ...OFFICE, start: '09:00:00' }, /start/],
    ['an unknown zone', { ...OFFICE, timeZone: 'Mars/Olympus_Mons' }, /timeZone/],
    ['an offset instead of a zone', { ...OFFICE, timeZone: '+02:00' }, /timeZone/],
  ])('refuses %s', (_label, hours, field) => {
    expect(validateWorkingHours(hours)).toMatch(field);
    expect(() => compileWorkingHours(hours)).toThrow(RangeError);
    expect(() => compilePrivacy({ ...DEFAULT_PRIVACY, workingHours: hours })).toThrow(/invalid privacy settings/);
  });
});

describe('the privacy filter with working hours', () => {
  it('clips every kind of activity to working hours and passes everything without them', () => {
    const privacy = compilePrivacy({ ...DEFAULT_PRIVACY, workingHours: OFFICE });
    const from = at('2026-12-07T15:30:00Z');
    expect(privacy.clip(from, from + HOUR)).toEqual({ start: from, end: from + 30 * MINUTE });
    expect(privacy.clip(at('2026-12-12T10:00:00Z'), at('2026-12-12T11:00:00Z'))).toBeNull();
    const open = compilePrivacy(DEFAULT_PRIVACY);
    expect(open.clip(at('2026-12-12T10:00:00Z'), at('2026-12-12T11:00:00Z'))).toEqual({
      start: at('2026-12-12T10:00:00Z'),
      end: at('2026-12-12T11:00:00Z'),
    });
  });
});

/** Wall-clock weekday and minute of the day in a zone, read from Intl (independent of the code under test). */
function wallClock(instant: number, timeZone: string): { weekday: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const value = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(value('weekday')) + 1;
  return { weekday, minute: Number(value('hour')) * 60 + Number(value('minute')) };
}

describe('contains agrees with reading the wall clock (zones without DST)', () => {
  const clock = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
    .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const minutes = (text: string) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3));

  it('for random hours and instants', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
        clock,
        clock,
        fc.constantFrom('UTC', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/Bogota'),
        fc.integer({ min: at('2020-01-01T00:00:00Z'), max: at('2030-01-01T00:00:00Z') }),
        (days, start, end, timeZone, instant) => {
          const hours = { days, start, end, timeZone };
          const { weekday, minute } = wallClock(instant, timeZone);
          const previous = weekday === 1 ? 7 : weekday - 1;
          const s = minutes(start);
          const e = minutes(end);
          const expected =
            e > s
              ? days.includes(weekday) && minute >= s && minute < e
              : (days.includes(weekday) && minute >= s) || (days.includes(previous) && minute < e);
          expect(withinWorkingHours(hours, instant)).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
