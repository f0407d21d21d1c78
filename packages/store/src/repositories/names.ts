/**
 * SQL over the names dictionary (see schema.ts). Ids are chosen by the
 * caller (derived from the blind index, so the same name gets the same id on
 * every device and process without a round trip); a collision with another
 * name's id is reported, and the caller picks the next id.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface NameRow {
  readonly id: number;
  readonly kind: string;
  readonly blindIndex: Buffer;
  readonly ciphertext: Buffer;
}

export type InsertNameResult = 'inserted' | 'exists' | 'id_taken';

export interface NamesRepository {
  /** The id of the entry with this blind index, or null. */
  findId(userId: string, kind: string, blindIndex: Buffer): Promise<number | null>;
  /** Inserts the entry unless it exists; `id_taken` when another name holds the id. */
  insert(userId: string, row: NameRow, now: number): Promise<InsertNameResult>;
  /** Ids of the entries with these blind indexes, keyed by the index in hex (absent when not stored). */
  findIds(userId: string, kind: string, blindIndexes: readonly Buffer[]): Promise<Map<string, number>>;
  /** Inserts the entries in one statement per chunk, skipping any whose id or index exists. */
  insertMany(userId: string, rows: readonly NameRow[], now: number): Promise<void>;
  /** The entries with these ids (missing ids are absent from the answer). */
  byIds(userId: string, ids: readonly number[]): Promise<NameRow[]>;
  deleteAll(userId: string): Promise<number>;
}

const ID_BATCH = 500;

export function namesRepository(db: Kysely<Database>): NamesRepository {
  async function findId(userId: string, kind: string, blindIndex: Buffer): Promise<number | null> {
    const row = await db
      .selectFrom('names')
      .select('id')
      .where('user_id', '=', userId)
      .where('kind', '=', kind)
      .where('blind_index', '=', blindIndex)
      .executeTakeFirst();
    return row ? Number(row.id) : null;
  }

  return {
    findId,
    async insert(userId, row, now) {
      const result = await db
        .insertInto('names')
        .values({
          user_id: userId,
          id: row.id,
          kind: row.kind,
          blind_index: row.blindIndex,
          value_ct: row.ciphertext,
          created_at: now,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 1) return 'inserted';
      const existing = await findId(userId, row.kind, row.blindIndex);
      return existing === null ? 'id_taken' : 'exists';
    },
    async findIds(userId, kind, blindIndexes) {
      const found = new Map<string, number>();
      for (let start = 0; start < blindIndexes.length; start += ID_BATCH) {
        const rows = await db
          .selectFrom('names')
          .select(['id', 'blind_index'])
          .where('user_id', '=', userId)
          .where('kind', '=', kind)
          .where('blind_index', 'in', blindIndexes.slice(start, start + ID_BATCH))
          .execute();
        for (const r of rows) found.set(Buffer.from(r.blind_index).toString('hex'), Number(r.id));
      }
      return found;
    },
    async insertMany(userId, rows, now) {
      for (let start = 0; start < rows.length; start += ID_BATCH) {
        const values = rows.slice(start, start + ID_BATCH).map((row) => ({
          user_id: userId,
          id: row.id,
          kind: row.kind,
          blind_index: row.blindIndex,
          value_ct: row.ciphertext,
          created_at: now,
        }));
        await db
          .insertInto('names')
          .values(values)
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    },
    async byIds(userId, ids) {
      const rows: NameRow[] = [];
      for (let start = 0; start < ids.length; start += ID_BATCH) {
        const batch = ids.slice(start, start + ID_BATCH);
        const found = await db
          .selectFrom('names')
          .select(['id', 'kind', 'blind_index', 'value_ct'])
          .where('user_id', '=', userId)
          .where('id', 'in', batch)
          .execute();
        for (const r of found) {
          rows.push({
            id: Number(r.id),
            kind: r.kind,
            blindIndex: Buffer.from(r.blind_index),
            ciphertext: Buffer.from(r.value_ct),
          });
        }
      }
      return rows;
    },
    async deleteAll(userId) {
      const result = await db.deleteFrom('names').where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
