/**
 * Ingest: batches of events (idempotent by client id, all-or-nothing) and
 * heartbeats (ActivityWatch's merge rule, per bucket). Both validate every
 * event before anything is written, apply the person's privacy settings
 * before anything is stored, and write through the activity writer so
 * rollups move in the same transaction.
 */
import { randomBytes } from 'node:crypto';
import { BoundedCache, isUuid, mergeHeartbeat, parseIsoTimestamp, uuidv7, type CompiledPrivacy } from '@sundial/core';
import { isForeignKeyViolation, type ActivityKind, type EventRow, type NewEventRow, type Store } from '@sundial/store';
import { AppError, invalidInput } from '../../errors.js';
import type { Codec } from './codec.js';
import { ContentError, contentData, readContent, type Content } from './content.js';
import type { PrivacyService } from './privacy-settings.js';
import type { Bucket } from './sources.js';
import { StaleLastEvent, type ActivityWriter, type Change } from './writer.js';

export const BATCH_LIMIT = 10_000;
/** Attempts of a write whose basis another process changed. */
const RETRIES = 3;
const FUTURE_LIMIT_MS = 86_400_000;
const DURATION_LIMIT_MS = 30 * 86_400_000;
const EARLIEST = Date.UTC(1990, 0, 1);

/** One event as a client sends it (durations in seconds). */
export interface EventInput {
  readonly id?: string | number;
  readonly start: string;
  readonly duration: number;
  readonly data: unknown;
}

/** An event as stored, for answers. */
export interface StoredEvent {
  readonly seq: number;
  readonly uid: string;
  readonly kind: ActivityKind;
  readonly deviceId: string;
  readonly bucketId: string;
  readonly start: number;
  readonly duration: number;
  readonly data: Record<string, unknown>;
}

export interface BatchItem {
  readonly bucket: Bucket;
  readonly event: EventInput;
}

export interface BatchResult {
  readonly accepted: number;
  readonly replaced: number;
  readonly dropped: number;
  /** The stored events, in request order (dropped ones left out). */
  readonly stored: readonly StoredEvent[];
}

export interface HeartbeatResult {
  readonly event: StoredEvent | null;
  readonly merged: boolean;
}

interface Kept {
  readonly index: number;
  readonly parsed: Parsed;
  readonly content: Content;
}

interface Parsed {
  readonly uid: string | null;
  readonly start: number;
  readonly duration: number;
  readonly content: Content;
}

export function storedEvent(row: EventRow | (NewEventRow & { seq: number }), content: Content): StoredEvent {
  return {
    seq: row.seq,
    uid: row.uid,
    kind: row.kind,
    deviceId: row.deviceId,
    bucketId: row.bucketId,
    start: row.start,
    duration: row.end - row.start,
    data: contentData(row.kind, content),
  };
}

/** Validates one event; throws 400 naming `where` and the field. */
export function parseEvent(
  where: string,
  kind: ActivityKind,
  input: EventInput,
  now: number,
  idRequired: boolean,
): Parsed {
  const fail = (field: string, message: string) => invalidInput(`${where}.${field}: ${message}`);
  let uid: string | null = null;
  if (typeof input.id === 'string') {
    if (!isUuid(input.id)) throw fail('id', 'must be a UUID');
    uid = input.id.toLowerCase();
  } else if (idRequired) throw fail('id', 'is required (a UUID made by the client)');
  const start = parseIsoTimestamp(input.start);
  if (start === null) throw fail('start', `is not an ISO 8601 date-time`);
  if (start < EARLIEST) throw fail('start', 'is before 1990');
  if (start > now + FUTURE_LIMIT_MS) throw fail('start', 'is more than a day in the future');
  if (typeof input.duration !== 'number' || !Number.isFinite(input.duration) || input.duration < 0) {
    throw fail('duration', 'must be a number of seconds ≥ 0');
  }
  const duration = Math.round(input.duration * 1000);
  if (duration > DURATION_LIMIT_MS) throw fail('duration', 'must be at most 30 days');
  if (start + duration > now + FUTURE_LIMIT_MS)
    throw fail('duration', 'makes the event end more than a day in the future');
  try {
    return { uid, start, duration, content: readContent(kind, input.data) };
  } catch (error) {
    if (error instanceof ContentError) throw fail(error.field, error.message.slice(error.field.length + 2));
    throw error;
  }
}

/**
 * The event's time to store under the person's working hours: its first
 * part inside them, or null to drop it (it lies wholly outside).
 */
function clipToWorkingHours(privacy: CompiledPrivacy, parsed: Parsed): Parsed | null {
  const span = privacy.clip(parsed.start, parsed.start + parsed.duration);
  if (span === null) return null;
  if (span.start === parsed.start && span.end - span.start === parsed.duration) return parsed;
  return { ...parsed, start: span.start, duration: span.end - span.start };
}

