import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { Connection } from '../src/dialects/dialect.js';
import { openPostgres, parseSafeInteger } from '../src/dialects/postgres.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/databases.js';
import { withDatabase } from '../../../test/support/postgres-admin.js';
import { expectStoreError } from './helpers.js';

const postgresUrl = inject('postgresUrl');

describe('parseSafeInteger', () => {
  it.each([
    ['0', 0],
    ['-1', -1],
    ['1099511627776', 2 ** 40],
    ['1795362136336', 1_795_362_136_336],
    ['9007199254740991', Number.MAX_SAFE_INTEGER],
    ['-9007199254740991', Number.MIN_SAFE_INTEGER],
  ])('parses %s', (text, value) => {
    expect(parseSafeInteger(text)).toBe(value);
  });

  it.each(['9007199254740992', '9007199254740993', '-9007199254740992', '9223372036854775807', 'abc', '1.5'])(
    'refuses %s',
    (text) => {
      expect(() => parseSafeInteger(text)).toThrow(RangeError);
      expect(() => parseSafeInteger(text)).toThrow(`integer ${text} from PostgreSQL does not fit a JavaScript number`);
    },
  );

  it('parses the decimal text of every safe integer back to it', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        expect(parseSafeInteger(String(n))).toBe(n);
      }),
      { numRuns: 1000 },
    );
  });
});

(postgresUrl === null ? describe.skip : describe)('PostgreSQL', () => {
  describe('openPostgres failures', () => {
    it('reports a refused connection, without the password', async () => {
      const error = await expectStoreError(
        openPostgres('postgres://postgres:s3cret@127.0.0.1:1/test'),
        'store.unreachable',
      );
      expect(error.message).toBe(
        'cannot reach PostgreSQL at postgres://postgres:***@127.0.0.1:1/test: connection refused (is the server running?)',
      );
      expect(error.message).not.toContain('s3cret');
      expect(error.cause).toMatchObject({ code: 'ECONNREFUSED' });
    });

    it('reports a database that does not exist', async () => {
      const name = `sundial_test_missing_${randomBytes(6).toString('hex')}`;
      const url = withDatabase(postgresUrl ?? '', name);
      const error = await expectStoreError(openPostgres(url), 'store.unreachable');
      expect(error.message).toContain(name);
      expect(error.message).toMatch(/: the database does not exist$/);
      expect(error.cause).toMatchObject({ code: '3D000' });
    });
  });

  describe('number parsing', () => {
    let database: TestDatabase;
    let conn: Connection;
    beforeEach(async () => {
      database = await createTestDatabase('postgres');
      if (database.target.kind !== 'postgres') throw new Error('expected a PostgreSQL database');
      conn = await openPostgres(database.target.url);
    });
    afterEach(async () => {
      await conn.close();
      await database.drop();
    });

    const one = async (query: ReturnType<typeof sql<{ v: unknown }>>) => (await query.execute(conn.db)).rows[0]?.v;

    it.each([0, -1, 2 ** 40, 1_795_362_136_336, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER])(
      'answers bigint %d as a JavaScript number',
      async (n) => {
        const v = await one(sql<{ v: unknown }>`select ${n}::bigint as v`);
        expect(typeof v).toBe('number');
        expect(v).toBe(n);
      },
    );

    it('answers count(*) and sum(bigint) as numbers', async () => {
      const { rows } = await sql<{ n: unknown; total: unknown; mean: unknown }>`
        select count(*) as n, sum(x) as total, avg(x) as mean
        from (values (${2 ** 40}::bigint), (${1_795_362_136_336}::bigint), (${2}::bigint)) as t (x)`.execute(conn.db);
      expect(rows).toEqual([
        { n: 3, total: 2 ** 40 + 1_795_362_136_336 + 2, mean: (2 ** 40 + 1_795_362_136_336 + 2) / 3 },
      ]);
    });

    it('answers numeric as a JavaScript number', async () => {
      expect(await one(sql<{ v: unknown }>`select ${'12.5'}::numeric as v`)).toBe(12.5);
      expect(await one(sql<{ v: unknown }>`select ${'-0.001'}::numeric as v`)).toBe(-0.001);
      expect(await one(sql<{ v: unknown }>`select 1795362136336::numeric as v`)).toBe(1_795_362_136_336);
    });

    it('answers null as null', async () => {
      expect(await one(sql<{ v: unknown }>`select null::bigint as v`)).toBeNull();
      expect(await one(sql<{ v: unknown }>`select null::numeric as v`)).toBeNull();
    });

    it('round-trips any safe integer through a bigint column', async () => {
      await sql`create table numbers (id integer primary key, v bigint not null)`.execute(conn.db);
      const values = fc.sample(fc.maxSafeInteger(), { numRuns: 200, seed: 42 });
      values.push(0, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER);
      await sql`insert into numbers (id, v) select i, v from unnest(${values.map((_, i) => i)}::int[], ${values.map(String)}::bigint[]) with ordinality as t (i, v)`.execute(
        conn.db,
      );
      const { rows } = await sql<{ v: unknown }>`select v from numbers order by id`.execute(conn.db);
      expect(rows.map((r) => r.v)).toEqual(values);
    });

    it.each(['9007199254740992', '9007199254740993', '-9007199254740993', '9223372036854775807'])(
      'fails the query for bigint %s, which does not fit, and keeps the pool usable',
      async (text) => {
        await expect(one(sql<{ v: unknown }>`select ${text}::bigint as v`)).rejects.toThrow(
          new RangeError(`integer ${text} from PostgreSQL does not fit a JavaScript number`),
        );
        expect(await one(sql<{ v: unknown }>`select 7::bigint as v`)).toBe(7);
      },
    );

    it('fails the query for a numeric that is not finite', async () => {
      await expect(one(sql<{ v: unknown }>`select 'NaN'::numeric as v`)).rejects.toThrow(/not finite/);
      await expect(one(sql<{ v: unknown }>`select 'Infinity'::numeric as v`)).rejects.toThrow(/not finite/);
    });
  });
});
