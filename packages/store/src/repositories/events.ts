/**
 * SQL over `events` and `rollups`. Writes that must land together (events
 * and the rollup deltas they cause) go through `transaction`, whose callback
 * gets the same operations bound to the transaction.
 */
import type { Kysely, Selectable } from 'kysely';
import type { DatabaseKind } from '../database-url.js';
import { addCells, cutCellsBefore, readCells, replaceCells, sumsByRange, type RollupRow } from './rollups-sql.js';
import type { ActivityKind, Database, EventsTable } from '../schema.js';

export interface EventRow {
  readonly seq: number;
  readonly uid: string;
  readonly deviceId: string;
  readonly bucketId: string;
  readonly kind: ActivityKind;
  readonly start: number;
  readonly end: number;
  readonly appId: number | null;
  readonly titleId: number | null;
  readonly domainId: number | null;
  readonly urlId: number | null;
  /** away events: true when away (afk); null for other kinds. */
  readonly away: boolean | null;
  readonly extraCiphertext: Buffer | null;
  readonly updatedAt: number;
}

export type NewEventRow = Omit<EventRow, 'seq'>;

export type { RollupRow } from './rollups-sql.js';

export interface EventQuery {
  readonly from?: number;
  readonly to?: number;
  readonly kind?: ActivityKind;
  readonly bucketId?: string;
  readonly limit?: number;
  /** `desc`: newest first (ActivityWatch's order); default oldest first. */
  readonly order?: 'asc' | 'desc';
}

/** Selectors of an erase: every event of one app, or of one domain. */
export type EventSelector = { readonly appId: number } | { readonly domainId: number };

export interface EventWrites {
  /**
   * Run first in a transaction: on PostgreSQL the device row's lock
   * serialises writers of one device across processes. (SQLite has one
   * writer at a time already.)
   */
  lockDevice(userId: string, deviceId: string): Promise<void>;
  touchDevice(userId: string, deviceId: string, now: number): Promise<void>;
  /** Raises the device's bound on event durations to `ms` if it is lower (overlappingAll relies on it). */
  noteLongestEvent(userId: string, deviceId: string, ms: number): Promise<void>;
  byUids(userId: string, uids: readonly string[]): Promise<EventRow[]>;
  bySeq(userId: string, seq: number): Promise<EventRow | null>;
  /** The event of the bucket with the latest start (ties: the latest written). */
  lastInBucket(userId: string, bucketId: string): Promise<EventRow | null>;
  /** The device's events that overlap [start, end) (start < end of event, end > start of event). */
  overlapping(userId: string, deviceId: string, start: number, end: number): Promise<EventRow[]>;
  /** Every event of the person (all devices) that overlaps [start, end). */
  overlappingAll(userId: string, start: number, end: number): Promise<EventRow[]>;
  /** Inserts the rows; answers uid → seq. */
  insert(userId: string, rows: readonly NewEventRow[]): Promise<Map<string, number>>;
  /** Rewrites rows in place (matched by seq), setting only the columns that changed. */
  update(userId: string, rows: readonly { before: EventRow; after: EventRow }[]): Promise<void>;
  delete(userId: string, seqs: readonly number[]): Promise<void>;
  /** Adds each cell's ms to the stored sum (cells may be negative); sums that reach 0 are removed. */
  addRollups(userId: string, cells: readonly RollupRow[]): Promise<void>;

  // Categorisation: the category and level rollups follow the version of the
  // person's rules (category_state), read and recorded inside the same
  // transaction as the rollups they describe.

  /** The version of the person's categories and rules (0: the defaults, never changed). */
  categoryVersion(userId: string): Promise<number>;
  /** Locks every device of the person (PostgreSQL; in id order) and answers their ids. */
  lockDevices(userId: string): Promise<string[]>;
  /** Replaces the cells of these dimensions in slots [fromSlot, toSlot) by `cells`. */
  replaceRollups(
    userId: string,
    dimensions: readonly string[],
    fromSlot: number,
    toSlot: number,
    cells: readonly RollupRow[],
  ): Promise<void>;
  /** Records re-categorisation progress and, when given, the version now fully applied. */
  recordCategorisation(
    userId: string,
    progress: { done: number; total: number; categorisedVersion?: number },
  ): Promise<void>;
}

