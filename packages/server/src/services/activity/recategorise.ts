/**
 * Re-categorisation: after a person changes their categories or rules, the
 * `category` and `level` rollups of their whole history are recomputed with
 * the new rules, in the background, chunk by chunk through time.
 *
 * Each chunk is one transaction that locks all the person's devices (so no
 * ingest of theirs interleaves), checks the rules are still the version the
 * run started with, reads every event over the chunk, recomputes the two
 * dimensions there and replaces the stored cells, and records the progress
 * in category_state. Ingest meanwhile classifies with the new rules already,
 * so chunks done stay right; chunks not yet done are overwritten when their
 * turn comes. If the rules change again, the run starts over. The version
 * the rollups match is recorded with the last chunk, so a process that stops
 * midway leaves the person "behind", and `resume` at start-up finishes it.
 */
import { rollupContributions, type RollupCell, type RollupDimension } from '@sundial/core';
import type { EventWrites, Store } from '@sundial/store';
import { ClassificationMissing, type Classifications } from './classification.js';
import { rollupSource } from './writer.js';

export interface RecategorisationStatus {
  /** `current`: the rollups match the rules; `running`: history is being re-categorised. */
  readonly state: 'current' | 'running';
  readonly version: number;
  readonly categorisedVersion: number;
  /** Chunks of history done and in all, while running (null before the first is reported). */
  readonly done: number | null;
  readonly total: number | null;
}

export interface Recategoriser {
  /** Brings the person's rollups up to their rules in the background (restarts a run if one is going). */
  schedule(userId: string): void;
  /** Schedules everyone left behind (at start-up). */
  resume(): Promise<number>;
  status(userId: string): Promise<RecategorisationStatus>;
  /** Resolves when this process has no run for the person going. */
  idle(userId: string): Promise<void>;
}

const DIMENSIONS: ReadonlySet<RollupDimension> = new Set(['category', 'level']);
/** History is recomputed two weeks at a time: short transactions, a few dozen steps a year. */
const DAY_MS = 86_400_000;
export const CHUNK_MS = 14 * DAY_MS;
const MAX_ATTEMPTS = 5;

export function recategoriser(deps: {
  store: Store;
  classifications: Classifications;
  warn: (message: string, error: unknown) => void;
}): Recategoriser {
  const { store, classifications } = deps;
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();

  /** One chunk; false when the rules changed meanwhile. */
  async function chunk(userId: string, version: number, start: number, end: number, done: number, total: number) {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await store.events.transaction(async (tx) => {
          await tx.lockDevices(userId);
          if ((await tx.categoryVersion(userId)) !== version) return false;
          const cells = await recompute(tx, userId, version, start, end);
          await tx.replaceRollups(userId, [...DIMENSIONS], start, end, cells);
          await tx.recordCategorisation(userId, {
            done,
            total,
            ...(done === total ? { categorisedVersion: version } : {}),
          });
          return true;
        });
      } catch (error) {
        if (!(error instanceof ClassificationMissing) || attempt >= MAX_ATTEMPTS) throw error;
        await classifications.prepare(error);
      }
    }
  }

  async function recompute(tx: EventWrites, userId: string, version: number, start: number, end: number) {
    const classifier = classifications.classifier(userId, version);
    const byDevice = new Map<string, ReturnType<typeof rollupSource>[]>();
    for (const row of await tx.overlappingAll(userId, start, end)) {
      const list = byDevice.get(row.deviceId) ?? [];
      list.push(rollupSource(row));
      byDevice.set(row.deviceId, list);
    }
    const sums = new Map<string, RollupCell>();
    for (const events of byDevice.values()) {
      const cells = rollupContributions(events, [{ start, end }], { classifier, dimensions: DIMENSIONS });
      for (const [key, cell] of cells) {
        const ms = (sums.get(key)?.ms ?? 0) + cell.ms;
        sums.set(key, { ...cell, ms });
      }
    }
    classifier.check();
    return [...sums.values()];
  }

  /** Runs until the person's rollups match the rules they have when it ends. */
  async function run(userId: string): Promise<void> {
    for (;;) {
      const state = await store.categories.categorisation(userId);
      if (state === null || state.categorisedVersion >= state.version) return;
      const extent = await store.events.extent(userId);
      // Whole UTC days: the rollups' day tier is replaced along with the slots.
      const from = extent ? Math.floor(extent.start / DAY_MS) * DAY_MS : 0;
      const to = extent ? Math.ceil(extent.end / DAY_MS) * DAY_MS : 0;
      const total = Math.max(1, Math.ceil((to - from) / CHUNK_MS));
      for (let i = 0; i < total; i += 1) {
        // Let other work run between chunks: SQLite's driver is synchronous, so a
        // run that never yields would hold the event loop until it ends.
        await new Promise((resolve) => setImmediate(resolve));
        const start = from + i * CHUNK_MS;
        // A false answer: the rules changed; the loop starts over with them.
        if (!(await chunk(userId, state.version, start, Math.min(to, start + CHUNK_MS), i + 1, total))) break;
      }
    }
  }

  function schedule(userId: string): void {
    if (running.has(userId)) {
      again.add(userId);
      return;
    }
    const job = run(userId)
      .catch((error: unknown) => deps.warn('re-categorisation failed', error))
      .finally(() => {
        running.delete(userId);
        // Asked again while finishing: the run may have read the state before the change.
        if (again.delete(userId)) schedule(userId);
      });
    running.set(userId, job);
  }

  return {
    schedule,
    async resume() {
      const people = await store.categories.behind();
      for (const userId of people) schedule(userId);
      return people.length;
    },
    async status(userId) {
      const state = await store.categories.categorisation(userId);
      if (state === null) return { state: 'current', version: 0, categorisedVersion: 0, done: null, total: null };
      const behind = state.categorisedVersion < state.version;
      return {
        state: behind ? 'running' : 'current',
        version: state.version,
        categorisedVersion: state.categorisedVersion,
        done: behind ? state.done : null,
        total: behind ? state.total : null,
      };
    },
    async idle(userId) {
      while (running.has(userId)) await running.get(userId);
    },
  };
}
