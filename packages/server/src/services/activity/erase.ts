/**
 * Erasing activity: everything, one app, one site, or a time range; and the
 * retention job, which is a range erase of everything older than the
 * person's retention period. Events that straddle a range edge are cut at
 * the edge, so exactly the asked-for time disappears. Rollups move with the
 * events (through the writer); names no longer used by any event are
 * deleted from the dictionary.
 */
import { randomBytes } from 'node:crypto';
import { normaliseDomain, rollupSlot, uuidv7 } from '@sundial/core';
import type { EventRow, NewEventRow, Store } from '@sundial/store';
import type { NamesDictionary } from '../names-dictionary.js';
import type { Ingest } from './ingest.js';
import type { ActivityWriter, Change } from './writer.js';

export type EraseSelector =
  | { readonly all: true }
  | { readonly app: string }
  | { readonly domain: string }
  | { readonly from: number; readonly to: number };

export interface Eraser {
  /** Erases and answers how many events were removed or cut. */
  erase(userId: string, selector: EraseSelector): Promise<number>;
  /** Deletes these events of the person (rollups follow). */
  remove(userId: string, rows: readonly EventRow[]): Promise<void>;
  /** Applies every person's retention period; answers the number of events removed or cut. */
  applyRetention(): Promise<number>;
}

const DAY_MS = 86_400_000;

/** The changes that remove [from, to) from the rows. */
function cutChanges(rows: readonly EventRow[], from: number, to: number, newUid: () => string): Change[] {
  const changes: Change[] = [];
  for (const row of rows) {
    const inside = row.start === row.end ? row.start >= from && row.start < to : row.start < to && row.end > from;
    if (!inside) continue;
    const left = row.start < from;
    const right = row.end > to;
    if (!left && !right) changes.push({ before: row, after: null });
    else if (left && !right) changes.push({ before: row, after: { ...row, end: from } });
    else if (!left && right) changes.push({ before: row, after: { ...row, start: to } });
    else {
      const { seq: _seq, ...fields } = row;
      const tail: NewEventRow = { ...fields, uid: newUid(), start: to };
      changes.push({ before: row, after: { ...row, end: from } }, { before: null, after: tail });
    }
  }
  return changes;
}

export function eraser(deps: {
  store: Store;
  names: NamesDictionary;
  writer: ActivityWriter;
  ingest: Ingest;
  now: () => number;
}): Eraser {
  const { store, writer, now } = deps;
  const newUid = () => uuidv7(now(), randomBytes(10));

  async function applyByDevice(userId: string, changes: readonly Change[]): Promise<void> {
    const byDevice = new Map<string, Change[]>();
    for (const change of changes) {
      const device = (change.before ?? change.after)?.deviceId as string;
      byDevice.set(device, [...(byDevice.get(device) ?? []), change]);
    }
    for (const [deviceId, group] of byDevice) {
      await writer.serial(userId, deviceId, () => writer.apply(userId, deviceId, group, { refresh: true }));
    }
  }

  async function finish(userId: string): Promise<void> {
    deps.ingest.invalidate(userId);
    await store.events.pruneNames(userId);
    deps.names.forget(userId);
  }

  async function eraseRange(userId: string, from: number, to: number): Promise<number> {
    const rows = await store.events.list(userId, { from, to });
    const changes = cutChanges(rows, from, to, newUid);
    await applyByDevice(userId, changes);
    return changes.filter((c) => c.before).length;
  }

  return {
    async erase(userId, selector) {
      let count: number;
      if ('all' in selector) {
        count = await store.events.deleteAll(userId);
        await store.names.deleteAll(userId);
      } else if ('from' in selector) {
        count = await eraseRange(userId, selector.from, selector.to);
      } else {
        const id =
          'app' in selector
            ? await deps.names.find(userId, 'app', selector.app)
            : await deps.names.find(userId, 'domain', normaliseDomain(selector.domain.trim().toLowerCase()));
        const rows =
          id === null ? [] : await store.events.matching(userId, 'app' in selector ? { appId: id } : { domainId: id });
        await applyByDevice(
          userId,
          rows.map((row) => ({ before: row, after: null })),
        );
        count = rows.length;
      }
      await finish(userId);
      return count;
    },

    async remove(userId, rows) {
      await applyByDevice(
        userId,
        rows.map((row) => ({ before: row, after: null })),
      );
      await finish(userId);
    },

    async applyRetention() {
      let total = 0;
      for (const { userId, days } of await store.activitySettings.retention()) {
        // Slot-aligned, so no rollup slot is left half-counted.
        const cutoff = rollupSlot(now() - days * DAY_MS);
        const straddling = (await store.events.list(userId, { from: cutoff, to: cutoff })).filter(
          (r) => r.start < cutoff && r.end > cutoff,
        );
        await applyByDevice(userId, cutChanges(straddling, 0, cutoff, newUid));
        total += straddling.length + (await store.events.deleteBefore(userId, cutoff));
        await finish(userId);
      }
      return total;
    },
  };
}
