/**
 * Shared by the report suites: the report calls through HTTP, and a
 * reference implementation of the reports computed from the raw events read
 * back (activity/support.ts's rawEvents) and the person's categoriser —
 * nothing shared with services/reports or core/rollup.ts or core/calendar.ts.
 *
 * The reference cuts each device's time line at every event edge and every
 * 15-minute UTC slot edge. An elementary piece an `afk` away event of the
 * device covers is away time; otherwise it counts once for every window
 * event covering it (app, category, level: by the site the browser showed,
 * if a web event of the device covers it) and for every web event covering it
 * (domain). A piece belongs to the local date its start reads in the zone
 * (local days start on slot edges in every zone used here).
 */
import { isBrowserApp } from '@sundial/core';
import type { TestApp } from '../helpers.js';
import { withBearer } from '../accounts/support.js';
import { rawEvents, siteAt } from '../activity/support.js';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
const SLOT = 15 * MINUTE;

// ---------------------------------------------------------------- wire shapes

export type LevelSeconds = Record<'-2' | '-1' | '0' | '1' | '2', number>;

export interface SummaryView {
  range: { from: string; to: string; start: string; end: string };
  tz: string;
  activeSeconds: number;
  awaySeconds: number;
  pulse: number | null;
  byProductivity: LevelSeconds;
  byCategory: { id: string | null; name: string; path: string[]; level: number; seconds: number }[];
  byApp: NamedView[];
  byDomain: NamedView[];
  byDay: { date: string; activeSeconds: number; pulse: number | null }[];
  recategorising: boolean;
}

export interface NamedView {
  name: string;
  category: { id: string; name: string } | null;
  level: number;
  seconds: number;
}

export interface TrendView {
  tz: string;
  bucket: string;
  series: {
    period: string;
    from: string;
    to: string;
    activeSeconds: number;
    pulse: number | null;
    byProductivity: LevelSeconds;
  }[];
}

export interface TimelineView {
  date: string;
  tz: string;
  blocks: {
    start: string;
    end: string;
    seconds: number;
    device: string;
    app: string;
    title: string | null;
    domain: string | null;
    category: { id: string; name: string } | null;
    level: number;
  }[];
  away: { start: string; end: string; seconds: number; device: string }[];
  hours: { start: string; label: string; activeSeconds: number; byProductivity: LevelSeconds }[];
}

export interface AnalyticView {
  notes: string;
  row_headers: string[];
  rows: (string | number)[][];
}

export function query(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined);
  return new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString();
}

/** GET a report with a bearer token; answers the raw reply. */
export function getReport(
  t: TestApp,
  token: string,
  path: string,
  params: Record<string, string | number | undefined>,
) {
  return t.app.inject({ method: 'GET', url: `${path}?${query(params)}`, ...withBearer(token) });
}

async function must<T>(t: TestApp, token: string, path: string, params: Record<string, string | number | undefined>) {
  const res = await getReport(t, token, path, params);
  if (res.statusCode !== 200) throw new Error(`GET ${path} answered ${res.statusCode}: ${res.body}`);
  return res.json<T>();
}

export const summary = (t: TestApp, token: string, params: Record<string, string | number | undefined>) =>
  must<SummaryView>(t, token, '/api/v1/reports/summary', params);
export const trend = (t: TestApp, token: string, params: Record<string, string | number | undefined>) =>
  must<TrendView>(t, token, '/api/v1/reports/trend', params);
export const timeline = (t: TestApp, token: string, params: Record<string, string | number | undefined>) =>
  must<TimelineView>(t, token, '/api/v1/reports/timeline', params);
export const analytic = (t: TestApp, token: string, params: Record<string, string | number | undefined>) =>
  must<AnalyticView>(t, token, '/api/v1/analytic-data', params);

// ---------------------------------------------------------- local calendar

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** YYYY-MM-DD as the wall clock reads in `tz` at `ms` (Intl only). */
export function wallDate(ms: number, tz: string): string {
  let f = dateFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(tz, f);
  }
  const parts = Object.fromEntries(f.formatToParts(ms).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

const civil = (date: string): number => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / DAY;
};
const dateOf = (days: number): string => new Date(days * DAY).toISOString().slice(0, 10);

