/** SQL over `sessions`. Only SHA-256 hashes of session tokens are stored. */
import type { Kysely, Selectable } from 'kysely';
import { revokeOwned } from './revocable.js';
import type { Database, SessionsTable } from '../schema.js';

export interface SessionRow {
  readonly userId: string;
  readonly id: string;
  readonly tokenHash: Buffer;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly expiresAt: number;
  readonly clientCiphertext: Buffer | null;
  readonly revokedAt: number | null;
}

export interface SessionsRepository {
  insert(row: SessionRow): Promise<void>;
  byTokenHash(tokenHash: Buffer): Promise<SessionRow | null>;
  /** The person's sessions that are neither revoked nor past their absolute expiry, newest first. */
  active(userId: string, now: number): Promise<SessionRow[]>;
  touch(userId: string, id: string, now: number): Promise<void>;
  /** Revokes one session of the person; false when it is not theirs or already revoked. */
  revoke(userId: string, id: string, now: number): Promise<boolean>;
  /** Revokes every session of the person except `keepId`; answers how many. */
  revokeAllExcept(userId: string, keepId: string | null, now: number): Promise<number>;
}

function toRow(r: Selectable<SessionsTable>): SessionRow {
  return {
    userId: r.user_id,
    id: r.id,
    tokenHash: Buffer.from(r.token_hash),
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    clientCiphertext: r.client_ct ? Buffer.from(r.client_ct) : null,
    revokedAt: r.revoked_at,
  };
}

export function sessionsRepository(db: Kysely<Database>): SessionsRepository {
  return {
    async insert(row) {
      await db
        .insertInto('sessions')
        .values({
          user_id: row.userId,
          id: row.id,
          token_hash: row.tokenHash,
          created_at: row.createdAt,
          last_seen_at: row.lastSeenAt,
          expires_at: row.expiresAt,
          client_ct: row.clientCiphertext,
          revoked_at: row.revokedAt,
        })
        .execute();
    },
    async byTokenHash(tokenHash) {
      const r = await db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return r ? toRow(r) : null;
    },
    async active(userId, now) {
      const rows = await db
        .selectFrom('sessions')
        .selectAll()
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map(toRow);
    },
    async touch(userId, id, now) {
      await db
        .updateTable('sessions')
        .set({ last_seen_at: now })
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .execute();
    },
    revoke: (userId, id, now) => revokeOwned(db, 'sessions', userId, id, now),
    async revokeAllExcept(userId, keepId, now) {
      let query = db
        .updateTable('sessions')
        .set({ revoked_at: now })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null);
      if (keepId !== null) query = query.where('id', '!=', keepId);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
