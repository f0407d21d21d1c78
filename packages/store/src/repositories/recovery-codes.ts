/** SQL over `recovery_codes`: argon2id hashes of single-use codes. */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface RecoveryCodeRow {
  readonly id: number;
  readonly codeHash: string;
}

export interface RecoveryCodesRepository {
  /** Replaces the person's codes with these hashes. */
  replace(userId: string, hashes: readonly string[]): Promise<void>;
  unused(userId: string): Promise<RecoveryCodeRow[]>;
  /** Marks a code used, once: false when it was already used (a race or a replay). */
  use(userId: string, id: number, now: number): Promise<boolean>;
  deleteAll(userId: string): Promise<void>;
}

export function recoveryCodesRepository(db: Kysely<Database>): RecoveryCodesRepository {
  return {
    async replace(userId, hashes) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
        if (hashes.length === 0) return;
        await trx
          .insertInto('recovery_codes')
          .values(hashes.map((code_hash, i) => ({ user_id: userId, id: i + 1, code_hash, used_at: null })))
          .execute();
      });
    },
    async unused(userId) {
      const rows = await db
        .selectFrom('recovery_codes')
        .select(['id', 'code_hash'])
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ id: Number(r.id), codeHash: r.code_hash }));
    },
    async use(userId, id, now) {
      const result = await db
        .updateTable('recovery_codes')
        .set({ used_at: now })
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async deleteAll(userId) {
      await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    },
  };
}
