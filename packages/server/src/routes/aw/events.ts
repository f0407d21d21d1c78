/**
 * /api/0/buckets/<id>/events: reading a bucket's events (newest first,
 * clipped to the asked range), storing events (an integer `id` of a stored
 * event of the bucket replaces it), counting, and one event by id.
 */
import {
  AW_ERROR_RESPONSES,
  AwBucketParams,
  AwCount,
  AwCountQuery,
  AwEvent,
  AwEventParams,
  AwEvents,
  AwEventsBody,
  AwEventsQuery,
  AwNoContent,
} from '@sundial/contracts';
import { principalOf } from '../../auth/authenticate.js';
import { notFound } from '../../errors.js';
import { kindOfBucketType, type BatchItem, type Bucket } from '../../services/activity/index.js';
import { BATCH_BODY_LIMIT } from '../activity.js';
import { awEvent, clipEvent, eventInput } from './aw-wire.js';
import { bucketOf, range, TAGS, type AwApp, type AwDeps } from './context.js';

export function eventRoutes(app: AwApp, deps: AwDeps): void {
  const { activity, store } = deps;
  const errors = AW_ERROR_RESPONSES;

  /** The stored event with this integer id, if it belongs to the bucket. */
  async function rowOf(userId: string, bucket: Bucket, seq: number) {
    const row = await store.events.bySeq(userId, seq);
    return row && row.bucketId === bucket.id ? row : null;
  }

  app.get(
    '/buckets/:bucket_id/events',
    {
      config: { access: 'token:read' },
      schema: {
        tags: TAGS,
        summary: "A bucket's events overlapping [start, end], clipped to it, newest first",
        params: AwBucketParams,
        querystring: AwEventsQuery,
        response: { 200: AwEvents, ...errors },
      },
    },
    async (request) => {
      const userId = principalOf(request).userId;
      const bucket = await bucketOf(activity, userId, request.params.bucket_id);
      const { from, to } = range(request.query);
      const limit = request.query.limit;
      const events = await activity.events(userId, {
        bucketId: bucket.id,
        from,
        to,
        order: 'desc',
        limit: limit === undefined || limit < 0 ? undefined : limit,
      });
      return events.map((e) => awEvent(clipEvent(e, from, to)));
    },
  );

  app.post(
    '/buckets/:bucket_id/events',
    {
      config: { access: 'token:ingest' },
      bodyLimit: BATCH_BODY_LIMIT,
      schema: {
        tags: TAGS,
        summary: 'Store one event or a list; an `id` of a stored event of this bucket replaces it',
        params: AwBucketParams,
        body: AwEventsBody,
        response: { 200: AwEvents, ...errors },
      },
    },
    async (request) => {
      const userId = principalOf(request).userId;
      const bucket = await bucketOf(activity, userId, request.params.bucket_id);
      const sent = Array.isArray(request.body) ? request.body : [request.body];
      if (kindOfBucketType(bucket.type) === null) return [];
      const items: BatchItem[] = [];
      for (const event of sent) {
        // An id that is not an event of this bucket is ignored: the event is stored as new.
        const replaced = typeof event.id === 'number' ? await rowOf(userId, bucket, event.id) : null;
        items.push({ bucket, event: eventInput(event, replaced?.uid) });
      }
      // Written as the bucket's device: rollups and write order are per device.
      const result = await activity.ingest.batch(userId, bucket.deviceId, items, false);
      return result.stored.map(awEvent);
    },
  );

  app.get(
    '/buckets/:bucket_id/events/count',
    {
      config: { access: 'token:read' },
      schema: {
        tags: TAGS,
        summary: "How many of a bucket's events overlap [start, end]",
        params: AwBucketParams,
        querystring: AwCountQuery,
        response: { 200: AwCount, ...errors },
      },
    },
    async (request) => {
      const userId = principalOf(request).userId;
      const bucket = await bucketOf(activity, userId, request.params.bucket_id);
      return store.events.count(userId, { bucketId: bucket.id, ...range(request.query) });
    },
  );

  app.get(
    '/buckets/:bucket_id/events/:event_id',
    {
      config: { access: 'token:read' },
      schema: {
        tags: TAGS,
        summary: 'One event',
        params: AwEventParams,
        response: { 200: AwEvent, ...errors },
      },
    },
    async (request) => {
      const userId = principalOf(request).userId;
      const bucket = await bucketOf(activity, userId, request.params.bucket_id);
      const event = await activity.event(userId, request.params.event_id);
      if (!event || event.bucketId !== bucket.id)
        throw notFound(`There's no event ${request.params.event_id} in this bucket`);
      return awEvent(event);
    },
  );

  app.delete(
    '/buckets/:bucket_id/events/:event_id',
    {
      config: { access: 'token:ingest' },
      schema: {
        tags: TAGS,
        summary: 'Delete one event',
        params: AwEventParams,
        response: { 200: AwNoContent, ...errors },
      },
    },
    async (request, reply) => {
      const userId = principalOf(request).userId;
      const bucket = await bucketOf(activity, userId, request.params.bucket_id);
      const row = await rowOf(userId, bucket, request.params.event_id);
      if (!row) throw notFound(`There's no event ${request.params.event_id} in this bucket`);
      await activity.eraser.remove(userId, [row]);
      return reply.code(200).send(null);
    },
  );
}
