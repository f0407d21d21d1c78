/**
 * RescueTime's Analytic Data API shape, so existing tools and scripts can
 * read Sundial: `{notes, row_headers, rows}` ranked over the range or per
 * interval. Differences worth knowing (docs/reports.md): "activity" rows
 * are apps (site time is inside the browser's), "minute" resolution is our
 * 15-minute rollup slot, and "Number of People" is always 1.
 */
import { formatLocalDate, localDate, periodRanges, ROLLUP_SLOT_MS, type PeriodRange } from '@sundial/core';
import type { Store } from '@sundial/store';
import { csvCell } from '../../csv.js';
import type { CompiledRules } from '../categories.js';
import type { NamesDictionary } from '../names-dictionary.js';
import { categoryLabels } from './labels.js';
import { rangeIndex, seconds, type ReportRange } from './range.js';

export type Perspective = 'rank' | 'interval';
export type Resolution = 'month' | 'week' | 'day' | 'hour' | 'minute';
export type RestrictKind = 'overview' | 'category' | 'activity' | 'productivity';

export interface AnalyticData {
  readonly notes: string;
  readonly row_headers: string[];
  readonly rows: (string | number)[][];
}

const THING_HEADER: Record<RestrictKind, string[]> = {
  overview: ['Category'],
  category: ['Category'],
  activity: ['Activity', 'Category', 'Productivity'],
  productivity: ['Productivity'],
};

interface Period {
  readonly label: string;
  readonly start: number;
}

/**
 * The interval period holding a rollup slot (null outside the range), labelled
 * by its local start. Hour and minute periods are made only for slots with
 * time: a ten-year range has 350 000 quarter hours, nearly all of them empty.
 */
function periodFinder(range: ReportRange, resolution: Resolution): (slot: number) => Period | null {
  if (resolution === 'day' || resolution === 'week' || resolution === 'month') {
    const periods = periodRanges(range.from, range.to, range.tz, resolution).map((p: PeriodRange) => ({
      label: `${p.from}T00:00:00`,
      start: p.start,
      end: p.end,
    }));
    return (slot) => periods[rangeIndex(periods, slot)] ?? null;
  }
  const step = resolution === 'hour' ? 3_600_000 : ROLLUP_SLOT_MS;
  const clock = new Intl.DateTimeFormat('en-GB', {
    timeZone: range.tz,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const made = new Map<number, Period>();
  return (slot) => {
    const day = range.days[rangeIndex(range.days, slot)];
    if (day === undefined) return null;
    // Hours count from the start of the local day (23 or 25 of them on daylight-saving days).
    const start = day.start + Math.floor((slot - day.start) / step) * step;
    let period = made.get(start);
    if (period === undefined) {
      period = { label: `${formatLocalDate(localDate(start, range.tz))}T${clock.format(start)}`, start };
      made.set(start, period);
    }
    return period;
  };
}

const WHOLE_RANGE: Period = Object.freeze({ label: '', start: 0 });

/**
 * The rollup sums the rows are made of, as coarse as the question allows: the
 * whole range's totals for a ranking, per period for days, weeks and months
 * (both read the day tier for whole UTC days), 15-minute cells for hours and
 * minutes. Each sum carries a slot inside the period it belongs to.
 */
async function cellsFor(
  store: Store,
  userId: string,
  dimension: string,
  range: ReportRange,
  query: { perspective: Perspective; resolution: Resolution },
): Promise<{ slot: number; key: number; ms: number }[]> {
  if (query.perspective === 'rank') {
    const totals = await store.events.rollupTotals(userId, dimension, range.start, range.end);
    return totals.map((t) => ({ slot: range.start, ...t }));
  }
  if (query.resolution === 'hour' || query.resolution === 'minute') {
    return store.events.rollups(userId, dimension, range.start, range.end);
  }
  const periods = periodRanges(range.from, range.to, range.tz, query.resolution);
  const sums = await store.events.rollupSumsByRange(userId, dimension, periods);
  return sums.map((s) => ({ slot: (periods[s.range] as PeriodRange).start, key: s.key, ms: s.ms }));
}

export async function analyticData(
  deps: { store: Store; names: NamesDictionary },
  rules: CompiledRules,
  userId: string,
  range: ReportRange,
  query: { perspective: Perspective; resolution: Resolution; kind: RestrictKind },
): Promise<AnalyticData> {
  const { store, names } = deps;
  const dimension = query.kind === 'activity' ? 'app' : query.kind === 'productivity' ? 'level' : 'category';
  const cells = await cellsFor(store, userId, dimension, range, query);
  const periodOf = query.perspective === 'interval' ? periodFinder(range, query.resolution) : () => WHOLE_RANGE;

  // Rows are keyed by (period, thing): the thing is an app id, a level, or a category (top level for overview).
  const label = categoryLabels(rules.categories);
  const thingOf = (key: number): string => {
    if (query.kind === 'productivity' || query.kind === 'activity') return String(key);
    const l = label(key);
    return query.kind === 'overview' ? (l.path[0] ?? l.name) : l.name;
  };
  const sums = new Map<string, { period: Period; thing: string; ms: number }>();
  for (const cell of cells) {
    const period = periodOf(cell.slot);
    if (period === null) continue;
    const thing = thingOf(cell.key);
    const id = `${period.start}\u0000${thing}`;
    const entry = sums.get(id) ?? { period, thing, ms: 0 };
    entry.ms += cell.ms;
    sums.set(id, entry);
  }

  const appNames =
    query.kind === 'activity'
      ? await names.resolve(userId, [...new Set([...sums.values()].map((s) => Number(s.thing)))])
      : new Map();
  const thingColumns = (thing: string): (string | number)[] => {
    if (query.kind === 'productivity') return [Number(thing)];
    if (query.kind !== 'activity') return [thing];
    const app = appNames.get(Number(thing))?.value ?? '';
    const verdict = rules.categoriser.categorise({ app });
    const category = rules.categories.find((c) => c.id === verdict.categoryId);
    return [app, category?.name ?? 'Uncategorised', verdict.level];
  };

  const entries = [...sums.values()].filter((e) => e.ms > 0);
  const headers = ['Time Spent (seconds)', 'Number of People', ...THING_HEADER[query.kind]];
  if (query.perspective === 'rank') {
    entries.sort((a, b) => b.ms - a.ms || a.thing.localeCompare(b.thing));
    return {
      notes: 'data is an array of arrays (rows), column names for rows in row_headers',
      row_headers: ['Rank', ...headers],
      rows: entries.map((e, i) => [i + 1, seconds(e.ms), 1, ...thingColumns(e.thing)]),
    };
  }
  entries.sort((a, b) => a.period.start - b.period.start || b.ms - a.ms || a.thing.localeCompare(b.thing));
  return {
    notes: 'data is an array of arrays (rows), column names for rows in row_headers',
    row_headers: ['Date', ...headers],
    rows: entries.map((e) => [e.period.label, seconds(e.ms), 1, ...thingColumns(e.thing)]),
  };
}

/** The rows as CSV (RFC 4180); numbers as they are (−2 is a level, not a formula). */
export function analyticCsv(data: AnalyticData): string {
  const cell = (value: string | number) => (typeof value === 'number' ? String(value) : csvCell(value));
  return [data.row_headers, ...data.rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
