/**
 * What the /api/0 route modules share: their dependencies, the typed app
 * they add routes to, and finding the caller's bucket by the client's id.
 */
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { parseIsoTimestamp } from '@sundial/core';
import type { Store } from '@sundial/store';
import { invalidInput, notFound } from '../../errors.js';
import type { Activity, Bucket } from '../../services/activity/index.js';

export interface AwDeps {
  readonly activity: Activity;
  readonly store: Store;
}

export type AwApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export const TAGS = ['activitywatch'];
export const BUCKET_ID_LIMIT = 128;

/** Checks a client's bucket id: 1–128 characters, no '/'. */
export function checkBucketId(id: string): string {
  if (id.length === 0 || id.length > BUCKET_ID_LIMIT) {
    throw invalidInput(`bucket id: must be 1 to ${BUCKET_ID_LIMIT} characters (got ${id.length})`);
  }
  if (id.includes('/')) throw invalidInput("bucket id: must not contain '/'");
  // A lone surrogate cannot be encrypted as UTF-8.
  if (/\p{Cs}/u.test(id)) throw invalidInput('bucket id: is not well-formed Unicode');
  return id;
}

/** The caller's bucket with this id; 404 when they have none (another person's buckets included). */
export async function bucketOf(activity: Activity, userId: string, id: string): Promise<Bucket> {
  const bucket = await activity.sources.bucket(userId, checkBucketId(id));
  if (!bucket) throw notFound(`There's no bucket named ${id}`);
  return bucket;
}

/** An optional ISO 8601 query parameter as epoch ms. */
export function instant(field: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = parseIsoTimestamp(text);
  if (value === null) throw invalidInput(`${field}: is not an ISO 8601 date-time`);
  return value;
}

/** `start` and `end` of a read, checked. */
export function range(query: { start?: string; end?: string }): { from?: number; to?: number } {
  const from = instant('start', query.start);
  const to = instant('end', query.end);
  if (from !== undefined && to !== undefined && to < from) throw invalidInput('end: must not be before start');
  return { from, to };
}
