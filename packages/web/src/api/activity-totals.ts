/**
 * The apps and sites of a stretch of days with the category and time of
 * each, read from the summary report's top lists at their longest: what the
 * categories page lists as (un)categorised and what an erase would remove.
 */
import { addDays, browserTimeZone, localDate } from '../format/ranges';
import { reportsApi } from './reports';

export interface NamedActivity {
  readonly field: 'app' | 'domain';
  readonly name: string;
  readonly category: { readonly id: string; readonly name: string } | null;
  readonly level: number;
  readonly seconds: number;
}

export interface ActivityTotals {
  readonly items: NamedActivity[];
  readonly activeSeconds: number;
}

/** The longest range a report covers (docs/reports.md: 3 700 days). */
export const ALL_DAYS = 3700;
/** The top lists' longest. */
const LIMIT = 1000;

export async function activityTotals(days: number, signal?: AbortSignal): Promise<ActivityTotals> {
  const tz = browserTimeZone();
  const to = localDate(new Date(), tz);
  const summary = await reportsApi.summary({ from: addDays(to, 1 - days), to, tz, limit: LIMIT }, signal);
  const items = [
    ...summary.byApp.map((a) => ({ ...a, field: 'app' as const })),
    ...summary.byDomain.map((d) => ({ ...d, field: 'domain' as const })),
  ].sort((a, b) => b.seconds - a.seconds);
  return { items, activeSeconds: summary.activeSeconds };
}
