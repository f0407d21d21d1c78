/**
 * POST /api/0/query/: runs a query2 program once per time period over the
 * caller's buckets and answers one result per period, events in wire form.
 * Programs are untrusted: the evaluator bounds their work, memory and wall
 * time (one deadline for the whole request), and a bad program is a 400
 * whose message points into it.
 */
import { AW_ERROR_RESPONSES, AwQueryBody, AwQueryParams, AwQueryResponse } from '@sundial/contracts';
import {
  DEFAULT_QUERY_LIMITS,
  parseIsoTimestamp,
  QueryError,
  runQuery,
  type QueryPeriod,
  type QuerySource,
} from '@sundial/core';
import { principalOf } from '../../auth/authenticate.js';
import { invalidInput } from '../../errors.js';
import type { Activity, Bucket } from '../../services/activity/index.js';
import { queryResult } from './aw-wire.js';
import { TAGS, type AwApp, type AwDeps } from './context.js';

/** Wall time one request's programs may take together. */
export const QUERY_DEADLINE_MS = 10_000;

function period(text: string, index: number): QueryPeriod {
  const parts = text.split('/');
  const start = parts.length === 2 ? parseIsoTimestamp(parts[0] as string) : null;
  const end = parts.length === 2 ? parseIsoTimestamp(parts[1] as string) : null;
  if (start === null || end === null) {
    throw invalidInput(`timeperiods[${index}]: must be "start/end", two ISO 8601 date-times`);
  }
  if (end < start) throw invalidInput(`timeperiods[${index}]: end is before start`);
  return { start, end };
}

/** The caller's buckets and events as query2 reads them: events overlapping [start, end), clipped, newest first. */
export function querySource(activity: Activity, userId: string): QuerySource {
  let buckets: Promise<Bucket[]> | undefined;
  const all = () => (buckets ??= activity.sources.buckets(userId));
  return {
    async buckets() {
      return (await all()).map((b) => ({ id: b.key, type: b.type, hostname: b.hostname, client: b.client }));
    },
    async events(bucketId, start, end, limit) {
      const bucket = (await all()).find((b) => b.key === bucketId);
      if (!bucket) return null;
      const events = await activity.events(userId, { bucketId: bucket.id, from: start, to: end, order: 'desc', limit });
      return events.flatMap((e) => {
        const eventEnd = e.start + e.duration;
        // The store's range is closed; query2's is half-open, with instants at `start` inside.
        const inside = e.duration === 0 ? e.start >= start && e.start < end : e.start < end && eventEnd > start;
        if (!inside) return [];
        const clippedStart = Math.max(e.start, start);
        return [{ id: e.seq, start: clippedStart, duration: Math.min(eventEnd, end) - clippedStart, data: e.data }];
      });
    },
  };
}

export function queryRoutes(app: AwApp, deps: AwDeps): void {
  for (const url of ['/query/', '/query']) {
    app.post(
      url,
      {
        config: { access: 'token:read' },
        schema: {
          tags: TAGS,
          summary: 'Run a query2 program once per time period',
          querystring: AwQueryParams,
          body: AwQueryBody,
          response: { 200: AwQueryResponse, ...AW_ERROR_RESPONSES },
        },
      },
      async (request) => {
        const userId = principalOf(request).userId;
        const periods = request.body.timeperiods.map(period);
        const text = request.body.query.join('\n');
        const source = querySource(deps.activity, userId);
        const limits = { ...DEFAULT_QUERY_LIMITS, deadlineMs: Date.now() + QUERY_DEADLINE_MS, now: Date.now };
        const results: unknown[] = [];
        try {
          for (const p of periods) results.push(queryResult(await runQuery(text, p, source, limits)));
        } catch (error) {
          if (error instanceof QueryError) throw invalidInput(error.message);
          throw error;
        }
        return results;
      },
    );
  }
}
