/** Fixtures for the query2 evaluator tests: an in-memory QuerySource, limits and helpers. */
import { QueryError } from '../../src/query2/errors.js';
import {
  DEFAULT_QUERY_LIMITS,
  type QueryBucketInfo,
  type QueryLimits,
  type QuerySource,
  runQuery,
} from '../../src/query2/evaluate.js';
import type { QueryEvent, QueryValue } from '../../src/query2/values.js';

/** The period every test queries: one hour from T0. */
export const T0 = Date.UTC(2024, 0, 1);
export const PERIOD = { start: T0, end: T0 + 3_600_000 };

/** An event `startS` seconds after T0 lasting `durationS` seconds. */
export function ev(startS: number, durationS: number, data: Record<string, unknown>, id?: number): QueryEvent {
  const e = { start: T0 + startS * 1000, duration: durationS * 1000, data };
  return id === undefined ? e : { id, ...e };
}

export interface FakeBucket {
  readonly hostname?: string;
  readonly events: readonly QueryEvent[];
}

export interface FakeSource extends QuerySource {
  /** Arguments of every events() call. */
  readonly calls: { bucketId: string; start: number; end: number; limit: number }[];
}

/** A source over in-memory buckets; events() clips, sorts newest first and applies the limit. */
export function fakeSource(buckets: Record<string, FakeBucket>, onEvents?: () => void): FakeSource {
  const calls: FakeSource['calls'] = [];
  return {
    calls,
    buckets: () =>
      Promise.resolve(
        Object.entries(buckets).map(([id, b]): QueryBucketInfo => ({
          id,
          type: 'test',
          hostname: b.hostname ?? 'host',
          client: 'test',
        })),
      ),
    events: (bucketId, start, end, limit) => {
      calls.push({ bucketId, start, end, limit });
      onEvents?.();
      const bucket = Object.hasOwn(buckets, bucketId) ? buckets[bucketId] : undefined;
      if (bucket === undefined) return Promise.resolve(null);
      // Like a store: clipped events keep their ids.
      const clipped = bucket.events
        .filter((e) => e.start < end && e.start + e.duration > start)
        .map((e) => {
          const from = Math.max(e.start, start);
          return { ...e, start: from, duration: Math.min(e.start + e.duration, end) - from };
        })
        .sort((a, b) => b.start - a.start);
      return Promise.resolve(clipped.slice(0, limit));
    },
  };
}

export function limits(overrides: Partial<QueryLimits> = {}): QueryLimits {
  return { ...DEFAULT_QUERY_LIMITS, deadlineMs: T0 + 60_000, now: () => T0, ...overrides };
}

export function run(
  lines: string | readonly string[],
  source: QuerySource = fakeSource({}),
  queryLimits: QueryLimits = limits(),
): Promise<QueryValue> {
  return runQuery(lines, PERIOD, source, queryLimits);
}

/** The QueryError a run rejects with (fails the test on success or on another error type). */
export async function errorOf(result: Promise<unknown>): Promise<QueryError> {
  try {
    await result;
  } catch (error) {
    if (error instanceof QueryError) return error;
    throw error;
  }
  throw new Error('the query succeeded');
}
