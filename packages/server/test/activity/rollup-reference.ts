/**
 * The rollup reference of the activity tests: stored events read back
 * around the repositories, and an independent recomputation of rollups from
 * them (elementary-interval sweep, nothing shared with core/rollup.ts), with
 * the check that the stored rollups — both tiers — equal it.
 */
import { expect } from 'vitest';
import { categoryKey, isBrowserApp } from '@sundial/core';
import { raw } from '../accounts/support.js';
import type { TestApp } from '../helpers.js';

const SLOT = 15 * 60_000;
const DAY = 86_400_000;

/** A stored event row as the database holds it (read around the repositories). */
export interface RawEvent {
  seq: number;
  uid: string;
  deviceId: string;
  bucketId: string;
  kind: string;
  start: number;
  end: number;
  appId: number | null;
  titleId: number | null;
  domainId: number | null;
  urlId: number | null;
  away: boolean | null;
}

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export async function rawEvents(t: TestApp, userId: string): Promise<RawEvent[]> {
  const rows = await raw(t, (db) =>
    db.selectFrom('events').selectAll().where('user_id', '=', userId).orderBy('start_ms').orderBy('seq').execute(),
  );
  return rows.map((r) => ({
    seq: num(r.seq),
    uid: r.uid,
    deviceId: r.device_id,
    bucketId: r.bucket_id,
    kind: r.kind,
    start: num(r.start_ms),
    end: num(r.end_ms),
    appId: numOrNull(r.app_id),
    titleId: numOrNull(r.title_id),
    domainId: numOrNull(r.domain_id),
    urlId: numOrNull(r.url_id),
    away: r.away === null ? null : Number(r.away) === 1,
  }));
}

export interface Cell {
  dimension: string;
  slot: number;
  key: number;
  ms: number;
}

const byCell = (a: Cell, b: Cell) =>
  a.dimension.localeCompare(b.dimension) || a.slot - b.slot || a.key - b.key || a.ms - b.ms;

/** Every rollup dimension. */
export const ALL_DIMENSIONS = ['app', 'domain', 'category', 'level', 'away'] as const;

/** The stored rollups of a person, sorted: by default the name dimensions (app, domain) only. */
export async function storedRollups(
  t: TestApp,
  userId: string,
  dimensions: readonly string[] = ['app', 'domain'],
): Promise<Cell[]> {
  return (await t.store.events.allRollups(userId))
    .filter((c) => dimensions.includes(c.dimension))
    .map((c) => ({ ...c }))
    .sort(byCell);
}

export interface Classified {
  category: number;
  level: number;
}

/** How the reference classifies window time: resolved names through the person's categoriser. */
export interface ReferenceClassifier {
  isBrowser(appId: number): boolean;
  classify(appId: number, titleId: number | null, domainId: number | null, urlId: number | null): Classified;
}

export async function referenceClassifier(
  t: TestApp,
  userId: string,
  events: readonly RawEvent[],
): Promise<ReferenceClassifier> {
  const ids = new Set<number>();
  for (const e of events) for (const id of [e.appId, e.titleId, e.domainId, e.urlId]) if (id !== null) ids.add(id);
  const names = await t.services.names.resolve(userId, [...ids]);
  const categoriser = await t.services.categories.categoriser(userId);
  const value = (id: number | null) => (id === null ? undefined : names.get(id)?.value);
  return {
    isBrowser: (appId) => isBrowserApp(value(appId) ?? ''),
    classify(appId, titleId, domainId, urlId) {
      const input = { app: value(appId), title: value(titleId), domain: value(domainId), url: value(urlId) };
      const present = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
      const verdict = categoriser.categorise(present);
      return { category: verdict.categoryId === null ? 0 : categoryKey(verdict.categoryId), level: verdict.level };
    },
  };
}

/** The site a browser window shows at `mid`: the covering web event that started last (then a fixed order). */
export function siteAt(webs: readonly RawEvent[], mid: number): RawEvent | null {
  const rank = (e: RawEvent) => [e.start, e.end, e.domainId ?? -1, e.urlId ?? -1, e.titleId ?? -1];
  let best: RawEvent | null = null;
  for (const e of webs) {
    if (!(e.start <= mid && mid < e.end)) continue;
    if (best === null) {
      best = e;
      continue;
    }
    const [x, y] = [rank(e), rank(best)];
    const i = x.findIndex((v, k) => v !== y[k]);
    if (i !== -1 && (x[i] as number) > (y[i] as number)) best = e;
  }
  return best;
}

