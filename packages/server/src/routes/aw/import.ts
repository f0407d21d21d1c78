/**
 * POST /api/0/import: the export document (JSON body, or a multipart upload
 * as ActivityWatch's web UI sends it). A bucket the person does not have is
 * created on the caller's device; an existing one is merged, skipping
 * events equal in (timestamp, duration, data) to a stored one, so importing
 * the same document twice adds nothing.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  AW_ERROR_RESPONSES,
  AwImportBody,
  AwImportResponse,
  type AwEventInput,
  type AwImportedBucket,
} from '@sundial/contracts';
import { jsonEqual, parseIsoTimestamp } from '@sundial/core';
import type { Principal } from '../../auth/principal.js';
import { principalOf } from '../../auth/authenticate.js';
import { AppError, invalidInput } from '../../errors.js';
import { BATCH_LIMIT, kindOfBucketType, type Bucket } from '../../services/activity/index.js';
import { eventInput } from './aw-wire.js';
import { checkBucketId, TAGS, type AwDeps } from './context.js';
import { multipartFileText } from './multipart.js';

/** Exports of a few years of watchers run to tens of MiB. */
export const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

interface ImportedEvent {
  readonly input: AwEventInput;
  readonly start: number;
  readonly duration: number;
}

export interface ImportSummary {
  buckets: number;
  merged: number;
  events: number;
  skipped: number;
  dropped: number;
}

/** Checks every bucket id and timestamp before anything is written. */
function readDocument(document: AwImportBody) {
  return Object.entries(document.buckets).map(([key, bucket]) => {
    try {
      checkBucketId(key);
    } catch (error) {
      if (error instanceof AppError) throw invalidInput(`buckets[${JSON.stringify(key)}]: ${error.message}`);
      throw error;
    }
    const events = (bucket.events ?? []).map((input, i): ImportedEvent => {
      const start = parseIsoTimestamp(input.timestamp);
      if (start === null) {
        throw invalidInput(`buckets[${JSON.stringify(key)}].events[${i}].timestamp: is not an ISO 8601 date-time`);
      }
      // Rounded as ingest rounds it, so equal events compare equal.
      return { input, start, duration: Math.round((input.duration ?? 0) * 1000) };
    });
    return { key, bucket, events };
  });
}

export async function importBuckets(
  deps: AwDeps,
  principal: Principal,
  document: AwImportBody,
): Promise<ImportSummary> {
  const { sources, ingest } = deps.activity;
  const userId = principal.userId;
  const summary: ImportSummary = { buckets: 0, merged: 0, events: 0, skipped: 0, dropped: 0 };

  async function target(key: string, imported: AwImportedBucket): Promise<{ bucket: Bucket; fresh: boolean }> {
    const existing = await sources.bucket(userId, key);
    if (existing) return { bucket: existing, fresh: false };
    const deviceId = await sources.deviceOf(principal);
    const fields = {
      type: imported.type,
      client: imported.client,
      hostname: imported.hostname === '!local' ? deviceId : imported.hostname,
      data: imported.data ?? {},
    };
    const kind = kindOfBucketType(imported.type) ?? 'other';
    const created = await sources.createBucket(userId, deviceId, key, kind, fields);
    if (created) return { bucket: created, fresh: true };
    const raced = await sources.bucket(userId, key);
    if (!raced) throw new AppError('conflict', `bucket ${key}: could not be created`);
    return { bucket: raced, fresh: false };
  }

  /** The events not already stored in the bucket. */
  async function unseen(bucket: Bucket, events: readonly ImportedEvent[]): Promise<ImportedEvent[]> {
    if (events.length === 0) return [];
    // reduce, not Math.min(...): an import may hold more events than a call takes arguments.
    const from = events.reduce((min, e) => Math.min(min, e.start), Infinity);
    const to = events.reduce((max, e) => Math.max(max, e.start + e.duration), -Infinity);
    const stored = new Map<string, Record<string, unknown>[]>();
    for (const e of await deps.activity.events(userId, { bucketId: bucket.id, from, to })) {
      const key = `${e.start}/${e.duration}`;
      stored.set(key, [...(stored.get(key) ?? []), e.data]);
    }
    return events.filter(
      (e) => !(stored.get(`${e.start}/${e.duration}`) ?? []).some((d) => jsonEqual(d, e.input.data)),
    );
  }

  const buckets = readDocument(document);
  // Every event is checked before anything is written, so an import with one bad event stores nothing.
  for (const { key, bucket: imported, events } of buckets) {
    const kind = kindOfBucketType(imported.type);
    if (kind === null) continue;
    for (let i = 0; i < events.length; i += BATCH_LIMIT) {
      const chunk = events.slice(i, i + BATCH_LIMIT).map((e) => ({ bucket: { kind }, event: eventInput(e.input) }));
      try {
        ingest.check(chunk, false);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const from = i === 0 ? '' : ` (counting from event ${i})`;
        throw new AppError(error.code, `buckets[${JSON.stringify(key)}]: ${error.message}${from}`);
      }
    }
  }
  for (const { key, bucket: imported, events } of buckets) {
    const { bucket, fresh } = await target(key, imported);
    if (fresh) summary.buckets += 1;
    else summary.merged += 1;
    if (kindOfBucketType(bucket.type) === null) {
      summary.dropped += events.length;
      continue;
    }
    const novel = fresh ? events : await unseen(bucket, events);
    summary.skipped += events.length - novel.length;
    for (let i = 0; i < novel.length; i += BATCH_LIMIT) {
      const items = novel.slice(i, i + BATCH_LIMIT).map((e) => ({ bucket, event: eventInput(e.input) }));
      const result = await ingest.batch(userId, bucket.deviceId, items, false);
      summary.events += result.accepted;
      summary.dropped += result.dropped;
    }
  }
  return summary;
}

export function importRoutes(deps: AwDeps): FastifyPluginAsync {
  return async (instance) => {
    const jsonParser = instance.getDefaultJsonParser('error', 'error');
    // Registered in this plugin only: no other route takes multipart bodies.
    instance.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT },
      (request, body, done) => {
        try {
          jsonParser(request, multipartFileText(body as Buffer, request.headers['content-type'] ?? ''), done);
        } catch (error) {
          done(error as Error);
        }
      },
    );
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    app.post(
      '/import',
      {
        config: { access: 'token:ingest' },
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          tags: TAGS,
          summary: 'Import an export document (JSON or a multipart `buckets.json` file); existing buckets are merged',
          body: AwImportBody,
          response: { 200: AwImportResponse, ...AW_ERROR_RESPONSES },
        },
      },
      async (request) => importBuckets(deps, principalOf(request), request.body),
    );
  };
}
