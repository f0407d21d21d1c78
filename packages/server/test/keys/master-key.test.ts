import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKey, masterKeyFromBase64 } from '@sundial/crypto';
import { masterKeyProvider, readKeyFile } from '../../src/keys/master-key.js';
import { expectKeySetupError, expectKeySetupErrorSync, keyFolder, type KeyFolder } from './key-fixtures.js';

const JUNK = 'hunter2-this-is-not-a-key!!';

function writeKeyFile(path: string, text: string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, text, { mode });
  chmodSync(path, mode); // the umask may have taken bits away
}

describe('master key file', () => {
  let folder: KeyFolder;
  beforeEach(() => {
    folder = keyFolder();
  });
  afterEach(() => folder.remove());

  it('creates a missing key file when allowed: 0600, in a 0700 folder, base64 of 32 bytes', () => {
    const key = readKeyFile(folder.path, true);
    expect(statSync(folder.path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(folder.path)).mode & 0o777).toBe(0o700);
    const text = readFileSync(folder.path, 'utf8').trim();
    expect(text).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(text, 'base64')).toHaveLength(32);
    expect(masterKeyFromBase64(text).keyId).toBe(key.keyId);
    // Read again (creation no longer allowed): the same key, not a new one.
    expect(readKeyFile(folder.path, false).keyId).toBe(key.keyId);
    expect(readKeyFile(folder.path, true).keyId).toBe(key.keyId);
  });

  it('creates through the provider only when allowCreate, and each new file holds a new key', async () => {
    const created = await masterKeyProvider(folder.source, { allowCreate: true }).getMasterKey();
    const other = keyFolder();
    try {
      const second = await masterKeyProvider(other.source, { allowCreate: true }).getMasterKey();
      expect(second.keyId).not.toBe(created.keyId);
    } finally {
      other.remove();
    }
    expect(masterKeyProvider(folder.source, { allowCreate: false }).description).toContain(folder.path);
    expect((await masterKeyProvider(folder.source, { allowCreate: false }).getMasterKey()).keyId).toBe(created.keyId);
  });

  it('refuses a missing key file when creation is not allowed, naming the file, and creates nothing', async () => {
    await expectKeySetupError(
      masterKeyProvider(folder.source, { allowCreate: false }).getMasterKey(),
      folder.path,
      'missing',
    );
    expectKeySetupErrorSync(() => readKeyFile(folder.path, false), folder.path, 'missing');
    expect(existsSync(folder.path)).toBe(false);
  });

  it.each([0o644, 0o640, 0o604, 0o660])('refuses a key file with mode %o, with a chmod 600 hint', (mode) => {
    writeKeyFile(folder.path, generateKey().toString('base64'), mode);
    const error = expectKeySetupErrorSync(
      () => readKeyFile(folder.path, false),
      folder.path,
      `chmod 600 ${folder.path}`,
    );
    expect(error.message).toContain(`mode ${mode.toString(8)}`);
    // Refused even when creation would be allowed: the file exists, it is not replaced.
    expectKeySetupErrorSync(() => readKeyFile(folder.path, true), 'chmod 600');
  });

  it('accepts a key file readable by its owner only (0600 or 0400), with a trailing newline or CRLF', () => {
    const raw = generateKey();
    const expected = masterKeyFromBase64(raw.toString('base64')).keyId;
    writeKeyFile(folder.path, `${raw.toString('base64')}\r\n`, 0o400);
    expect(readKeyFile(folder.path, false).keyId).toBe(expected);
    chmodSync(folder.path, 0o600);
    writeFileSync(folder.path, `${raw.toString('base64url')}\n`);
    expect(readKeyFile(folder.path, false).keyId).toBe(expected);
  });

  it.each([
    ['junk text', JUNK],
    ['an empty file', ''],
    ['a key of 31 bytes', Buffer.alloc(31, 7).toString('base64')],
    ['a key of 64 bytes', Buffer.alloc(64, 7).toString('base64')],
    ['a key with inner whitespace', `${generateKey().toString('base64').slice(0, 20)} ${'A'.repeat(24)}`],
  ])('refuses a key file holding %s without echoing the content', (_what, content) => {
    writeKeyFile(folder.path, content, 0o600);
    const error = expectKeySetupErrorSync(
      () => readKeyFile(folder.path, true),
      folder.path,
      'does not hold a valid key',
    );
    if (content.length > 0) expect(error.message).not.toContain(content.trim());
    expect(error.message).not.toContain('hunter2');
    // The bad file is left for the operator to look at, not replaced by a new key.
    expect(readFileSync(folder.path, 'utf8')).toBe(content);
  });

  it('refuses a key path that is a folder with a KeySetupError naming it', () => {
    mkdirSync(folder.path, { recursive: true, mode: 0o700 });
    expectKeySetupErrorSync(() => readKeyFile(folder.path, false), folder.path);
  });

  it('gives every concurrent creator of the same file the same key', async () => {
    const keys = await Promise.all(
      Array.from({ length: 8 }, () => masterKeyProvider(folder.source, { allowCreate: true }).getMasterKey()),
    );
    const onDisk = readKeyFile(folder.path, false).keyId;
    expect(keys.map((k) => k.keyId)).toEqual(keys.map(() => onDisk));
  });
});

describe('master key from SUNDIAL_MASTER_KEY', () => {
  it('parses base64 and base64url text of 32 bytes to the same key', async () => {
    const raw = generateKey();
    const expected = masterKeyFromBase64(raw.toString('base64')).keyId;
    for (const text of [raw.toString('base64'), raw.toString('base64url'), ` ${raw.toString('base64')}\n`]) {
      const provider = masterKeyProvider({ kind: 'env', base64: text }, { allowCreate: false });
      expect(provider.description).toBe('SUNDIAL_MASTER_KEY');
      expect((await provider.getMasterKey()).keyId).toBe(expected);
    }
  });

  it.each([
    ['junk text', JUNK],
    ['a key of 16 bytes', Buffer.alloc(16, 9).toString('base64')],
    ['a key with a stray character', `${generateKey().toString('base64').slice(0, 43)}!`],
  ])('refuses %s without echoing it', async (_what, text) => {
    const error = await expectKeySetupError(
      masterKeyProvider({ kind: 'env', base64: text }, { allowCreate: true }).getMasterKey(),
      'SUNDIAL_MASTER_KEY',
      'does not hold a valid key',
    );
    expect(error.message).not.toContain(text);
    expect(error.message).not.toContain(text.slice(0, 12));
  });
});
