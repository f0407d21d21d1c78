/**
 * Small durable values beside the queue: the last event of each heartbeat
 * stream (so merging continues across restarts) and a key → JSON store for
 * the privacy cache, the pause and the last sync.
 */
import type { QueueDb } from './open.js';
import type { QueuedEvent } from './queue.js';

export interface StreamEvent {
  readonly id: string;
  readonly start: number;
  readonly duration: number;
  readonly data: Readonly<Record<string, unknown>>;
}

export class QueueState {
  private readonly statements;

  constructor(readonly db: QueueDb) {
    this.statements = {
      getStream: db.prepare<[string], { id: string; start: number; duration: number; data: string }>(
        'SELECT id, start, duration, data FROM streams WHERE name = ?',
      ),
      setStream: db.prepare(
        'INSERT INTO streams (name, id, start, duration, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET id = excluded.id, start = excluded.start, duration = excluded.duration, data = excluded.data',
      ),
      dropStream: db.prepare<[string]>('DELETE FROM streams WHERE name = ?'),
      get: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      set: db.prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ),
    };
  }

  lastOf(stream: string): StreamEvent | null {
    const row = this.statements.getStream.get(stream);
    return row ? { ...row, data: JSON.parse(row.data) as Record<string, unknown> } : null;
  }

  setLast(stream: string, event: StreamEvent | QueuedEvent): void {
    this.statements.setStream.run(stream, event.id, event.start, event.duration, JSON.stringify(event.data));
  }

  forget(stream: string): void {
    this.statements.dropStream.run(stream);
  }

  read<T>(key: string): T | null {
    const row = this.statements.get.get(key);
    if (!row) return null;
    try {
      return JSON.parse(row.value) as T;
    } catch {
      return null;
    }
  }

  write(key: string, value: unknown): void {
    this.statements.set.run(key, JSON.stringify(value));
  }
}
