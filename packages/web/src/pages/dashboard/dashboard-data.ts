/**
 * Everything the dashboard shows for a range, fetched at once: the summary,
 * the trend (several days) or the day's timeline (one day), and the
 * category colours. The trend's bucket grows with the range so a year
 * stays a readable chart.
 */
import { categoriesApi } from '../../api/categories';
import { reportsApi } from '../../api/reports';
import type { Summary, Timeline, Trend } from '../../api/types';
import { daysBetween } from '../../format/ranges';
import { UNCATEGORISED_COLOUR } from './category-donut';

export interface DashboardData {
  readonly summary: Summary;
  readonly trend: Trend | null;
  readonly timeline: Timeline | null;
  readonly colours: ReadonlyMap<string, string>;
}

/** Long enough for a drill-down into a category to list its apps. */
const TOP_LIMIT = 100;

export function bucketFor(from: string, to: string): 'day' | 'week' | 'month' {
  const days = daysBetween(from, to) + 1;
  if (days <= 92) return 'day';
  if (days <= 731) return 'week';
  return 'month';
}

export async function loadDashboard(
  range: { from: string; to: string; tz: string },
  signal: AbortSignal,
): Promise<DashboardData> {
  const single = range.from === range.to;
  const [summary, trend, timeline, categories] = await Promise.all([
    reportsApi.summary({ ...range, limit: TOP_LIMIT }, signal),
    single ? null : reportsApi.trend({ ...range, bucket: bucketFor(range.from, range.to) }, signal),
    single ? reportsApi.timeline({ date: range.from, tz: range.tz }, signal) : null,
    // Colours are decoration: the dashboard still works if they cannot be read.
    categoriesApi.list(signal).catch(() => ({ categories: [], customised: false })),
  ]);
  const colours = new Map(categories.categories.map((c) => [c.id, c.color]));
  return { summary, trend, timeline, colours };
}

export function colourFinder(colours: ReadonlyMap<string, string>): (id: string | null) => string {
  return (id) => (id === null ? UNCATEGORISED_COLOUR : (colours.get(id) ?? UNCATEGORISED_COLOUR));
}
