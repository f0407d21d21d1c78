/** SQL over `api_tokens`. Only SHA-256 hashes of tokens are stored; names are encrypted. */
import type { Kysely, Selectable } from 'kysely';
import { revokeOwned } from './revocable.js';
import type { ApiTokensTable, Database } from '../schema.js';

export interface ApiTokenRow {
  readonly userId: string;
  readonly id: string;
  readonly nameCiphertext: Buffer;
  readonly tokenHash: Buffer;
  readonly scopes: readonly string[];
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  readonly expiresAt: number | null;
  readonly revokedAt: number | null;
}

export interface ApiTokensRepository {
  insert(row: ApiTokenRow): Promise<void>;
  byTokenHash(tokenHash: Buffer): Promise<ApiTokenRow | null>;
  /** The person's tokens that are not revoked, newest first. */
  list(userId: string): Promise<ApiTokenRow[]>;
  touch(userId: string, id: string, now: number): Promise<void>;
  revoke(userId: string, id: string, now: number): Promise<boolean>;
}

function toRow(r: Selectable<ApiTokensTable>): ApiTokenRow {
  return {
    userId: r.user_id,
    id: r.id,
    nameCiphertext: Buffer.from(r.name_ct),
    tokenHash: Buffer.from(r.token_hash),
    scopes: r.scopes.split(' ').filter(Boolean),
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  };
}

export function apiTokensRepository(db: Kysely<Database>): ApiTokensRepository {
  return {
    async insert(row) {
      await db
        .insertInto('api_tokens')
        .values({
          user_id: row.userId,
          id: row.id,
          name_ct: row.nameCiphertext,
          token_hash: row.tokenHash,
          scopes: row.scopes.join(' '),
          created_at: row.createdAt,
          last_used_at: row.lastUsedAt,
          expires_at: row.expiresAt,
          revoked_at: row.revokedAt,
        })
        .execute();
    },
    async byTokenHash(tokenHash) {
      const r = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return r ? toRow(r) : null;
    },
    async list(userId) {
      const rows = await db
        .selectFrom('api_tokens')
        .selectAll()
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(toRow);
    },
    async touch(userId, id, now) {
      await db
        .updateTable('api_tokens')
        .set({ last_used_at: now })
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .execute();
    },
    revoke: (userId, id, now) => revokeOwned(db, 'api_tokens', userId, id, now),
  };
}
