/**
 * The run-time bounds of one query evaluation: work, memory and wall time.
 *
 * A query is untrusted code run on the server, so it gets a budget:
 *
 * - Steps: abstract work units. The evaluator charges one per expression and,
 *   per call, the size of the arguments; builtins charge more where the work
 *   is more than linear (sorting, regex matching). Charges are made before
 *   the work they pay for, so an over-budget call never starts.
 * - Events alive: an upper bound on the events the query holds. Values bound
 *   to variables count once per distinct value (shared sub-values count each
 *   time they appear, as they would when serialised); every value built
 *   during the current statement counts until the statement ends, even if it
 *   is dropped before. Conservative and cheap: no garbage tracking.
 * - Deadline: the injected clock is read at every statement and call and
 *   after at most CLOCK_INTERVAL units of work.
 */

import type { QueryLimits } from './evaluate.js';
import type { QueryError } from './errors.js';
import { type QueryValue, shapeOf } from './values.js';

/** Work units between clock reads. */
export const CLOCK_INTERVAL = 4096;

type Fail = (offset: number, message: string) => QueryError;

export class QueryBudget {
  private steps = 0;
  private sinceClock = 0;
  private heldEvents = 0;
  private transientEvents = 0;
  /** Reference counts of the lists and dicts bound to variables. */
  private readonly held = new Map<object, number>();

  constructor(
    private readonly limits: QueryLimits,
    private readonly fail: Fail,
  ) {}

  /** Pays for `units` of work at the source offset; throws when the step budget is spent. */
  charge(units: number, offset: number): void {
    this.steps += units;
    if (this.steps > this.limits.maxSteps) {
      throw this.fail(offset, `query needs more than ${String(this.limits.maxSteps)} steps of work`);
    }
    this.sinceClock += units;
    if (this.sinceClock >= CLOCK_INTERVAL) this.checkClock(offset);
  }

  /** Throws when the deadline has passed. */
  checkClock(offset: number): void {
    this.sinceClock = 0;
    if (this.limits.now() > this.limits.deadlineMs) throw this.fail(offset, 'query took longer than its time limit');
  }

  /** How many more events may come alive. */
  remainingEvents(): number {
    return Math.max(0, this.limits.maxEvents - this.heldEvents - this.transientEvents);
  }

  /** Throws unless `count` more events fit. */
  requireRoom(count: number, offset: number): void {
    if (count > this.remainingEvents()) throw this.tooManyEvents(offset);
  }

  /** Counts the events of a value built during the current statement. */
  addBuilt(value: QueryValue, offset: number): void {
    const { events } = shapeOf(value);
    this.requireRoom(events, offset);
    this.transientEvents += events;
  }

  /** Ends a statement that rebinds a variable from `previous` to `next`. */
  endStatement(previous: QueryValue | undefined, next: QueryValue, offset: number): void {
    this.transientEvents = 0;
    this.retain(next);
    if (previous !== undefined) this.release(previous);
    if (this.heldEvents > this.limits.maxEvents) throw this.tooManyEvents(offset);
  }

  private tooManyEvents(offset: number): QueryError {
    return this.fail(offset, `query holds more than ${String(this.limits.maxEvents)} events`);
  }

  private retain(value: QueryValue): void {
    if (typeof value !== 'object' || value === null) return;
    const count = this.held.get(value) ?? 0;
    if (count === 0) this.heldEvents += shapeOf(value).events;
    this.held.set(value, count + 1);
  }

  private release(value: QueryValue): void {
    if (typeof value !== 'object' || value === null) return;
    const count = this.held.get(value) ?? 0;
    if (count <= 1) {
      this.held.delete(value);
      this.heldEvents -= shapeOf(value).events;
    } else {
      this.held.set(value, count - 1);
    }
  }
}