/** The dates from `from` to `to`, inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = civil(from); d <= civil(to); d += 1) out.push(dateOf(d));
  return out;
}

export const addDays = (date: string, n: number): string => dateOf(civil(date) + n);

/** The label of the period holding `date`: itself, its week's first day (weekStart 1 = Monday … 7 = Sunday), or YYYY-MM. */
export function periodLabel(date: string, bucket: 'day' | 'week' | 'month', weekStart = 1): string {
  if (bucket === 'day') return date;
  if (bucket === 'month') return date.slice(0, 7);
  const days = civil(date);
  const isoWeekday = ((new Date(days * DAY).getUTCDay() + 6) % 7) + 1;
  return dateOf(days - ((isoWeekday - weekStart + 7) % 7));
}

// --------------------------------------------------------------- reference

export interface Piece {
  readonly device: string;
  readonly start: number;
  readonly ms: number;
}

export interface ActivePiece extends Piece {
  readonly appId: number;
  readonly app: string;
  readonly categoryId: string | null;
  readonly level: number;
}

export interface DomainPiece extends Piece {
  readonly domainId: number;
  readonly domain: string;
}

export interface Reference {
  readonly active: ActivePiece[];
  readonly away: Piece[];
  readonly domains: DomainPiece[];
  /** The categoriser's verdict for an app alone (byApp's category and level). */
  appVerdict(app: string): { categoryId: string | null; level: number };
  domainVerdict(domain: string): { categoryId: string | null; level: number };
}

export async function reference(t: TestApp, userId: string): Promise<Reference> {
  const events = await rawEvents(t, userId);
  const ids = new Set<number>();
  for (const e of events) for (const id of [e.appId, e.titleId, e.domainId, e.urlId]) if (id !== null) ids.add(id);
  const names = await t.services.names.resolve(userId, [...ids]);
  const categoriser = await t.services.categories.categoriser(userId);
  const value = (id: number | null) => (id === null ? undefined : names.get(id)?.value);
  const verdict = (input: Record<string, string | undefined>) => {
    const present = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    const v = categoriser.categorise(present);
    return { categoryId: v.categoryId, level: v.level };
  };

  const active: ActivePiece[] = [];
  const away: Piece[] = [];
  const domains: DomainPiece[] = [];
  for (const device of new Set(events.map((e) => e.deviceId))) {
    const mine = events.filter((e) => e.deviceId === device && e.end > e.start);
    const afk = mine.filter((e) => e.kind === 'away' && e.away === true);
    const webs = mine.filter((e) => e.kind === 'web');
    const windows = mine.filter((e) => e.kind === 'window' && e.appId !== null);
    if (mine.length === 0) continue;
    const points = new Set<number>();
    for (const e of mine) {
      points.add(e.start);
      points.add(e.end);
    }
    const lo = Math.min(...mine.map((e) => e.start));
    const hi = Math.max(...mine.map((e) => e.end));
    for (let s = Math.ceil(lo / SLOT) * SLOT; s < hi; s += SLOT) points.add(s);
    const cuts = [...points].sort((a, b) => a - b);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const a = cuts[i] as number;
      const b = cuts[i + 1] as number;
      const mid = (a + b) / 2;
      const piece = { device, start: a, ms: b - a };
      if (afk.some((e) => e.start <= mid && mid < e.end)) {
        away.push(piece);
        continue;
      }
      for (const e of webs) {
        if (e.domainId !== null && e.start <= mid && mid < e.end) {
          domains.push({ ...piece, domainId: e.domainId, domain: value(e.domainId) ?? '' });
        }
      }
      for (const w of windows) {
        if (!(w.start <= mid && mid < w.end)) continue;
        const app = value(w.appId) ?? '';
        const site = isBrowserApp(app) ? siteAt(webs, mid) : null;
        const v = site
          ? verdict({
              app,
              title: value(site.titleId ?? w.titleId),
              domain: value(site.domainId),
              url: value(site.urlId),
            })
          : verdict({ app, title: value(w.titleId) });
        active.push({ ...piece, appId: w.appId as number, app, ...v });
      }
    }
  }
  return {
    active,
    away,
    domains,
    appVerdict: (app) => verdict({ app }),
    domainVerdict: (domain) => verdict({ domain }),
  };
}

