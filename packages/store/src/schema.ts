/**
 * Table types for Kysely. Times are UTC epoch milliseconds (integers);
 * PostgreSQL `bigint` is parsed to a JavaScript number at connection time.
 * Columns ending in `_ct` hold ciphertext envelopes (packages/crypto) and
 * `_index` columns blind indexes: the database never sees those values in
 * plaintext.
 */

import type { Generated } from 'kysely';

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
  /** argon2id PHC string (parameters inside, so they can be raised later). */
  password_hash: string | null;
  role: Generated<Role>;
  totp_secret_ct: Buffer | null;
  totp_enabled: Generated<number>;
  /** The last accepted TOTP time step: a code for this step or an older one is a replay. */
  totp_last_step: number | null;
  /** 1 after 100 consecutive failed log-ins: only a password reset opens the account again. */
  needs_reset: Generated<number>;
}

export type Role = 'member' | 'admin';

export interface SessionsTable {
  user_id: string;
  id: string;
  /** SHA-256 of the cookie value; the value itself is never stored. */
  token_hash: Buffer;
  created_at: number;
  last_seen_at: number;
  /** Absolute expiry; idle expiry is computed from last_seen_at. */
  expires_at: number;
  /** Encrypted {userAgent, ip} for the person's own session list. */
  client_ct: Buffer | null;
  revoked_at: number | null;
}

export interface ApiTokensTable {
  user_id: string;
  id: string;
  name_ct: Buffer;
  token_hash: Buffer;
  /** Space-separated scopes. */
  scopes: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
}

export interface RecoveryCodesTable {
  user_id: string;
  id: number;
  code_hash: string;
  used_at: number | null;
}

export interface ThrottleTable {
  key: string;
  failures: number;
  blocked_until: number;
  updated_at: number;
}

export interface AuditLogTable {
  seq: number;
  at: number;
  action: string;
  actor_id: string | null;
  subject_id: string | null;
  /** Truncated (/24, /48): personal data is kept only in `private_ct`. */
  ip: string | null;
  /** JSON of non-personal details. */
  details: string;
  /** Personal details (full IP, user agent) encrypted for the subject's own security log. */
  private_ct: Buffer | null;
  prev_hash: Buffer;
  hash: Buffer;
  hmac: Buffer;
}

