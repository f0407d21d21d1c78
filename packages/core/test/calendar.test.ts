import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  type LocalDate,
  MAX_RANGE_DAYS,
  dayRanges,
  formatLocalDate,
  isValidTimeZone,
  localDate,
  parseLocalDate,
  periodRanges,
  slotsOf,
  zonedMidnight,
} from '../src/calendar.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function date(text: string): LocalDate {
  const parsed = parseLocalDate(text);
  if (parsed === null) throw new Error(`bad test date ${text}`);
  return parsed;
}

const iso = (ms: number) => new Date(ms).toISOString();
const hours = (range: { start: number; end: number }) => (range.end - range.start) / HOUR;

/** The date `days` after 1970-01-01 (UTC arithmetic is plain calendar arithmetic). */
function dateOfDays(days: number): LocalDate {
  const d = new Date(days * DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const daysOf = (d: LocalDate) => Date.UTC(d.year, d.month - 1, d.day) / DAY;

/** Zones with something to say: DST both ways, half- and quarter-hour offsets, skipped midnights and a skipped day. */
const TRICKY_ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Apia',
  'Pacific/Chatham',
  'America/Santiago',
  'America/Havana',
  'America/St_Johns',
  'Asia/Tehran',
  'Pacific/Kiritimati',
];

describe('isValidTimeZone', () => {
  it.each([
    ['Europe/Berlin', true],
    ['UTC', true],
    ['Etc/GMT+5', true],
    ['America/Argentina/Buenos_Aires', true],
    ['US/Eastern', true], // a tzdb link
    ['europe/berlin', true], // Intl matches names case-insensitively
    ['', false],
    ['Mars/Olympus_Mons', false],
    ['+05:30', false], // offsets are not zone names, though newer Intl accepts them
    ['Europe/Berlin ', false],
    [`Europe/${'x'.repeat(60)}`, false],
  ])('%j → %s', (tz, valid) => {
    expect(isValidTimeZone(tz)).toBe(valid);
  });
});

describe('parseLocalDate and formatLocalDate', () => {
  it.each([
    ['2024-02-29', { year: 2024, month: 2, day: 29 }],
    ['2000-02-29', { year: 2000, month: 2, day: 29 }],
    ['0001-01-01', { year: 1, month: 1, day: 1 }],
    ['2023-02-29', null],
    ['1900-02-29', null],
    ['2024-04-31', null],
    ['2024-13-01', null],
    ['2024-00-10', null],
    ['0000-01-01', null],
    ['2024-1-01', null],
    [' 2024-01-01', null],
    ['2024-01-01T00:00', null],
  ])('%j → %j', (text, expected) => {
    expect(parseLocalDate(text)).toEqual(expected);
  });

  it('formats with padding and refuses non-dates', () => {
    expect(formatLocalDate({ year: 5, month: 1, day: 2 })).toBe('0005-01-02');
    expect(() => formatLocalDate({ year: 2023, month: 2, day: 29 })).toThrow(RangeError);
    expect(() => formatLocalDate({ year: 2023, month: 1.5, day: 1 })).toThrow(RangeError);
  });

  it('round-trips', () => {
    fc.assert(
      fc.property(fc.integer({ min: -719_162, max: 2_932_896 }), (days) => {
        const d = dateOfDays(days);
        expect(parseLocalDate(formatLocalDate(d))).toEqual(d);
      }),
    );
  });
});

describe('zonedMidnight', () => {
  it.each([
    ['UTC', '2024-01-01', '2024-01-01T00:00:00.000Z'],
    ['Asia/Kolkata', '2024-01-01', '2023-12-31T18:30:00.000Z'], // +05:30
    ['Asia/Kathmandu', '2024-01-01', '2023-12-31T18:15:00.000Z'], // +05:45
    ['America/New_York', '2024-03-10', '2024-03-10T05:00:00.000Z'], // EST; DST starts at 02:00
    ['America/New_York', '2024-11-04', '2024-11-04T05:00:00.000Z'],
    ['Europe/Berlin', '2024-10-27', '2024-10-26T22:00:00.000Z'], // still CEST at midnight
    // Chile moves 00:00 → 01:00: the day starts at 01:00 -03.
    ['America/Santiago', '2024-09-08', '2024-09-08T04:00:00.000Z'],
    // Nepal moved from +05:30 to +05:45 at 1986-01-01 00:00: the day starts at 00:15.
    ['Asia/Kathmandu', '1986-01-01', '1985-12-31T18:30:00.000Z'],
  ])('%s %s starts at %s', (tz, day, expected) => {
    expect(iso(zonedMidnight(date(day), tz))).toBe(expected);
  });

  it('gives a skipped date the start of the next date (Pacific/Apia 2011-12-30)', () => {
    // Samoa went from 2011-12-29 23:59:59 −10:00 straight to 2011-12-31 00:00 +14:00.
    const skipped = zonedMidnight(date('2011-12-30'), 'Pacific/Apia');
    expect(iso(skipped)).toBe('2011-12-30T10:00:00.000Z');
    expect(zonedMidnight(date('2011-12-31'), 'Pacific/Apia')).toBe(skipped);
    expect(localDate(skipped, 'Pacific/Apia')).toEqual(date('2011-12-31'));
  });

  it('refuses unknown zones and non-dates', () => {
    expect(() => zonedMidnight(date('2024-01-01'), 'Nowhere/Town')).toThrow(RangeError);
    expect(() => zonedMidnight({ year: 2024, month: 2, day: 30 }, 'UTC')).toThrow(RangeError);
  });

  it('localDate(zonedMidnight(d)) is d for every date the zone did not skip', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TRICKY_ZONES),
        fc.integer({ min: daysOf(date('1900-01-01')), max: daysOf(date('2100-12-31')) }),
        (tz, days) => {
          const d = dateOfDays(days);
          const start = zonedMidnight(d, tz);
          if (start === zonedMidnight(dateOfDays(days + 1), tz)) return; // skipped entirely
          expect(localDate(start, tz)).toEqual(d);
          expect(localDate(start - 1, tz)).not.toEqual(d);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('localDate', () => {
  it.each([
    ['UTC', -1, '1969-12-31'],
    ['UTC', 0, '1970-01-01'],
    ['Asia/Kolkata', Date.UTC(2023, 11, 31, 18, 29, 59, 999), '2023-12-31'],
    ['Asia/Kolkata', Date.UTC(2023, 11, 31, 18, 30), '2024-01-01'],
    ['Europe/Berlin', Date.UTC(2024, 2, 30, 23, 30), '2024-03-31'],
    ['America/New_York', Date.UTC(2024, 10, 3, 5, 30), '2024-11-03'], // 01:30 EDT
    ['America/New_York', Date.UTC(2024, 10, 3, 6, 30), '2024-11-03'], // 01:30 EST
    ['America/New_York', Date.UTC(2024, 10, 4, 4, 59), '2024-11-03'],
  ])('%s at %d is %s', (tz, epochMs, expected) => {
    expect(formatLocalDate(localDate(epochMs, tz))).toBe(expected);
  });

  it('refuses non-finite instants', () => {
    expect(() => localDate(Number.NaN, 'UTC')).toThrow(RangeError);
  });
});

describe('dayRanges', () => {
  it.each([
    ['Europe/Berlin', '2024-03-31', '2024-03-30T23:00:00.000Z', '2024-03-31T22:00:00.000Z', 23],
    ['Europe/Berlin', '2024-10-27', '2024-10-26T22:00:00.000Z', '2024-10-27T23:00:00.000Z', 25],
    ['America/New_York', '2024-03-10', '2024-03-10T05:00:00.000Z', '2024-03-11T04:00:00.000Z', 23],
    ['America/New_York', '2024-11-03', '2024-11-03T04:00:00.000Z', '2024-11-04T05:00:00.000Z', 25],
    ['Asia/Kolkata', '2024-06-15', '2024-06-14T18:30:00.000Z', '2024-06-15T18:30:00.000Z', 24],
    ['Asia/Kathmandu', '2024-06-15', '2024-06-14T18:15:00.000Z', '2024-06-15T18:15:00.000Z', 24],
    ['Asia/Kathmandu', '1986-01-01', '1985-12-31T18:30:00.000Z', '1986-01-01T18:15:00.000Z', 23.75],
    // Lord Howe shifts by 30 minutes: +10:30 ↔ +11:00.
    ['Australia/Lord_Howe', '2023-10-01', '2023-09-30T13:30:00.000Z', '2023-10-01T13:00:00.000Z', 23.5],
    ['Australia/Lord_Howe', '2024-04-07', '2024-04-06T13:00:00.000Z', '2024-04-07T13:30:00.000Z', 24.5],
    // Chile: 00:00 → 01:00 in September, 24:00 → 23:00 in April.
    ['America/Santiago', '2024-09-08', '2024-09-08T04:00:00.000Z', '2024-09-09T03:00:00.000Z', 23],
    ['America/Santiago', '2024-04-06', '2024-04-06T03:00:00.000Z', '2024-04-07T04:00:00.000Z', 25],
    // Newfoundland fell back at 00:01 → 23:01; the repeated 23:01–24:00 goes to the later day (module header).
    ['America/St_Johns', '2010-11-06', '2010-11-06T02:30:00.000Z', '2010-11-07T02:30:00.000Z', 24],
    ['America/St_Johns', '2010-11-07', '2010-11-07T02:30:00.000Z', '2010-11-08T03:30:00.000Z', 25],
    ['UTC', '2024-02-29', '2024-02-29T00:00:00.000Z', '2024-03-01T00:00:00.000Z', 24],
  ])('%s %s is [%s, %s), %d h', (tz, day, start, end, length) => {
    const [range, ...rest] = dayRanges(date(day), date(day), tz);
    expect(rest).toEqual([]);
    expect(range).toEqual({ date: day, start: Date.parse(start), end: Date.parse(end) });
    expect(range && hours(range)).toBe(length);
  });

  it('leaves out a date the zone skipped (Pacific/Apia 2011-12-30)', () => {
    const ranges = dayRanges(date('2011-12-29'), date('2011-12-31'), 'Pacific/Apia');
    expect(ranges.map((r) => [r.date, iso(r.start), iso(r.end)])).toEqual([
      ['2011-12-29', '2011-12-29T10:00:00.000Z', '2011-12-30T10:00:00.000Z'],
      ['2011-12-31', '2011-12-30T10:00:00.000Z', '2011-12-31T10:00:00.000Z'],
    ]);
    expect(dayRanges(date('2011-12-30'), date('2011-12-30'), 'Pacific/Apia')).toEqual([]);
  });

  it('accepts up to MAX_RANGE_DAYS days and refuses more, or a reversed range', () => {
    expect(MAX_RANGE_DAYS).toBe(3700);
    expect(dayRanges(date('2015-01-01'), date('2025-02-16'), 'America/New_York')).toHaveLength(3700);
    expect(() => dayRanges(date('2015-01-01'), date('2025-02-17'), 'UTC')).toThrow(RangeError);
    expect(() => dayRanges(date('2024-01-02'), date('2024-01-01'), 'UTC')).toThrow(RangeError);
    expect(() => dayRanges(date('2024-01-01'), date('2024-01-01'), '')).toThrow(RangeError);
  });

  it('tiles the span: consecutive, non-empty, one per date the zone kept', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TRICKY_ZONES),
        fc.integer({ min: daysOf(date('1900-01-01')), max: daysOf(date('2100-12-31')) }),
        fc.integer({ min: 0, max: 60 }),
        (tz, first, length) => {
          const ranges = dayRanges(dateOfDays(first), dateOfDays(first + length), tz);
          const kept: string[] = [];
          for (let day = first; day <= first + length; day++) {
            const start = zonedMidnight(dateOfDays(day), tz);
            if (zonedMidnight(dateOfDays(day + 1), tz) > start) kept.push(formatLocalDate(dateOfDays(day)));
          }
          expect(ranges.map((r) => r.date)).toEqual(kept);
          expect(ranges[0]?.start).toBe(zonedMidnight(dateOfDays(first), tz));
          expect(ranges.at(-1)?.end).toBe(zonedMidnight(dateOfDays(first + length + 1), tz));
          ranges.forEach((range, i) => {
            expect(range.end).toBeGreaterThan(range.start);
            const next = ranges[i + 1];
            if (next) expect(next.start).toBe(range.end);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('agrees with Intl: every instant of a day range reads as that date', () => {
    // Since 2012 none of these zones falls back across midnight (see St_Johns above).
    fc.assert(
      fc.property(
        fc.constantFrom(...TRICKY_ZONES),
        fc.integer({ min: daysOf(date('2012-01-01')), max: daysOf(date('2037-12-31')) }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (tz, days, fraction) => {
          const [range] = dayRanges(dateOfDays(days), dateOfDays(days), tz);
          if (!range) return;
          const instant = range.start + Math.floor(fraction * (range.end - range.start));
          expect(formatLocalDate(localDate(instant, tz))).toBe(range.date);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('puts every boundary on a 15-minute slot in every zone since 1980', () => {
    const zones = Intl.supportedValuesOf('timeZone');
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: daysOf(date('1980-01-01')), max: daysOf(date('2037-12-31')) }),
        (tz, first) => {
          for (const range of dayRanges(dateOfDays(first), dateOfDays(first + 6), tz)) {
            expect(() => slotsOf(range)).not.toThrow();
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('periodRanges', () => {
  const utcDay = (text: string) => Date.parse(`${text}T00:00:00.000Z`);

  it('cuts ISO weeks (Monday first) across a year boundary', () => {
    // 2020-12-31 (Thursday) and 2021-01-01 (Friday) are both in ISO week 2020-W53.
    const weeks = periodRanges(date('2020-12-30'), date('2021-01-12'), 'UTC', 'week');
    expect(weeks).toEqual([
      {
        label: '2020-12-28',
        from: '2020-12-30',
        to: '2021-01-03',
        start: utcDay('2020-12-30'),
        end: utcDay('2021-01-04'),
      },
      {
        label: '2021-01-04',
        from: '2021-01-04',
        to: '2021-01-10',
        start: utcDay('2021-01-04'),
        end: utcDay('2021-01-11'),
      },
      {
        label: '2021-01-11',
        from: '2021-01-11',
        to: '2021-01-12',
        start: utcDay('2021-01-11'),
        end: utcDay('2021-01-13'),
      },
    ]);
  });

  it('cuts Sunday-first weeks across a year boundary', () => {
    const weeks = periodRanges(date('2020-12-25'), date('2021-01-09'), 'UTC', 'week', 7);
    expect(weeks.map((w) => [w.label, w.from, w.to])).toEqual([
      ['2020-12-20', '2020-12-25', '2020-12-26'],
      ['2020-12-27', '2020-12-27', '2021-01-02'],
      ['2021-01-03', '2021-01-03', '2021-01-09'],
    ]);
  });

  it('gives a week with a DST change its real length', () => {
    const [week] = periodRanges(date('2024-03-25'), date('2024-03-31'), 'Europe/Berlin', 'week');
    expect(week).toMatchObject({ label: '2024-03-25', start: Date.parse('2024-03-24T23:00:00.000Z') });
    expect(week && hours(week)).toBe(7 * 24 - 1);
  });

  it('cuts calendar months with DST changes inside, clipped to the range', () => {
    const berlin = periodRanges(date('2024-03-01'), date('2024-04-30'), 'Europe/Berlin', 'month');
    expect(berlin.map((m) => [m.label, m.from, m.to, iso(m.start), hours(m)])).toEqual([
      ['2024-03', '2024-03-01', '2024-03-31', '2024-02-29T23:00:00.000Z', 31 * 24 - 1],
      ['2024-04', '2024-04-01', '2024-04-30', '2024-03-31T22:00:00.000Z', 30 * 24],
    ]);
    const newYork = periodRanges(date('2024-10-15'), date('2024-11-10'), 'America/New_York', 'month');
    expect(newYork.map((m) => [m.label, m.from, m.to, iso(m.start), iso(m.end), hours(m)])).toEqual([
      ['2024-10', '2024-10-15', '2024-10-31', '2024-10-15T04:00:00.000Z', '2024-11-01T04:00:00.000Z', 17 * 24],
      ['2024-11', '2024-11-01', '2024-11-10', '2024-11-01T04:00:00.000Z', '2024-11-11T05:00:00.000Z', 10 * 24 + 1],
    ]);
  });

  it('by day matches dayRanges', () => {
    const days = periodRanges(date('2011-12-28'), date('2012-01-02'), 'Pacific/Apia', 'day');
    const expected = dayRanges(date('2011-12-28'), date('2012-01-02'), 'Pacific/Apia');
    expect(days.map((d) => ({ date: d.label, start: d.start, end: d.end }))).toEqual(expected);
    expect(days.every((d) => d.from === d.label && d.to === d.label)).toBe(true);
  });

  it('refuses a bad bucket, week start or range', () => {
    const from = date('2024-01-01');
    expect(() => periodRanges(from, from, 'UTC', 'year' as 'day')).toThrow(RangeError);
    expect(() => periodRanges(from, from, 'UTC', 'week', 0 as 1)).toThrow(RangeError);
    expect(() => periodRanges(from, from, 'UTC', 'week', 8 as 1)).toThrow(RangeError);
    expect(() => periodRanges(from, date('2034-02-17'), 'UTC', 'month')).toThrow(RangeError);
  });

  it('weeks and months tile the same span as days, on day boundaries', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TRICKY_ZONES),
        fc.integer({ min: daysOf(date('1970-01-01')), max: daysOf(date('2037-12-31')) }),
        fc.integer({ min: 0, max: 120 }),
        fc.constantFrom<'week' | 'month'>('week', 'month'),
        fc.integer({ min: 1, max: 7 }),
        (tz, first, length, bucket, weekStart) => {
          const from = dateOfDays(first);
          const to = dateOfDays(first + length);
          const days = dayRanges(from, to, tz);
          const periods = periodRanges(from, to, tz, bucket, weekStart as 1);
          const dayBoundaries = new Set(days.flatMap((d) => [d.start, d.end]));
          expect(periods[0]?.start).toBe(days[0]?.start);
          expect(periods.at(-1)?.end).toBe(days.at(-1)?.end);
          periods.forEach((period, i) => {
            expect(dayBoundaries.has(period.start) && dayBoundaries.has(period.end)).toBe(true);
            const next = periods[i + 1];
            if (next) expect(next.start).toBe(period.end);
            if (bucket === 'month') expect(period.from.slice(0, 7)).toBe(period.label);
            else expect(daysOf(date(period.from)) - daysOf(date(period.label))).toBeLessThan(7);
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('slotsOf', () => {
  it('gives the first and last 15-minute slot of an aligned range', () => {
    const [day] = dayRanges(date('2024-06-15'), date('2024-06-15'), 'Asia/Kathmandu');
    if (!day) throw new Error('no day');
    expect(slotsOf(day)).toEqual({ first: day.start, last: day.end - 15 * 60_000 });
    expect(slotsOf({ start: 0, end: 0 })).toEqual({ first: 0, last: -15 * 60_000 });
  });

  it('refuses a day in a zone whose offset is not a multiple of 15 minutes (Liberia, −00:44:30)', () => {
    const [day] = dayRanges(date('1960-01-01'), date('1960-01-01'), 'Africa/Monrovia');
    expect(day && iso(day.start)).toBe('1960-01-01T00:44:30.000Z');
    expect(() => day && slotsOf(day)).toThrow(RangeError);
  });

  it('refuses reversed, unaligned or non-finite ranges', () => {
    expect(() => slotsOf({ start: 15 * 60_000, end: 0 })).toThrow(RangeError);
    expect(() => slotsOf({ start: 0, end: 60_000 })).toThrow(RangeError);
    expect(() => slotsOf({ start: 0, end: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });
});
