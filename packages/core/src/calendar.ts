/**
 * Calendar arithmetic in IANA time zones: local dates, the UTC instant each
 * starts at, and the day / week / month ranges reports are cut into.
 *
 * Semantics follow Temporal's `startOfDay`: a date starts at the first instant
 * whose wall clock reads that date's 00:00 or later. Where midnight is skipped
 * (America/Santiago, America/Havana) that is the end of the gap, e.g. 01:00.
 * Consequences worth knowing:
 * - A date a zone skipped entirely (Pacific/Apia 2011-12-30) starts and ends
 *   at the same instant; range functions leave it out, and `zonedMidnight`
 *   returns the instant the next date starts.
 * - Where clocks fall back across midnight (America/St_Johns before 2011, at
 *   00:01 → 23:01) the repeated wall time belongs to the later date's range,
 *   although `localDate` reads those instants as the earlier date. Ranges
 *   must tile time, so one of the two has to give.
 *
 * Offsets are read from the global Intl API (full ICU since Node 20) one
 * instant at a time. tzdb offsets and transitions are whole seconds, so a
 * transition near a midnight is found by bisection on whole seconds.
 */

import { BoundedCache } from './bounded-cache.js';
import {
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  formatDays,
  isoWeekday,
  pad,
  type LocalDate,
} from './civil-days.js';
import { ROLLUP_SLOT_MS, rollupSlot } from './time.js';

export type { LocalDate } from './civil-days.js';

/** One local day as a half-open UTC range [start, end) in epoch milliseconds. */
export interface DayRange {
  readonly date: string;
  readonly start: number;
  readonly end: number;
}

export type PeriodBucket = 'day' | 'week' | 'month';

/** First day of the week, ISO numbering: 1 = Monday … 7 = Sunday. */
export type WeekStart = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/**
 * One period of a report, clipped to the requested dates. `label` names the
 * whole period (a week's first day even when it lies before `from`); `from`
 * and `to` are the dates it actually covers.
 */
export interface PeriodRange {
  readonly label: string;
  readonly from: string;
  readonly to: string;
  readonly start: number;
  readonly end: number;
}

/** The rollup slots covering a range: the starts of the first and last slot, inclusive. */
export interface SlotSpan {
  readonly first: number;
  readonly last: number;
}

/** Longest range, in days, that the range functions cut (about ten years). */
export const MAX_RANGE_DAYS = 3700;

const MAX_TIME_ZONE_LENGTH = 64;
/** IANA names only: no offset forms like "+05:30", which newer Intl versions also accept. */
const TIME_ZONE_PATTERN = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;
const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
const SECOND_MS = 1000;
/** Wider than any UTC offset tzdb has ever recorded (local mean times stay under 16 h). */
const OFFSET_WINDOW_MS = 18 * 3_600_000;

const formatters = new BoundedCache<string, Intl.DateTimeFormat>(64);

