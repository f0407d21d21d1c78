/** The trend report: active time and pulse per day, week or month of a range, from the level rollups. */
import { periodRanges, type PeriodBucket, type WeekStart } from '@sundial/core';
import type { Store } from '@sundial/store';
import { LevelTotals, type LevelSeconds } from './levels.js';
import { seconds, type ReportRange } from './range.js';

export interface TrendPoint {
  readonly period: string;
  readonly from: string;
  readonly to: string;
  readonly activeSeconds: number;
  readonly pulse: number | null;
  readonly byProductivity: LevelSeconds;
}

export async function trendReport(
  store: Store,
  userId: string,
  range: ReportRange,
  bucket: PeriodBucket,
  weekStart: WeekStart,
): Promise<TrendPoint[]> {
  const periods = periodRanges(range.from, range.to, range.tz, bucket, weekStart);
  const totals = periods.map(() => new LevelTotals());
  for (const sum of await store.events.rollupSumsByRange(userId, 'level', periods)) {
    totals[sum.range]?.add(sum.key, sum.ms);
  }
  return periods.map((p, i) => {
    const t = totals[i] as LevelTotals;
    return {
      period: p.label,
      from: p.from,
      to: p.to,
      activeSeconds: seconds(t.totalMs),
      pulse: t.pulse(),
      byProductivity: t.seconds(),
    };
  });
}
