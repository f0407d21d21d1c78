/**
 * The dashboard's formatting and date ranges: durations as "3 h 12 min",
 * numbers in the person's locale, and the range picker's presets cut in the
 * person's time zone (weeks from Monday), whatever zone the machine is in.
 */
import { describe, expect, it } from 'vitest';
import { formatDuration, formatHours } from '../../src/format/duration';
import { formatPercent } from '../../src/format/numbers';
import { addDays, daysBetween, isDate, localDate, presetRange } from '../../src/format/ranges';

describe('durations', () => {
  it('reads as hours and minutes, seconds only under a minute', () => {
    expect(formatDuration(3 * 3600 + 12 * 60, 'en')).toBe('3 h 12 min');
    expect(formatDuration(2 * 3600, 'en')).toBe('2 h');
    expect(formatDuration(45 * 60, 'en')).toBe('45 min');
    expect(formatDuration(20, 'en')).toBe('20 s');
    expect(formatDuration(0, 'en')).toBe('0 s');
    expect(formatDuration(89, 'en')).toBe('1 min');
    expect(formatDuration(3599.6, 'en')).toBe('1 h');
  });

  it('writes numbers as the locale does', () => {
    expect(formatDuration(1234 * 3600, 'en')).toBe('1,234 h');
    expect(formatDuration(1234 * 3600, 'de')).toBe('1.234 h');
    expect(formatHours(5400, 'de')).toBe('1,5 h');
    expect(formatPercent(0.42, 'en')).toBe('42%');
  });
});

describe('date ranges in the person’s time zone', () => {
  // 23:30 UTC on Sunday 1 March is already Monday 2 March in Paris.
  const now = new Date('2026-03-01T23:30:00Z');

  it('takes the local date, not the UTC one', () => {
    expect(localDate(now, 'UTC')).toBe('2026-03-01');
    expect(localDate(now, 'Europe/Paris')).toBe('2026-03-02');
    expect(presetRange('today', now, 'Europe/Paris')).toEqual({ from: '2026-03-02', to: '2026-03-02' });
    expect(presetRange('yesterday', now, 'Europe/Paris')).toEqual({ from: '2026-03-01', to: '2026-03-01' });
  });

  it('starts weeks on Monday and months on the first', () => {
    expect(presetRange('this-week', now, 'Europe/Paris')).toEqual({ from: '2026-03-02', to: '2026-03-02' });
    expect(presetRange('this-week', now, 'UTC')).toEqual({ from: '2026-02-23', to: '2026-03-01' });
    expect(presetRange('last-week', now, 'Europe/Paris')).toEqual({ from: '2026-02-23', to: '2026-03-01' });
    expect(presetRange('this-month', now, 'UTC')).toEqual({ from: '2026-03-01', to: '2026-03-01' });
    expect(presetRange('this-month', new Date('2026-02-14T12:00:00Z'), 'UTC')).toEqual({
      from: '2026-02-01',
      to: '2026-02-14',
    });
  });

  it('does calendar arithmetic on dates and refuses malformed ones', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
    expect(isDate('2026-03-02')).toBe(true);
    expect(isDate('2026-3-2')).toBe(false);
    expect(isDate('2026-13-40')).toBe(false);
  });
});
