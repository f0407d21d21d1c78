/**
 * Working hours: the part of the week a person wants tracked. Activity
 * outside them is cut off or dropped like any other privacy rule, on the
 * device and again at ingest.
 *
 * A working period starts on each listed weekday (ISO: 1 = Monday … 7 =
 * Sunday) at `start` local time and ends at `end`: the same day when `end`
 * is later, else the next day ("22:00"–"06:00" on Monday runs into Tuesday
 * morning). `start` equal to `end` means a whole day, wall clock to wall
 * clock. Times are wall-clock times in `timeZone`, so a period is an hour
 * shorter or longer across a DST change; a start or end inside a DST gap
 * moves to the end of the gap, and a time that happens twice (clocks falling
 * back) means the first time (see `zonedWallClock`).
 */
import { BoundedCache } from './bounded-cache.js';
import { isValidTimeZone, zonedWallClock } from './calendar.js';
import { civilFromDays, isoWeekday } from './civil-days.js';

export interface WorkingHours {
  /** ISO weekdays on which a working period starts: 1 = Monday … 7 = Sunday. */
  readonly days: readonly number[];
  /** Local start time, "HH:MM" (24-hour). */
  readonly start: string;
  /** Local end time, "HH:MM"; at or before `start` means the next day. */
  readonly end: string;
  /** IANA time zone name. */
  readonly timeZone: string;
}

/** A half-open UTC range [start, end) in epoch milliseconds. */
export interface TimeSpan {
  readonly start: number;
  readonly end: number;
}

export interface CompiledWorkingHours {
  readonly hours: WorkingHours;
  /** True when the instant lies in a working period. */
  contains(instantMs: number): boolean;
  /**
   * The first working part of [start, end), or null when none of it is
   * working time. A zero-length range is kept when its instant is working
   * time. The first part only: a range that spans a whole non-working gap
   * (a 30-hour event) keeps what comes before the gap.
   */
  firstPart(start: number, end: number): TimeSpan | null;
}

const CLOCK_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY_MS = 86_400_000;
/** Periods are cached per local date: a batch of events seldom spans more than a few. */
const PERIOD_CACHE = 512;

/** What is wrong with the working hours, in words naming the field, or null when they are valid. */
export function validateWorkingHours(hours: WorkingHours): string | null {
  if (typeof hours !== 'object' || hours === null) return 'workingHours: must be an object or null';
  const { days, start, end, timeZone } = hours;
  if (!Array.isArray(days) || days.length === 0 || days.length > 7) {
    return 'workingHours.days: must list 1 to 7 weekdays';
  }
  if (!days.every((d) => Number.isInteger(d) && d >= 1 && d <= 7)) {
    return 'workingHours.days: weekdays are 1 (Monday) to 7 (Sunday)';
  }
  if (new Set(days).size !== days.length) return 'workingHours.days: a weekday is listed twice';
  if (typeof start !== 'string' || !CLOCK_PATTERN.test(start)) return 'workingHours.start: must be a time HH:MM';
  if (typeof end !== 'string' || !CLOCK_PATTERN.test(end)) return 'workingHours.end: must be a time HH:MM';
  if (!isValidTimeZone(timeZone)) return 'workingHours.timeZone: is not a known IANA time zone';
  return null;
}

/** Minutes after midnight of a valid "HH:MM". */
function minuteOf(clock: string): number {
  const match = CLOCK_PATTERN.exec(clock);
  if (!match) throw new RangeError(`not a time HH:MM: ${JSON.stringify(clock.slice(0, 20))}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Compiles valid working hours (a RangeError otherwise) for repeated use. */
export function compileWorkingHours(hours: WorkingHours): CompiledWorkingHours {
  const problem = validateWorkingHours(hours);
  if (problem !== null) throw new RangeError(`invalid working hours: ${problem}`);
  const startMinute = minuteOf(hours.start);
  const endMinute = minuteOf(hours.end);
  const days = new Set(hours.days);
  const { timeZone } = hours;
  const cache = new BoundedCache<number, TimeSpan | null>(PERIOD_CACHE);

  /** The period starting on the local date `day` (days since 1970-01-01), or null. */
  function periodOn(day: number): TimeSpan | null {
    const cached = cache.get(day);
    if (cached !== undefined) return cached;
    let period: TimeSpan | null = null;
    if (days.has(isoWeekday(day))) {
      const start = zonedWallClock(civilFromDays(day), startMinute, timeZone);
      const end = zonedWallClock(civilFromDays(endMinute > startMinute ? day : day + 1), endMinute, timeZone);
      // Empty only when both ends fall into one DST gap.
      period = end > start ? { start, end } : null;
    }
    cache.set(day, period);
    return period;
  }

  /**
   * Working periods overlapping [from, to], in order. A period that covers
   * an instant starts on a local date at most two days before the
   * instant's UTC date and at most one after (offsets stay within ±18 h,
   * periods within 48 h), so the dates to try follow from UTC alone and the
   * cached periods answer without reading the zone again.
   */
  function periodsAround(from: number, to: number): TimeSpan[] {
    const out: TimeSpan[] = [];
    for (let day = Math.floor(from / DAY_MS) - 2, last = Math.floor(to / DAY_MS) + 1; day <= last; day++) {
      const period = periodOn(day);
      if (period && period.end > from && period.start <= to) out.push(period);
    }
    return out;
  }

  function contains(instant: number): boolean {
    if (!Number.isFinite(instant)) return false;
    return periodsAround(instant, instant).some((p) => p.start <= instant && instant < p.end);
  }

  return {
    hours,
    contains,
    firstPart(start, end) {
      if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) return null;
      if (end === start) return contains(start) ? { start, end } : null;
      // Longer ranges than ingest accepts (30 days) are not cut day by day.
      const to = Math.min(end, start + 32 * DAY_MS);
      for (const period of periodsAround(start, to)) {
        const from = Math.max(start, period.start);
        const until = Math.min(end, period.end);
        if (until > from) return { start: from, end: until };
      }
      return null;
    },
  };
}

/** True when the instant lies in the working hours; always true without working hours (null). */
export function withinWorkingHours(hours: WorkingHours | null, instantMs: number): boolean {
  return hours === null || compileWorkingHours(hours).contains(instantMs);
}