export interface PasswordResetsTable {
  user_id: string;
  id: string;
  token_hash: Buffer;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface PasskeysTable {
  user_id: string;
  /** The credential id (base64url), unique across the instance. */
  id: string;
  /** COSE public key: not secret, and useless without the authenticator's private key. */
  public_key: Buffer;
  counter: number;
  /** Space-separated transports (usb, nfc, internal, hybrid …). */
  transports: string;
  name_ct: Buffer;
  created_at: number;
  last_used_at: number | null;
}

export interface WebauthnChallengesTable {
  id: string;
  user_id: string | null;
  purpose: 'register' | 'login';
  challenge: string;
  expires_at: number;
}

export interface AuditHeadTable {
  id: number;
  last_seq: number;
  last_hash: Buffer;
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

/** A computer (or the web app) that records activity: one per API token, plus `manual` for the browser. */
export interface DevicesTable {
  user_id: string;
  id: string;
  name_ct: Buffer;
  platform: string;
  created_at: number;
  last_seen_at: number | null;
  /** An upper bound of the duration of every event of the device (see the migration). */
  longest_event_ms: Generated<number>;
}

export type ActivityKind = 'window' | 'web' | 'away' | 'other';

/** An ActivityWatch bucket: one stream of one watcher on one device. */
export interface BucketsTable {
  user_id: string;
  id: string;
  key_index: Buffer;
  key_ct: Buffer;
  device_id: string;
  kind: ActivityKind;
  type: string;
  client: string;
  /** Encrypted JSON {hostname, data}. */
  meta_ct: Buffer;
  created_at: number;
  last_updated_at: number | null;
}

/** One span of activity. Strings live in the names dictionary; the row holds their ids. */
export interface EventsTable {
  seq: Generated<number>;
  user_id: string;
  uid: string;
  device_id: string;
  bucket_id: string;
  kind: ActivityKind;
  start_ms: number;
  end_ms: number;
  app_id: number | null;
  title_id: number | null;
  domain_id: number | null;
  url_id: number | null;
  away: number | null;
  extra_ct: Buffer | null;
  updated_at: number;
}

/** Milliseconds of active time per person, 15-minute UTC slot, dimension and name (or category) id. */
export interface RollupsTable {
  user_id: string;
  dimension: string;
  slot: number;
  key: number;
  ms: number;
}

export interface PrivacySettingsTable {
  user_id: string;
  detail: string;
  /** Encrypted JSON of the ignore rules (their patterns name apps and sites). */
  rules_ct: Buffer;
  paused: number;
  retention_days: number | null;
  updated_at: number;
  /** Encrypted JSON of the working hours, or null for none. */
  working_hours_ct: Buffer | null;
}

/** The free key → JSON store of the ActivityWatch API, keys and values encrypted. */
export interface AwSettingsTable {
  user_id: string;
  key_index: Buffer;
  key_ct: Buffer;
  value_ct: Buffer;
  updated_at: number;
}

/** A person's category tree, stored once they change it (until then they see the defaults). */
export interface CategoriesTable {
  user_id: string;
  id: string;
  parent_id: string | null;
  name_ct: Buffer;
  level: number;
  color: string;
  created_at: number;
  updated_at: number;
}

/** A person's own categorisation rules; the default rules are code, not rows. */
export interface CategoryRulesTable {
  user_id: string;
  id: string;
  field: string;
  match: string;
  pattern_ct: Buffer;
  category_id: string | null;
  level: number | null;
  created_at: number;
  updated_at: number;
}

/** Whether the person's tree is stored, and a version bumped by every category or rule change. */
export interface CategoryStateTable {
  user_id: string;
  customised: number;
  version: number;
  /** The version the category and level rollups were computed with (−1: never). */
  categorised_version: Generated<number>;
  progress_done: number | null;
  progress_total: number | null;
}

/** A person's alert; name, target and time zone are ciphertexts (the target names an app, site or category). */
export interface AlertsTable {
  user_id: string;
  id: string;
  name_ct: Buffer;
  /** Encrypted JSON of the target. */
  target_ct: Buffer;
  time_zone_ct: Buffer;
  comparison: string;
  minutes: number;
  /** Comma-separated weekday names in week order. */
  days: string;
  enabled: number;
  /** Bumped by every change of the alert: a firing is recorded only for the revision it was evaluated with. */
  revision: number;
  created_at: number;
  updated_at: number;
}

/** A version bumped by every change of a person's alerts. */
export interface AlertStateTable {
  user_id: string;
  version: number;
}

/** The local days (in the alert's zone) an alert fired on: at most one row per alert and day. */
export interface AlertFiringsTable {
  user_id: string;
  alert_id: string;
  day: string;
  fired_at: number;
  observed_ms: number;
}

export interface Database {
  sundial_migrations: SchemaMigrationTable;
  instance_meta: InstanceMetaTable;
  users: UsersTable;
  names: NamesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  recovery_codes: RecoveryCodesTable;
  throttle: ThrottleTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  password_resets: PasswordResetsTable;
  passkeys: PasskeysTable;
  webauthn_challenges: WebauthnChallengesTable;
  devices: DevicesTable;
  buckets: BucketsTable;
  events: EventsTable;
  rollups: RollupsTable;
  privacy_settings: PrivacySettingsTable;
  aw_settings: AwSettingsTable;
  categories: CategoriesTable;
  category_rules: CategoryRulesTable;
  category_state: CategoryStateTable;
  alerts: AlertsTable;
  alert_state: AlertStateTable;
  alert_firings: AlertFiringsTable;
  device_pairings: DevicePairingsTable;
  device_status: DeviceStatusTable;
}

/**
 * A device pairing: pending (no person), approved (person, device and the
 * sealed token set), claimed (token erased). Instance-level: keyed by its id.
 */
export interface DevicePairingsTable {
  id: string;
  /** Blind index of the normalised code under the instance key. */
  code_index: Buffer;
  /** SHA-256 of the agent's poll secret. */
  secret_hash: Buffer;
  /** The device name, encrypted under the instance key until approval; null afterwards. */
  name_ct: Buffer | null;
  platform: string;
  created_at: number;
  expires_at: number;
  user_id: string | null;
  device_id: string | null;
  /** The device token, encrypted under the person's key, between approval and claim. */
  token_ct: Buffer | null;
  approved_at: number | null;
  claimed_at: number | null;
}

/** The latest status an agent reported, one row per device. */
export interface DeviceStatusTable {
  user_id: string;
  device_id: string;
  queue_length: number;
  oldest_queued_at: number | null;
  last_sync_at: number | null;
  version: string;
  watchers_ct: Buffer;
  updated_at: number;
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
