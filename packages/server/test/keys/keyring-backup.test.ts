import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { decryptField, encryptField } from '@sundial/crypto';
import type { KeyringRepository } from '@sundial/store';
import { exportKeyring, openKeyringBackup, restoreKeyring } from '../../src/keys/keyring-backup.js';
import { META, openKeyring, type Keyring } from '../../src/keys/keyring.js';
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

const FIELD = { table: 'users', column: 'email' };

/** The backup file with one character of `sealed` changed to another base64 character. */
function tamper(text: string, at: number): string {
  const file = JSON.parse(text) as { sealed: string };
  const chars = [...file.sealed];
  chars[at] = chars[at] === 'A' ? 'B' : 'A';
  return JSON.stringify({ ...file, sealed: chars.join('') });
}

eachDatabase('keyring backups', (kind) => {
  let db: TestStore;
  let repo: KeyringRepository;
  let folder: KeyFolder;
  let keyring: Keyring;
  let ada: string;
  let grace: string;
  let adaCiphertext: Buffer;

  beforeEach(async () => {
    db = await openTestStore(kind);
    repo = db.store.keyring;
    folder = keyFolder();
    keyring = await openKeyring({ repo, source: folder.source });
    ada = randomUUID();
    grace = randomUUID();
    adaCiphertext = encryptField(await keyring.dataKey(ada), FIELD, 'ada@example.org');
    await keyring.dataKey(grace);
  });
  afterEach(async () => {
    await db.close();
    folder.remove();
  });

  it('brings back a shredded key: export, shred, restore, read the old ciphertext', async () => {
    const backup = await exportKeyring(repo, folder.source, 1_700_000_000_000);
    expect(backup.keys).toBe(INSTANCE_KEYS + 2);
    // Who has a key is sealed too: the file names nobody.
    expect(backup.text).not.toContain(ada);
    expect(JSON.parse(backup.text)).toMatchObject({ masterKeyId: keyring.masterKeyId, createdAt: 1_700_000_000_000 });

    expect(await keyring.shred(ada)).toBe(1);
    expect(await keyring.existingDataKey(ada)).toBeNull();

    const opened = await openKeyringBackup(folder.source, backup.text);
    expect(opened).toMatchObject({ keys: INSTANCE_KEYS + 2, masterKeyId: keyring.masterKeyId });
    await restoreKeyring(repo, opened);

    const restored = await openKeyring({ repo, source: folder.source });
    const key = await restored.existingDataKey(ada);
    expect(key).not.toBeNull();
    if (key) expect(decryptField(key, FIELD, adaCiphertext)).toBe('ada@example.org');
    expect(await restored.existingDataKey(grace)).not.toBeNull();
    expect(await repo.getMeta(META.masterKeyId)).toBe(keyring.masterKeyId);
    expect((await repo.countKeys()).total).toBe(INSTANCE_KEYS + 2);
  });

  it('restores the keyring as it was: keys created after the backup go', async () => {
    const backup = await exportKeyring(repo, folder.source);
    const later = randomUUID();
    await keyring.dataKey(later);
    await restoreKeyring(repo, await openKeyringBackup(folder.source, backup.text));
    expect(await repo.getKey(later)).toBeNull();
    expect(await repo.getKey(ada)).not.toBeNull();
  });

  it.each([10, 40, -20])('refuses a backup with one character of `sealed` changed (at %i)', async (at) => {
    const { text } = await exportKeyring(repo, folder.source);
    const sealedLength = (JSON.parse(text) as { sealed: string }).sealed.length;
    const tampered = tamper(text, at < 0 ? sealedLength + at : at);
    expect(tampered).not.toBe(text);
    await expectKeySetupError(openKeyringBackup(folder.source, tampered), 'damaged');
  });

  it('refuses a backup with its sealed part cut short', async () => {
    const { text } = await exportKeyring(repo, folder.source);
    const file = JSON.parse(text) as { sealed: string };
    const cut = JSON.stringify({ ...file, sealed: file.sealed.slice(0, file.sealed.length - 24) });
    await expectKeySetupError(openKeyringBackup(folder.source, cut), 'damaged');
  });

  it('refuses to open a backup with another master key, naming both key ids', async () => {
    const { text } = await exportKeyring(repo, folder.source);
    const other = keyFolder();
    try {
      const otherId = readKeyFile(other.path, true).keyId;
      await expectKeySetupError(openKeyringBackup(other.source, text), keyring.masterKeyId, otherId);
      // Relabelled with the other key's id, it still does not open.
      const relabelled = JSON.stringify({ ...(JSON.parse(text) as object), masterKeyId: otherId });
      await expectKeySetupError(openKeyringBackup(other.source, relabelled), 'damaged');
    } finally {
      other.remove();
    }
  });

  it('refuses a backup made before a master key rotation, naming both key ids', async () => {
    const { text } = await exportKeyring(repo, folder.source);
    const rotated = await rotateMasterKey(repo, folder.source);
    await expectKeySetupError(openKeyringBackup(folder.source, text), rotated.oldKeyId, rotated.newKeyId);
    const retired = { kind: 'file' as const, path: `${folder.path}.retired-${rotated.oldKeyId}` };
    await expect(openKeyringBackup(retired, text)).resolves.toMatchObject({ keys: INSTANCE_KEYS + 2 });
  });

  it.each([
    ['text that is not JSON', 'this is not a keyring backup'],
    ['JSON of another shape', JSON.stringify({ format: 'something-else', version: 1, sealed: 'AAAA' })],
    ['a later version', JSON.stringify({ format: 'sundial-keyring-backup', version: 2, sealed: 'AAAA' })],
    ['JSON null', 'null'],
    ['an empty file', ''],
  ])('refuses %s as not a keyring backup', async (_what, text) => {
    await expectKeySetupError(openKeyringBackup(folder.source, text), 'not a Sundial keyring backup');
  });

  it('refuses to export with a key that does not match the keyring', async () => {
    const other = keyFolder();
    try {
      const otherId = readKeyFile(other.path, true).keyId;
      await expectKeySetupError(exportKeyring(repo, other.source), otherId, keyring.masterKeyId);
    } finally {
      other.remove();
    }
  });
});