/** True for a time zone name Intl knows (case-insensitive, links allowed). */
export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.length > MAX_TIME_ZONE_LENGTH || !TIME_ZONE_PATTERN.test(tz)) return false;
  try {
    zoneFormatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** Reads `YYYY-MM-DD` (exactly, no surrounding space); null unless it is a real date. */
export function parseLocalDate(text: string): LocalDate | null {
  const match = LOCAL_DATE_PATTERN.exec(text);
  if (!match) return null;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  return isLocalDate(date) ? date : null;
}

export function formatLocalDate(date: LocalDate): string {
  requireLocalDate(date);
  return formatDays(daysFromCivil(date.year, date.month, date.day));
}

/** The local date in the zone at the instant. */
export function localDate(epochMs: number, tz: string): LocalDate {
  if (!Number.isFinite(epochMs)) throw new RangeError('localDate: epochMs must be finite');
  const formatter = requireZone(tz);
  const second = Math.floor(epochMs / SECOND_MS) * SECOND_MS;
  const date = civilFromDays(Math.floor((second + offsetAt(formatter, second)) / DAY_MS));
  if (!isLocalDate(date)) throw new RangeError('localDate: only years 1–9999 are supported');
  return date;
}

/**
 * The UTC instant at which the date starts in the zone: its midnight, or the
 * end of the gap when midnight was skipped. For a date the zone skipped
 * entirely this is the start of the next date.
 */
export function zonedMidnight(date: LocalDate, tz: string): number {
  requireLocalDate(date);
  return dayStart(requireZone(tz), daysFromCivil(date.year, date.month, date.day));
}

/** Each local day of the inclusive range; days the zone skipped are left out. */
export function dayRanges(from: LocalDate, to: LocalDate, tz: string): DayRange[] {
  return cutPeriods(from, to, tz, (days) => ({ label: formatDays(days), next: days + 1 })).map((p) => ({
    date: p.label,
    start: p.start,
    end: p.end,
  }));
}

/**
 * The inclusive range cut into days, weeks (starting on `weekStart`, Monday
 * by default as in ISO 8601) or calendar months, each clipped to the range.
 * Labels: `YYYY-MM-DD` for days, the week's first day for weeks, `YYYY-MM`
 * for months.
 */
export function periodRanges(
  from: LocalDate,
  to: LocalDate,
  tz: string,
  bucket: PeriodBucket,
  weekStart: WeekStart = 1,
): PeriodRange[] {
  switch (bucket) {
    case 'day':
      return cutPeriods(from, to, tz, (days) => ({ label: formatDays(days), next: days + 1 }));
    case 'week': {
      if (!Number.isInteger(weekStart) || weekStart < 1 || weekStart > 7) {
        throw new RangeError('periodRanges: weekStart must be 1 (Monday) to 7 (Sunday)');
      }
      return cutPeriods(from, to, tz, (days) => {
        const first = days - ((isoWeekday(days) - weekStart + 7) % 7);
        return { label: formatDays(first), next: first + 7 };
      });
    }
    case 'month':
      return cutPeriods(from, to, tz, (days) => {
        const { year, month } = civilFromDays(days);
        const next = month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1);
        return { label: `${pad(year, 4)}-${pad(month, 2)}`, next };
      });
    default: {
      const unknown: never = bucket;
      throw new RangeError(`periodRanges: unknown bucket ${String(unknown)}`);
    }
  }
}

/**
 * The 15-minute UTC rollup slots covering a range, as the starts of the first
 * and last slot (`last < first` for an empty range). Throws when a boundary is
 * not on a slot boundary: every offset in use since 1980 is a multiple of 15
 * minutes, but historical ones are not (local mean times; Africa/Monrovia was
 * −00:44:30 until 1972), and such a day cannot be cut from rollups.
 */
export function slotsOf(range: { readonly start: number; readonly end: number }): SlotSpan {
  const { start, end } = range;
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) {
    throw new RangeError('slotsOf: need finite start <= end');
  }
  if (rollupSlot(start) !== start || rollupSlot(end) !== end) {
    throw new RangeError(
      'slotsOf: range is not aligned to 15-minute rollup slots (zone offset not a multiple of 15 min)',
    );
  }
  return { first: start, last: end - ROLLUP_SLOT_MS };
}

/** A period containing a day: its label and the day after it ends (days since 1970-01-01). */
type PeriodOf = (days: number) => { label: string; next: number };

function cutPeriods(from: LocalDate, to: LocalDate, tz: string, periodOf: PeriodOf): PeriodRange[] {
  requireLocalDate(from);
  requireLocalDate(to);
  const formatter = requireZone(tz);
  const first = daysFromCivil(from.year, from.month, from.day);
  const last = daysFromCivil(to.year, to.month, to.day);
  if (last < first) throw new RangeError('range: from is after to');
  if (last - first + 1 > MAX_RANGE_DAYS) throw new RangeError(`range: at most ${MAX_RANGE_DAYS} days`);

  const out: PeriodRange[] = [];
  let day = first;
  let start = dayStart(formatter, day);
  while (day <= last) {
    const { label, next } = periodOf(day);
    const stop = Math.min(next, last + 1);
    const end = dayStart(formatter, stop);
    // Empty only for dates the zone skipped (Pacific/Apia 2011-12-30).
    if (end > start) out.push({ label, from: formatDays(day), to: formatDays(stop - 1), start, end });
    day = stop;
    start = end;
  }
  return out;
}

/**
 * The first instant whose wall clock reads the date at `minuteOfDay` (0–1439)
 * or later: where that time was skipped (a DST gap), the end of the gap;
 * where it happened twice (clocks falling back), the first time.
 */
