/**
 * ActivityWatch buckets created through the local API, kept in the queue
 * file: the local API answers bucket reads of a bucket the server has not
 * heard of yet, and sync sends each event with its bucket's id and type so
 * the server files it in the same bucket.
 */
import type { QueueDb } from './open.js';

export interface LocalBucket {
  readonly key: string;
  readonly type: string;
  readonly client: string;
  readonly hostname: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly created: number;
}

interface BucketRow {
  key: string;
  type: string;
  client: string;
  hostname: string;
  data: string;
  created: number;
}

export class LocalBuckets {
  private readonly cache = new Map<string, LocalBucket | null>();
  private readonly statements;

  constructor(db: QueueDb) {
    this.statements = {
      get: db.prepare<[string], BucketRow>(
        'SELECT key, type, client, hostname, data, created FROM buckets WHERE key = ?',
      ),
      all: db.prepare<[], BucketRow>('SELECT key, type, client, hostname, data, created FROM buckets ORDER BY key'),
      insert: db.prepare(
        'INSERT INTO buckets (key, type, client, hostname, data, created) VALUES (@key, @type, @client, @hostname, @data, @created) ON CONFLICT(key) DO NOTHING',
      ),
      remove: db.prepare<[string]>('DELETE FROM buckets WHERE key = ?'),
    };
  }

  get(key: string): LocalBucket | null {
    if (this.cache.has(key)) return this.cache.get(key) ?? null;
    const row = this.statements.get.get(key);
    const bucket = row ? fromRow(row) : null;
    this.cache.set(key, bucket);
    return bucket;
  }

  list(): LocalBucket[] {
    return this.statements.all.all().map(fromRow);
  }

  /** false when a bucket with this key exists already. */
  create(bucket: LocalBucket): boolean {
    const changed = this.statements.insert.run({ ...bucket, data: JSON.stringify(bucket.data) }).changes > 0;
    this.cache.delete(bucket.key);
    return changed;
  }

  remove(key: string): void {
    this.statements.remove.run(key);
    this.cache.delete(key);
  }
}

function fromRow(row: BucketRow): LocalBucket {
  return { ...row, data: JSON.parse(row.data) as Record<string, unknown> };
}
