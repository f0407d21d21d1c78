/**
 * The durable queue of events waiting for the server. `put` commits before
 * it returns (better-sqlite3 is synchronous, the file is synchronous FULL):
 * once it returns, the event is recorded. A row is keyed by the event's
 * UUIDv7, so an event that grows (a heartbeat merge) updates its row and is
 * sent again with the same id; the server replaces by id, so a retry or a
 * re-send never doubles time. Sent rows are deleted only if they did not
 * change while the request was in flight (same version).
 *
 * The file is bounded: past the limit the oldest events are dropped, with a
 * warning — losing the oldest minutes beats filling the disk.
 */
import type { AgentLog } from '../log.js';
import type { QueueDb } from './open.js';

export type EventKind = 'window' | 'web' | 'away';

export interface QueuedEvent {
  readonly id: string;
  readonly kind: EventKind;
  /** The ActivityWatch bucket it belongs to, or null for the agent's own watchers. */
  readonly bucket: string | null;
  /** Epoch milliseconds. */
  readonly start: number;
  /** Milliseconds. */
  readonly duration: number;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface PendingEvent extends QueuedEvent {
  readonly version: number;
}

interface EventRow {
  id: string;
  kind: EventKind;
  bucket: string | null;
  start: number;
  duration: number;
  data: string;
  version: number;
}

/** Fixed cost of a row beside its data (ids, numbers, index entries), for the size bound. */
const ROW_OVERHEAD = 120;

export class EventQueue {
  private totalBytes: number;
  private readonly statements;

  constructor(
    readonly db: QueueDb,
    private readonly maxBytes: number,
    private readonly log: AgentLog,
  ) {
    this.statements = {
      upsert: db.prepare(`
        INSERT INTO events (id, kind, bucket, start, duration, data, version, bytes)
        VALUES (@id, @kind, @bucket, @start, @duration, @data, 1, @bytes)
        ON CONFLICT(id) DO UPDATE SET start = excluded.start, duration = excluded.duration,
          data = excluded.data, version = version + 1, bytes = excluded.bytes`),
      bytesOf: db.prepare<[string], { bytes: number }>('SELECT bytes FROM events WHERE id = ?'),
      pending: db.prepare<[number], EventRow>(
        'SELECT id, kind, bucket, start, duration, data, version FROM events ORDER BY seq LIMIT ?',
      ),
      sent: db.prepare<[string, number], { bytes: number }>(
        'DELETE FROM events WHERE id = ? AND version = ? RETURNING bytes',
      ),
      count: db.prepare<[], { n: number; oldest: number | null }>(
        'SELECT COUNT(*) AS n, MIN(start) AS oldest FROM events',
      ),
      total: db.prepare<[], { total: number | null }>('SELECT SUM(bytes) AS total FROM events'),
      oldest: db.prepare<[number], { seq: number; bytes: number }>(
        'SELECT seq, bytes FROM events ORDER BY seq LIMIT ?',
      ),
      dropUpTo: db.prepare<[number]>('DELETE FROM events WHERE seq <= ?'),
    };
    this.totalBytes = this.statements.total.get()?.total ?? 0;
  }

  /** Records an event (or its new state, by id); committed when this returns. */
  put(event: QueuedEvent): void {
    this.putAll([event]);
  }

  putAll(events: readonly QueuedEvent[]): void {
    if (events.length === 0) return;
    const run = this.db.transaction(() => {
      for (const e of events) {
        const data = JSON.stringify(e.data);
        const bytes = ROW_OVERHEAD + Buffer.byteLength(data) + (e.bucket?.length ?? 0);
        const before = this.statements.bytesOf.get(e.id)?.bytes ?? 0;
        this.statements.upsert.run({ ...e, data, bytes });
        this.totalBytes += bytes - before;
      }
    });
    run();
    if (this.totalBytes > this.maxBytes) this.trim();
  }

  /** The oldest waiting events, up to `limit`. */
  pending(limit: number): PendingEvent[] {
    return this.statements.pending
      .all(limit)
      .map((row) => ({ ...row, data: JSON.parse(row.data) as Record<string, unknown> }));
  }

  /** Forgets events the server has stored — unless they changed since they were read. */
  markSent(events: readonly Pick<PendingEvent, 'id' | 'version'>[]): void {
    const run = this.db.transaction(() => {
      for (const e of events) {
        const gone = this.statements.sent.get(e.id, e.version);
        if (gone) this.totalBytes -= gone.bytes;
      }
    });
    run();
  }

  stats(): { length: number; oldestStart: number | null; bytes: number } {
    const row = this.statements.count.get();
    return { length: row?.n ?? 0, oldestStart: row?.oldest ?? null, bytes: this.totalBytes };
  }

  /** Drops the oldest events until the queue is back under 90 % of its bound. */
  private trim(): void {
    const target = this.maxBytes * 0.9;
    let dropped = 0;
    let freed = 0;
    let lastSeq = -1;
    for (const row of this.statements.oldest.iterate(1_000_000)) {
      if (this.totalBytes - freed <= target) break;
      freed += row.bytes;
      lastSeq = row.seq;
      dropped += 1;
    }
    if (lastSeq < 0) return;
    this.statements.dropUpTo.run(lastSeq);
    this.totalBytes -= freed;
    this.log.warn('queue is full: dropped the oldest events that were not sent yet', {
      dropped,
      maxMb: Math.round(this.maxBytes / 1024 / 1024),
    });
  }
}
