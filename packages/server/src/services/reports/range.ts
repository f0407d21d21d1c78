/**
 * Report ranges: local dates in an IANA zone checked and turned into UTC
 * instants on rollup-slot edges (the first step of every report).
 */
import {
  dayRanges,
  isValidTimeZone,
  MAX_RANGE_DAYS,
  parseLocalDate,
  slotsOf,
  type DayRange,
  type LocalDate,
  zonedMidnight,
} from '@sundial/core';
import { invalidInput } from '../../errors.js';

export interface ReportRange {
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly tz: string;
  readonly days: readonly DayRange[];
  readonly start: number;
  readonly end: number;
}

export function parseDate(text: string, field: string): LocalDate {
  const date = parseLocalDate(text);
  if (date === null) throw invalidInput(`${field}: must be a date YYYY-MM-DD`);
  return date;
}

export function checkZone(tz: string): string {
  if (!isValidTimeZone(tz)) throw invalidInput(`tz: ${JSON.stringify(tz.slice(0, 64))} is not an IANA time zone`);
  return tz;
}

/** The query parameters a range was read from, for messages. */
export interface RangeFields {
  readonly from: string;
  readonly to: string;
}

/** The inclusive local date range `from`–`to` in `tz`, checked (order, length, slot alignment). */
export function reportRange(
  fromText: string,
  toText: string,
  tzText: string,
  fields: RangeFields = { from: 'from', to: 'to' },
): ReportRange {
  const from = parseDate(fromText, fields.from);
  const to = parseDate(toText, fields.to);
  const tz = checkZone(tzText);
  if (fromText > toText) throw invalidInput(`${fields.to}: must not be before ${fields.from}`);
  // Checked before cutting: core's range functions throw (a 500) past MAX_RANGE_DAYS.
  if (dayNumber(to) - dayNumber(from) + 1 > MAX_RANGE_DAYS) {
    throw invalidInput(`${fields.to}: a report covers at most ${MAX_RANGE_DAYS} days`);
  }
  const days = dayRanges(from, to, tz);
  // A range of days the zone skipped (Pacific/Apia 2011-12-30) is empty, at the instant the next date starts.
  const start = days[0]?.start ?? zonedMidnight(from, tz);
  const end = days[days.length - 1]?.end ?? start;
  try {
    slotsOf({ start, end });
  } catch {
    throw invalidInput(`tz: ${tz} had an offset that is not whole quarter hours on these dates`);
  }
  return { from, to, tz, days, start, end };
}

/** Days since 1970-01-01 of a date (proleptic Gregorian; years below 100 too, which Date.UTC would shift). */
function dayNumber(date: LocalDate): number {
  const d = new Date(0);
  d.setUTCFullYear(date.year, date.month - 1, date.day);
  return Math.floor(d.getTime() / 86_400_000);
}

/** Index of the range (sorted, disjoint, half-open) holding `instant`, or -1. */
export function rangeIndex(ranges: readonly { start: number; end: number }[], instant: number): number {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid] as { start: number; end: number };
    if (instant < r.start) hi = mid - 1;
    else if (instant >= r.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** Milliseconds as whole seconds (reports are exact to the second). */
export const seconds = (ms: number): number => Math.round(ms / 1000);
