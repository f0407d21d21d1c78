/**
 * SQL over a person's alerts, the version that tracks changes to them, and
 * the days each alert fired. Names, targets and time zones arrive and leave
 * as ciphertexts.
 *
 * Changes run in `change`: one transaction that first bumps the person's
 * version (on PostgreSQL that row lock queues a concurrent change of the
 * same person, so the count checked against the limit stays true), then
 * works through the writer it is handed.
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { AlertsTable, Database } from '../schema.js';

export interface AlertRow {
  readonly id: string;
  readonly nameCiphertext: Buffer;
  readonly targetCiphertext: Buffer;
  readonly timeZoneCiphertext: Buffer;
  readonly comparison: string;
  readonly minutes: number;
  readonly days: readonly string[];
  readonly enabled: boolean;
  /** Bumped by every change of this alert (set by the repository). */
  readonly revision: number;
}

export type AlertFields = Omit<AlertRow, 'revision'>;

export interface FiringRow {
  readonly alertId: string;
  /** The alert's name as it is now. */
  readonly nameCiphertext: Buffer;
  readonly day: string;
  readonly firedAt: number;
  readonly observedMs: number;
}

export interface NewFiring {
  readonly alertId: string;
  /** The alert's revision the threshold was checked against. */
  readonly revision: number;
  readonly day: string;
  readonly firedAt: number;
  readonly observedMs: number;
}

/**
 * `fired`: recorded now. `already`: the alert fired that day before (maybe
 * in another process). `stale`: the alert is gone, disabled or changed
 * since the caller read it, and nothing was recorded.
 */
export type FireOutcome = 'fired' | 'already' | 'stale';

/** Reads and writes inside one change; see AlertsRepository.change. */
export interface AlertWriter {
  count(): Promise<number>;
  insert(row: AlertFields): Promise<AlertRow>;
  /** The alert with its new revision, or null when the person has no such alert. */
  update(row: AlertFields): Promise<AlertRow | null>;
  delete(id: string): Promise<boolean>;
}

export interface AlertsRepository {
  /** The version of the person's alerts, or null when they never had any. */
  version(userId: string): Promise<number | null>;
  list(userId: string): Promise<AlertRow[]>;
  byId(userId: string, id: string): Promise<AlertRow | null>;
  change<T>(userId: string, now: number, work: (writer: AlertWriter) => Promise<T>): Promise<T>;
  /** Records a firing once per alert and day, for the revision given only. */
  fire(userId: string, firing: NewFiring): Promise<FireOutcome>;
  /** Firings at or after `since`, oldest first, at most `limit`. */
  firings(userId: string, since: number, limit: number): Promise<FiringRow[]>;
  /** Deletes the person's firings before `cutoff`; answers how many. */
  pruneFirings(userId: string, cutoff: number): Promise<number>;
}

type Db = Kysely<Database> | Transaction<Database>;

const COLUMNS = [
  'id',
  'name_ct',
  'target_ct',
  'time_zone_ct',
  'comparison',
  'minutes',
  'days',
  'enabled',
  'revision',
] as const;

function toRow(r: Pick<Selectable<AlertsTable>, (typeof COLUMNS)[number]>): AlertRow {
  return {
    id: r.id,
    nameCiphertext: Buffer.from(r.name_ct),
    targetCiphertext: Buffer.from(r.target_ct),
    timeZoneCiphertext: Buffer.from(r.time_zone_ct),
    comparison: r.comparison,
    minutes: Number(r.minutes),
    days: r.days === '' ? [] : r.days.split(','),
    enabled: Number(r.enabled) === 1,
    revision: Number(r.revision),
  };
}

function values(row: AlertFields, now: number) {
  return {
    name_ct: row.nameCiphertext,
    target_ct: row.targetCiphertext,
    time_zone_ct: row.timeZoneCiphertext,
    comparison: row.comparison,
    minutes: row.minutes,
    days: row.days.join(','),
    enabled: row.enabled ? 1 : 0,
    updated_at: now,
  };
}

