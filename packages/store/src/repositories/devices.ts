/** SQL over `devices` and `buckets`: where activity comes from. Names and host names are ciphertexts. */
import type { Kysely, Selectable } from 'kysely';
import type { ActivityKind, BucketsTable, Database } from '../schema.js';

export interface DeviceRow {
  readonly id: string;
  readonly nameCiphertext: Buffer;
  readonly platform: string;
  readonly createdAt: number;
  readonly lastSeenAt: number | null;
}

/** A device as listed: with the time its token was revoked (devices are tokens), if it was. */
export interface ListedDeviceRow extends DeviceRow {
  readonly revokedAt: number | null;
}

export interface BucketRow {
  readonly id: string;
  readonly keyIndex: Buffer;
  readonly keyCiphertext: Buffer;
  readonly deviceId: string;
  readonly kind: ActivityKind;
  readonly type: string;
  readonly client: string;
  readonly metaCiphertext: Buffer;
  readonly createdAt: number;
  readonly lastUpdatedAt: number | null;
}

export interface DevicesRepository {
  /** Inserts the device unless the person already has one with this id; true when inserted. */
  ensure(userId: string, device: DeviceRow): Promise<boolean>;
  get(userId: string, id: string): Promise<DeviceRow | null>;
  list(userId: string): Promise<ListedDeviceRow[]>;
  touch(userId: string, id: string, now: number): Promise<void>;
  /** Inserts the bucket; false when the person has a bucket with this key already. */
  insertBucket(userId: string, bucket: BucketRow): Promise<boolean>;
  bucketByKey(userId: string, keyIndex: Buffer): Promise<BucketRow | null>;
  buckets(userId: string): Promise<BucketRow[]>;
  touchBucket(userId: string, id: string, now: number): Promise<void>;
  deleteBucket(userId: string, id: string): Promise<boolean>;
}

function toBucket(r: Selectable<BucketsTable>): BucketRow {
  return {
    id: r.id,
    keyIndex: Buffer.from(r.key_index),
    keyCiphertext: Buffer.from(r.key_ct),
    deviceId: r.device_id,
    kind: r.kind,
    type: r.type,
    client: r.client,
    metaCiphertext: Buffer.from(r.meta_ct),
    createdAt: Number(r.created_at),
    lastUpdatedAt: r.last_updated_at === null ? null : Number(r.last_updated_at),
  };
}

export function devicesRepository(db: Kysely<Database>): DevicesRepository {
  const device = db.selectFrom('devices').select(['id', 'name_ct', 'platform', 'created_at', 'last_seen_at']);
  const toDevice = (r: {
    id: string;
    name_ct: Buffer;
    platform: string;
    created_at: number;
    last_seen_at: number | null;
  }) => ({
    id: r.id,
    nameCiphertext: Buffer.from(r.name_ct),
    platform: r.platform,
    createdAt: Number(r.created_at),
    lastSeenAt: r.last_seen_at === null ? null : Number(r.last_seen_at),
  });
  return {
    async ensure(userId, d) {
      const result = await db
        .insertInto('devices')
        .values({
          user_id: userId,
          id: d.id,
          name_ct: d.nameCiphertext,
          platform: d.platform,
          created_at: d.createdAt,
          last_seen_at: d.lastSeenAt,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    },
    async get(userId, id) {
      const r = await device.where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
      return r ? toDevice(r) : null;
    },
    async list(userId) {
      const rows = await db
        .selectFrom('devices')
        .leftJoin('api_tokens', (join) =>
          join.onRef('api_tokens.user_id', '=', 'devices.user_id').onRef('api_tokens.id', '=', 'devices.id'),
        )
        .select([
          'devices.id',
          'devices.name_ct',
          'devices.platform',
          'devices.created_at',
          'devices.last_seen_at',
          'api_tokens.revoked_at',
        ])
        .where('devices.user_id', '=', userId)
        .orderBy('devices.created_at')
        .orderBy('devices.id')
        .execute();
      return rows.map((r) => ({ ...toDevice(r), revokedAt: r.revoked_at === null ? null : Number(r.revoked_at) }));
    },
    async touch(userId, id, now) {
      await db
        .updateTable('devices')
        .set({ last_seen_at: now })
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .execute();
    },
    async insertBucket(userId, b) {
      const result = await db
        .insertInto('buckets')
        .values({
          user_id: userId,
          id: b.id,
          key_index: b.keyIndex,
          key_ct: b.keyCiphertext,
          device_id: b.deviceId,
          kind: b.kind,
          type: b.type,
          client: b.client,
          meta_ct: b.metaCiphertext,
          created_at: b.createdAt,
          last_updated_at: b.lastUpdatedAt,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    },
    async bucketByKey(userId, keyIndex) {
      const r = await db
        .selectFrom('buckets')
        .selectAll()
        .where('user_id', '=', userId)
        .where('key_index', '=', keyIndex)
        .executeTakeFirst();
      return r ? toBucket(r) : null;
    },
    async buckets(userId) {
      const rows = await db
        .selectFrom('buckets')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .execute();
      return rows.map(toBucket);
    },
    async touchBucket(userId, id, now) {
      await db
        .updateTable('buckets')
        .set({ last_updated_at: now })
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .execute();
    },
    async deleteBucket(userId, id) {
      const r = await db.deleteFrom('buckets').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },
  };
}