const LEVELS = [-2, -1, 0, 1, 2] as const;
const round = (ms: number) => Math.round(ms / 1000);

/** Whole seconds per level (each rounded from its ms sum) and the pulse they give. */
export function levelSeconds(msByLevel: ReadonlyMap<number, number>): {
  byProductivity: LevelSeconds;
  pulse: number | null;
} {
  const byProductivity = { '-2': 0, '-1': 0, '0': 0, '1': 0, '2': 0 } as LevelSeconds;
  let weighted = 0;
  let total = 0;
  for (const level of LEVELS) {
    const s = round(msByLevel.get(level) ?? 0);
    byProductivity[String(level) as keyof LevelSeconds] = s;
    weighted += (level + 2) * s;
    total += s;
  }
  return { byProductivity, pulse: total === 0 ? null : Math.round((100 * weighted) / (4 * total)) };
}

function addTo<K>(map: Map<K, number>, key: K, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

export interface ExpectedSummary {
  activeSeconds: number;
  awaySeconds: number;
  pulse: number | null;
  byProductivity: LevelSeconds;
  byDay: { date: string; activeSeconds: number; pulse: number | null }[];
  byCategory: { id: string | null; seconds: number }[];
  byApp: { name: string; category: string | null; level: number; seconds: number }[];
  byDomain: { name: string; category: string | null; level: number; seconds: number }[];
}

/** The summary of the local dates from–to in tz, computed from the reference pieces. */
export function expectedSummary(ref: Reference, from: string, to: string, tz: string): ExpectedSummary {
  const inRange = (p: Piece) => {
    const d = wallDate(p.start, tz);
    return from <= d && d <= to;
  };
  const levels = new Map<number, number>();
  const dayLevels = new Map<string, Map<number, number>>();
  const categories = new Map<string | null, number>();
  const apps = new Map<number, { name: string; ms: number }>();
  let activeMs = 0;
  for (const p of ref.active.filter(inRange)) {
    activeMs += p.ms;
    addTo(levels, p.level, p.ms);
    const date = wallDate(p.start, tz);
    const day = dayLevels.get(date) ?? new Map<number, number>();
    addTo(day, p.level, p.ms);
    dayLevels.set(date, day);
    addTo(categories, p.categoryId, p.ms);
    const app = apps.get(p.appId) ?? { name: p.app, ms: 0 };
    app.ms += p.ms;
    apps.set(p.appId, app);
  }
  const domains = new Map<number, { name: string; ms: number }>();
  for (const p of ref.domains.filter(inRange)) {
    const d = domains.get(p.domainId) ?? { name: p.domain, ms: 0 };
    d.ms += p.ms;
    domains.set(p.domainId, d);
  }
  const awayMs = ref.away.filter(inRange).reduce((sum, p) => sum + p.ms, 0);
  const { byProductivity, pulse } = levelSeconds(levels);
  const named = (map: Map<number, { name: string; ms: number }>, verdict: Reference['appVerdict']) =>
    [...map.entries()]
      .filter(([, v]) => v.ms > 0)
      .sort(([ka, a], [kb, b]) => b.ms - a.ms || ka - kb)
      .map(([, v]) => {
        const { categoryId, level } = verdict(v.name);
        return { name: v.name, category: categoryId, level, seconds: round(v.ms) };
      });
  return {
    activeSeconds: round(activeMs),
    awaySeconds: round(awayMs),
    pulse,
    byProductivity,
    byDay: datesBetween(from, to).map((date) => {
      const day = dayLevels.get(date) ?? new Map<number, number>();
      let ms = 0;
      for (const v of day.values()) ms += v;
      return { date, activeSeconds: round(ms), pulse: levelSeconds(day).pulse };
    }),
    byCategory: [...categories.entries()]
      .filter(([, ms]) => ms > 0)
      .sort(([ia, a], [ib, b]) => b - a || (ia ?? '').localeCompare(ib ?? ''))
      .map(([id, ms]) => ({ id, seconds: round(ms) })),
    byApp: named(apps, ref.appVerdict),
    byDomain: named(domains, ref.domainVerdict),
  };
}

/** The summary as the reference's shape, for comparing. */
export function summaryShape(s: SummaryView): ExpectedSummary {
  const named = (list: NamedView[]) =>
    list.map((n) => ({ name: n.name, category: n.category?.id ?? null, level: n.level, seconds: n.seconds }));
  return {
    activeSeconds: s.activeSeconds,
    awaySeconds: s.awaySeconds,
    pulse: s.pulse,
    byProductivity: s.byProductivity,
    byDay: s.byDay,
    byCategory: s.byCategory.map((c) => ({ id: c.id, seconds: c.seconds })),
    byApp: named(s.byApp),
    byDomain: named(s.byDomain),
  };
}

/** The trend series of the local dates from–to in tz. */
export function expectedTrend(
  ref: Reference,
  from: string,
  to: string,
  tz: string,
  bucket: 'day' | 'week' | 'month',
  weekStart = 1,
): TrendView['series'] {
  const periods: { period: string; from: string; to: string; levels: Map<number, number> }[] = [];
  for (const date of datesBetween(from, to)) {
    const label = periodLabel(date, bucket, weekStart);
    const last = periods[periods.length - 1];
    if (last && last.period === label) last.to = date;
    else periods.push({ period: label, from: date, to: date, levels: new Map() });
  }
  for (const p of ref.active) {
    const date = wallDate(p.start, tz);
    if (date < from || date > to) continue;
    const label = periodLabel(date, bucket, weekStart);
    const period = periods.find((q) => q.period === label) as (typeof periods)[number];
    addTo(period.levels, p.level, p.ms);
  }
  return periods.map(({ levels, ...rest }) => {
    let ms = 0;
    for (const v of levels.values()) ms += v;
    return { ...rest, activeSeconds: round(ms), ...levelSeconds(levels) };
  });
}

/** The first instant (on a slot edge) whose wall clock in tz reads `date` or later. */
export function localDayStart(date: string, tz: string): number {
  let t = civil(date) * DAY - 18 * HOUR;
  while (wallDate(t, tz) < date) t += SLOT;
  return t;
}

const clocks = new Map<string, Intl.DateTimeFormat>();
function wallClock(ms: number, tz: string): string {
  let f = clocks.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    clocks.set(tz, f);
  }
  return f.format(ms);
}

