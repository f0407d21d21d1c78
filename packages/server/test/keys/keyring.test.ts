import { randomUUID } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import {
  decryptField,
  emailBlindIndex,
  encryptField,
  generateKey,
  keyCheckValue,
  masterKeyFromBase64,
} from '@sundial/crypto';
import { INSTANCE_OWNER, META, openKeyring } from '../../src/keys/keyring.js';
import { readKeyFile } from '../../src/keys/master-key.js';
import { eachDatabase } from '../../../../test/support/databases.js';
import {
  expectKeySetupError,
  keyFolder,
  openTestStore,
  type KeyFolder,
  type TestStore,
  INSTANCE_KEYS,
} from './key-fixtures.js';

const FIELD = { table: 'users', column: 'email' };

eachDatabase('keyring', (kind) => {
  let db: TestStore;
  let folder: KeyFolder;
  const others: KeyFolder[] = [];
  beforeEach(async () => {
    db = await openTestStore(kind);
    folder = keyFolder();
  });
  afterEach(async () => {
    await db.close();
    folder.remove();
    for (const other of others.splice(0)) other.remove();
  });

  function anotherKeyFolder(): KeyFolder {
    const other = keyFolder();
    others.push(other);
    return other;
  }

  it('creates the key file, the key-check value and the instance key on the first open', async () => {
    const repo = db.store.keyring;
    expect(await repo.getMeta(META.keyCheck)).toBeNull();
    const keyring = await openKeyring({ repo, source: folder.source });
    expect(statSync(folder.path).mode & 0o777).toBe(0o600);
    const master = readKeyFile(folder.path, false);
    expect(keyring.masterKeyId).toBe(master.keyId);
    expect(keyring.masterKeySource).toContain(folder.path);
    expect(await repo.getMeta(META.keyCheck)).toBe(keyCheckValue(master));
    expect(await repo.getMeta(META.masterKeyId)).toBe(master.keyId);
    expect(await repo.getKey(INSTANCE_OWNER)).toMatchObject({ ownerId: INSTANCE_OWNER, masterKeyId: master.keyId });
    expect(await repo.countKeys()).toEqual({ total: INSTANCE_KEYS, byMasterKey: { [master.keyId]: INSTANCE_KEYS } });
  });

  it('opens again with the same key and gives the same email index', async () => {
    const first = await openKeyring({ repo: db.store.keyring, source: folder.source });
    const second = await openKeyring({ repo: (await db.openAnother()).keyring, source: folder.source });
    expect(second.masterKeyId).toBe(first.masterKeyId);
    const index = (email: string, key = first.emailIndexKey) => emailBlindIndex(key, email).toString('hex');
    expect(index('ada@example.org', second.emailIndexKey)).toBe(index('ada@example.org'));
    expect(index('grace@example.org')).not.toBe(index('ada@example.org'));
    expect((await db.store.keyring.countKeys()).total).toBe(INSTANCE_KEYS);
  });

  it('refuses another master key, naming both key ids', async () => {
    await openKeyring({ repo: db.store.keyring, source: folder.source });
    const right = readKeyFile(folder.path, false).keyId;
    const other = anotherKeyFolder();
    const wrong = readKeyFile(other.path, true).keyId;
    expect(wrong).not.toBe(right);
    await expectKeySetupError(openKeyring({ repo: db.store.keyring, source: other.source }), wrong, right);
    // An environment key is checked the same way.
    const envKey = generateKey().toString('base64');
    const envId = masterKeyFromBase64(envKey).keyId;
    await expectKeySetupError(
      openKeyring({ repo: db.store.keyring, source: { kind: 'env', base64: envKey } }),
      envId,
      right,
    );
  });

  it('refuses to start when the key file is gone but the keyring holds keys, and makes no new key', async () => {
    await openKeyring({ repo: db.store.keyring, source: folder.source });
    rmSync(folder.path);
    await expectKeySetupError(openKeyring({ repo: db.store.keyring, source: folder.source }), 'missing', folder.path);
    expect(existsSync(folder.path)).toBe(false);
  });

  it('creates a data key once: two keyrings on the same database share it', async () => {
    const owner = randomUUID();
    const one = await openKeyring({ repo: db.store.keyring, source: folder.source });
    const two = await openKeyring({ repo: (await db.openAnother()).keyring, source: folder.source });
    const [a, b] = await Promise.all([one.dataKey(owner), two.dataKey(owner)]);
    const ciphertext = encryptField(a, FIELD, 'ada@example.org');
    expect(decryptField(b, FIELD, ciphertext)).toBe('ada@example.org');
    expect(decryptField(a, FIELD, encryptField(b, FIELD, 'back'))).toBe('back');
    expect((await one.dataKey(owner)).ownerId).toBe(owner);
    expect((await db.store.keyring.countKeys()).total).toBe(INSTANCE_KEYS + 1);
    // Each person has a key of their own.
    const stranger = await one.dataKey(randomUUID());
    expect(() => decryptField(stranger, FIELD, ciphertext)).toThrow(
      expect.objectContaining({ code: 'crypto.decrypt_failed' }),
    );
  });

  it('answers null for the existing key of an owner who never had one, without creating it', async () => {
    const keyring = await openKeyring({ repo: db.store.keyring, source: folder.source });
    const owner = randomUUID();
    expect(await keyring.existingDataKey(owner)).toBeNull();
    expect(await db.store.keyring.getKey(owner)).toBeNull();
    const created = await keyring.dataKey(owner);
    const found = await keyring.existingDataKey(owner);
    expect(found).not.toBeNull();
    if (found) expect(decryptField(found, FIELD, encryptField(created, FIELD, 'x'))).toBe('x');
  });

  it('shreds a key: the row goes, existingDataKey answers null, old ciphertexts are unreadable', async () => {
    const keyring = await openKeyring({ repo: db.store.keyring, source: folder.source });
    const owner = randomUUID();
    const kept = randomUUID();
    const ciphertext = encryptField(await keyring.dataKey(owner), FIELD, 'ada@example.org');
    await keyring.dataKey(kept);
    expect(await keyring.shred(owner)).toBe(1);
    expect(await keyring.existingDataKey(owner)).toBeNull();
    expect(await db.store.keyring.getKey(owner)).toBeNull();
    expect(await db.store.keyring.getKey(kept)).not.toBeNull();
    // A fresh keyring (no cache) cannot find it either; a new key cannot read the old data.
    const fresh = await openKeyring({ repo: db.store.keyring, source: folder.source });
    expect(await fresh.existingDataKey(owner)).toBeNull();
    const replacement = await fresh.dataKey(owner);
    expect(() => decryptField(replacement, FIELD, ciphertext)).toThrow(
      expect.objectContaining({ code: 'crypto.decrypt_failed' }),
    );
    expect(await keyring.shred(randomUUID())).toBe(0);
  });

  it('forgets a key shredded through another keyring on the same database', async () => {
    const owner = randomUUID();
    const here = await openKeyring({ repo: db.store.keyring, source: folder.source });
    const there = await openKeyring({ repo: (await db.openAnother()).keyring, source: folder.source });
    await there.dataKey(owner);
    expect(await here.shred(owner)).toBe(1);
    expect(await there.existingDataKey(owner)).toBeNull();
  });

  it("refuses the instance owner (and the empty id) as a person's id", async () => {
    const keyring = await openKeyring({ repo: db.store.keyring, source: folder.source });
    for (const id of [INSTANCE_OWNER, '']) {
      await expect(keyring.dataKey(id)).rejects.toThrow(/not a person's id/);
      await expect(keyring.existingDataKey(id)).rejects.toThrow(/not a person's id/);
      await expect(keyring.shred(id)).rejects.toThrow(/not a person's id/);
    }
    expect(await db.store.keyring.getKey(INSTANCE_OWNER)).not.toBeNull();
  });

  it('refuses to open while a rotation is recorded as in progress', async () => {
    await openKeyring({ repo: db.store.keyring, source: folder.source });
    await db.store.keyring.setMeta({ [META.rotationTo]: 'feedfacecafebeef' });
    await expectKeySetupError(
      openKeyring({ repo: db.store.keyring, source: folder.source }),
      'interrupted',
      'feedfacecafebeef',
    );
  });

  it('refuses a keyring that holds keys but lost its key-check value', async () => {
    await openKeyring({ repo: db.store.keyring, source: folder.source });
    await db.store.keyring.setMeta({ [META.keyCheck]: null });
    await expectKeySetupError(openKeyring({ repo: db.store.keyring, source: folder.source }), 'key-check');
  });

  it('keeps an environment key out of the file system', async () => {
    const envKey = generateKey().toString('base64');
    const keyring = await openKeyring({ repo: db.store.keyring, source: { kind: 'env', base64: envKey } });
    expect(keyring.masterKeyId).toBe(masterKeyFromBase64(envKey).keyId);
    expect(keyring.masterKeySource).toBe('SUNDIAL_MASTER_KEY');
    expect(existsSync(folder.path)).toBe(false);
    const reopened = await openKeyring({ repo: db.store.keyring, source: { kind: 'env', base64: envKey } });
    expect(reopened.masterKeyId).toBe(keyring.masterKeyId);
  });
});
