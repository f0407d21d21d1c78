/**
 * Every write to a person's events goes through `applyChanges`: one
 * transaction that writes the events and adds the rollup deltas they cause,
 * so rollups always equal a recomputation from raw events.
 *
 * A change is (before, after): insert (null, row), replace (row, row) or
 * delete (row, null). The delta is computed over the time the changes touch:
 * the device's events there are read, their contributions computed before
 * and after, and the difference added (core/rollup.ts explains why that is
 * exact). Writes for one device are serialised: in this process by a queue,
 * across processes by the device row's lock taken first in the transaction.
 */
import {
  BoundedCache,
  mergeRanges,
  rollupContributions,
  rollupDelta,
  type Range,
  type RollupCell,
  type RollupSource,
} from '@sundial/core';
import {
  isUniqueViolation,
  type EventRow,
  type EventWrites,
  type EventsRepository,
  type NewEventRow,
} from '@sundial/store';
import { AppError } from '../../errors.js';
import { ClassificationMissing, type Classifications } from './classification.js';

export interface Change {
  readonly before: EventRow | null;
  readonly after: NewEventRow | null;
}

export interface Applied {
  /** uid → seq of every row written. */
  readonly seqs: Map<string, number>;
  /** Changes that replaced a stored row. */
  readonly replaced: number;
}

export interface ApplyOptions {
  /**
   * Re-read the stored rows by uid inside the transaction, after the device
   * lock, and use them as the `before`s: for changes prepared outside the
   * device's queue (another request, or another process, may have written
   * the same ids meanwhile).
   */
  readonly refresh?: boolean;
  /**
   * The bucket's last event as the caller saw it (heartbeats): if it was
   * changed or erased meanwhile (by another process), or the bucket was empty
   * and no longer is, nothing is written and `StaleLastEvent` is thrown, so
   * the caller can merge again.
   */
  readonly expectLast?: { readonly bucketId: string; readonly row: EventRow | null };
}

export class StaleLastEvent extends Error {
  constructor() {
    super("the bucket's last event changed meanwhile");
    this.name = 'StaleLastEvent';
  }
}

function sameRow(a: EventRow | null, b: EventRow | null): boolean {
  if (a === null || b === null) return a === b;
  return a.seq === b.seq && a.start === b.start && a.end === b.end && a.updatedAt === b.updatedAt;
}

export interface ActivityWriter {
  /** Applies the changes of one device atomically. */
  apply(userId: string, deviceId: string, changes: readonly Change[], options?: ApplyOptions): Promise<Applied>;
  /** Runs work alone among this process's writes to the device. */
  serial<T>(userId: string, deviceId: string, work: () => Promise<T>): Promise<T>;
}

const ROLLUP_KINDS = new Set(['window', 'web', 'away']);

export function rollupSource(e: NewEventRow): RollupSource {
  return {
    start: e.start,
    end: e.end,
    kind: e.kind,
    away: e.away === true,
    appId: e.appId,
    titleId: e.titleId,
    domainId: e.domainId,
    urlId: e.urlId,
  };
}

function extent(e: NewEventRow): Range {
  return { start: e.start, end: e.end };
}

async function rollupDeltaFor(
  tx: EventWrites,
  classifications: Classifications,
  userId: string,
  deviceId: string,
  changes: readonly Change[],
) {
  const touched: Range[] = [];
  for (const { before, after } of changes) {
    for (const e of [before, after]) if (e && ROLLUP_KINDS.has(e.kind)) touched.push(extent(e));
  }
  const ranges = mergeRanges(touched);
  if (ranges.length === 0) return [];
  const first = ranges[0] as Range;
  const last = ranges[ranges.length - 1] as Range;
  const existing = await tx.overlapping(userId, deviceId, first.start, last.end);
  const replaced = new Set(changes.flatMap((c) => (c.before ? [c.before.seq] : [])));
  const beforeSet = existing.map(rollupSource);
  const afterSet = existing.filter((e) => !replaced.has(e.seq)).map(rollupSource);
  for (const { after } of changes) if (after) afterSet.push(rollupSource(after));
  // Window time is classified by the rules as they stand in this transaction.
  const windows = beforeSet.some((e) => e.kind === 'window') || afterSet.some((e) => e.kind === 'window');
  const classifier = windows ? classifications.classifier(userId, await tx.categoryVersion(userId)) : undefined;
  const options = classifier ? { classifier } : {};
  const delta = rollupDelta(
    rollupContributions(beforeSet, ranges, options),
    rollupContributions(afterSet, ranges, options),
  );
  classifier?.check();
  return delta;
}

/** Each attempt that lacks a classification prepares it; the rules changing meanwhile costs another. */
const MAX_CLASSIFY_ATTEMPTS = 5;

const HOUR_MS = 3_600_000;

/** How often a device's last-seen time is written (not at every heartbeat). */
const TOUCH_EVERY_MS = 60_000;

export interface WriterDeps {
  readonly events: EventsRepository;
  readonly now: () => number;
  readonly classifications: Classifications;
  /**
   * Told of every committed change's rollup delta (alerts evaluate against
   * it). Runs after the commit; what it throws is not the writer's concern.
   */
  readonly onApplied?: (userId: string, delta: readonly RollupCell[]) => void;
}

