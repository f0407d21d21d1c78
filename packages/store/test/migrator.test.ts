import { afterEach, beforeEach, expect, it } from 'vitest';
import type { DatabaseKind } from '../src/database-url.js';
import { migrations, type Migration } from '../src/migrations/index.js';
import { openStore } from '../src/store.js';
import { createTestDatabase, eachDatabase, type TestDatabase } from '../../../test/support/databases.js';
import {
  createTableMigration,
  expectStoreError,
  recordedMigrations,
  tableNames,
  throwingMigration,
  withConnection,
} from './helpers.js';

const allNames = migrations.map((m) => m.name);
const first = createTableMigration('20990101T0000_first', 'first_table');
const second = createTableMigration('20990101T0100_second', 'second_table');
const third = createTableMigration('20990101T0200_third', 'third_table');
const clock = () => 1_795_362_136_336;

eachDatabase('migrateToLatest', (kind) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase(kind);
  });
  afterEach(async () => {
    await database.drop();
  });

  it('applies every migration to a fresh database, in order, and records each once', async () => {
    const store = await openStore(database.target, { now: clock });
    try {
      expect(migrations.length).toBeGreaterThan(0);
      expect(store.migration).toEqual({ applied: allNames, latest: allNames.at(-1) });
      expect(await recordedMigrations(database.target)).toEqual(
        [...allNames].sort().map((name) => ({ name, applied_at: clock() })),
      );
      expect(await tableNames(database.target)).toEqual([
        'alert_firings',
        'alert_state',
        'alerts',
        'api_tokens',
        'audit_head',
        'audit_log',
        'aw_settings',
        'buckets',
        'categories',
        'category_rules',
        'category_state',
        'device_pairings',
        'device_status',
        'devices',
        'events',
        'instance_meta',
        'names',
        'passkeys',
        'password_resets',
        'privacy_settings',
        'recovery_codes',
        'rollups',
        'sessions',
        'sundial_migrations',
        'throttle',
        'users',
        'webauthn_challenges',
      ]);
    } finally {
      await store.close();
    }
  });

  it('applies nothing when opened again, and keeps the data', async () => {
    const firstOpen = await openStore(database.target, { now: () => 1000 });
    await firstOpen.instanceMeta.setIfAbsent('instance_id', 'inst-1', 1000);
    await firstOpen.close();

    const again = await openStore(database.target, { now: () => 2000 });
    try {
      expect(again.migration).toEqual({ applied: [], latest: allNames.at(-1) });
      expect(await again.instanceMeta.get('instance_id')).toBe('inst-1');
      const recorded = await recordedMigrations(database.target);
      expect(recorded.map((r) => r.name)).toEqual([...allNames].sort());
      expect(recorded.every((r) => r.applied_at === 1000)).toBe(true);
    } finally {
      await again.close();
    }
  });

  it('applies only the migrations added since the last start, and passes the dialect', async () => {
    const kinds: DatabaseKind[] = [];
    const watched: Migration = {
      name: third.name,
      async up(db, dialect) {
        kinds.push(dialect);
        await third.up(db, dialect);
      },
    };
    const old = await openStore(database.target, { migrations: [first] });
    expect(old.migration).toEqual({ applied: [first.name], latest: first.name });
    await old.close();

    const newer = await openStore(database.target, { migrations: [first, second, watched] });
    await newer.close();
    expect(newer.migration).toEqual({ applied: [second.name, third.name], latest: third.name });
    expect(kinds).toEqual([kind]);
    expect((await recordedMigrations(database.target)).map((r) => r.name)).toEqual([
      first.name,
      second.name,
      third.name,
    ]);
  });

  it('refuses a database with a migration it does not know, and changes nothing', async () => {
    const future = '21000101T0000_from_a_newer_sundial';
    await (await openStore(database.target, { migrations: [first] })).close();
    await withConnection(database.target, (conn) =>
      conn.db.insertInto('sundial_migrations').values({ name: future, applied_at: 5 }).execute(),
    );

    const error = await expectStoreError(
      openStore(database.target, { migrations: [first, second] }),
      'store.unknown_migration',
    );
    expect(error.message).toContain(future);
    expect(error.message).not.toContain(first.name);
    expect((await recordedMigrations(database.target)).map((r) => r.name)).toEqual([first.name, future]);
    expect(await tableNames(database.target)).not.toContain('second_table');
  });

  it('rolls back the whole run when a migration throws', async () => {
    const error = await expectStoreError(
      openStore(database.target, { migrations: [first, throwingMigration('20990101T0100_broken', 'boom')] }),
      'store.migration_failed',
    );
    expect(error.message).toContain('20990101T0100_broken');
    expect(error.message).toContain('boom');
    expect(error.cause).toBeInstanceOf(Error);
    expect(await tableNames(database.target)).not.toContain('first_table');
    expect(await recordedMigrations(database.target)).toEqual([]);
  });

  it('rolls back only the failing run when a migration fails in SQL', async () => {
    await (await openStore(database.target, { migrations: [first] })).close();
    const clash = createTableMigration('20990101T0200_clash', 'second_table');
    const error = await expectStoreError(
      openStore(database.target, { migrations: [first, second, clash, third] }),
      'store.migration_failed',
    );
    expect(error.message).toContain('20990101T0200_clash');
    expect(await tableNames(database.target)).toEqual(['first_table', 'sundial_migrations']);
    expect((await recordedMigrations(database.target)).map((r) => r.name)).toEqual([first.name]);

    // The lock and the transaction were released: the next start succeeds.
    const fixed = await openStore(database.target, { migrations: [first, second, third] });
    await fixed.close();
    expect(fixed.migration.applied).toEqual([second.name, third.name]);
  });

  it.each([
    ['out of order', [second, first]],
    ['duplicated', [first, second, second]],
  ])('refuses migrations %s, before touching the database', async (_how, list) => {
    await expect(openStore(database.target, { migrations: list })).rejects.toThrow(/migrations out of order/);
    expect(await tableNames(database.target)).toEqual([]);
  });

  it('runs each migration once when two stores open at the same time', async () => {
    const list = [first, second, third];
    const results = await Promise.allSettled([
      openStore(database.target, { migrations: list }),
      openStore(database.target, { migrations: list }),
    ]);
    const stores = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    await Promise.all(stores.map((s) => s.close()));
    expect(results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []))).toEqual([]);
    const applied = stores.flatMap((s) => s.migration.applied).sort();
    expect(applied).toEqual(list.map((m) => m.name));
    expect(stores.map((s) => s.migration.latest)).toEqual([third.name, third.name]);
    expect((await recordedMigrations(database.target)).map((r) => r.name)).toEqual(list.map((m) => m.name));
  });
});
