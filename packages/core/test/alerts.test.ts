import { describe, expect, it } from 'vitest';
import {
  alertDay,
  categorySubtree,
  levelKeys,
  normaliseAlert,
  thresholdMet,
  validateAlert,
  weekdayOf,
  type AlertSpec,
} from '../src/alerts.js';

const VALID: AlertSpec = {
  name: 'Too much video',
  target: { kind: 'category', categoryId: 'video' },
  comparison: 'more-than',
  minutes: 60,
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  timeZone: 'Europe/Berlin',
  enabled: true,
};

const MINUTE = 60_000;

describe('validateAlert', () => {
  it('accepts each kind of target', () => {
    for (const target of [
      { kind: 'category', categoryId: 'video' },
      { kind: 'level', op: '>=', level: 1 },
      { kind: 'level', op: '<=', level: -2 },
      { kind: 'app', name: 'Firefox' },
      { kind: 'domain', name: 'youtube.com' },
    ] as const) {
      expect(validateAlert({ ...VALID, target })).toBeNull();
    }
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['an empty name', { name: '  ' }, /^name: must be a non-empty string/],
    ['a long name', { name: 'x'.repeat(101) }, /^name: is too long \(101 characters, at most 100\)/],
    ['an unknown target kind', { target: { kind: 'title', name: 'x' } }, /^target\.kind:/],
    ['no target', { target: null }, /^target: must be an object/],
    ['a level out of range', { target: { kind: 'level', op: '>=', level: 3 } }, /^target\.level:/],
    ['a fractional level', { target: { kind: 'level', op: '>=', level: 0.5 } }, /^target\.level:/],
    ['an unknown level op', { target: { kind: 'level', op: '>', level: 1 } }, /^target\.op:/],
    ['an empty app name', { target: { kind: 'app', name: '' } }, /^target\.name:/],
    ['an empty category id', { target: { kind: 'category', categoryId: '' } }, /^target\.categoryId:/],
    [
      'a field of another kind',
      { target: { kind: 'app', name: 'x', level: 1 } },
      /^target\.level: does not belong to a target of kind app/,
    ],
    ['an unknown comparison', { comparison: 'less-than' }, /^comparison:/],
    ['zero minutes', { minutes: 0 }, /^minutes: must be a whole number from 1 to 1440/],
    ['a day and a minute', { minutes: 1441 }, /^minutes:/],
    ['fractional minutes', { minutes: 1.5 }, /^minutes:/],
    ['no days', { days: [] }, /^days: must list at least one weekday/],
    ['an unknown day', { days: ['mon', 'funday'] }, /^days: "funday" is not one of mon, tue/],
    ['a repeated day', { days: ['mon', 'mon'] }, /^days: a weekday is listed twice/],
    ['an unknown zone', { timeZone: 'Mars/Olympus' }, /^timeZone: must be an IANA time zone/],
    ['an offset as zone', { timeZone: '+05:30' }, /^timeZone:/],
    ['enabled as text', { enabled: 'yes' }, /^enabled:/],
  ])('refuses %s, naming the field', (_name, change, message) => {
    expect(validateAlert({ ...VALID, ...change } as unknown as AlertSpec)).toMatch(message);
  });

  it('minutes at both ends are allowed', () => {
    expect(validateAlert({ ...VALID, minutes: 1 })).toBeNull();
    expect(validateAlert({ ...VALID, minutes: 1440 })).toBeNull();
  });
});

describe('normaliseAlert', () => {
  it('trims, puts days in week order and stores a domain as activity does', () => {
    const alert = normaliseAlert({
      ...VALID,
      name: '  Sites  ',
      target: { kind: 'domain', name: ' WWW.YouTube.com. ' },
      days: ['sun', 'mon', 'wed'],
    });
    expect(alert).toEqual({
      ...VALID,
      name: 'Sites',
      target: { kind: 'domain', name: 'youtube.com' },
      days: ['mon', 'wed', 'sun'],
    });
  });

  it('keeps the case of an app name', () => {
    expect(normaliseAlert({ ...VALID, target: { kind: 'app', name: ' Firefox ' } }).target).toEqual({
      kind: 'app',
      name: 'Firefox',
    });
  });
});

