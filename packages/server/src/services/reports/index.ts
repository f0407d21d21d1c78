/**
 * Reports: parse and check the range → read rollups (or, for the timeline,
 * events) → shape, naming categories and apps with the person's current rules.
 */
import type { PeriodBucket, WeekStart } from '@sundial/core';
import type { Store } from '@sundial/store';
import type { Recategoriser } from '../activity/recategorise.js';
import type { CategoriesService } from '../categories.js';
import type { NamesDictionary } from '../names-dictionary.js';
import { analyticData, type AnalyticData, type Perspective, type Resolution, type RestrictKind } from './analytic.js';
import type { ReportRange } from './range.js';
import { summaryReport, type Summary } from './summary.js';
import { timelineReport, type Timeline } from './timeline.js';
import { trendReport, type TrendPoint } from './trend.js';

export { reportRange, type ReportRange } from './range.js';
export { analyticCsv, type AnalyticData, type Perspective, type Resolution, type RestrictKind } from './analytic.js';

export interface Reports {
  summary(userId: string, range: ReportRange, limit: number): Promise<Summary & { recategorising: boolean }>;
  trend(userId: string, range: ReportRange, bucket: PeriodBucket, weekStart: WeekStart): Promise<TrendPoint[]>;
  timeline(userId: string, day: ReportRange): Promise<Timeline>;
  analytic(
    userId: string,
    range: ReportRange,
    query: { perspective: Perspective; resolution: Resolution; kind: RestrictKind },
  ): Promise<AnalyticData>;
}

export function reportsService(deps: {
  store: Store;
  names: NamesDictionary;
  categories: CategoriesService;
  recategoriser: Recategoriser;
}): Reports {
  return {
    async summary(userId, range, limit) {
      const [rules, status] = await Promise.all([deps.categories.compiled(userId), deps.recategoriser.status(userId)]);
      return {
        ...(await summaryReport(deps, rules, userId, range, limit)),
        recategorising: status.state === 'running',
      };
    },
    trend: (userId, range, bucket, weekStart) => trendReport(deps.store, userId, range, bucket, weekStart),
    async timeline(userId, day) {
      const only = day.days[0];
      if (!only) return { blocks: [], away: [], hours: [] };
      return timelineReport(deps, await deps.categories.compiled(userId), userId, only, day.tz);
    },
    async analytic(userId, range, query) {
      return analyticData(deps, await deps.categories.compiled(userId), userId, range, query);
    },
  };
}

export type { Summary, Timeline, TrendPoint };
