/**
 * Accounts: passwords (argon2id strings), roles, TOTP state, sessions, API
 * tokens, recovery codes, shared throttling counters and the hash-chained
 * audit log.
 */
import { sql } from 'kysely';
import { bytesType } from './column-types.js';
import type { Migration } from './migration.js';

export const accounts: Migration = {
  name: '20261122T1800_accounts',
  async up(db, dialect) {
    const bytes = bytesType(dialect);
    await db.schema.alterTable('users').addColumn('password_hash', 'text').execute();
    await db.schema
      .alterTable('users')
      .addColumn('role', 'text', (c) => c.notNull().defaultTo('member'))
      .execute();
    await db.schema.alterTable('users').addColumn('totp_secret_ct', bytes).execute();
    await db.schema
      .alterTable('users')
      .addColumn('totp_enabled', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('users').addColumn('totp_last_step', 'bigint').execute();
    await db.schema
      .alterTable('users')
      .addColumn('needs_reset', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('token_hash', bytes, (c) => c.notNull().unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('client_ct', bytes)
      .addColumn('revoked_at', 'bigint')
      .addPrimaryKeyConstraint('sessions_pk', ['user_id', 'id'])
      .execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('name_ct', bytes, (c) => c.notNull())
      .addColumn('token_hash', bytes, (c) => c.notNull().unique())
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint')
      .addColumn('expires_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .addPrimaryKeyConstraint('api_tokens_pk', ['user_id', 'id'])
      .execute();

    await db.schema
      .createTable('recovery_codes')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('id', 'integer', (c) => c.notNull())
      .addColumn('code_hash', 'text', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .addPrimaryKeyConstraint('recovery_codes_pk', ['user_id', 'id'])
      .execute();

    // Counters shared by every server process (keys are HMACs, never an email or IP in the clear).
    await db.schema
      .createTable('throttle')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('blocked_until', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    // Append-only, hash-chained. `audit_head` serialises appends across processes: an append
    // first updates its one row (a write lock on SQLite, a row lock on PostgreSQL).
    await db.schema
      .createTable('audit_log')
      .addColumn('seq', 'bigint', (c) => c.primaryKey())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('subject_id', 'text')
      .addColumn('ip', 'text')
      .addColumn('details', 'text', (c) => c.notNull())
      .addColumn('private_ct', bytes)
      .addColumn('prev_hash', bytes, (c) => c.notNull())
      .addColumn('hash', bytes, (c) => c.notNull())
      .addColumn('hmac', bytes, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_log_subject').on('audit_log').columns(['subject_id', 'seq']).execute();
    await db.schema
      .createTable('audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('last_seq', 'bigint', (c) => c.notNull())
      .addColumn('last_hash', bytes, (c) => c.notNull())
      .execute();
    await sql`insert into audit_head (id, last_seq, last_hash) values (1, 0, ${Buffer.alloc(32)})`.execute(db);
  },
};