/** The content to store after the person's privacy settings, or null to drop the event. */
export function filterContent(privacy: CompiledPrivacy, kind: ActivityKind, content: Content): Content | null {
  if (kind === 'other') {
    // Free-form data is kept only at full detail, and never for an ignored app, title or site.
    if (privacy.settings.detail !== 'full') return null;
    const strings = Object.fromEntries(
      Object.entries(content.extra ?? {}).filter(
        ([k, v]) => ['app', 'title', 'url'].includes(k) && typeof v === 'string',
      ),
    );
    return privacy.apply('window', strings) === null ? null : content;
  }
  const kept = privacy.apply(kind, content);
  if (kept === null) return null;
  return { ...kept, away: content.away, extra: reducedExtra(privacy.settings.detail, content.extra) };
}

/**
 * Other fields below full detail: only flags and counts (audible, incognito,
 * tabCount …) — a string could hold a file name or a path the person chose
 * not to record.
 */
function reducedExtra(detail: CompiledPrivacy['settings']['detail'], extra: Content['extra']): Content['extra'] {
  if (detail === 'full' || extra === undefined) return extra;
  const kept = Object.entries(extra).filter(([, v]) => typeof v === 'boolean' || typeof v === 'number');
  return kept.length === 0 ? undefined : Object.fromEntries(kept);
}

export interface IngestDeps {
  readonly store: Store;
  readonly codec: Codec;
  readonly privacy: PrivacyService;
  readonly writer: ActivityWriter;
  readonly now: () => number;
}

export interface Ingest {
  batch(userId: string, deviceId: string, items: readonly BatchItem[], idRequired: boolean): Promise<BatchResult>;
  heartbeat(userId: string, bucket: Bucket, event: EventInput, pulsetimeMs: number): Promise<HeartbeatResult>;
  /** Validates a batch without writing anything (400 naming the event and field). */
  check(
    items: readonly { readonly bucket: { readonly kind: ActivityKind }; readonly event: EventInput }[],
    idRequired: boolean,
  ): unknown;
  /** Forgets the cached last events of these buckets (all of the person's when absent). */
  invalidate(userId: string, bucketIds?: readonly string[]): void;
}

