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
   * count; answers the new state. With `windowStart`, failures are counted
   * in fixed windows: a row whose window began before `windowStart` starts
   * a new one (count one, `updated_at` the window's start); without it,
   * `updated_at` is the last failure and the count only grows.
   */
  fail(key: string, now: number, blockFor: (failures: number) => number, windowStart?: number): Promise<ThrottleState>;
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
    async fail(key, now, blockFor, windowStart) {
      return db.transaction().execute(async (trx) => {
        // The increment is one statement, so concurrent failures from several processes all count.
        await trx
          .insertInto('throttle')
          .values({ key, failures: 1, blocked_until: 0, updated_at: now })
          .onConflict((oc) =>
            oc.column('key').doUpdateSet((eb) => {
              if (windowStart === undefined) return { failures: eb('throttle.failures', '+', 1), updated_at: now };
              const expired = eb('throttle.updated_at', '<', windowStart);
              return {
                failures: eb
                  .case()
                  .when(expired)
                  .then(1)
                  .else(eb('throttle.failures', '+', 1))
                  .end(),
                updated_at: eb.case().when(expired).then(now).else(eb.ref('throttle.updated_at')).end(),
              };
            }),
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