export interface ExpectedTimeline {
  hours: TimelineView['hours'];
  away: TimelineView['away'];
}

/** The timeline's hours (from the day's start, 23 or 25 of them on DST days) and away periods (merged per device). */
export function expectedTimeline(ref: Reference, date: string, tz: string): ExpectedTimeline {
  const start = localDayStart(date, tz);
  const end = localDayStart(addDays(date, 1), tz);
  const count = Math.ceil((end - start) / HOUR);
  const levels = Array.from({ length: count }, () => new Map<number, number>());
  for (const p of ref.active) {
    if (p.start < start || p.start >= end) continue;
    addTo(levels[Math.floor((p.start - start) / HOUR)] as Map<number, number>, p.level, p.ms);
  }
  const hours = levels.map((m, i) => {
    const at = start + i * HOUR;
    let ms = 0;
    for (const v of m.values()) ms += v;
    return {
      start: new Date(at).toISOString(),
      label: wallClock(at, tz),
      activeSeconds: round(ms),
      byProductivity: levelSeconds(m).byProductivity,
    };
  });
  const periods: { device: string; start: number; end: number }[] = [];
  const pieces = ref.away
    .filter((p) => p.start >= start && p.start < end)
    .sort((a, b) => a.device.localeCompare(b.device) || a.start - b.start);
  for (const p of pieces) {
    const last = periods[periods.length - 1];
    if (last && last.device === p.device && last.end === p.start) last.end = p.start + p.ms;
    else periods.push({ device: p.device, start: p.start, end: p.start + p.ms });
  }
  const away = periods
    .sort((a, b) => a.start - b.start || a.device.localeCompare(b.device))
    .map((p) => ({
      start: new Date(p.start).toISOString(),
      end: new Date(p.end).toISOString(),
      seconds: round(p.end - p.start),
      device: p.device,
    }));
  return { hours, away };
}