async function readOne(db: Db, userId: string, id: string): Promise<AlertRow | null> {
  const r = await db
    .selectFrom('alerts')
    .select(COLUMNS)
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? toRow(r) : null;
}

function writer(trx: Transaction<Database>, userId: string, now: number): AlertWriter {
  return {
    async count() {
      const r = await trx
        .selectFrom('alerts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async insert(row) {
      await trx
        .insertInto('alerts')
        .values({ user_id: userId, id: row.id, created_at: now, revision: 1, ...values(row, now) })
        .execute();
      return { ...row, revision: 1 };
    },
    async update(row) {
      const result = await trx
        .updateTable('alerts')
        .set({ ...values(row, now), revision: sql<number>`revision + 1` })
        .where('user_id', '=', userId)
        .where('id', '=', row.id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1 ? readOne(trx, userId, row.id) : null;
    },
    async delete(id) {
      const result = await trx
        .deleteFrom('alerts')
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
  };
}

export function alertsRepository(db: Kysely<Database>): AlertsRepository {
  return {
    async version(userId) {
      const r = await db.selectFrom('alert_state').select('version').where('user_id', '=', userId).executeTakeFirst();
      return r ? Number(r.version) : null;
    },
    async list(userId) {
      const rows = await db
        .selectFrom('alerts')
        .select(COLUMNS)
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toRow);
    },
    byId: (userId, id) => readOne(db, userId, id),
    change(userId, now, work) {
      return db.transaction().execute(async (trx) => {
        await trx
          .insertInto('alert_state')
          .values({ user_id: userId, version: 1 })
          .onConflict((oc) => oc.column('user_id').doUpdateSet({ version: sql<number>`alert_state.version + 1` }))
          .execute();
        return work(writer(trx, userId, now));
      });
    },
    async fire(userId, firing) {
      // One statement: the row is written only while the alert still stands
      // as the caller evaluated it, and the key keeps it to once a day.
      const result = await db
        .insertInto('alert_firings')
        .columns(['user_id', 'alert_id', 'day', 'fired_at', 'observed_ms'])
        .expression(
          db
            .selectFrom('alerts')
            .select([
              'user_id',
              'id',
              sql<string>`cast(${firing.day} as text)`.as('day'),
              sql<number>`cast(${firing.firedAt} as bigint)`.as('fired_at'),
              sql<number>`cast(${firing.observedMs} as bigint)`.as('observed_ms'),
            ])
            .where('user_id', '=', userId)
            .where('id', '=', firing.alertId)
            .where('revision', '=', firing.revision)
            .where('enabled', '=', 1),
        )
        .onConflict((oc) => oc.columns(['user_id', 'alert_id', 'day']).doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 1) return 'fired';
      const existing = await db
        .selectFrom('alert_firings')
        .select('day')
        .where('user_id', '=', userId)
        .where('alert_id', '=', firing.alertId)
        .where('day', '=', firing.day)
        .executeTakeFirst();
      return existing ? 'already' : 'stale';
    },
    async firings(userId, since, limit) {
      const rows = await db
        .selectFrom('alert_firings as f')
        .innerJoin('alerts as a', (join) => join.onRef('a.user_id', '=', 'f.user_id').onRef('a.id', '=', 'f.alert_id'))
        .select(['f.alert_id', 'a.name_ct', 'f.day', 'f.fired_at', 'f.observed_ms'])
        .where('f.user_id', '=', userId)
        .where('f.fired_at', '>=', since)
        .orderBy('f.fired_at')
        .orderBy('f.alert_id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        alertId: r.alert_id,
        nameCiphertext: Buffer.from(r.name_ct),
        day: r.day,
        firedAt: Number(r.fired_at),
        observedMs: Number(r.observed_ms),
      }));
    },
    async pruneFirings(userId, cutoff) {
      const result = await db
        .deleteFrom('alert_firings')
        .where('user_id', '=', userId)
        .where('fired_at', '<', cutoff)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
