/** Instance-wide key/value facts. Holds no personal data. */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface InstanceMetaRepository {
  get(key: string): Promise<string | null>;
  /** Sets the value only if the key is absent; answers the value that is now stored. */
  setIfAbsent(key: string, value: string, now: number): Promise<string>;
}

export function instanceMetaRepository(db: Kysely<Database>): InstanceMetaRepository {
  async function get(key: string): Promise<string | null> {
    const row = await db.selectFrom('instance_meta').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value ?? null;
  }
  return {
    get,
    async setIfAbsent(key, value, now) {
      await db
        .insertInto('instance_meta')
        .values({ key, value, updated_at: now })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      const stored = await get(key);
      if (stored === null) throw new Error(`instance_meta ${key} vanished after insert`);
      return stored;
    },
  };
}
