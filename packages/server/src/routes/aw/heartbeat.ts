/**
 * POST /api/0/buckets/<id>/heartbeat?pulsetime=P: extends the bucket's last
 * event when the data is unchanged and the heartbeat falls within P seconds
 * of its end, else starts a new event (ingest holds the rule). Answers the
 * resulting event; a heartbeat the person's privacy settings (or the
 * bucket's type) drop is answered as sent, without an id.
 */
import { AW_ERROR_RESPONSES, AwBucketParams, AwEvent, AwEventInput, AwHeartbeatQuery } from '@sundial/contracts';
import { formatIsoTimestamp } from '@sundial/core';
import { principalOf } from '../../auth/authenticate.js';
import { kindOfBucketType } from '../../services/activity/index.js';
import { awEvent, eventInput, type AwWireEvent } from './aw-wire.js';
import { bucketOf, instant, TAGS, type AwApp, type AwDeps } from './context.js';

export function heartbeatRoutes(app: AwApp, deps: AwDeps): void {
  const { activity } = deps;

  app.post(
    '/buckets/:bucket_id/heartbeat',
    {
      config: { access: 'token:ingest' },
      schema: {
        tags: TAGS,
        summary: 'Send a heartbeat: merges into the last event when the data is unchanged',
        params: AwBucketParams,
        querystring: AwHeartbeatQuery,
        body: AwEventInput,
        response: { 200: AwEvent, ...AW_ERROR_RESPONSES },
      },
    },
    async (request) => {
      const userId = principalOf(request).userId;
      const bucket = await bucketOf(activity, userId, request.params.bucket_id);
      const body = request.body;
      const asSent = (): AwWireEvent => ({
        timestamp: formatIsoTimestamp(instant('timestamp', body.timestamp) as number),
        duration: body.duration ?? 0,
        data: body.data,
      });
      if (kindOfBucketType(bucket.type) === null) return asSent();
      const pulsetimeMs = Math.round(request.query.pulsetime * 1000);
      const result = await activity.ingest.heartbeat(userId, bucket, eventInput(body), pulsetimeMs);
      return result.event ? awEvent(result.event) : asSent();
    },
  );
}
