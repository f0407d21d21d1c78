/**
 * Shared set-up for the key and service tests: a master key file in a
 * temporary folder of its own (never inside a data folder, as the config
 * demands), a fresh store of either kind, and a check for KeySetupError.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { openStore, type DatabaseKind, type Store } from '@sundial/store';
import type { MasterKeySource } from '../../src/config.js';
import { KeySetupError } from '../../src/keys/master-key.js';
import { openKeyring, type Keyring } from '../../src/keys/keyring.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/databases.js';

export interface KeyFolder {
  /** The temporary folder; the key file lives in its `keys/` sub-folder (not created yet). */
  readonly dir: string;
  readonly path: string;
  readonly source: MasterKeySource & { readonly kind: 'file' };
  remove(): void;
}

export function keyFolder(): KeyFolder {
  const dir = mkdtempSync(join(tmpdir(), 'sundial-key-'));
  const path = join(dir, 'keys', 'master.key');
  return {
    dir,
    path,
    source: { kind: 'file', path },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface TestStore {
  readonly database: TestDatabase;
  readonly store: Store;
  /** Closes the store (and any extra ones opened on the same database), then drops the database. */
  close(): Promise<void>;
  /** A second store on the same database, closed with this one. */
  openAnother(): Promise<Store>;
}

export async function openTestStore(kind: DatabaseKind): Promise<TestStore> {
  const database = await createTestDatabase(kind);
  let store: Store;
  try {
    store = await openStore(database.target);
  } catch (error) {
    await database.drop();
    throw error;
  }
  const stores = [store];
  return {
    database,
    store,
    async openAnother() {
      const another = await openStore(database.target);
      stores.push(another);
      return another;
    },
    async close() {
      await Promise.all(stores.map((s) => s.close()));
      await database.drop();
    },
  };
}

/** Awaits a rejection that must be a KeySetupError whose message holds every fragment. */
export async function expectKeySetupError(promise: Promise<unknown>, ...fragments: string[]): Promise<KeySetupError> {
  const error: unknown = await promise.then(
    () => expect.fail('expected a KeySetupError, but it resolved'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeySetupError);
  const message = error instanceof Error ? error.message : '';
  for (const fragment of fragments) expect(message).toContain(fragment);
  return error as KeySetupError;
}

/** Runs `action`, which must throw (synchronously) a KeySetupError holding every fragment. */
export function expectKeySetupErrorSync(action: () => unknown, ...fragments: string[]): KeySetupError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(KeySetupError);
  const message = caught instanceof Error ? caught.message : '';
  for (const fragment of fragments) expect(message).toContain(fragment);
  return caught as KeySetupError;
}

/** Keys every keyring holds besides people's: the instance email-index key and the audit HMAC key. */
export const INSTANCE_KEYS = 2;

/** A fresh store with a keyring opened on a key file of its own; on failure nothing is left behind. */
export async function openKeyedStore(
  kind: DatabaseKind,
  now: () => number,
): Promise<{ db: TestStore; folder: KeyFolder; keyring: Keyring }> {
  const db = await openTestStore(kind);
  const folder = keyFolder();
  try {
    return { db, folder, keyring: await openKeyring({ repo: db.store.keyring, source: folder.source, now }) };
  } catch (error) {
    await db.close();
    folder.remove();
    throw error;
  }
}
