/** Reports on the wire (docs/reports.md): summary, timeline of a day, trend, RescueTime-style analytic data. */
import { api } from './client';
import type {
  Analytic,
  AnalyticQuery,
  Summary,
  SummaryQuery,
  Timeline,
  TimelineQuery,
  Trend,
  TrendQuery,
} from './types';

export const reportsApi = {
  summary: (query: SummaryQuery, signal?: AbortSignal) =>
    api.get<Summary>('/api/v1/reports/summary', { query, signal }),
  timeline: (query: TimelineQuery, signal?: AbortSignal) =>
    api.get<Timeline>('/api/v1/reports/timeline', { query, signal }),
  trend: (query: TrendQuery, signal?: AbortSignal) => api.get<Trend>('/api/v1/reports/trend', { query, signal }),
  analytic: (query: AnalyticQuery, signal?: AbortSignal) =>
    api.get<Analytic>('/api/v1/analytic-data', { query: { ...query, format: 'json' }, signal }),
};