export function activityWriter(deps: WriterDeps): ActivityWriter {
  const queues = new Map<string, Promise<unknown>>();
  const touched = new BoundedCache<string, number>(10_000);
  /** The device's duration bound as this process last wrote it. */
  const longestKnown = new BoundedCache<string, number>(10_000);

  /**
   * Raises the device's bound on event durations when an event outgrows it,
   * in whole hours, so a growing event writes it once an hour, not every beat.
   * Answers the bound written, or null.
   */
  async function noteLongest(tx: EventWrites, userId: string, deviceId: string, rows: readonly NewEventRow[]) {
    const longest = Math.max(0, ...rows.map((r) => r.end - r.start));
    if (longest <= (longestKnown.get(`${userId}\u0000${deviceId}`) ?? -1)) return null;
    const bound = Math.ceil((longest + 1) / HOUR_MS) * HOUR_MS;
    await tx.noteLongestEvent(userId, deviceId, bound);
    return bound;
  }

  function serial<T>(userId: string, deviceId: string, work: () => Promise<T>): Promise<T> {
    const key = `${userId}\u0000${deviceId}`;
    const run = (queues.get(key) ?? Promise.resolve()).then(work, work);
    const tail = run.catch(() => undefined);
    queues.set(key, tail);
    void tail.then(() => {
      if (queues.get(key) === tail) queues.delete(key);
    });
    return run;
  }

  return {
    serial,
    async apply(userId, deviceId, requested, options = {}) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await applyOnce(userId, deviceId, requested, options);
        } catch (error) {
          if (!(error instanceof ClassificationMissing) || attempt >= MAX_CLASSIFY_ATTEMPTS) throw error;
          await deps.classifications.prepare(error);
        }
      }
    },
  };

  async function applyOnce(
    userId: string,
    deviceId: string,
    requested: readonly Change[],
    options: ApplyOptions,
  ): Promise<Applied> {
    try {
      const { applied, delta, longest } = await deps.events.transaction(async (tx) => {
        await tx.lockDevice(userId, deviceId);
        if (options.expectLast) {
          // The event merged against must be stored unchanged (ActivityWatch's
          // last event is the last one written, which need not start last);
          // with none, the bucket must still be empty.
          const expected = options.expectLast.row;
          const current = expected
            ? await tx.bySeq(userId, expected.seq)
            : await tx.lastInBucket(userId, options.expectLast.bucketId);
          if (!sameRow(current, expected)) throw new StaleLastEvent();
        }
        const changes = options.refresh ? await refreshed(tx, userId, deviceId, requested) : requested;
        return write(tx, userId, deviceId, changes);
      });
      // Remembered only once committed (a rolled-back attempt wrote nothing).
      if (longest !== null) longestKnown.set(`${userId}\u0000${deviceId}`, longest);
      if (delta.length > 0) deps.onApplied?.(userId, delta);
      return applied;
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('conflict', 'an event with one of these ids was being written at the same moment; retry');
      }
      throw error;
    }
  }

  async function write(
    tx: EventWrites,
    userId: string,
    deviceId: string,
    changes: readonly Change[],
  ): Promise<{ applied: Applied; delta: RollupCell[]; longest: number | null }> {
    // First, as it may find a classification missing and roll back.
    const delta = await rollupDeltaFor(tx, deps.classifications, userId, deviceId, changes);
    const at = deps.now();
    const key = `${userId}\u0000${deviceId}`;
    if (at - (touched.get(key) ?? 0) >= TOUCH_EVERY_MS) {
      await tx.touchDevice(userId, deviceId, at);
      touched.set(key, at);
    }
    const removed: number[] = [];
    const updated: { before: EventRow; after: EventRow }[] = [];
    const inserted: NewEventRow[] = [];
    for (const { before, after } of changes) {
      if (before && after) updated.push({ before, after: { ...after, seq: before.seq } });
      else if (before) removed.push(before.seq);
      else if (after) inserted.push(after);
    }
    await tx.delete(userId, removed);
    await tx.update(userId, updated);
    const longest = await noteLongest(tx, userId, deviceId, [...inserted, ...updated.map((u) => u.after)]);
    const seqs = await tx.insert(userId, inserted);
    for (const { after } of updated) seqs.set(after.uid, after.seq);
    await tx.addRollups(userId, delta);
    return { applied: { seqs, replaced: updated.length }, delta, longest };
  }
}

/** The changes with their `before`s as stored now; a uid another device holds is a conflict. */
async function refreshed(tx: EventWrites, userId: string, deviceId: string, changes: readonly Change[]) {
  const uids = changes.flatMap((c) => {
    const row = c.before ?? c.after;
    return row ? [row.uid] : [];
  });
  const stored = new Map((await tx.byUids(userId, uids)).map((r) => [r.uid, r]));
  return changes.flatMap((change): Change[] => {
    const uid = (change.before ?? change.after)?.uid;
    const before = uid === undefined ? null : (stored.get(uid) ?? null);
    if (before && before.deviceId !== deviceId) {
      throw new AppError('conflict', `event ${uid ?? ''} belongs to another device`);
    }
    if (!before && !change.after) return [];
    return [{ before, after: change.after }];
  });
}
