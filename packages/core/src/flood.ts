/**
 * Flood: close small gaps between events (query2 `flood`, default 5 s).
 *
 * Watchers poll, so consecutive events of one bucket leave short gaps that
 * are really continuous activity. Modelled on aw-transform's flood.rs, with
 * its overlap cases made exact. Exact behaviour, with cursor = the latest end
 * of the output so far:
 *
 * 1. Events are sorted by start (then end); the input is not modified.
 * 2. An event that ends at or before the cursor is dropped: its time is
 *    already covered (the earlier event wins overlaps).
 * 3. An event starting before the cursor is trimmed to start at the cursor.
 * 4. If the gap between the cursor and the event's start is ≤ maxGapMs:
 *    - equal data (JSON structural equality): the previous output event is
 *      extended to the event's end and the event is absorbed;
 *    - different data: the gap is split at cursor + floor(gap / 2); the
 *      previous event ends there and the event starts there.
 * 5. Otherwise the event is kept as is (a gap > maxGapMs stays a gap).
 *
 * So the output never overlaps, covers exactly the time the input covered
 * plus the gaps ≤ maxGapMs, and never reaches outside the input's span.
 * Unlike flood.rs, gaps equal to maxGapMs are filled and chains of equal
 * events merge into one.
 */

import { type TimedEvent, assertValidEvent, eventEnd, sortByStart } from './event.js';
import { jsonEqual } from './json-equal.js';

export function flood<D>(events: readonly TimedEvent<D>[], maxGapMs = 5000): TimedEvent<D>[] {
  if (!Number.isFinite(maxGapMs) || maxGapMs < 0) throw new RangeError('maxGap must be a finite number ≥ 0');
  for (const e of events) assertValidEvent(e);

  const out: TimedEvent<D>[] = [];
  for (const e of sortByStart(events)) {
    const prev = out.at(-1);
    if (prev === undefined) {
      out.push({ ...e });
      continue;
    }
    const cursor = eventEnd(prev);
    const end = eventEnd(e);
    if (end <= cursor) continue;
    const start = Math.max(e.start, cursor);
    const gap = start - cursor;
    if (gap > maxGapMs) {
      out.push({ ...e });
    } else if (jsonEqual(prev.data, e.data)) {
      out[out.length - 1] = { ...prev, duration: end - prev.start };
    } else {
      const middle = cursor + Math.floor(gap / 2);
      out[out.length - 1] = { ...prev, duration: middle - prev.start };
      out.push({ start: middle, duration: end - middle, data: e.data });
    }
  }
  return out;
}
