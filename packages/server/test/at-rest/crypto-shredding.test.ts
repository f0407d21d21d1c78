/**
 * Deleting a person is final, even against a data backup taken before the
 * deletion: the backup still holds their ciphertexts, but the keyring no
 * longer holds their key, no remaining key opens them, and a data backup
 * never carries keys of its own.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  decryptField,
  isCryptoError,
  openDataKey,
  unwrapDataKey,
  type DataKey,
  type FieldContext,
} from '@sundial/crypto';
import { KEYRING_SCHEMA, keyringFileFor, type WrappedKeyRow } from '@sundial/store';
import { loadVerifiedMasterKey, type NameKind } from '../../src/index.js';
import { createTestDatabase, eachDatabase, type TestDatabase } from '../../../../test/support/databases.js';
import {
  marker,
  rawLocation,
  rawQuery,
  readCiphertexts,
  startAtRestServer,
  type AtRestServer,
  type RawLocation,
  type StoredCiphertexts,
} from './support.js';

/** Each stored ciphertext of a person with the context it was made for. */
function envelopes(stored: StoredCiphertexts): Array<{ ctx: FieldContext; ct: Buffer }> {
  const out: Array<{ ctx: FieldContext; ct: Buffer }> = [];
  for (const u of stored.users) {
    out.push({ ctx: { table: 'users', column: 'email' }, ct: u.email_ct });
    if (u.display_name_ct) out.push({ ctx: { table: 'users', column: 'display_name' }, ct: u.display_name_ct });
  }
  for (const n of stored.names) out.push({ ctx: { table: 'names', column: n.kind }, ct: n.value_ct });
  return out;
}

function decryptError(key: DataKey, ctx: FieldContext, ct: Buffer): string {
  try {
    decryptField(key, ctx, ct);
    return 'decrypted';
  } catch (error) {
    return isCryptoError(error) ? error.code : String(error);
  }
}

