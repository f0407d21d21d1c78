/**
 * The real `sundial` command for keys and backups, as child processes:
 * `keys status`, a wrong / exposed / missing / malformed master key at
 * start, `backup` and `backup-keys`, `keys rotate-master`, and `restore`,
 * each failure one clear line with the right exit code.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, startServer } from '@sundial/server';
import { cleanUp, expectOneLine, freshSetup, keyIdOf, MAIN, run, startOnce } from './cli-support.js';

afterEach(cleanUp);

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first (npm test does)`);
});

const mode = (file: string): number => statSync(file).mode & 0o777;
const statusLine = (id: string): RegExp => new RegExp(`^master key id:\\s+${id} \\(matches the keyring\\)$`, 'm');

/** Replaces the key file with another valid key, owner-only. */
function writeOtherKey(file: string): void {
  rmSync(file);
  writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
}

describe('sundial keys status', () => {
  it('on a fresh setup prints the key id and says it matches', async () => {
    const setup = freshSetup();
    await startOnce(setup.env);
    expect(mode(setup.keyFile)).toBe(0o600);
    const result = await run(['keys', 'status'], setup.env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(statusLine(keyIdOf(setup.keyFile)));
    expect(result.stdout).toContain(join(setup.dataDir, 'sundial.keyring.db'));
    expect(result.stdout).toContain(`file ${setup.keyFile}`);
  });
});

describe('sundial serve refuses a bad master key with one line', () => {
  it('a different valid key: exit 1, naming both key ids', async () => {
    const setup = freshSetup();
    await startOnce(setup.env);
    const keyringId = keyIdOf(setup.keyFile);
    writeOtherKey(setup.keyFile);
    const wrongId = keyIdOf(setup.keyFile);
    expect(wrongId).not.toBe(keyringId);
    const result = await run(['serve', '--port', '0'], setup.env);
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, new RegExp(wrongId), new RegExp(keyringId));
    expect(result.stdout).not.toContain('Sundial is running');
  });

  it('a key file readable by others: exit 1 with a chmod hint', async () => {
    const setup = freshSetup();
    await startOnce(setup.env);
    chmodSync(setup.keyFile, 0o644);
    const result = await run(['serve', '--port', '0'], setup.env);
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, /readable by others \(mode 644\)/, new RegExp(`chmod 600 ${setup.keyFile}`));
  });

  it('the key file deleted once the keyring holds keys: exit 1 "missing", and no new key is made', async () => {
    const setup = freshSetup();
    await startOnce(setup.env);
    rmSync(setup.keyFile);
    const result = await run(['serve', '--port', '0'], setup.env);
    expect(result.code).toBe(1);
    expectOneLine(result.stderr, /master key file .* is missing/);
    expect(existsSync(setup.keyFile)).toBe(false);
  });

  it.each([
    ['not base64 at all', 'hunter2: my-secret-junk!'],
    ['base64 of 16 bytes', randomBytes(16).toString('base64')],
  ])('SUNDIAL_MASTER_KEY set to junk (%s): a clear line that does not echo it', async (_what, junk) => {
    const { env } = freshSetup();
    const { SUNDIAL_MASTER_KEY_FILE: _file, ...rest } = env;
    const result = await run(['serve', '--port', '0'], { ...rest, SUNDIAL_MASTER_KEY: junk });
    expect([1, 2]).toContain(result.code);
    expectOneLine(result.stderr, /SUNDIAL_MASTER_KEY/);
    expect(result.stderr + result.stdout).not.toContain(junk);
  });

  it('SUNDIAL_MASTER_KEY_FILE inside the data folder: exit 2, and no key is made', async () => {
    const setup = freshSetup();
    const inside = join(setup.dataDir, 'master.key');
    const result = await run(['serve', '--port', '0'], { ...setup.env, SUNDIAL_MASTER_KEY_FILE: inside });
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, /SUNDIAL_MASTER_KEY_FILE .* is inside the data folder/);
    expect(existsSync(inside)).toBe(false);
  });
});

describe('sundial backup and backup-keys', () => {
  it.each(['backup', 'backup-keys'])(
    '`%s <file>` writes a 0600 file and does not overwrite it without --force',
    async (command) => {
      const setup = freshSetup();
      await startOnce(setup.env);
      const file = join(setup.root, `${command}.out`);
      const first = await run([command, file], setup.env);
      expect(first.code, first.stderr).toBe(0);
      expect(mode(file)).toBe(0o600);
      const written = readFileSync(file);
      expect(written.length).toBeGreaterThan(0);

      const again = await run([command, file], setup.env);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/exists; pass --force/);
      expect(readFileSync(file).equals(written)).toBe(true);

      const forced = await run([command, file, '--force'], setup.env);
      expect(forced.code, forced.stderr).toBe(0);
      expect(mode(file)).toBe(0o600);
    },
  );

  it('`backup` holds no keys and `backup-keys` holds no plain key material', async () => {
    const setup = freshSetup();
    await startOnce(setup.env);
    const data = join(setup.root, 'data.bak');
    const keys = join(setup.root, 'keys.bak');
    expect((await run(['backup', data], setup.env)).code).toBe(0);
    expect((await run(['backup-keys', keys], setup.env)).code).toBe(0);
    expect(readFileSync(data).includes(Buffer.from('data_keys'))).toBe(false);
    const sealed = JSON.parse(readFileSync(keys, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(sealed).sort()).toEqual(['createdAt', 'format', 'masterKeyId', 'sealed', 'version']);
    expect(sealed['masterKeyId']).toBe(keyIdOf(setup.keyFile));
  });
});