export function ingest(deps: IngestDeps): Ingest {
  const { store, codec, writer, now } = deps;
  const lastEvents = new BoundedCache<string, { row: EventRow; data: Record<string, unknown> }>(50_000);
  const lastKey = (userId: string, bucketId: string) => `${userId}\u0000${bucketId}`;
  const newUid = () => uuidv7(now(), randomBytes(10));

  function toRow(
    uid: string,
    bucket: Bucket,
    parsed: Parsed,
    columns: Awaited<ReturnType<Codec['encode']>>[number],
  ): NewEventRow {
    return {
      uid,
      deviceId: bucket.deviceId,
      bucketId: bucket.id,
      kind: bucket.kind,
      start: parsed.start,
      end: parsed.start + parsed.duration,
      ...columns,
      updatedAt: now(),
    };
  }

  /**
   * Runs a write again when another server process changed what it was
   * based on: the bucket's last event (heartbeats), or names this process
   * had cached that an erase elsewhere removed (a foreign-key violation).
   */
  async function retrying<T>(userId: string, attempt: () => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        const stale = error instanceof StaleLastEvent;
        if ((!stale && !isForeignKeyViolation(error)) || tries >= RETRIES) throw error;
        if (stale) lastEvents.deleteWhere((k) => k.startsWith(`${userId}\u0000`));
        else codec.forget(userId);
      }
    }
  }

  function check(
    items: readonly { readonly bucket: { readonly kind: ActivityKind }; readonly event: EventInput }[],
    idRequired: boolean,
  ): Parsed[] {
    if (items.length > BATCH_LIMIT) throw invalidInput(`events: at most ${BATCH_LIMIT} events a request`);
    const at = now();
    const parsed = items.map((item, i) => parseEvent(`events[${i}]`, item.bucket.kind, item.event, at, idRequired));
    const seen = new Map<string, number>();
    parsed.forEach((p, i) => {
      if (p.uid === null) return;
      const first = seen.get(p.uid);
      if (first !== undefined) throw invalidInput(`events[${i}].id: the same id as events[${first}]`);
      seen.set(p.uid, i);
    });
    return parsed;
  }

  /** Encodes the kept events (interning their names) and writes them in one transaction. */
  async function write(
    userId: string,
    deviceId: string,
    items: readonly BatchItem[],
    existing: ReadonlyMap<string, EventRow>,
    kept: readonly Kept[],
  ) {
    const columns = await codec.encode(
      userId,
      kept.map((k) => k.content),
    );
    const rows = kept.map((k, i) =>
      toRow(
        k.parsed.uid ?? newUid(),
        (items[k.index] as BatchItem).bucket,
        k.parsed,
        columns[i] as (typeof columns)[number],
      ),
    );
    const changes: Change[] = rows.map((row) => ({ before: existing.get(row.uid) ?? null, after: row }));
    const applied = await writer.serial(userId, deviceId, () =>
      writer.apply(userId, deviceId, changes, { refresh: true }),
    );
    return {
      changes: changes.length,
      replaced: applied.replaced,
      // Built only when read (the ActivityWatch API answers with the events; the native API does not).
      get stored() {
        return rows.map((row, i) =>
          storedEvent({ ...row, seq: applied.seqs.get(row.uid) ?? 0 }, (kept[i] as Kept).content),
        );
      },
    };
  }

  async function lastOf(userId: string, bucket: Bucket) {
    const cached = lastEvents.get(lastKey(userId, bucket.id));
    if (cached) return cached;
    const row = await store.events.lastInBucket(userId, bucket.id);
    if (!row) return null;
    const [content] = await codec.decode(userId, [row]);
    const entry = { row, data: contentData(row.kind, content ?? {}) };
    lastEvents.set(lastKey(userId, bucket.id), entry);
    return entry;
  }

  return {
    async batch(userId, deviceId, items, idRequired) {
      const parsed = check(items, idRequired);
      const uids = parsed.flatMap((p) => (p.uid ? [p.uid] : []));
      // Conflicts are found before any name is interned: a refused request stores nothing.
      const existing = new Map((await store.events.byUids(userId, uids)).map((r) => [r.uid, r]));
      parsed.forEach((p, index) => {
        const stored = p.uid ? existing.get(p.uid) : undefined;
        if (stored && stored.bucketId !== (items[index] as BatchItem).bucket.id) {
          throw new AppError('conflict', `events[${index}].id: an event with this id belongs to another bucket`);
        }
      });
      const privacy = await deps.privacy.compiled(userId);
      const kept: Kept[] = [];
      parsed.forEach((p, index) => {
        const content = filterContent(privacy, (items[index] as BatchItem).bucket.kind, p.content);
        const timed = content && clipToWorkingHours(privacy, p);
        if (content && timed) kept.push({ index, parsed: timed, content });
      });
      const applied = await retrying(userId, () => write(userId, deviceId, items, existing, kept));
      for (const item of items) lastEvents.delete(lastKey(userId, item.bucket.id));
      return {
        accepted: applied.changes - applied.replaced,
        replaced: applied.replaced,
        dropped: items.length - kept.length,
        get stored() {
          return applied.stored;
        },
      };
    },

    check,

    async heartbeat(userId, bucket, input, pulsetimeMs) {
      const privacy = await deps.privacy.compiled(userId);
      const parsed = clipToWorkingHours(privacy, parseEvent('heartbeat', bucket.kind, input, now(), false));
      const content = parsed && filterContent(privacy, bucket.kind, parsed.content);
      if (!parsed || !content) return { event: null, merged: false };
      const data = contentData(bucket.kind, content);
      return writer.serial(userId, bucket.deviceId, () =>
        retrying(userId, async () => {
          const last = await lastOf(userId, bucket);
          const previous = last
            ? { start: last.row.start, duration: last.row.end - last.row.start, data: last.data }
            : null;
          const result = mergeHeartbeat(
            previous,
            { start: parsed.start, duration: parsed.duration, data },
            pulsetimeMs,
          );
          // The write checks that the bucket's last event is still the one merged against.
          const expectLast = { bucketId: bucket.id, row: last?.row ?? null };
          let row: EventRow;
          if (result.kind === 'merged' && last) {
            row = { ...last.row, end: last.row.start + result.event.duration, updatedAt: now() };
            const changes = row.end === last.row.end ? [] : [{ before: last.row, after: row }];
            if (changes.length === 0) row = last.row;
            await writer.apply(userId, bucket.deviceId, changes, { expectLast });
          } else {
            const [columns] = await codec.encode(userId, [content]);
            const fresh = toRow(newUid(), bucket, parsed, columns as NonNullable<typeof columns>);
            const { seqs } = await writer.apply(userId, bucket.deviceId, [{ before: null, after: fresh }], {
              expectLast,
            });
            row = { ...fresh, seq: seqs.get(fresh.uid) ?? 0 };
          }
          const stored = result.kind === 'merged' && last ? last.data : data;
          lastEvents.set(lastKey(userId, bucket.id), { row, data: stored });
          return { event: { ...storedEvent(row, content), data: stored }, merged: result.kind === 'merged' };
        }),
      );
    },

    invalidate(userId, bucketIds) {
      if (bucketIds) for (const id of bucketIds) lastEvents.delete(lastKey(userId, id));
      else lastEvents.deleteWhere((k) => k.startsWith(`${userId}\u0000`));
    },
  };
}
