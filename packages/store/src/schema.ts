/**
 * Table types for Kysely. Times are UTC epoch milliseconds (integers);
 * PostgreSQL `bigint` is parsed to a JavaScript number at connection time.
 * Columns ending in `_ct` hold ciphertext envelopes (packages/crypto) and
 * `_index` columns blind indexes: the database never sees those values in
 * plaintext.
 */

export interface SchemaMigrationTable {
  name: string;
  applied_at: number;
}

/** Instance-wide facts (instance id, creation time). No personal data. */
export interface InstanceMetaTable {
  key: string;
  value: string;
  updated_at: number;
}

export type PersonStatus = 'active' | 'deleting';

/** A person with an account. Personal fields are encrypted with the person's own data key. */
export interface UsersTable {
  id: string;
  /** HMAC of the normalised email under the instance email-index key: log-in lookup without plaintext. */
  email_index: Buffer;
  email_ct: Buffer;
  display_name_ct: Buffer | null;
  /** `deleting`: crypto-shredding has begun and must be finished (see the people service). */
  status: PersonStatus;
  created_at: number;
  updated_at: number;
}

/**
 * The names dictionary: each distinct app name, window title, domain, URL or
 * file name is stored once per person, encrypted, and referenced by `id`
 * from activity rows. SQL groups and filters by id; the blind index finds an
 * existing entry without decrypting anything.
 */
export interface NamesTable {
  user_id: string;
  id: number;
  kind: string;
  blind_index: Buffer;
  value_ct: Buffer;
  created_at: number;
}

export interface Database {
  sundial_migrations: SchemaMigrationTable;
  instance_meta: InstanceMetaTable;
  users: UsersTable;
  names: NamesTable;
}

/** The keyring: its own SQLite file, or its own PostgreSQL schema, apart from the data. */
export interface KeyringMetaTable {
  key: string;
  value: string;
}

export interface DataKeysTable {
  owner_id: string;
  version: number;
  /** The data key wrapped by the master key (packages/crypto key-wrap). */
  wrapped: Buffer;
  master_key_id: string;
  created_at: number;
}

export interface KeyringDatabase {
  sundial_migrations: SchemaMigrationTable;
  keyring_meta: KeyringMetaTable;
  data_keys: DataKeysTable;
}
