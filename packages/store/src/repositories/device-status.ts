/** SQL over `device_status`: the latest report of each of a person's agents. Watchers text is a ciphertext. */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface DeviceStatusRow {
  readonly deviceId: string;
  readonly queueLength: number;
  readonly oldestQueuedAt: number | null;
  readonly lastSyncAt: number | null;
  readonly version: string;
  readonly watchersCiphertext: Buffer;
  readonly updatedAt: number;
}

export interface DeviceStatusRepository {
  /** Replaces the device's status and marks the device seen; false when the person has no such device. */
  put(userId: string, row: DeviceStatusRow): Promise<boolean>;
  list(userId: string): Promise<DeviceStatusRow[]>;
}

export function deviceStatusRepository(db: Kysely<Database>): DeviceStatusRepository {
  return {
    async put(userId, row) {
      return db.transaction().execute(async (trx) => {
        const seen = await trx
          .updateTable('devices')
          .set({ last_seen_at: row.updatedAt })
          .where('user_id', '=', userId)
          .where('id', '=', row.deviceId)
          .executeTakeFirst();
        if (Number(seen.numUpdatedRows) !== 1) return false;
        const values = {
          queue_length: row.queueLength,
          oldest_queued_at: row.oldestQueuedAt,
          last_sync_at: row.lastSyncAt,
          version: row.version,
          watchers_ct: row.watchersCiphertext,
          updated_at: row.updatedAt,
        };
        await trx
          .insertInto('device_status')
          .values({ user_id: userId, device_id: row.deviceId, ...values })
          .onConflict((oc) => oc.columns(['user_id', 'device_id']).doUpdateSet(values))
          .execute();
        return true;
      });
    },
    async list(userId) {
      const rows = await db.selectFrom('device_status').selectAll().where('user_id', '=', userId).execute();
      return rows.map((r) => ({
        deviceId: r.device_id,
        queueLength: Number(r.queue_length),
        oldestQueuedAt: r.oldest_queued_at === null ? null : Number(r.oldest_queued_at),
        lastSyncAt: r.last_sync_at === null ? null : Number(r.last_sync_at),
        version: r.version,
        watchersCiphertext: Buffer.from(r.watchers_ct),
        updatedAt: Number(r.updated_at),
      }));
    },
  };
}
