/**
 * Revoking a person's session or token: the same statement for both tables,
 * scoped by owner so one person can never revoke another's.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export type RevocableTable = 'sessions' | 'api_tokens';

/** Revokes one row of the person; false when it is not theirs or already revoked. */
export async function revokeOwned(
  db: Kysely<Database>,
  table: RevocableTable,
  userId: string,
  id: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable(table)
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
