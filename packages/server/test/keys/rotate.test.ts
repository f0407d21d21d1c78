import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { decryptField, emailBlindIndex, encryptField, generateKey } from '@sundial/crypto';
import type { KeyringRepository } from '@sundial/store';
import type { MasterKeySource } from '../../src/config.js';
import { META, openKeyring } from '../../src/keys/keyring.js';
import { readKeyFile } from '../../src/keys/master-key.js';
import { rotateMasterKey } from '../../src/keys/rotate.js';
import { eachDatabase } from '../../../../test/support/databases.js';
import {
  expectKeySetupError,
  keyFolder,
  openTestStore,
  type KeyFolder,
  type TestStore,
  INSTANCE_KEYS,
} from './key-fixtures.js';

const FIELD = { table: 'users', column: 'display_name' };
const PEOPLE = 25;

interface Sealed {
  readonly owner: string;
  readonly value: string;
  readonly ciphertext: Buffer;
}

eachDatabase('rotateMasterKey', (kind) => {
  let db: TestStore;
  let repo: KeyringRepository;
  let folder: KeyFolder;
  let sealed: Sealed[];
  let oldKeyId: string;
  let emailIndex: string;

  beforeEach(async () => {
    db = await openTestStore(kind);
    repo = db.store.keyring;
    folder = keyFolder();
    const keyring = await openKeyring({ repo, source: folder.source });
    oldKeyId = keyring.masterKeyId;
    emailIndex = emailBlindIndex(keyring.emailIndexKey, 'ada@example.org').toString('hex');
    sealed = [];
    for (let i = 0; i < PEOPLE; i++) {
      const owner = randomUUID();
      const value = `person ${i} — Zoë`;
      sealed.push({ owner, value, ciphertext: encryptField(await keyring.dataKey(owner), FIELD, value) });
    }
  });
  afterEach(async () => {
    await db.close();
    folder.remove();
  });

  /** Opens a keyring afresh (no cache) and reads back every value and the email index. */
  async function expectAllReadable(source: MasterKeySource): Promise<void> {
    const keyring = await openKeyring({ repo, source });
    for (const { owner, value, ciphertext } of sealed) {
      const key = await keyring.existingDataKey(owner);
      expect(key, owner).not.toBeNull();
      if (key) expect(decryptField(key, FIELD, ciphertext)).toBe(value);
    }
    expect(emailBlindIndex(keyring.emailIndexKey, 'ada@example.org').toString('hex')).toBe(emailIndex);
  }

  async function expectAllWrappedBy(keyId: string): Promise<void> {
    expect(await repo.countKeys()).toEqual({
      total: PEOPLE + INSTANCE_KEYS,
      byMasterKey: { [keyId]: PEOPLE + INSTANCE_KEYS },
    });
    expect(await repo.getMeta(META.masterKeyId)).toBe(keyId);
    expect(await repo.getMeta(META.rotationTo)).toBeNull();
    expect(await repo.getMeta(META.rotationCheck)).toBeNull();
  }

  const retiredPath = (keyId: string) => `${folder.path}.retired-${keyId}`;

  it('re-wraps every key under a new key file and retires the old one beside it', async () => {
    const result = await rotateMasterKey(repo, folder.source, { pageSize: 4 });
    expect(result).toMatchObject({
      oldKeyId,
      rewrapped: PEOPLE + INSTANCE_KEYS,
      keyFile: folder.path,
      retiredKeyFile: retiredPath(oldKeyId),
    });
    expect(result.newKeyId).not.toBe(oldKeyId);
    expect(readKeyFile(folder.path, false).keyId).toBe(result.newKeyId);
    expect(readKeyFile(retiredPath(oldKeyId), false).keyId).toBe(oldKeyId);
    expect(statSync(retiredPath(oldKeyId)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dirname(folder.path)).sort()).toEqual(['master.key', `master.key.retired-${oldKeyId}`]);
    await expectAllWrappedBy(result.newKeyId);
    await expectAllReadable(folder.source);
    // The old key no longer opens the keyring.
    await expectKeySetupError(openKeyring({ repo, source: { kind: 'file', path: retiredPath(oldKeyId) } }), oldKeyId);
  });

  it('can rotate again right after a rotation', async () => {
    const first = await rotateMasterKey(repo, folder.source);
    const second = await rotateMasterKey(repo, folder.source);
    expect(second.oldKeyId).toBe(first.newKeyId);
    expect(new Set([oldKeyId, first.newKeyId, second.newKeyId]).size).toBe(3);
    expect(existsSync(retiredPath(oldKeyId)) && existsSync(retiredPath(first.newKeyId))).toBe(true);
    await expectAllWrappedBy(second.newKeyId);
    await expectAllReadable(folder.source);
  });

  it('survives an interruption: servers refuse to start, and a re-run finishes the job', async () => {
    const crash = new Error('simulated crash');
    const interrupted = rotateMasterKey(repo, folder.source, {
      pageSize: 5,
      onRewrapped: (count) => {
        if (count === 7) throw crash;
      },
    });
    await expect(interrupted).rejects.toBe(crash);
    const newKeyId = readKeyFile(`${folder.path}.next`, false).keyId;
    expect(await repo.getMeta(META.rotationTo)).toBe(newKeyId);
    expect((await repo.countKeys()).byMasterKey).toEqual({ [oldKeyId]: PEOPLE + INSTANCE_KEYS - 7, [newKeyId]: 7 });
    await expectKeySetupError(openKeyring({ repo, source: folder.source }), 'interrupted', newKeyId);

    const result = await rotateMasterKey(repo, folder.source, { pageSize: 5 });
    expect(result).toMatchObject({
      oldKeyId,
      newKeyId,
      rewrapped: PEOPLE + INSTANCE_KEYS - 7,
      retiredKeyFile: retiredPath(oldKeyId),
    });
    expect(existsSync(`${folder.path}.next`)).toBe(false);
    await expectAllWrappedBy(newKeyId);
    await expectAllReadable(folder.source);
  });

  it('finishes a rotation that stopped after the keyring was updated but before the file swap', async () => {
    const done = await rotateMasterKey(repo, folder.source);
    // Undo the swap: master.key holds the old key again and master.key.next the new one.
    renameSync(folder.path, `${folder.path}.next`);
    renameSync(retiredPath(oldKeyId), folder.path);
    await expectKeySetupError(openKeyring({ repo, source: folder.source }), oldKeyId, done.newKeyId);

    const result = await rotateMasterKey(repo, folder.source);
    expect(result).toEqual({
      oldKeyId,
      newKeyId: done.newKeyId,
      rewrapped: 0,
      keyFile: folder.path,
      retiredKeyFile: retiredPath(oldKeyId),
    });
    expect(readKeyFile(folder.path, false).keyId).toBe(done.newKeyId);
    expect(readKeyFile(retiredPath(oldKeyId), false).keyId).toBe(oldKeyId);
    expect(existsSync(`${folder.path}.next`)).toBe(false);
    await expectAllWrappedBy(done.newKeyId);
    await expectAllReadable(folder.source);
  });

  it('finishes a rotation that stopped between the two renames of the file swap', async () => {
    const done = await rotateMasterKey(repo, folder.source);
    renameSync(folder.path, `${folder.path}.next`); // the old key is already retired, the new one not yet in place
    await rotateMasterKey(repo, folder.source);
    expect(readKeyFile(folder.path, false).keyId).toBe(done.newKeyId);
    expect(readKeyFile(retiredPath(oldKeyId), false).keyId).toBe(oldKeyId);
    await expectAllReadable(folder.source);
  });

  it('reports the real retired key file after finishing a swap stopped between its renames', async () => {
    await rotateMasterKey(repo, folder.source);
    renameSync(folder.path, `${folder.path}.next`);
    const result = await rotateMasterKey(repo, folder.source);
    expect(result.oldKeyId).toBe(oldKeyId);
    expect(result.retiredKeyFile !== null && existsSync(result.retiredKeyFile)).toBe(true);
  });

  it('can be re-run after stopping while writing the new key file', async () => {
    writeFileSync(`${folder.path}.next`, '', { mode: 0o600 });
    const result = await rotateMasterKey(repo, folder.source);
    await expectAllWrappedBy(result.newKeyId);
  });

  it('refuses to rotate from a key that does not match the keyring, and records nothing', async () => {
    const other = keyFolder();
    try {
      const wrong = readKeyFile(other.path, true).keyId;
      await expectKeySetupError(rotateMasterKey(repo, other.source), wrong, 'does not match');
      expect(await repo.getMeta(META.rotationTo)).toBeNull();
      await expectAllWrappedBy(oldKeyId);
    } finally {
      other.remove();
    }
  });

  it('refuses an environment key without a file for the new key, and writes the new key where told', async () => {
    const envDb = await openTestStore(kind);
    try {
      const envRepo = envDb.store.keyring;
      const env: MasterKeySource = { kind: 'env', base64: generateKey().toString('base64') };
      const keyring = await openKeyring({ repo: envRepo, source: env });
      const owner = randomUUID();
      const ciphertext = encryptField(await keyring.dataKey(owner), FIELD, 'from env');
      await expectKeySetupError(rotateMasterKey(envRepo, env), '--new-key-file');
      expect(await envRepo.getMeta(META.rotationTo)).toBeNull();
      expect(await envRepo.getMeta(META.masterKeyId)).toBe(keyring.masterKeyId);

      const newKeyFile = join(folder.dir, 'new', 'master.key');
      const result = await rotateMasterKey(envRepo, env, { newKeyFile });
      expect(result).toMatchObject({
        oldKeyId: keyring.masterKeyId,
        rewrapped: INSTANCE_KEYS + 1,
        keyFile: newKeyFile,
        retiredKeyFile: null,
      });
      expect(statSync(newKeyFile).mode & 0o777).toBe(0o600);
      expect(readKeyFile(newKeyFile, false).keyId).toBe(result.newKeyId);
      const rotated = await openKeyring({ repo: envRepo, source: { kind: 'file', path: newKeyFile } });
      const key = await rotated.existingDataKey(owner);
      expect(key && decryptField(key, FIELD, ciphertext)).toBe('from env');
      await expectKeySetupError(openKeyring({ repo: envRepo, source: env }), keyring.masterKeyId, result.newKeyId);
    } finally {
      await envDb.close();
    }
  });

  it('refuses to rotate a keyring that has no master key yet', async () => {
    const empty = await openTestStore(kind);
    try {
      await expectKeySetupError(rotateMasterKey(empty.store.keyring, folder.source), 'start Sundial once first');
      expect(existsSync(`${folder.path}.next`)).toBe(false);
    } finally {
      await empty.close();
    }
  });
});
