/**
 * SQL over the keyring: wrapped data keys and a few facts about the master
 * key (its id, its key-check value, a rotation in progress). Holds no key in
 * the clear: every data key here is wrapped by the master key.
 */
import type { Kysely } from 'kysely';
import type { KeyringDatabase } from '../schema.js';

export interface WrappedKeyRow {
  readonly ownerId: string;
  readonly version: number;
  readonly wrapped: Buffer;
  readonly masterKeyId: string;
  readonly createdAt: number;
}

export interface KeyringRepository {
  getMeta(key: string): Promise<string | null>;
  setMeta(entries: Record<string, string | null>): Promise<void>;
  /** The newest key of an owner, or null (never created, or shredded). */
  getKey(ownerId: string): Promise<WrappedKeyRow | null>;
  /** Stores the key unless the owner already has that version; answers the stored one. */
  insertKeyIfAbsent(row: WrappedKeyRow): Promise<WrappedKeyRow>;
  /** Replaces the wrapping of an existing key (master key rotation). */
  rewrap(row: WrappedKeyRow): Promise<void>;
  /** Deletes every version of the owner's key; answers how many went. */
  deleteKeys(ownerId: string): Promise<number>;
  /** Keys not wrapped by the given master key, a page at a time, in owner order. */
  keysNotWrappedBy(masterKeyId: string, limit: number): Promise<WrappedKeyRow[]>;
  countKeys(): Promise<{ total: number; byMasterKey: Record<string, number> }>;
  /** Every key, in owner order (for keyring backups). */
  allKeys(): Promise<WrappedKeyRow[]>;
  /** Replaces the whole keyring content in one transaction (restore). */
  replaceAll(rows: readonly WrappedKeyRow[], meta: Record<string, string>): Promise<void>;
}

type KeyRecord = KeyringDatabase['data_keys'];

function toRow(record: KeyRecord): WrappedKeyRow {
  return {
    ownerId: record.owner_id,
    version: record.version,
    wrapped: Buffer.from(record.wrapped),
    masterKeyId: record.master_key_id,
    createdAt: record.created_at,
  };
}

function toRecord(row: WrappedKeyRow): KeyRecord {
  return {
    owner_id: row.ownerId,
    version: row.version,
    wrapped: row.wrapped,
    master_key_id: row.masterKeyId,
    created_at: row.createdAt,
  };
}

/** `purge` makes deleted key rows unrecoverable from the database files (see DialectSql.purgeDeleted). */
export function keyringRepository(db: Kysely<KeyringDatabase>, purge: () => Promise<void>): KeyringRepository {
  async function setMetaIn(trx: Kysely<KeyringDatabase>, entries: Record<string, string | null>): Promise<void> {
    for (const [key, value] of Object.entries(entries)) {
      if (value === null) {
        await trx.deleteFrom('keyring_meta').where('key', '=', key).execute();
      } else {
        await trx
          .insertInto('keyring_meta')
          .values({ key, value })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
          .execute();
      }
    }
  }

  async function getKey(ownerId: string): Promise<WrappedKeyRow | null> {
    const record = await db
      .selectFrom('data_keys')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    return record ? toRow(record) : null;
  }

  return {
    async getMeta(key) {
      const row = await db.selectFrom('keyring_meta').select('value').where('key', '=', key).executeTakeFirst();
      return row?.value ?? null;
    },
    setMeta: (entries) => db.transaction().execute((trx) => setMetaIn(trx, entries)),
    getKey,
    async insertKeyIfAbsent(row) {
      await db
        .insertInto('data_keys')
        .values(toRecord(row))
        .onConflict((oc) => oc.columns(['owner_id', 'version']).doNothing())
        .execute();
      const stored = await getKey(row.ownerId);
      if (!stored) throw new Error('data key vanished right after it was stored');
      return stored;
    },
    async rewrap(row) {
      await db
        .updateTable('data_keys')
        .set({ wrapped: row.wrapped, master_key_id: row.masterKeyId })
        .where('owner_id', '=', row.ownerId)
        .where('version', '=', row.version)
        .execute();
    },
    async deleteKeys(ownerId) {
      const result = await db.deleteFrom('data_keys').where('owner_id', '=', ownerId).executeTakeFirst();
      const deleted = Number(result.numDeletedRows);
      if (deleted > 0) await purge();
      return deleted;
    },
    async keysNotWrappedBy(masterKeyId, limit) {
      const records = await db
        .selectFrom('data_keys')
        .selectAll()
        .where('master_key_id', '!=', masterKeyId)
        .orderBy('owner_id')
        .orderBy('version')
        .limit(limit)
        .execute();
      return records.map(toRow);
    },
    async countKeys() {
      const rows = await db
        .selectFrom('data_keys')
        .select(['master_key_id', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('master_key_id')
        .execute();
      const byMasterKey: Record<string, number> = {};
      let total = 0;
      for (const row of rows) {
        byMasterKey[row.master_key_id] = Number(row.n);
        total += Number(row.n);
      }
      return { total, byMasterKey };
    },
    async allKeys() {
      const records = await db.selectFrom('data_keys').selectAll().orderBy('owner_id').orderBy('version').execute();
      return records.map(toRow);
    },
    async replaceAll(rows, meta) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('data_keys').execute();
        await trx.deleteFrom('keyring_meta').execute();
        for (const row of rows) await trx.insertInto('data_keys').values(toRecord(row)).execute();
        await setMetaIn(trx, meta);
      });
    },
  };
}
