/**
 * The summary report: where the time of a range of local days went. Read
 * from rollups only (one grouped query per dimension, plus the level cells
 * for the per-day series), so a year costs about as much as a day.
 */
import type { Store } from '@sundial/store';
import type { CompiledRules } from '../categories.js';
import type { NamesDictionary } from '../names-dictionary.js';
import { categoryLabels, namedTotals, UNCATEGORISED_LABEL, type CategoryLabel } from './labels.js';
import { LevelTotals, type LevelSeconds } from './levels.js';
import { seconds, type ReportRange } from './range.js';

export interface Summary {
  readonly activeSeconds: number;
  readonly awaySeconds: number;
  readonly pulse: number | null;
  readonly byProductivity: LevelSeconds;
  readonly byCategory: (CategoryLabel & { seconds: number })[];
  readonly byApp: NamedSeconds[];
  readonly byDomain: NamedSeconds[];
  readonly byDay: { date: string; activeSeconds: number; pulse: number | null }[];
}

export interface NamedSeconds {
  readonly name: string;
  readonly category: { id: string; name: string } | null;
  readonly level: number;
  readonly seconds: number;
}

export async function summaryReport(
  deps: { store: Store; names: NamesDictionary },
  rules: CompiledRules,
  userId: string,
  range: ReportRange,
  limit: number,
): Promise<Summary> {
  const { store, names } = deps;
  const { start, end, days } = range;
  const [levelSums, categories, apps, domains, away] = await Promise.all([
    // Cut into days by the database: one row per day and level leaves it, not every 15-minute cell.
    store.events.rollupSumsByRange(userId, 'level', days),
    store.events.rollupTotals(userId, 'category', start, end),
    store.events.rollupTotals(userId, 'app', start, end),
    store.events.rollupTotals(userId, 'domain', start, end),
    store.events.rollupTotals(userId, 'away', start, end),
  ]);

  const total = new LevelTotals();
  const perDay = days.map(() => new LevelTotals());
  for (const sum of levelSums) {
    total.add(sum.key, sum.ms);
    perDay[sum.range]?.add(sum.key, sum.ms);
  }

  const label = categoryLabels(rules.categories);
  const byCategory = new Map<string | null, { label: CategoryLabel; ms: number }>();
  for (const { key, ms } of categories) {
    const l = label(key);
    const entry = byCategory.get(l.id) ?? { label: l, ms: 0 };
    entry.ms += ms;
    byCategory.set(l.id, entry);
  }
  const named = (list: Awaited<ReturnType<typeof namedTotals>>) =>
    list.map(({ ms, ...rest }) => ({ ...rest, seconds: seconds(ms) }));

  return {
    activeSeconds: seconds(total.totalMs),
    awaySeconds: seconds(away.reduce((sum, t) => sum + t.ms, 0)),
    pulse: total.pulse(),
    byProductivity: total.seconds(),
    byCategory: [...byCategory.values()]
      .filter((entry) => entry.ms > 0)
      .sort((a, b) => b.ms - a.ms || (a.label.id ?? '').localeCompare(b.label.id ?? ''))
      .slice(0, limit)
      .map((entry) => ({
        ...(entry.label.id === null ? UNCATEGORISED_LABEL : entry.label),
        seconds: seconds(entry.ms),
      })),
    byApp: named(await namedTotals(names, rules, userId, 'app', apps, limit)),
    byDomain: named(await namedTotals(names, rules, userId, 'domain', domains, limit)),
    byDay: days.map((day, i) => ({
      date: day.date,
      activeSeconds: seconds((perDay[i] as LevelTotals).totalMs),
      pulse: (perDay[i] as LevelTotals).pulse(),
    })),
  };
}