describe('weekdayOf', () => {
  it.each([
    [{ year: 1970, month: 1, day: 1 }, 'thu'],
    [{ year: 2025, month: 6, day: 1 }, 'sun'],
    [{ year: 2025, month: 6, day: 2 }, 'mon'],
    [{ year: 2024, month: 2, day: 29 }, 'thu'],
    [{ year: 1969, month: 12, day: 31 }, 'wed'],
  ] as const)('%o is a %s', (date, weekday) => {
    expect(weekdayOf(date)).toBe(weekday);
  });
});

describe('alertDay', () => {
  it('is the local day, which may differ from the UTC day', () => {
    // 2025-06-02 23:30 UTC is 00:30 on Tuesday in London (UTC+1) and 19:30 on Monday in New York (UTC−4).
    const at = Date.UTC(2025, 5, 2, 23, 30);
    expect(alertDay(at, 'Europe/London')).toEqual({
      date: '2025-06-03',
      weekday: 'tue',
      start: Date.UTC(2025, 5, 2, 23, 0),
      end: Date.UTC(2025, 5, 3, 23, 0),
    });
    expect(alertDay(at, 'America/New_York')).toEqual({
      date: '2025-06-02',
      weekday: 'mon',
      start: Date.UTC(2025, 5, 2, 4, 0),
      end: Date.UTC(2025, 5, 3, 4, 0),
    });
  });

  it('has 23 hours on the day clocks go forward', () => {
    const day = alertDay(Date.UTC(2025, 2, 30, 12), 'Europe/Berlin');
    expect(day.date).toBe('2025-03-30');
    expect(day.end - day.start).toBe(23 * 3_600_000);
  });

  it('starts at the instant itself at local midnight', () => {
    const midnight = Date.UTC(2025, 5, 1, 22, 0); // 00:00 on 2025-06-02 in Berlin (UTC+2)
    expect(alertDay(midnight, 'Europe/Berlin').date).toBe('2025-06-02');
    expect(alertDay(midnight - 1, 'Europe/Berlin').date).toBe('2025-06-01');
  });
});

describe('thresholdMet', () => {
  it('more-than needs strictly more than the minutes', () => {
    expect(thresholdMet('more-than', 30, 30 * MINUTE)).toBe(false);
    expect(thresholdMet('more-than', 30, 30 * MINUTE + 1)).toBe(true);
  });

  it('at-least is met at exactly the minutes', () => {
    expect(thresholdMet('at-least', 30, 30 * MINUTE - 1)).toBe(false);
    expect(thresholdMet('at-least', 30, 30 * MINUTE)).toBe(true);
  });
});

describe('levelKeys', () => {
  it('admits the levels on the side of op, the bound included', () => {
    expect(levelKeys('>=', 1)).toEqual([1, 2]);
    expect(levelKeys('<=', -1)).toEqual([-2, -1]);
    expect(levelKeys('>=', -2)).toEqual([-2, -1, 0, 1, 2]);
    expect(levelKeys('<=', 0)).toEqual([-2, -1, 0]);
  });
});

describe('categorySubtree', () => {
  const links = [
    { id: 'work', parentId: null },
    { id: 'code', parentId: 'work' },
    { id: 'terminals', parentId: 'code' },
    { id: 'mail', parentId: 'work' },
    { id: 'fun', parentId: null },
  ];

  it('is the category and all its descendants', () => {
    expect(categorySubtree(links, 'work').sort()).toEqual(['code', 'mail', 'terminals', 'work']);
    expect(categorySubtree(links, 'code').sort()).toEqual(['code', 'terminals']);
    expect(categorySubtree(links, 'fun')).toEqual(['fun']);
  });

  it('is empty for an id the tree does not have', () => {
    expect(categorySubtree(links, 'gone')).toEqual([]);
  });

  it('stops on a cycle', () => {
    const cyclic = [
      { id: 'a', parentId: 'b' },
      { id: 'b', parentId: 'a' },
    ];
    expect(categorySubtree(cyclic, 'a').sort()).toEqual(['a', 'b']);
  });
});
