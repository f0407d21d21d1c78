/**
 * SQL over the `rollups` table, both tiers (rollup-tiers.ts): adding deltas,
 * replacing a range, reading cells and summing ranges, and cutting the
 * table at a retention cutoff. The events repository exposes these inside
 * and outside its transactions.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { dayCells, dayDimension, DAY_MS, isDayDimension, signedParts } from './rollup-tiers.js';

export interface RollupRow {
  readonly dimension: string;
  readonly slot: number;
  readonly key: number;
  readonly ms: number;
}

const INSERT_CHUNK = 500;
/** Parts per sumsByRange query: 5 parameters each, well under both databases' limits. */
const PARTS_PER_QUERY = 1_500;

async function insertCells(db: Kysely<Database>, userId: string, cells: readonly RollupRow[]): Promise<void> {
  const rows = cells.map((c) => ({ user_id: userId, ...c }));
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await db
      .insertInto('rollups')
      .values(rows.slice(i, i + INSERT_CHUNK))
      .execute();
  }
}

/** Adds each slot cell's ms, and its day's, to the stored sums; sums that reach 0 are removed. */
export async function addCells(db: Kysely<Database>, userId: string, slotCells: readonly RollupRow[]): Promise<void> {
  if (slotCells.length === 0) return;
  const cells = [...slotCells, ...dayCells(slotCells)];
  for (let i = 0; i < cells.length; i += INSERT_CHUNK) {
    const chunk = cells.slice(i, i + INSERT_CHUNK).map((c) => ({ user_id: userId, ...c }));
    await db
      .insertInto('rollups')
      .values(chunk)
      .onConflict((oc) =>
        oc
          .columns(['user_id', 'dimension', 'slot', 'key'])
          .doUpdateSet((eb) => ({ ms: eb(eb.ref('rollups.ms'), '+', eb.ref('excluded.ms')) })),
      )
      .execute();
  }
  // Only a negative delta can bring a sum to zero.
  if (cells.every((c) => c.ms > 0)) return;
  const slots = cells.map((c) => c.slot);
  await db
    .deleteFrom('rollups')
    .where('user_id', '=', userId)
    .where('dimension', 'in', [...new Set(cells.map((c) => c.dimension))])
    .where('slot', '>=', Math.min(...slots))
    .where('slot', '<=', Math.max(...slots))
    .where('ms', '=', 0)
    .execute();
}

/** Replaces both tiers of these dimensions over whole UTC days [fromSlot, toSlot) by `cells`. */
export async function replaceCells(
  db: Kysely<Database>,
  userId: string,
  dimensions: readonly string[],
  fromSlot: number,
  toSlot: number,
  cells: readonly RollupRow[],
): Promise<void> {
  if (fromSlot % DAY_MS !== 0 || toSlot % DAY_MS !== 0) {
    throw new RangeError('replaceRollups: the range must start and end at UTC midnights (the day tier)');
  }
  await db
    .deleteFrom('rollups')
    .where('user_id', '=', userId)
    .where('dimension', 'in', [...dimensions, ...dimensions.map(dayDimension)])
    .where('slot', '>=', fromSlot)
    .where('slot', '<', toSlot)
    .execute();
  const kept = cells.filter((c) => c.ms !== 0);
  await insertCells(db, userId, [...kept, ...dayCells(kept)]);
}

/** Stored cells, ordered: of one dimension over [fromSlot, toSlot), or all of the person's. */
export async function readCells(
  db: Kysely<Database>,
  userId: string,
  only?: { dimension: string; fromSlot: number; toSlot: number },
): Promise<RollupRow[]> {
  let q = db.selectFrom('rollups').select(['dimension', 'slot', 'key', 'ms']).where('user_id', '=', userId);
  if (only) {
    q = q.where('dimension', '=', only.dimension).where('slot', '>=', only.fromSlot).where('slot', '<', only.toSlot);
  }
  const rows = await q.orderBy('dimension').orderBy('slot').orderBy('key').execute();
  return rows.map((r) => ({ dimension: r.dimension, slot: Number(r.slot), key: Number(r.key), ms: Number(r.ms) }));
}

/** Sums per (range, key): the ranges cut into signed tier parts, summed in SQL. */
export async function sumsByRange(
  db: Kysely<Database>,
  userId: string,
  dimension: string,
  ranges: readonly { start: number; end: number }[],
): Promise<{ range: number; key: number; ms: number }[]> {
  const parts = ranges.flatMap((r, range) => signedParts(dimension, r.start, r.end).map((p) => ({ range, ...p })));
  const sums = new Map<string, { range: number; key: number; ms: number }>();
  for (let first = 0; first < parts.length; first += PARTS_PER_QUERY) {
    const rows = parts
      .slice(first, first + PARTS_PER_QUERY)
      .map(
        (p) =>
          sql`(cast(${p.range} as bigint), cast(${p.sign} as bigint), ${p.dimension}, cast(${p.start} as bigint), cast(${p.end} as bigint))`,
      );
    const result = await sql<{ range: number | string; key: number | string; ms: number | string }>`
        with parts (i, sign, dimension, s, e) as (values ${sql.join(rows)})
        select parts.i as range, r.key as key, sum(parts.sign * r.ms) as ms
        from parts join rollups r
          on r.user_id = ${userId} and r.dimension = parts.dimension and r.slot >= parts.s and r.slot < parts.e
        group by parts.i, r.key`.execute(db);
    for (const r of result.rows) {
      const id = `${r.range}/${r.key}`;
      const ms = (sums.get(id)?.ms ?? 0) + Number(r.ms);
      sums.set(id, { range: Number(r.range), key: Number(r.key), ms });
    }
  }
  return [...sums.values()].filter((r) => r.ms !== 0);
}

/**
 * Retention: slots before the cutoff go, and so do the days before the
 * cutoff's day; that day's cells are summed again from the slots it keeps.
 */
export async function cutCellsBefore(db: Kysely<Database>, userId: string, cutoff: number): Promise<void> {
  const day = Math.floor(cutoff / DAY_MS) * DAY_MS;
  await db.deleteFrom('rollups').where('user_id', '=', userId).where('slot', '<', cutoff).execute();
  if (day === cutoff) return;
  const kept = await db
    .selectFrom('rollups')
    .select(['dimension', 'slot', 'key', 'ms'])
    .where('user_id', '=', userId)
    .where('slot', '>=', cutoff)
    .where('slot', '<', day + DAY_MS)
    .execute();
  const slots = kept
    .filter((r) => !isDayDimension(r.dimension))
    .map((r) => ({ dimension: r.dimension, slot: Number(r.slot), key: Number(r.key), ms: Number(r.ms) }));
  await db
    .deleteFrom('rollups')
    .where('user_id', '=', userId)
    .where('slot', '=', day)
    .where('dimension', 'like', '%/day')
    .execute();
  await insertCells(db, userId, dayCells(slots));
}
