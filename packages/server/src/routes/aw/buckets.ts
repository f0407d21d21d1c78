/**
 * /api/0/buckets: list, read, create and delete the caller's buckets. A new
 * bucket belongs to the caller's device and maps to a kind by its type
 * (types Sundial drops, such as input counts, are kept as `other` buckets
 * whose events are accepted and dropped).
 */
import {
  AW_ERROR_RESPONSES,
  AwBucket,
  AwBucketBody,
  AwBucketParams,
  AwBuckets,
  AwDeleteBucketQuery,
  AwEmpty,
  AwNoContent,
} from '@sundial/contracts';
import { principalOf } from '../../auth/authenticate.js';
import { invalidInput } from '../../errors.js';
import { kindOfBucketType, type Bucket } from '../../services/activity/index.js';
import { awBucket } from './aw-wire.js';
import { bucketOf, checkBucketId, TAGS, type AwApp, type AwDeps } from './context.js';

/** The `data` object of a bucket, as JSON. */
const BUCKET_DATA_LIMIT_BYTES = 64 * 1024;

/** Answers the bucket view, with `last_updated` read from its latest event. */
export async function bucketView(deps: AwDeps, userId: string, bucket: Bucket) {
  const last = bucket.lastUpdatedAt === null ? await deps.store.events.lastInBucket(userId, bucket.id) : null;
  return awBucket(bucket, last ? last.end : null);
}

export function bucketRoutes(app: AwApp, deps: AwDeps): void {
  const { activity } = deps;
  const errors = AW_ERROR_RESPONSES;

  for (const url of ['/buckets/', '/buckets']) {
    app.get(
      url,
      {
        config: { access: 'token:read' },
        schema: { tags: TAGS, summary: 'My buckets, by id', response: { 200: AwBuckets, ...errors } },
      },
      async (request) => {
        const userId = principalOf(request).userId;
        const buckets = await activity.sources.buckets(userId);
        const views = await Promise.all(buckets.map((b) => bucketView(deps, userId, b)));
        // fromEntries: a bucket named `__proto__` stays an ordinary key.
        return Object.fromEntries(views.map((view) => [view.id, view]));
      },
    );
  }

  app.get(
    '/buckets/:bucket_id',
    {
      config: { access: 'token:read' },
      schema: { tags: TAGS, summary: 'One bucket', params: AwBucketParams, response: { 200: AwBucket, ...errors } },
    },
    async (request) => {
      const userId = principalOf(request).userId;
      return bucketView(deps, userId, await bucketOf(activity, userId, request.params.bucket_id));
    },
  );

  app.post(
    '/buckets/:bucket_id',
    {
      config: { access: 'token:ingest' },
      schema: {
        tags: TAGS,
        summary: 'Create a bucket (304 when it exists); hostname `!local` becomes this device',
        params: AwBucketParams,
        body: AwBucketBody,
        response: { 200: AwNoContent, 304: AwEmpty, ...errors },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const key = checkBucketId(request.params.bucket_id);
      if (await activity.sources.bucket(principal.userId, key)) return reply.code(304).send();
      const body = request.body;
      const data = body.data ?? {};
      if (Buffer.byteLength(JSON.stringify(data)) > BUCKET_DATA_LIMIT_BYTES) {
        throw invalidInput(`data: must be at most ${BUCKET_DATA_LIMIT_BYTES} bytes of JSON`);
      }
      const deviceId = await activity.sources.deviceOf(principal);
      const created = await activity.sources.createBucket(
        principal.userId,
        deviceId,
        key,
        kindOfBucketType(body.type) ?? 'other',
        { type: body.type, client: body.client, hostname: body.hostname === '!local' ? deviceId : body.hostname, data },
      );
      // null: another request created it first.
      return created ? reply.code(200).send(null) : reply.code(304).send();
    },
  );

  app.delete(
    '/buckets/:bucket_id',
    {
      config: { access: 'token:ingest' },
      schema: {
        tags: TAGS,
        summary: 'Delete a bucket and all its events',
        params: AwBucketParams,
        querystring: AwDeleteBucketQuery,
        response: { 200: AwNoContent, ...errors },
      },
    },
    async (request, reply) => {
      const userId = principalOf(request).userId;
      const bucket = await bucketOf(activity, userId, request.params.bucket_id);
      const rows = await deps.store.events.list(userId, { bucketId: bucket.id });
      if (rows.length > 0) await activity.eraser.remove(userId, rows);
      await activity.sources.deleteBucket(userId, bucket);
      activity.ingest.invalidate(userId, [bucket.id]);
      return reply.code(200).send(null);
    },
  );
}
