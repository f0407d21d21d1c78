/**
 * The buckets of a native events batch: an event without `bucket` goes to
 * the device's own bucket of its kind; an event naming an ActivityWatch
 * bucket (the desktop agent forwards what local watchers send) goes to that
 * bucket, created on first use. Every bucket is checked before any is
 * created, so a refused batch leaves nothing behind.
 */
import type { EventsBatchBody } from '@sundial/contracts';
import { invalidInput } from '../errors.js';
import { kindOfBucketType, type Activity, type Bucket } from '../services/activity/index.js';
import { checkBucketId } from './aw/context.js';

type BatchEvent = EventsBatchBody['events'][number];

/** One bucket per event, in order. */
export async function bucketsOfBatch(
  activity: Activity,
  userId: string,
  deviceId: string,
  events: readonly BatchEvent[],
): Promise<Bucket[]> {
  const named = new Map<string, { found: Bucket | null; spec: NonNullable<BatchEvent['bucket']> }>();
  for (const [i, event] of events.entries()) {
    const spec = event.bucket;
    if (!spec) continue;
    let key: string;
    try {
      key = checkBucketId(spec.id);
    } catch (error) {
      throw invalidInput(`events[${i}].bucket.id: ${error instanceof Error ? error.message : 'is not a bucket id'}`);
    }
    let entry = named.get(key);
    if (!entry) {
      entry = { found: await activity.sources.bucket(userId, key), spec };
      named.set(key, entry);
    }
    const kind = entry.found?.kind ?? kindOfBucketType(entry.spec.type);
    if (kind !== event.kind) {
      throw invalidInput(
        `events[${i}].bucket: bucket ${key} (type ${entry.found?.type ?? entry.spec.type}) does not hold ${event.kind} events`,
      );
    }
  }
  const defaults = new Map<string, Bucket>();
  const buckets: Bucket[] = [];
  for (const event of events) {
    const spec = event.bucket;
    if (!spec) {
      let bucket = defaults.get(event.kind);
      if (!bucket) {
        bucket = await activity.sources.defaultBucket(userId, deviceId, event.kind);
        defaults.set(event.kind, bucket);
      }
      buckets.push(bucket);
      continue;
    }
    const entry = named.get(spec.id);
    if (!entry) throw new Error('bucket checked above');
    if (!entry.found) {
      const fields = {
        type: entry.spec.type,
        client: entry.spec.client,
        hostname: entry.spec.hostname === '!local' ? deviceId : entry.spec.hostname,
        data: {},
      };
      // null: another request created it first.
      entry.found =
        (await activity.sources.createBucket(userId, deviceId, spec.id, event.kind, fields)) ??
        (await activity.sources.bucket(userId, spec.id));
      if (!entry.found) throw new Error(`bucket ${spec.id} vanished while being created`);
    }
    buckets.push(entry.found);
  }
  return buckets;
}
