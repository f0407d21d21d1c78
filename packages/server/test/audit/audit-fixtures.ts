/**
 * The audit log on a fresh database of either kind with a keyring of its own,
 * a ticking clock, people with data keys, and raw SQL on the audit tables
 * from outside the store, as an attacker with write access to the database
 * would have.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DatabaseKind, Store } from '@sundial/store';
import type { Database } from '../../../store/src/schema.js';
import { withConnection } from '../../../store/test/helpers.js';
import { auditLog, type AuditLog } from '../../src/audit/audit-log.js';
import type { Keyring } from '../../src/keys/keyring.js';
import { openKeyedStore, type KeyFolder, type TestStore } from '../keys/key-fixtures.js';

export const NOW = 1_763_800_000_000;

export interface AuditFixture {
  readonly db: TestStore;
  readonly store: Store;
  readonly folder: KeyFolder;
  readonly keyring: Keyring;
  readonly audit: AuditLog;
  /** A person id with a data key in the keyring. */
  person(): Promise<string>;
  /** Runs `use` on a separate raw connection to the data database. */
  raw<T>(use: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Empties the log and resets the head (between tests on one database). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export function ticking(start = NOW): () => number {
  let t = start;
  return () => (t += 1000);
}

export async function openAudit(kind: DatabaseKind): Promise<AuditFixture> {
  const { db, folder, keyring } = await openKeyedStore(kind, () => NOW);
  const raw: AuditFixture['raw'] = (use) => withConnection(db.database.target, (conn) => use(conn.db));
  return {
    db,
    store: db.store,
    folder,
    keyring,
    audit: auditLog({ repo: db.store.audit, keyring, now: ticking() }),
    async person() {
      const id = randomUUID();
      await keyring.dataKey(id);
      return id;
    },
    raw,
    reset: () =>
      raw(async (conn) => {
        await conn.deleteFrom('audit_log').execute();
        await conn
          .updateTable('audit_head')
          .set({ last_seq: 0, last_hash: Buffer.alloc(32) })
          .execute();
      }),
    async close() {
      await db.close();
      folder.remove();
    },
  };
}

/** The raw `audit_log` rows in seq order, every column as stored. */
export function rawRows(db: Kysely<Database>): Promise<Array<Record<string, unknown>>> {
  return db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
}

/** `update audit_log set <column> = value where seq = …` with raw SQL. */
export async function setColumn(db: Kysely<Database>, seq: number, column: string, value: unknown): Promise<void> {
  const result = await sql`update audit_log set ${sql.ref(column)} = ${value} where seq = ${seq}`.execute(db);
  if (Number(result.numAffectedRows ?? 0n) !== 1) throw new Error(`no row ${seq} to tamper with`);
}

/** A copy of the bytes with the first one flipped. */
export function flipped(bytes: unknown): Buffer {
  if (!(bytes instanceof Uint8Array)) throw new Error('not bytes');
  const copy = Buffer.from(bytes);
  copy[0] = (copy[0] ?? 0) ^ 0xff;
  return copy;
}
