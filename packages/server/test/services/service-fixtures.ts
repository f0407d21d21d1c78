/**
 * The services on a fresh database of either kind, with a master key file of
 * their own, and a raw connection for looking at (or tampering with) the
 * rows from outside the store, as an attacker with database access would.
 */
import type { Kysely } from 'kysely';
import type { DatabaseKind, Store } from '@sundial/store';
import { openKeyring } from '../../src/keys/keyring.js';
import { namesDictionary, type NamesDictionary } from '../../src/services/names-dictionary.js';
import { createServices, DEFAULT_ACCOUNT_SETTINGS, type Services } from '../../src/services/services.js';
import { openKeyedStore, type KeyFolder, type TestStore } from '../keys/key-fixtures.js';
import type { Database } from '../../../store/src/schema.js';
import { withConnection } from '../../../store/test/helpers.js';

export const NOW = 1_763_800_000_000;

export interface TestServices extends Services {
  readonly db: TestStore;
  readonly store: Store;
  readonly folder: KeyFolder;
  /** A names dictionary of its own (empty caches) on a keyring of its own. */
  freshNames(): Promise<NamesDictionary>;
  /** Runs `use` on a separate raw connection to the data database. */
  raw<T>(use: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openServices(kind: DatabaseKind): Promise<TestServices> {
  const { db, folder, keyring } = await openKeyedStore(kind, () => NOW);
  return {
    ...createServices(db.store, keyring, DEFAULT_ACCOUNT_SETTINGS, { now: () => NOW }),
    db,
    store: db.store,
    folder,
    async freshNames() {
      const another = await openKeyring({ repo: db.store.keyring, source: folder.source });
      return namesDictionary({ names: db.store.names, keyring: another });
    },
    raw: (use) => withConnection(db.database.target, (conn) => use(conn.db)),
    async close() {
      await db.close();
      folder.remove();
    },
  };
}

/** True when `haystack` holds `needle` as UTF-8 bytes (or as text, for string columns). */
export function holds(haystack: unknown, needle: string): boolean {
  if (Buffer.isBuffer(haystack) || haystack instanceof Uint8Array)
    return Buffer.from(haystack).includes(needle, 0, 'utf8');
  return typeof haystack === 'string' && haystack.includes(needle);
}
