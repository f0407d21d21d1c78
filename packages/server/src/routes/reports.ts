/**
 * Reports (/api/v1/reports/*) and RescueTime's analytic data shape
 * (/api/v1/analytic-data): read with a token of the read scope or a session.
 * Without `tz` days are cut in UTC.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  AnalyticCsv,
  AnalyticQuery,
  AnalyticResponse,
  ERROR_RESPONSES,
  SummaryQuery,
  SummaryResponse,
  TimelineQuery,
  TimelineResponse,
  TrendQuery,
  TrendResponse,
} from '@sundial/contracts';
import { formatIsoTimestamp, type WeekStart } from '@sundial/core';
import { principalOf } from '../auth/authenticate.js';
import { analyticCsv, reportRange, type Reports } from '../services/reports/index.js';

const DEFAULT_ZONE = 'UTC';

export function reportRoutes(deps: { reports: Reports }): FastifyPluginAsync {
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    const errors = ERROR_RESPONSES;
    const tags = ['reports'];
    const { reports } = deps;

    app.get(
      '/api/v1/reports/summary',
      {
        config: { access: 'token:read' },
        schema: {
          tags,
          summary: 'Where the time of a range of days went: totals, pulse, categories, apps, sites, days',
          querystring: SummaryQuery,
          response: { 200: SummaryResponse, ...errors },
        },
      },
      async (request) => {
        const { from, to, tz = DEFAULT_ZONE, limit = 10 } = request.query;
        const range = reportRange(from, to, tz);
        const summary = await reports.summary(principalOf(request).userId, range, limit);
        return {
          range: { from, to, start: formatIsoTimestamp(range.start), end: formatIsoTimestamp(range.end) },
          tz,
          ...summary,
        };
      },
    );

    app.get(
      '/api/v1/reports/timeline',
      {
        config: { access: 'token:read' },
        schema: {
          tags,
          summary: "A day's activity block by block, away periods, and totals per hour",
          querystring: TimelineQuery,
          response: { 200: TimelineResponse, ...errors },
        },
      },
      async (request) => {
        const { date, tz = DEFAULT_ZONE } = request.query;
        const day = reportRange(date, date, tz, { from: 'date', to: 'date' });
        return { date, tz, ...(await reports.timeline(principalOf(request).userId, day)) };
      },
    );

    app.get(
      '/api/v1/reports/trend',
      {
        config: { access: 'token:read' },
        schema: {
          tags,
          summary: 'Active time and pulse per day, week or month',
          querystring: TrendQuery,
          response: { 200: TrendResponse, ...errors },
        },
      },
      async (request) => {
        const { from, to, tz = DEFAULT_ZONE, bucket = 'day', weekStart = 1 } = request.query;
        const range = reportRange(from, to, tz);
        const series = await reports.trend(principalOf(request).userId, range, bucket, weekStart as WeekStart);
        return { tz, bucket, series };
      },
    );

    app.get(
      '/api/v1/analytic-data',
      {
        config: { access: 'token:read' },
        schema: {
          tags,
          summary: "RescueTime's analytic data shape: ranked or per-interval rows, as JSON or CSV",
          querystring: AnalyticQuery,
          response: {
            200: {
              description: 'The rows: JSON by default, CSV with format=csv',
              content: {
                'application/json': { schema: AnalyticResponse },
                'text/csv': { schema: AnalyticCsv },
              },
            },
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const range = reportRange(q.restrict_begin, q.restrict_end, q.tz ?? DEFAULT_ZONE, {
          from: 'restrict_begin',
          to: 'restrict_end',
        });
        const data = await reports.analytic(principalOf(request).userId, range, {
          perspective: q.perspective ?? 'rank',
          resolution: q.resolution_time ?? 'hour',
          kind: q.restrict_kind ?? 'activity',
        });
        if (q.format === 'csv') return reply.type('text/csv; charset=utf-8').send(analyticCsv(data));
        return reply.type('application/json; charset=utf-8').send(data);
      },
    );
  };
}