export interface EventsRepository extends EventWrites {
  transaction<T>(work: (tx: EventWrites) => Promise<T>): Promise<T>;
  list(userId: string, query: EventQuery): Promise<EventRow[]>;
  /**
   * Up to `limit` of the person's events in (start, uid) order, after the
   * event `after` names (from the first when null): a keyset page, so an
   * export reads a whole history a page at a time, in an order that does
   * not depend on `seq` (which an import cannot keep).
   */
  page(
    userId: string,
    after: { readonly start: number; readonly uid: string } | null,
    limit: number,
  ): Promise<EventRow[]>;
  count(userId: string, query: EventQuery): Promise<number>;
  matching(userId: string, selector: EventSelector): Promise<EventRow[]>;
  rollups(userId: string, dimension: string, fromSlot: number, toSlot: number): Promise<RollupRow[]>;
  /** Sum of ms per key of one dimension over slots [fromSlot, toSlot), in SQL. */
  rollupTotals(
    userId: string,
    dimension: string,
    fromSlot: number,
    toSlot: number,
  ): Promise<{ key: number; ms: number }[]>;
  /**
   * Sum of ms per (range, key) of one dimension, for sorted, disjoint,
   * slot-aligned ranges: the database cuts the cells into the ranges (one
   * index range each), so only one row per range and key leaves it.
   */
  rollupSumsByRange(
    userId: string,
    dimension: string,
    ranges: readonly { start: number; end: number }[],
  ): Promise<{ range: number; key: number; ms: number }[]>;
  /** The earliest start and latest end of the person's events; null without events. */
  extent(userId: string): Promise<{ start: number; end: number } | null>;
  /** Every stored rollup cell of the person (tests and rebuilds). */
  allRollups(userId: string): Promise<RollupRow[]>;
  /** Deletes events that ended at or before `cutoff` and rollup slots before it. */
  deleteBefore(userId: string, cutoff: number): Promise<number>;
  deleteAll(userId: string): Promise<number>;
  /** Names of these kinds that no event references any more. */
  pruneNames(userId: string): Promise<number>;
}

const INSERT_CHUNK = 500;
const DELETE_CHUNK = 500;

function toRow(r: Selectable<EventsTable>): EventRow {
  return {
    seq: Number(r.seq),
    uid: r.uid,
    deviceId: r.device_id,
    bucketId: r.bucket_id,
    kind: r.kind,
    start: Number(r.start_ms),
    end: Number(r.end_ms),
    appId: r.app_id === null ? null : Number(r.app_id),
    titleId: r.title_id === null ? null : Number(r.title_id),
    domainId: r.domain_id === null ? null : Number(r.domain_id),
    urlId: r.url_id === null ? null : Number(r.url_id),
    away: r.away === null ? null : Number(r.away) === 1,
    extraCiphertext: r.extra_ct ? Buffer.from(r.extra_ct) : null,
    updatedAt: Number(r.updated_at),
  };
}

function toColumns(userId: string, row: NewEventRow) {
  return {
    user_id: userId,
    uid: row.uid,
    device_id: row.deviceId,
    bucket_id: row.bucketId,
    kind: row.kind,
    start_ms: row.start,
    end_ms: row.end,
    app_id: row.appId,
    title_id: row.titleId,
    domain_id: row.domainId,
    url_id: row.urlId,
    away: row.away === null ? null : row.away ? 1 : 0,
    extra_ct: row.extraCiphertext,
    updated_at: row.updatedAt,
  };
}