export function zonedWallClock(date: LocalDate, minuteOfDay: number, tz: string): number {
  requireLocalDate(date);
  if (!Number.isInteger(minuteOfDay) || minuteOfDay < 0 || minuteOfDay >= 1440) {
    throw new RangeError('zonedWallClock: minuteOfDay must be an integer from 0 to 1439');
  }
  const days = daysFromCivil(date.year, date.month, date.day);
  return firstInstantAt(requireZone(tz), days * DAY_MS + minuteOfDay * 60_000);
}

/** The first instant whose wall clock reads `days`' 00:00 or later. */
function dayStart(formatter: Intl.DateTimeFormat, days: number): number {
  return firstInstantAt(formatter, days * DAY_MS);
}

/** The first instant whose wall clock (as epoch milliseconds of a UTC clock) reads `wall` or later. */
function firstInstantAt(formatter: Intl.DateTimeFormat, wall: number): number {
  // Any instant whose wall clock reads `wall` lies within the window around it.
  for (const span of offsetSpans(formatter, wall - OFFSET_WINDOW_MS, wall + OFFSET_WINDOW_MS)) {
    const candidate = Math.max(span.start, wall - span.offset);
    if (candidate < span.end) return candidate;
  }
  throw new Error('firstInstantAt: no instant reaches the wall time inside the offset window');
}

interface OffsetSpan {
  readonly start: number;
  readonly end: number;
  readonly offset: number;
}

/**
 * [lo, hi) as spans of constant offset, found by probing the ends and middle
 * and bisecting between probes that disagree. A pair of transitions that
 * cancel out between two neighbouring probes (18 h apart) would go unseen.
 */
function offsetSpans(formatter: Intl.DateTimeFormat, lo: number, hi: number): OffsetSpan[] {
  const spans: OffsetSpan[] = [];
  let start = lo;
  let offset = offsetAt(formatter, lo);
  for (const probe of [lo + (hi - lo) / 2, hi]) {
    const probeOffset = offsetAt(formatter, probe);
    while (offset !== probeOffset) {
      const change = changeWithin(formatter, start, probe, offset);
      spans.push({ start, end: change, offset });
      start = change;
      offset = offsetAt(formatter, change);
    }
  }
  spans.push({ start, end: hi, offset });
  return spans;
}

/** A whole second in (good, bad] where the offset first differs from `offset`, given it does at `bad`. */
function changeWithin(formatter: Intl.DateTimeFormat, good: number, bad: number, offset: number): number {
  let lo = good;
  let hi = bad;
  while (hi - lo > SECOND_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / SECOND_MS) * SECOND_MS;
    if (offsetAt(formatter, mid) === offset) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The zone's offset from UTC at the instant, in milliseconds (whole seconds). */
function offsetAt(formatter: Intl.DateTimeFormat, epochMs: number): number {
  const second = Math.floor(epochMs / SECOND_MS) * SECOND_MS;
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let sec = 0;
  let beforeCommonEra = false;
  for (const part of formatter.formatToParts(second)) {
    switch (part.type) {
      case 'era':
        beforeCommonEra = part.value === 'BC';
        break;
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value);
        break;
      case 'minute':
        minute = Number(part.value);
        break;
      case 'second':
        sec = Number(part.value);
        break;
      default:
        break;
    }
  }
  const days = daysFromCivil(beforeCommonEra ? 1 - year : year, month, day);
  return days * DAY_MS + ((hour * 60 + minute) * 60 + sec) * SECOND_MS - second;
}

function zoneFormatter(tz: string): Intl.DateTimeFormat {
  let formatter = formatters.get(tz);
  if (formatter === undefined) {
    // Gregorian calendar and Latin digits whatever the default locale; h23 avoids "24:00".
    formatter = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
      timeZone: tz,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, formatter);
  }
  return formatter;
}

function requireZone(tz: string): Intl.DateTimeFormat {
  if (!isValidTimeZone(tz)) throw new RangeError(`unknown time zone ${JSON.stringify(String(tz).slice(0, 80))}`);
  return zoneFormatter(tz);
}

function isLocalDate(date: LocalDate): boolean {
  const { year, month, day } = date;
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

function requireLocalDate(date: LocalDate): void {
  if (typeof date !== 'object' || date === null || !isLocalDate(date)) {
    throw new RangeError('not a calendar date between 0001-01-01 and 9999-12-31');
  }
}
