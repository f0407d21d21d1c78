/**
 * The event shape the pure transforms work on.
 *
 * Every transform in core (heartbeat merging, flooding, period arithmetic)
 * takes and returns these: a start instant in UTC epoch milliseconds, a
 * duration in milliseconds and an opaque data object. Ids, buckets and wire
 * formats belong to other packages; core only does time arithmetic.
 */

export interface TimedEvent<D = Record<string, unknown>> {
  /** UTC epoch milliseconds. */
  readonly start: number;
  /** Milliseconds, never negative. */
  readonly duration: number;
  readonly data: D;
}

/** A time range without data, as produced by period unions. */
export interface Period {
  readonly start: number;
  readonly duration: number;
}

/** The instant the event (or period) ends: start + duration. */
export function eventEnd(e: Period): number {
  return e.start + e.duration;
}

/** Throws a RangeError unless start is finite and duration is finite and ≥ 0. */
export function assertValidEvent(e: Period, what = 'event'): void {
  if (!Number.isFinite(e.start)) throw new RangeError(`${what} start must be a finite number`);
  if (!Number.isFinite(e.duration) || e.duration < 0) {
    throw new RangeError(`${what} duration must be a finite number ≥ 0`);
  }
}

/** A copy sorted by start, then end; the input is not modified. */
export function sortByStart<E extends Period>(events: readonly E[]): E[] {
  return [...events].sort((a, b) => a.start - b.start || eventEnd(a) - eventEnd(b));
}