function writes(db: Kysely<Database>, kind: DatabaseKind): EventWrites {
  return {
    async lockDevice(userId, deviceId) {
      if (kind !== 'postgres') return;
      await db
        .selectFrom('devices')
        .select('id')
        .where('user_id', '=', userId)
        .where('id', '=', deviceId)
        .forUpdate()
        .execute();
    },
    async lockDevices(userId) {
      let q = db.selectFrom('devices').select('id').where('user_id', '=', userId).orderBy('id');
      if (kind === 'postgres') q = q.forUpdate();
      return (await q.execute()).map((r) => r.id);
    },
    async categoryVersion(userId) {
      const r = await db
        .selectFrom('category_state')
        .select('version')
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return r ? Number(r.version) : 0;
    },
    replaceRollups: (userId, dimensions, fromSlot, toSlot, cells) =>
      replaceCells(db, userId, dimensions, fromSlot, toSlot, cells),
    async recordCategorisation(userId, progress) {
      await db
        .updateTable('category_state')
        .set({
          progress_done: progress.done,
          progress_total: progress.total,
          ...(progress.categorisedVersion === undefined ? {} : { categorised_version: progress.categorisedVersion }),
        })
        .where('user_id', '=', userId)
        .execute();
    },
    async noteLongestEvent(userId, deviceId, ms) {
      await db
        .updateTable('devices')
        .set({ longest_event_ms: ms })
        .where('user_id', '=', userId)
        .where('id', '=', deviceId)
        .where('longest_event_ms', '<', ms)
        .execute();
    },
    async touchDevice(userId, deviceId, now) {
      await db
        .updateTable('devices')
        .set({ last_seen_at: now })
        .where('user_id', '=', userId)
        .where('id', '=', deviceId)
        .execute();
    },
    async byUids(userId, uids) {
      const out: EventRow[] = [];
      for (let i = 0; i < uids.length; i += INSERT_CHUNK) {
        const rows = await db
          .selectFrom('events')
          .selectAll()
          .where('user_id', '=', userId)
          .where('uid', 'in', uids.slice(i, i + INSERT_CHUNK))
          .execute();
        out.push(...rows.map(toRow));
      }
      return out;
    },
    async bySeq(userId, seq) {
      const r = await db
        .selectFrom('events')
        .selectAll()
        .where('user_id', '=', userId)
        .where('seq', '=', seq)
        .executeTakeFirst();
      return r ? toRow(r) : null;
    },
    async lastInBucket(userId, bucketId) {
      const r = await db
        .selectFrom('events')
        .selectAll()
        .where('user_id', '=', userId)
        .where('bucket_id', '=', bucketId)
        .orderBy('start_ms', 'desc')
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      return r ? toRow(r) : null;
    },
    async overlapping(userId, deviceId, start, end) {
      const rows = await db
        .selectFrom('events')
        .selectAll()
        .where('user_id', '=', userId)
        .where('device_id', '=', deviceId)
        .where('end_ms', '>', start)
        .where('start_ms', '<', end)
        .execute();
      return rows.map(toRow);
    },
    async overlappingAll(userId, start, end) {
      // No event lasts longer than its device's bound, so none that overlaps
      // started before start − longest: the start_ms index range is bounded.
      const bound = await db
        .selectFrom('devices')
        .select((eb) => eb.fn.max('longest_event_ms').as('longest'))
        .where('user_id', '=', userId)
        .executeTakeFirst();
      const longest = Number(bound?.longest ?? 0);
      const rows = await db
        .selectFrom('events')
        .selectAll()
        .where('user_id', '=', userId)
        .where('start_ms', '>=', start - longest)
        .where('start_ms', '<', end)
        .where('end_ms', '>', start)
        .execute();
      return rows.map(toRow);
    },
    async insert(userId, rows) {
      const seqs = new Map<string, number>();
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const chunk = rows.slice(i, i + INSERT_CHUNK).map((r) => toColumns(userId, r));
        const inserted = await db.insertInto('events').values(chunk).returning(['seq', 'uid']).execute();
        for (const r of inserted) seqs.set(r.uid, Number(r.seq));
      }
      return seqs;
    },
    async update(userId, rows) {
      for (const { before, after } of rows) {
        // Only changed columns: SQLite rewrites the entries of every index
        // whose columns appear in SET, changed or not.
        const old = toColumns(userId, before);
        const changed = Object.fromEntries(
          Object.entries(toColumns(userId, after)).filter(([column, value]) => {
            const was = old[column as keyof typeof old];
            return Buffer.isBuffer(value) && Buffer.isBuffer(was) ? !value.equals(was) : value !== was;
          }),
        );
        if (Object.keys(changed).length === 0) continue;
        await db
          .updateTable('events')
          .set(changed)
          .where('user_id', '=', userId)
          .where('seq', '=', before.seq)
          .execute();
      }
    },
    async delete(userId, seqs) {
      for (let i = 0; i < seqs.length; i += DELETE_CHUNK) {
        await db
          .deleteFrom('events')
          .where('user_id', '=', userId)
          .where('seq', 'in', seqs.slice(i, i + DELETE_CHUNK))
          .execute();
      }
    },
    addRollups: (userId, cells) => addCells(db, userId, cells),
  };
}

