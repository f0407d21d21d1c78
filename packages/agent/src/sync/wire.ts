/** Queued events as POST /api/v1/events takes them (packages/contracts activity.ts). */
import type { LocalBuckets } from '../queue/buckets.js';
import type { PendingEvent } from '../queue/queue.js';

export interface WireEvent {
  id: string;
  kind: string;
  start: string;
  duration: number;
  data: Readonly<Record<string, unknown>>;
  bucket?: { id: string; type: string; client: string; hostname: string };
}

export function wireEvent(e: PendingEvent, buckets: LocalBuckets): WireEvent {
  const wire: WireEvent = {
    id: e.id,
    kind: e.kind,
    start: new Date(e.start).toISOString(),
    duration: e.duration / 1000,
    data: e.data,
  };
  if (e.bucket !== null) {
    const bucket = buckets.get(e.bucket);
    // A bucket deleted locally after its events were queued: send them with a bucket of their kind's usual type.
    wire.bucket = bucket
      ? { id: bucket.key, type: bucket.type, client: bucket.client, hostname: bucket.hostname }
      : { id: e.bucket, type: TYPE_OF_KIND[e.kind], client: 'unknown', hostname: '!local' };
  }
  return wire;
}

const TYPE_OF_KIND: Record<PendingEvent['kind'], string> = {
  window: 'currentwindow',
  web: 'web.tab.current',
  away: 'afkstatus',
};
