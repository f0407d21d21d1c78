/** SQL over `password_resets`. */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface PasswordResetsRepository {
  insert(row: { userId: string; id: string; tokenHash: Buffer; createdAt: number; expiresAt: number }): Promise<void>;
  /**
   * Uses a token once: marks it used and answers its person, or null when it
   * is unknown, used or expired. One conditional update, so two requests with
   * the same token cannot both succeed.
   */
  consume(tokenHash: Buffer, now: number): Promise<string | null>;
  /** The person of a usable token, without using it (to check the new password first). */
  peek(tokenHash: Buffer, now: number): Promise<string | null>;
  /** Makes every open token of the person unusable (after a successful reset). */
  invalidateAll(userId: string, now: number): Promise<void>;
}

export function passwordResetsRepository(db: Kysely<Database>): PasswordResetsRepository {
  return {
    async insert(row) {
      await db
        .insertInto('password_resets')
        .values({
          user_id: row.userId,
          id: row.id,
          token_hash: row.tokenHash,
          created_at: row.createdAt,
          expires_at: row.expiresAt,
          used_at: null,
        })
        .execute();
    },
    async consume(tokenHash, now) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('password_resets')
          .select(['user_id', 'id'])
          .where('token_hash', '=', tokenHash)
          .where('used_at', 'is', null)
          .where('expires_at', '>', now)
          .executeTakeFirst();
        if (!row) return null;
        const result = await trx
          .updateTable('password_resets')
          .set({ used_at: now })
          .where('user_id', '=', row.user_id)
          .where('id', '=', row.id)
          .where('used_at', 'is', null)
          .executeTakeFirst();
        return Number(result.numUpdatedRows) === 1 ? row.user_id : null;
      });
    },
    async peek(tokenHash, now) {
      const row = await db
        .selectFrom('password_resets')
        .select('user_id')
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return row?.user_id ?? null;
    },
    async invalidateAll(userId, now) {
      await db
        .updateTable('password_resets')
        .set({ used_at: now })
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .execute();
    },
  };
}