eachDatabase('crypto-shredding against a data backup taken before the deletion', (kind) => {
  let ctx: AtRestServer;
  let restored: TestDatabase | null = null;
  let live: RawLocation;
  let backupFile: string;
  let keyringLive: RawLocation;
  let keyringTable: string;
  const email = `${marker('Shred')}@example.org`;
  const names: Array<[NameKind, string]> = [
    ['app', `App ${marker()}`],
    ['title', `Title ${marker()}`],
    ['domain', `${marker()}.example.net`],
    ['url', `https://example.net/${marker()}`],
    ['file', `/tmp/${marker()}.txt`],
  ];
  let victim = '';
  const others: string[] = [];
  let before: StoredCiphertexts;
  let victimKey: WrappedKeyRow | null = null;

  beforeAll(async () => {
    ctx = await startAtRestServer(kind);
    const { services, store } = ctx.server;
    live = rawLocation(ctx.database.target);
    keyringLive =
      ctx.database.target.kind === 'sqlite' ? { kind: 'sqlite', file: keyringFileFor(ctx.database.target.file) } : live;
    keyringTable = ctx.database.target.kind === 'sqlite' ? 'data_keys' : `${KEYRING_SCHEMA}.data_keys`;
    for (const who of ['victim', 'other-1', 'other-2']) {
      const created = await services.people.create({
        email: who === 'victim' ? email : `${marker()}@example.org`,
        displayName: `Name ${marker()}`,
      });
      if (created === 'email_taken') throw new Error('email unexpectedly taken');
      for (const [nameKind, value] of names) await services.names.intern(created.id, nameKind, value);
      if (who === 'victim') victim = created.id;
      else others.push(created.id);
    }
    before = await readCiphertexts(live, victim);
    victimKey = await store.keyring.getKey(victim);
    backupFile = join(ctx.scratch, kind === 'sqlite' ? 'data-backup.db' : 'data-backup.dump');
    await store.backup(backupFile);
    expect(await services.people.delete(victim)).toBe(true);
  });

  afterAll(async () => {
    await ctx.dispose();
    await restored?.drop();
  });

  /** Where the backup can be read: the SQLite file itself, or a new database it was restored into. */
  async function backupLocation(): Promise<RawLocation> {
    if (kind === 'sqlite') return { kind: 'sqlite', file: backupFile };
    if (!restored) {
      restored = await createTestDatabase('postgres');
      if (restored.target.kind !== 'postgres') throw new Error('expected PostgreSQL');
      execFileSync('pg_restore', ['--no-owner', `--dbname=${restored.target.url}`, backupFile], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    }
    return rawLocation(restored.target);
  }

  it('before the deletion, the victim had rows and a key that opened them (control)', async () => {
    expect(before.users).toHaveLength(1);
    expect(before.names).toHaveLength(names.length);
    expect(victimKey?.ownerId).toBe(victim);
    const master = await loadVerifiedMasterKey(ctx.server.store.keyring, ctx.config.masterKey);
    if (!victimKey) throw new Error('no key for the victim before the deletion');
    const key = openDataKey(
      victim,
      victimKey.version,
      unwrapDataKey(master, victim, victimKey.version, victimKey.wrapped),
    );
    expect(decryptField(key, { table: 'users', column: 'email' }, before.users[0]?.email_ct ?? Buffer.alloc(0))).toBe(
      email,
    );
    expect(envelopes(before).map((e) => decryptError(key, e.ctx, e.ct))).toEqual(
      envelopes(before).map(() => 'decrypted'),
    );
  });

  it('the backup still holds the victim’s ciphertexts, byte for byte', async () => {
    const fromBackup = await readCiphertexts(await backupLocation(), victim);
    expect(fromBackup).toEqual(before);
  });

  it('the current keyring has no key for the victim, and still has the others’', async () => {
    const { services, store } = ctx.server;
    expect(await services.keyring.existingDataKey(victim)).toBeNull();
    expect(await store.keyring.getKey(victim)).toBeNull();
    expect((await store.keyring.allKeys()).map((k) => k.ownerId)).not.toContain(victim);
    const count = (owner: string): Promise<Array<{ n: number | string }>> =>
      rawQuery(keyringLive, `select count(*) as n from ${keyringTable} where owner_id = ?`, [owner]);
    expect(Number((await count(victim))[0]?.n)).toBe(0);
    for (const other of others) expect(Number((await count(other))[0]?.n)).toBe(1);
  });

  it('no data key that exists opens the victim’s ciphertexts from the backup: crypto.decrypt_failed', async () => {
    const { services, store } = ctx.server;
    const fromBackup = envelopes(await readCiphertexts(await backupLocation(), victim));
    expect(fromBackup.length).toBe(names.length + 2);
    const master = await loadVerifiedMasterKey(store.keyring, ctx.config.masterKey);
    const keys: DataKey[] = [];
    for (const row of await store.keyring.allKeys()) {
      const raw = unwrapDataKey(master, row.ownerId, row.version, row.wrapped);
      // The key as its owner uses it, and the same key bytes presented as the victim's.
      keys.push(openDataKey(row.ownerId, row.version, raw), openDataKey(victim, row.version, raw));
    }
    for (const other of others) {
      const key = await services.keyring.existingDataKey(other);
      if (key) keys.push(key);
    }
    // Every row (the people left, plus the instance email-index and audit keys) twice, and the people again.
    expect(keys.length).toBe(2 * (others.length + 2) + others.length);
    for (const key of keys) {
      for (const { ctx: fieldContext, ct } of fromBackup)
        expect(decryptError(key, fieldContext, ct)).toBe('crypto.decrypt_failed');
    }
  });

  it('a data backup alone holds no keyring', async () => {
    const where = await backupLocation();
    if (kind === 'sqlite') {
      const tables = (
        await rawQuery<{ name: string }>(where, "select name from sqlite_master where type = 'table'")
      ).map((t) => t.name);
      expect(tables).toEqual(expect.arrayContaining(['users', 'names']));
      expect(tables).not.toContain('data_keys');
      expect(tables).not.toContain('keyring_meta');
    } else {
      const listing = execFileSync('pg_restore', ['--list', backupFile], { encoding: 'utf8' });
      expect(listing).toMatch(/TABLE DATA public users /);
      expect(listing).not.toContain(KEYRING_SCHEMA);
      const schemas = await rawQuery<{ n: string }>(
        where,
        'select count(*) as n from information_schema.schemata where schema_name = ?',
        [KEYRING_SCHEMA],
      );
      expect(Number(schemas[0]?.n)).toBe(0);
      const keyTables = await rawQuery<{ n: string }>(
        where,
        "select count(*) as n from information_schema.tables where table_name in ('data_keys', 'keyring_meta')",
      );
      expect(Number(keyTables[0]?.n)).toBe(0);
    }
    // Not even a wrapped key hidden in another table (SQLite stores blobs as raw bytes).
    if (kind === 'sqlite' && victimKey) expect(readFileSync(backupFile).includes(victimKey.wrapped)).toBe(false);
  });

  it('after the deletion the victim’s rows are gone from the live database; the others’ stay', async () => {
    expect(await readCiphertexts(live, victim)).toEqual({ users: [], names: [] });
    for (const other of others) {
      const stored = await readCiphertexts(live, other);
      expect(stored.users).toHaveLength(1);
      expect(stored.names).toHaveLength(names.length);
    }
    expect(await ctx.server.services.people.get(victim)).toBeNull();
  });

  if (kind === 'sqlite') {
    const keyringFiles = (): Map<string, Buffer> => {
      if (ctx.database.target.kind !== 'sqlite') throw new Error('expected SQLite');
      const file = keyringFileFor(ctx.database.target.file);
      return new Map([file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => [f, readFileSync(f)]));
    };

    it('after the server stops, the keyring file holds the remaining wrapped keys (control for the next test)', async () => {
      const remaining = await ctx.server.store.keyring.allKeys();
      await ctx.server.close();
      const files = [...keyringFiles().values()];
      expect(files).toHaveLength(1);
      for (const row of remaining) expect(files.some((bytes) => bytes.includes(row.wrapped))).toBe(true);
    });

    it('after the server stops, no byte of the shredded key is left in the keyring file', () => {
      if (!victimKey) throw new Error('no key was captured for the victim');
      const wrapped = victimKey.wrapped;
      expect([...keyringFiles()].filter(([, bytes]) => bytes.includes(wrapped)).map(([file]) => file)).toEqual([]);
    });
  }
});