describe('sundial keys rotate-master and restore', () => {
  it('rotation changes the id `keys status` shows and keeps the old key as .retired-<id>', async () => {
    const setup = freshSetup();
    await startOnce(setup.env);
    const oldId = keyIdOf(setup.keyFile);
    const rotated = await run(['keys', 'rotate-master'], setup.env);
    expect(rotated.code, rotated.stderr).toBe(0);
    const newId = keyIdOf(setup.keyFile);
    expect(newId).not.toBe(oldId);
    expect(rotated.stdout).toContain(`${oldId} → ${newId}`);
    const retired = `${setup.keyFile}.retired-${oldId}`;
    expect(keyIdOf(retired)).toBe(oldId);
    expect(mode(retired)).toBe(0o600);
    expect(mode(setup.keyFile)).toBe(0o600);
    const status = await run(['keys', 'status'], setup.env);
    expect(status.stdout).toMatch(statusLine(newId));
    await startOnce(setup.env);
  });

  it('refuses a keyring backup made before the rotation, naming both ids; the retired key restores it', async () => {
    const setup = freshSetup();
    await startOnce(setup.env);
    const oldId = keyIdOf(setup.keyFile);
    const keys = join(setup.root, 'keys-before.bak');
    expect((await run(['backup-keys', keys], setup.env)).code).toBe(0);
    expect((await run(['keys', 'rotate-master'], setup.env)).code).toBe(0);
    const newId = keyIdOf(setup.keyFile);

    const refused = await run(['restore', '--keys', keys], setup.env);
    expect(refused.code).toBe(1);
    expectOneLine(refused.stderr, new RegExp(oldId), new RegExp(newId));
    expect((await run(['keys', 'status'], setup.env)).stdout).toMatch(statusLine(newId));

    const retired = `${setup.keyFile}.retired-${oldId}`;
    const restored = await run(['restore', '--keys', keys, '--master-key-file', retired], setup.env);
    expect(restored.code, restored.stderr).toBe(0);
    expect((await run(['keys', 'status', '--master-key-file', retired], setup.env)).stdout).toMatch(statusLine(oldId));
  });

  it('round trip on SQLite: backup + backup-keys, databases deleted, restore, serve, data readable', async () => {
    const setup = freshSetup();
    await startOnce(setup.env);
    const config = loadConfig({ env: { ...setup.env, SUNDIAL_PORT: '0', SUNDIAL_LOG_LEVEL: 'silent' } });
    const seeding = await startServer(config);
    const person = await seeding.services.people.create({ email: 'round.trip@example.org', displayName: 'Round Trip' });
    if (person === 'email_taken') throw new Error('email unexpectedly taken');
    const nameId = await seeding.services.names.intern(person.id, 'title', 'A window title to bring back');
    await seeding.close();

    const data = join(setup.root, 'data.bak');
    const keys = join(setup.root, 'keys.bak');
    expect((await run(['backup', data], setup.env)).code).toBe(0);
    expect((await run(['backup-keys', keys], setup.env)).code).toBe(0);
    const keyId = keyIdOf(setup.keyFile);
    for (const name of readdirSync(setup.dataDir)) if (name.startsWith('sundial.')) rmSync(join(setup.dataDir, name));
    expect(readdirSync(setup.dataDir)).toEqual([]);

    const restored = await run(['restore', '--data', data, '--keys', keys], setup.env);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/Keyring restored with 3 keys/); // the person, the instance email-index and audit keys
    await startOnce(setup.env);
    const status = await run(['keys', 'status'], setup.env);
    expect(status.stdout).toMatch(statusLine(keyId));
    expect(status.stdout).toMatch(/^data keys:\s+3 /m);

    const after = await startServer(config);
    try {
      expect(await after.services.people.get(person.id)).toMatchObject({
        email: 'round.trip@example.org',
        displayName: 'Round Trip',
      });
      expect((await after.services.names.resolve(person.id, [nameId])).get(nameId)?.value).toBe(
        'A window title to bring back',
      );
    } finally {
      await after.close();
    }
  });
});

describe('help and usage', () => {
  it.each(['keys status', 'keys rotate-master', 'backup', 'backup-keys', 'restore'])(
    '`%s --help` prints its usage and touches nothing',
    async (command) => {
      const setup = freshSetup();
      const result = await run([...command.split(' '), '--help'], setup.env);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.startsWith(`Usage: sundial ${command}`)).toBe(true);
      expect(result.stdout).toContain('SUNDIAL_MASTER_KEY_FILE');
      expect(existsSync(setup.dataDir)).toBe(false);
      expect(existsSync(setup.keyFile)).toBe(false);
    },
  );

  it.each(['keys frobnicate', 'keys'])('`%s` is refused (exit 2)', async (command) => {
    const result = await run(command.split(' '), freshSetup().env);
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, /unknown sub-command/, /status, rotate-master/);
  });
});
