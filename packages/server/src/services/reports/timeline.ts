/**
 * The day timeline: what was on screen, block by block, with away periods,
 * and totals per local hour. Blocks come from the events (window time minus
 * away, a browser's time by site — the same segments the rollups count);
 * hour totals from the level rollups, so they agree with the summary.
 */
import {
  activityOf,
  formatIsoTimestamp,
  mergeRanges,
  windowSegments,
  type DayRange,
  type ProductivityLevel,
  type Range,
  type RollupSource,
} from '@sundial/core';
import { isBrowserApp } from '@sundial/core';
import type { Store } from '@sundial/store';
import type { CompiledRules } from '../categories.js';
import type { NamesDictionary } from '../names-dictionary.js';
import { rollupSource } from '../activity/writer.js';
import { LevelTotals, type LevelSeconds } from './levels.js';
import { rangeIndex, seconds } from './range.js';

export interface TimelineBlock {
  readonly start: string;
  readonly end: string;
  readonly seconds: number;
  readonly device: string;
  readonly app: string;
  /** Null when the privacy detail level kept no title. */
  readonly title: string | null;
  readonly domain: string | null;
  readonly category: { id: string; name: string } | null;
  readonly level: ProductivityLevel;
}

export interface Timeline {
  readonly blocks: TimelineBlock[];
  readonly away: { start: string; end: string; seconds: number; device: string }[];
  readonly hours: { start: string; label: string; activeSeconds: number; byProductivity: LevelSeconds }[];
}

/** Longest timeline answered block by block; past it, the tail is summarised by the hour totals only. */
export const MAX_BLOCKS = 5_000;

interface Block {
  start: number;
  end: number;
  device: string;
  appId: number;
  titleId: number | null;
  domainId: number | null;
  urlId: number | null;
}

export async function timelineReport(
  deps: { store: Store; names: NamesDictionary },
  rules: CompiledRules,
  userId: string,
  day: DayRange,
  tz: string,
): Promise<Timeline> {
  const { store, names } = deps;
  const [rows, levelCells] = await Promise.all([
    store.events.overlappingAll(userId, day.start, day.end),
    store.events.rollups(userId, 'level', day.start, day.end),
  ]);
  const ids = new Set<number>();
  for (const r of rows) for (const id of [r.appId, r.titleId, r.domainId, r.urlId]) if (id !== null) ids.add(id);
  const resolved = await names.resolve(userId, [...ids]);
  const name = (id: number | null) => (id === null ? null : (resolved.get(id)?.value ?? null));

  const byDevice = new Map<string, RollupSource[]>();
  for (const r of rows) {
    const list = byDevice.get(r.deviceId);
    if (list) list.push(rollupSource(r));
    else byDevice.set(r.deviceId, [rollupSource(r)]);
  }

  const merged: Block[] = [];
  const away: { device: string; range: Range }[] = [];
  for (const [device, events] of byDevice) {
    const pieces: Block[] = [];
    for (const s of windowSegments(events, [day], (appId) => isBrowserApp(name(appId) ?? ''))) {
      pieces.push({ start: s.start, end: s.end, device, ...activityOf(s.window, s.site) });
    }
    // Adjacent pieces of the same activity on this device read as one block (other devices' blocks may lie between).
    pieces.sort((a, b) => a.start - b.start || a.end - b.end);
    let last: Block | undefined;
    for (const b of pieces) {
      if (last && last.end === b.start && sameActivity(last, b)) last.end = b.end;
      else {
        last = { ...b };
        merged.push(last);
      }
    }
    const afk = mergeRanges(events.filter((e) => e.kind === 'away' && e.away));
    for (const r of afk) {
      const range = { start: Math.max(r.start, day.start), end: Math.min(r.end, day.end) };
      if (range.end > range.start) away.push({ device, range });
    }
  }
  merged.sort((a, b) => a.start - b.start || a.device.localeCompare(b.device) || a.end - b.end);

  const byId = new Map(rules.categories.map((c) => [c.id, c]));
  const view = (b: Block): TimelineBlock => {
    const input = { app: name(b.appId), title: name(b.titleId), domain: name(b.domainId), url: name(b.urlId) };
    const present = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null)) as Record<string, string>;
    const verdict = rules.categoriser.categorise(present);
    const category = verdict.categoryId === null ? undefined : byId.get(verdict.categoryId);
    return {
      start: formatIsoTimestamp(b.start),
      end: formatIsoTimestamp(b.end),
      seconds: seconds(b.end - b.start),
      device: b.device,
      app: input.app ?? '',
      title: input.title,
      domain: input.domain,
      category: category ? { id: category.id, name: category.name } : null,
      level: verdict.level,
    };
  };

  return {
    blocks: merged.slice(0, MAX_BLOCKS).map(view),
    away: away
      .sort((a, b) => a.range.start - b.range.start || a.device.localeCompare(b.device))
      .map(({ device, range }) => ({
        start: formatIsoTimestamp(range.start),
        end: formatIsoTimestamp(range.end),
        seconds: seconds(range.end - range.start),
        device,
      })),
    hours: hourTotals(day, tz, levelCells),
  };
}

function sameActivity(a: Block, b: Block): boolean {
  return a.appId === b.appId && a.titleId === b.titleId && a.domainId === b.domainId && a.urlId === b.urlId;
}

const HOUR_MS = 3_600_000;

/** Totals per hour of the local day: 23 or 25 of them on daylight-saving days. */
function hourTotals(day: DayRange, tz: string, cells: readonly { slot: number; key: number; ms: number }[]) {
  const hours: { start: number; end: number }[] = [];
  for (let start = day.start; start < day.end; start += HOUR_MS) {
    hours.push({ start, end: Math.min(day.end, start + HOUR_MS) });
  }
  const totals = hours.map(() => new LevelTotals());
  for (const cell of cells) totals[rangeIndex(hours, cell.slot)]?.add(cell.key, cell.ms);
  const clock = new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return hours.map((h, i) => ({
    start: formatIsoTimestamp(h.start),
    label: clock.format(h.start),
    activeSeconds: seconds((totals[i] as LevelTotals).totalMs),
    byProductivity: (totals[i] as LevelTotals).seconds(),
  }));
}
