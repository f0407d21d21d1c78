/**
 * Interval arithmetic over events: the period functions of query2.
 *
 * Active time is window activity intersected with "not away" periods
 * (ARCHITECTURE.md, "Time tracking semantics"), and reports must agree with
 * raw events to the millisecond, so these are exact. Behaviour follows
 * aw-transform (filter_period.rs, period_union, union_no_overlap):
 *
 * - Periods are normalised first: zero-duration periods cover no time and
 *   are ignored; overlapping or touching periods merge into one range.
 * - A zero-duration event is kept by `intersectPeriods` when it lies within
 *   a period, both edges included (as in aw-transform), and by
 *   `unionNoOverlap` when no event of `a` covers it (start ≤ t < end).
 * - Results are sorted by start; inputs are never modified.
 */

import { type Period, type TimedEvent, assertValidEvent, eventEnd, sortByStart } from './event.js';

/** Parts of the events that lie within any period, clipped to it (filter_period_intersect). */
export function intersectPeriods<D>(events: readonly TimedEvent<D>[], periods: readonly Period[]): TimedEvent<D>[] {
  const ranges = mergeRanges(periods);
  const out: TimedEvent<D>[] = [];
  let first = 0;
  for (const e of sortByStart(validated(events))) {
    const end = eventEnd(e);
    while (first < ranges.length && rangeAt(ranges, first).end < e.start) first += 1;
    for (let k = first; k < ranges.length; k += 1) {
      const range = rangeAt(ranges, k);
      if (range.start > end) break;
      if (e.duration === 0) {
        out.push({ ...e });
        break;
      }
      const start = Math.max(e.start, range.start);
      const stop = Math.min(end, range.end);
      if (stop > start) out.push({ start, duration: stop - start, data: e.data });
    }
  }
  return out;
}

/** Time ranges covered by any event of a or b; data dropped (period_union). */
export function unionPeriods(a: readonly Period[], b: readonly Period[]): Period[] {
  return mergeRanges([...a, ...b]).map(({ start, end }) => ({ start, duration: end - start }));
}

/** The events of a, plus the parts of b's events that no event of a covers (union_no_overlap). */
export function unionNoOverlap<D>(a: readonly TimedEvent<D>[], b: readonly TimedEvent<D>[]): TimedEvent<D>[] {
  const covered = mergeRanges(a);
  const out: TimedEvent<D>[] = a.map((e) => ({ ...e }));
  for (const e of validated(b)) {
    const end = eventEnd(e);
    if (e.duration === 0) {
      if (!covered.some((r) => r.start <= e.start && e.start < r.end)) out.push({ ...e });
      continue;
    }
    let cursor = e.start;
    for (const range of covered) {
      if (range.end <= cursor) continue;
      if (range.start >= end) break;
      if (range.start > cursor) out.push({ start: cursor, duration: range.start - cursor, data: e.data });
      cursor = Math.max(cursor, range.end);
    }
    if (cursor < end) out.push({ start: cursor, duration: end - cursor, data: e.data });
  }
  return sortByStart(out);
}

/**
 * Events clipped to [start, end); events that end up with no time in it are
 * dropped, except zero-duration events with start ≤ t < end, which are kept.
 */
export function clipToRange<D>(events: readonly TimedEvent<D>[], start: number, end: number): TimedEvent<D>[] {
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) {
    throw new RangeError('range must be finite with start ≤ end');
  }
  const out: TimedEvent<D>[] = [];
  for (const e of validated(events)) {
    if (e.duration === 0) {
      if (start <= e.start && e.start < end) out.push({ ...e });
      continue;
    }
    const from = Math.max(e.start, start);
    const to = Math.min(eventEnd(e), end);
    if (to > from) out.push({ start: from, duration: to - from, data: e.data });
  }
  return out;
}

/** Sum of the durations (sum_durations); overlapping time counts once per event. */
export function sumDurations(events: readonly Period[]): number {
  return events.reduce((total, e) => total + e.duration, 0);
}

interface Range {
  readonly start: number;
  readonly end: number;
}

/** Positive-duration periods merged into sorted, disjoint, non-touching ranges. */
function mergeRanges(periods: readonly Period[]): Range[] {
  const ranges: Range[] = [];
  for (const p of sortByStart(validated(periods))) {
    if (p.duration === 0) continue;
    const last = ranges.at(-1);
    if (last !== undefined && p.start <= last.end) {
      ranges[ranges.length - 1] = { start: last.start, end: Math.max(last.end, eventEnd(p)) };
    } else {
      ranges.push({ start: p.start, end: eventEnd(p) });
    }
  }
  return ranges;
}

function rangeAt(ranges: readonly Range[], index: number): Range {
  const range = ranges[index];
  if (range === undefined) throw new RangeError('range index out of bounds');
  return range;
}

function validated<E extends Period>(events: readonly E[]): readonly E[] {
  for (const e of events) assertValidEvent(e);
  return events;
}
