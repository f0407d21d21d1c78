import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseTarget } from '../src/database-url.js';
import { openStore, type Store } from '../src/store.js';
import { createTestDatabase, eachDatabase, type TestDatabase } from '../../../test/support/databases.js';

eachDatabase('openStore', (kind) => {
  let database: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    database = await createTestDatabase(kind);
    store = await openStore(database.target);
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  describe('ping and close', () => {
    it('answers a ping while open', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('fails a ping after close', async () => {
      await store.close();
      await expect(store.ping()).rejects.toThrow();
    });

    it('can be closed twice, one after the other or at once', async () => {
      await expect(store.close()).resolves.toBeUndefined();
      await expect(store.close()).resolves.toBeUndefined();
      const other = await openStore(database.target);
      await expect(Promise.all([other.close(), other.close()])).resolves.toEqual([undefined, undefined]);
    });

    it('lets go of the database when closed, so that it can be opened again', async () => {
      await store.instanceMeta.setIfAbsent('k', 'v', 1);
      await store.close();
      store = await openStore(database.target);
      expect(await store.instanceMeta.get('k')).toBe('v');
    });
  });

  describe('instanceMeta', () => {
    it('answers null for a key never set', async () => {
      expect(await store.instanceMeta.get('instance_id')).toBeNull();
    });

    it('stores a value once and answers the first value on a second call', async () => {
      expect(await store.instanceMeta.setIfAbsent('instance_id', 'first', 1000)).toBe('first');
      expect(await store.instanceMeta.setIfAbsent('instance_id', 'second', 2000)).toBe('first');
      expect(await store.instanceMeta.get('instance_id')).toBe('first');
      expect(await store.instanceMeta.get('created_at')).toBeNull();
    });

    it('keeps keys apart and round-trips any text, including the empty string', async () => {
      const values: Record<string, string> = {
        empty: '',
        unicode: 'Zoë — 日本語 ✍️ \u{1F600}',
        quotes: `it's "quoted" \\ ; drop table instance_meta; --`,
        long: 'x'.repeat(100_000),
      };
      for (const [key, value] of Object.entries(values)) {
        expect(await store.instanceMeta.setIfAbsent(key, value, Date.now())).toBe(value);
      }
      for (const [key, value] of Object.entries(values)) {
        expect(await store.instanceMeta.get(key)).toBe(value);
      }
      expect(await store.instanceMeta.get('EMPTY')).toBeNull();
    });

    it('settles concurrent first writes on one value', async () => {
      const candidates = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
      const answers = await Promise.all(candidates.map((v, i) => store.instanceMeta.setIfAbsent('race', v, i)));
      const stored = await store.instanceMeta.get('race');
      expect(candidates).toContain(stored);
      expect(answers).toEqual(candidates.map(() => stored));
    });

    it('is seen by a second store on the same database', async () => {
      await store.instanceMeta.setIfAbsent('instance_id', 'shared', 1);
      const other = await openStore(database.target);
      try {
        expect(await other.instanceMeta.setIfAbsent('instance_id', 'mine', 2)).toBe('shared');
      } finally {
        await other.close();
      }
    });
  });

  describe('kind and location', () => {
    it(`is a ${kind} store`, () => {
      expect(store.kind).toBe(kind);
    });

    if (kind === 'sqlite') {
      it('is located at the database file', () => {
        const target = database.target as Extract<DatabaseTarget, { kind: 'sqlite' }>;
        expect(store.location).toBe(target.file);
      });
    } else {
      it('is located at the URL without its password', async () => {
        const target = database.target as Extract<DatabaseTarget, { kind: 'postgres' }>;
        const url = new URL(target.url);
        url.password = 's3cret';
        expect(url.toString()).toContain(':s3cret@');
        const withPassword = await openStore({ kind: 'postgres', url: url.toString() });
        try {
          await withPassword.ping();
          expect(withPassword.location).not.toContain('s3cret');
          expect(withPassword.location).toBe(url.toString().replace(':s3cret@', ':***@'));
          expect(withPassword.location).toContain(url.pathname);
        } finally {
          await withPassword.close();
        }
      });

      it('is located at the URL as given when it has no password', () => {
        const target = database.target as Extract<DatabaseTarget, { kind: 'postgres' }>;
        expect(store.location).toBe(target.url);
      });
    }
  });
});
