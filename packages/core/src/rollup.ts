/**
 * Rollups: active milliseconds per 15-minute UTC slot, dimension and name id.
 *
 * Active time is window (or site) time minus the device's away periods
 * (ARCHITECTURE.md, "Time tracking semantics"): a span counts unless an
 * `away` event of the same device says the person was away then. A device
 * without an away watcher therefore counts all its window time.
 *
 * Rollups are kept up to date by deltas: when events change, the caller
 * takes the time ranges the change touches (the old and new extents of the
 * changed events), computes the contributions of the device's events inside
 * those ranges before and after, and adds the difference. Any contribution
 * outside the touched ranges is unchanged by construction, so the stored sums
 * stay equal to a recomputation from raw events.
 */

import { ROLLUP_SLOT_MS, rollupSlot } from './time.js';

export type RollupDimension = 'app' | 'domain';

/** What the rollup arithmetic needs of an event (all of one device). */
export interface RollupSource {
  readonly start: number;
  readonly end: number;
  readonly kind: 'window' | 'web' | 'away' | 'other';
  /** For `away` events: true when the person was away (afk). */
  readonly away: boolean;
  readonly appId: number | null;
  readonly domainId: number | null;
}

export interface Range {
  readonly start: number;
  readonly end: number;
}

export interface RollupCell {
  readonly dimension: RollupDimension;
  readonly slot: number;
  readonly key: number;
  readonly ms: number;
}

/** Merges ranges into sorted, disjoint, non-empty ranges (touching ranges join). */
export function mergeRanges(ranges: readonly Range[]): Range[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ start: r.start, end: r.end });
  }
  return out;
}

/** The parts of `range` not covered by any of `holes` (sorted, disjoint). */
function subtract(range: Range, holes: readonly Range[]): Range[] {
  const out: Range[] = [];
  let cursor = range.start;
  for (const hole of holes) {
    if (hole.end <= cursor) continue;
    if (hole.start >= range.end) break;
    if (hole.start > cursor) out.push({ start: cursor, end: hole.start });
    cursor = Math.max(cursor, hole.end);
    if (cursor >= range.end) break;
  }
  if (cursor < range.end) out.push({ start: cursor, end: range.end });
  return out;
}

const cellKey = (dimension: RollupDimension, slot: number, key: number) => `${dimension}\u0000${slot}\u0000${key}`;

function addSpan(cells: Map<string, RollupCell>, dimension: RollupDimension, key: number, span: Range): void {
  let start = span.start;
  while (start < span.end) {
    const slot = rollupSlot(start);
    const stop = Math.min(span.end, slot + ROLLUP_SLOT_MS);
    const id = cellKey(dimension, slot, key);
    const ms = (cells.get(id)?.ms ?? 0) + (stop - start);
    cells.set(id, { dimension, slot, key, ms });
    start = stop;
  }
}

/**
 * The rollup contributions of one device's events that fall inside `ranges`.
 * The events must include every away event overlapping the ranges.
 */
export function rollupContributions(
  events: readonly RollupSource[],
  ranges: readonly Range[],
): Map<string, RollupCell> {
  const within = mergeRanges(ranges);
  const away = mergeRanges(events.filter((e) => e.kind === 'away' && e.away));
  const cells = new Map<string, RollupCell>();
  for (const e of events) {
    const dimension: RollupDimension | null =
      e.kind === 'window' && e.appId !== null ? 'app' : e.kind === 'web' && e.domainId !== null ? 'domain' : null;
    if (dimension === null || e.end <= e.start) continue;
    const key = dimension === 'app' ? (e.appId as number) : (e.domainId as number);
    for (const r of within) {
      if (r.end <= e.start) continue;
      if (r.start >= e.end) break;
      const clipped = { start: Math.max(r.start, e.start), end: Math.min(r.end, e.end) };
      for (const span of subtract(clipped, away)) addSpan(cells, dimension, key, span);
    }
  }
  return cells;
}

/** after − before, cell by cell, leaving out cells that did not change. */
export function rollupDelta(before: Map<string, RollupCell>, after: Map<string, RollupCell>): RollupCell[] {
  const out: RollupCell[] = [];
  for (const [id, cell] of after) {
    const ms = cell.ms - (before.get(id)?.ms ?? 0);
    if (ms !== 0) out.push({ ...cell, ms });
  }
  for (const [id, cell] of before) if (!after.has(id)) out.push({ ...cell, ms: -cell.ms });
  return out;
}
