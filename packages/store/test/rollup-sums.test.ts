/**
 * rollupSumsByRange: the database cuts rollup cells into ranges and sums
 * them per key; the answer must equal summing the cells in JavaScript.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStore, type Store } from '../src/store.js';
import { withConnection } from './helpers.js';
import { createTestDatabase, eachDatabase, type TestDatabase } from '../../../test/support/databases.js';

const SLOT = 15 * 60_000;
const T0 = Date.UTC(2025, 2, 29, 0, 0, 0);

eachDatabase('rollup sums by range', (kind) => {
  let database: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    database = await createTestDatabase(kind);
    store = await openStore(database.target);
    await withConnection(database.target, async ({ db }) => {
      for (const id of ['u1', 'u2']) {
        await sql`insert into users (id, email_index, email_ct, status, created_at, updated_at)
          values (${id}, ${Buffer.from(id)}, ${Buffer.from(id)}, 'active', 0, 0)`.execute(db);
      }
    });
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  it('sums each range and key, leaving out other people, dimensions and slots outside every range', async () => {
    const cells = [];
    for (let i = 0; i < 400; i += 1) {
      cells.push({ dimension: 'level', slot: T0 + i * SLOT, key: (i % 5) - 2, ms: 1_000 + i });
      cells.push({ dimension: 'app', slot: T0 + i * SLOT, key: 7, ms: 5 });
    }
    await store.events.addRollups('u1', cells);
    await store.events.addRollups('u2', [{ dimension: 'level', slot: T0, key: 0, ms: 999_999 }]);
    // A 23-hour day, a 25-hour day, and a gap between ranges.
    const ranges = [
      { start: T0 + 4 * SLOT, end: T0 + 96 * SLOT },
      { start: T0 + 96 * SLOT, end: T0 + 188 * SLOT },
      { start: T0 + 200 * SLOT, end: T0 + 300 * SLOT },
    ];
    const expected = new Map<string, number>();
    for (const c of cells.filter((c) => c.dimension === 'level')) {
      const range = ranges.findIndex((r) => c.slot >= r.start && c.slot < r.end);
      if (range === -1) continue;
      expected.set(`${range}/${c.key}`, (expected.get(`${range}/${c.key}`) ?? 0) + c.ms);
    }
    const got = await store.events.rollupSumsByRange('u1', 'level', ranges);
    expect(new Map(got.map((r) => [`${r.range}/${r.key}`, r.ms]))).toEqual(expected);
    expect(await store.events.rollupSumsByRange('u1', 'level', [])).toEqual([]);
  });
});