/**
 * Rollups recomputed from raw events, the slow obvious way: per device, cut
 * the time line at every event edge and every 15-minute slot edge. Each
 * elementary segment an `afk` away event of the device covers counts as
 * away; any other counts for every window event (app, and with a classifier
 * its category and level: by the site shown when the app is a browser) and
 * web event (domain) covering it.
 */
export function recomputeRollups(events: readonly RawEvent[], classifier?: ReferenceClassifier): Cell[] {
  const sums = new Map<string, Cell>();
  const add = (dimension: string, slot: number, key: number, ms: number) => {
    const id = `${dimension}/${slot}/${key}`;
    const cell = sums.get(id) ?? { dimension, slot, key, ms: 0 };
    cell.ms += ms;
    sums.set(id, cell);
  };
  const devices = new Set(events.map((e) => e.deviceId));
  for (const device of devices) {
    const mine = events.filter((e) => e.deviceId === device && e.end > e.start);
    const away = mine.filter((e) => e.kind === 'away' && e.away === true);
    const webs = mine.filter((e) => e.kind === 'web');
    const counted = mine.filter(
      (e) => (e.kind === 'window' && e.appId !== null) || (e.kind === 'web' && e.domainId !== null),
    );
    const timed = [...counted, ...away];
    if (timed.length === 0) continue;
    const points = new Set<number>();
    for (const e of mine) {
      points.add(e.start);
      points.add(e.end);
    }
    const lo = Math.min(...timed.map((e) => e.start));
    const hi = Math.max(...timed.map((e) => e.end));
    for (let s = Math.floor(lo / SLOT) * SLOT; s <= hi; s += SLOT) points.add(s);
    const cuts = [...points].sort((a, b) => a - b);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const a = cuts[i] as number;
      const b = cuts[i + 1] as number;
      const mid = (a + b) / 2;
      const slot = Math.floor(a / SLOT) * SLOT;
      if (away.some((e) => e.start <= mid && mid < e.end)) {
        add('away', slot, 0, b - a);
        continue;
      }
      for (const e of counted) {
        if (!(e.start <= mid && mid < e.end)) continue;
        if (e.kind === 'web') {
          add('domain', slot, e.domainId as number, b - a);
          continue;
        }
        const appId = e.appId as number;
        add('app', slot, appId, b - a);
        if (!classifier) continue;
        const site = classifier.isBrowser(appId) ? siteAt(webs, mid) : null;
        const { category, level } = site
          ? classifier.classify(appId, site.titleId ?? e.titleId, site.domainId, site.urlId)
          : classifier.classify(appId, e.titleId, null, null);
        add('category', slot, category, b - a);
        add('level', slot, level, b - a);
      }
    }
  }
  return [...sums.values()].filter((c) => c.ms !== 0).sort(byCell);
}

/** Stored rollups must equal the recomputation from the raw events read back. */
export async function expectRollupsConsistent(t: TestApp, userId: string): Promise<Cell[]> {
  const events = await rawEvents(t, userId);
  const expected = recomputeRollups(events, await referenceClassifier(t, userId, events));
  // The day tier ("<dimension>/day", UTC days) must add up to the slots.
  const days = new Map<string, Cell>();
  for (const c of expected) {
    const day = { dimension: `${c.dimension}/day`, slot: Math.floor(c.slot / DAY) * DAY, key: c.key };
    const id = `${day.dimension}/${day.slot}/${day.key}`;
    days.set(id, { ...day, ms: (days.get(id)?.ms ?? 0) + c.ms });
  }
  const expectedDays = [...days.values()].filter((c) => c.ms !== 0).sort(byCell);
  expect(
    await storedRollups(
      t,
      userId,
      ALL_DIMENSIONS.map((d) => `${d}/day`),
    ),
  ).toEqual(expectedDays);
  const stored = await storedRollups(t, userId, ALL_DIMENSIONS);
  expect(stored).toEqual(expected);
  return stored;
}

/** Sum of the stored rollups of one dimension and name. */
export async function rollupTotal(t: TestApp, userId: string, dimension: 'app' | 'domain', key: number | null) {
  if (key === null) return 0;
  return (await storedRollups(t, userId))
    .filter((c) => c.dimension === dimension && c.key === key)
    .reduce((sum, c) => sum + c.ms, 0);
}
