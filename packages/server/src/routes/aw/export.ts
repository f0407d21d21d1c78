/**
 * GET /api/0/export and /api/0/buckets/<id>/export: buckets with all their
 * events, as ActivityWatch writes them (`{"buckets": {"<id>": {…bucket,
 * "events": […]}}}`), offered as a download. POST /api/0/import reads the
 * same document back.
 */
import { AW_ERROR_RESPONSES, AwBucketParams, AwExport } from '@sundial/contracts';
import { principalOf } from '../../auth/authenticate.js';
import type { Bucket } from '../../services/activity/index.js';
import { awBucket, awEvent, type AwWireBucket, type AwWireEvent } from './aw-wire.js';
import { bucketOf, TAGS, type AwApp, type AwDeps } from './context.js';

export interface AwExportDocument {
  buckets: Record<string, AwWireBucket & { events: AwWireEvent[] }>;
}

export async function exportBuckets(
  deps: AwDeps,
  userId: string,
  buckets: readonly Bucket[],
): Promise<AwExportDocument> {
  const entries: [string, AwWireBucket & { events: AwWireEvent[] }][] = [];
  for (const bucket of buckets) {
    const events = await deps.activity.events(userId, { bucketId: bucket.id, order: 'desc' });
    const lastEnd = events.reduce<number | null>((end, e) => Math.max(end ?? 0, e.start + e.duration), null);
    entries.push([bucket.key, { ...awBucket(bucket, lastEnd), events: events.map(awEvent) }]);
  }
  // fromEntries: a bucket named `__proto__` stays an ordinary key.
  return { buckets: Object.fromEntries(entries) };
}

function attachment(filename: string): string {
  const ascii = filename.replace(/[^A-Za-z0-9._-]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export function exportRoutes(app: AwApp, deps: AwDeps): void {
  app.get(
    '/export',
    {
      config: { access: 'token:read' },
      schema: {
        tags: TAGS,
        summary: 'All my buckets with their events, as a download',
        response: { 200: AwExport, ...AW_ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const userId = principalOf(request).userId;
      const document = await exportBuckets(deps, userId, await deps.activity.sources.buckets(userId));
      void reply.header('content-disposition', attachment('aw-buckets-export.json'));
      return document;
    },
  );

  app.get(
    '/buckets/:bucket_id/export',
    {
      config: { access: 'token:read' },
      schema: {
        tags: TAGS,
        summary: 'One bucket with its events, as a download',
        params: AwBucketParams,
        response: { 200: AwExport, ...AW_ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const userId = principalOf(request).userId;
      const bucket = await bucketOf(deps.activity, userId, request.params.bucket_id);
      const document = await exportBuckets(deps, userId, [bucket]);
      void reply.header('content-disposition', attachment(`aw-bucket-export_${bucket.key}.json`));
      return document;
    },
  );
}
