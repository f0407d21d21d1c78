/**
 * SQL over `throttle`: failure counters shared by every server process.
 * Keys are opaque (HMACs of an account or address), never personal data.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface ThrottleState {
  readonly failures: number;
  readonly blockedUntil: number;
}

export interface ThrottleRepository {
  get(key: string): Promise<ThrottleState | null>;
  /**
   * Adds one failure atomically and sets the block computed from the new
   * count; answers the new state. When the last failure is older than
   * `forgetBefore`, the count starts again at one.
   */
  fail(key: string, now: number, blockFor: (failures: number) => number, forgetBefore?: number): Promise<ThrottleState>;
  clear(key: string): Promise<void>;
}

export function throttleRepository(db: Kysely<Database>): ThrottleRepository {
  async function get(key: string): Promise<ThrottleState | null> {
    const row = await db
      .selectFrom('throttle')
      .select(['failures', 'blocked_until'])
      .where('key', '=', key)
      .executeTakeFirst();
    return row ? { failures: Number(row.failures), blockedUntil: Number(row.blocked_until) } : null;
  }
  return {
    get,
    async fail(key, now, blockFor, forgetBefore = Number.MIN_SAFE_INTEGER) {
      return db.transaction().execute(async (trx) => {
        // The increment is one statement, so concurrent failures from several processes all count.
        await trx
          .insertInto('throttle')
          .values({ key, failures: 1, blocked_until: 0, updated_at: now })
          .onConflict((oc) =>
            oc.column('key').doUpdateSet((eb) => ({
              failures: eb
                .case()
                .when('throttle.updated_at', '<', forgetBefore)
                .then(1)
                .else(eb('throttle.failures', '+', 1))
                .end(),
              updated_at: now,
            })),
          )
          .execute();
        const row = await trx
          .selectFrom('throttle')
          .select('failures')
          .where('key', '=', key)
          .executeTakeFirstOrThrow();
        const failures = Number(row.failures);
        const blockedUntil = now + blockFor(failures);
        await trx.updateTable('throttle').set({ blocked_until: blockedUntil }).where('key', '=', key).execute();
        return { failures, blockedUntil };
      });
    },
    async clear(key) {
      await db.deleteFrom('throttle').where('key', '=', key).execute();
    },
  };
}