export function eventsRepository(db: Kysely<Database>, kind: DatabaseKind): EventsRepository {
  function filtered(userId: string, query: EventQuery) {
    let q = db.selectFrom('events').where('user_id', '=', userId);
    if (query.bucketId !== undefined) q = q.where('bucket_id', '=', query.bucketId);
    if (query.kind !== undefined) q = q.where('kind', '=', query.kind);
    if (query.from !== undefined) q = q.where('end_ms', '>=', query.from);
    if (query.to !== undefined) q = q.where('start_ms', '<=', query.to);
    return q;
  }

  return {
    ...writes(db, kind),
    transaction: (work) => db.transaction().execute((trx) => work(writes(trx, kind))),
    async list(userId, query) {
      const order = query.order ?? 'asc';
      let q = filtered(userId, query).selectAll().orderBy('start_ms', order).orderBy('seq', order);
      if (query.limit !== undefined) q = q.limit(query.limit);
      return (await q.execute()).map(toRow);
    },
    async page(userId, after, limit) {
      let q = db.selectFrom('events').selectAll().where('user_id', '=', userId);
      if (after !== null) {
        q = q.where((eb) =>
          eb.or([
            eb('start_ms', '>', after.start),
            eb.and([eb('start_ms', '=', after.start), eb('uid', '>', after.uid)]),
          ]),
        );
      }
      return (await q.orderBy('start_ms').orderBy('uid').limit(limit).execute()).map(toRow);
    },
    async count(userId, query) {
      const r = await filtered(userId, query)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async matching(userId, selector) {
      let q = db.selectFrom('events').selectAll().where('user_id', '=', userId);
      q = 'appId' in selector ? q.where('app_id', '=', selector.appId) : q.where('domain_id', '=', selector.domainId);
      return (await q.execute()).map(toRow);
    },
    rollups: (userId, dimension, fromSlot, toSlot) => readCells(db, userId, { dimension, fromSlot, toSlot }),
    rollupSumsByRange: (userId, dimension, ranges) => sumsByRange(db, userId, dimension, ranges),
    async rollupTotals(userId, dimension, fromSlot, toSlot) {
      const sums = await sumsByRange(db, userId, dimension, [{ start: fromSlot, end: toSlot }]);
      return sums.map(({ key, ms }) => ({ key, ms }));
    },
    async extent(userId) {
      const r = await db
        .selectFrom('events')
        .select((eb) => [eb.fn.min('start_ms').as('start'), eb.fn.max('end_ms').as('end')])
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return r && r.start !== null && r.end !== null ? { start: Number(r.start), end: Number(r.end) } : null;
    },
    allRollups: (userId) => readCells(db, userId),
    async deleteBefore(userId, cutoff) {
      return db.transaction().execute(async (trx) => {
        const gone = await trx
          .deleteFrom('events')
          .where('user_id', '=', userId)
          .where('end_ms', '<=', cutoff)
          .executeTakeFirst();
        await cutCellsBefore(trx, userId, cutoff);
        return Number(gone.numDeletedRows);
      });
    },
    async deleteAll(userId) {
      return db.transaction().execute(async (trx) => {
        const gone = await trx.deleteFrom('events').where('user_id', '=', userId).executeTakeFirst();
        await trx.deleteFrom('rollups').where('user_id', '=', userId).execute();
        return Number(gone.numDeletedRows);
      });
    },
    async pruneNames(userId) {
      const referenced = (column: 'app_id' | 'title_id' | 'domain_id' | 'url_id') =>
        db.selectFrom('events').select(column).where('user_id', '=', userId).where(column, 'is not', null);
      const result = await db
        .deleteFrom('names')
        .where('user_id', '=', userId)
        .where('kind', 'in', ['app', 'title', 'domain', 'url'])
        .where((eb) =>
          eb.and([
            eb('id', 'not in', referenced('app_id')),
            eb('id', 'not in', referenced('title_id')),
            eb('id', 'not in', referenced('domain_id')),
            eb('id', 'not in', referenced('url_id')),
          ]),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
