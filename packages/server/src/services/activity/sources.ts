/**
 * Where activity comes from: devices and buckets.
 *
 * Each API token is a device (the device id is the token id), and the
 * browser (a session) is the person's `manual` device. A bucket is one
 * watcher's stream on one device, named by the client (ActivityWatch's
 * `aw-watcher-window_<host>`); the native API uses one bucket per device and
 * kind. Bucket names and host names are personal: stored encrypted and found
 * by blind index.
 */
import { randomBytes } from 'node:crypto';
import { BoundedCache, uuidv7 } from '@sundial/core';
import { blindIndex, decryptField, encryptField } from '@sundial/crypto';
import type { ActivityKind, BucketRow, Store } from '@sundial/store';
import type { Principal } from '../../auth/principal.js';
import type { Keyring } from '../../keys/keyring.js';

export const MANUAL_DEVICE = 'manual';

export interface Bucket {
  readonly id: string;
  /** The client's name for it. */
  readonly key: string;
  readonly deviceId: string;
  readonly kind: ActivityKind;
  readonly type: string;
  readonly client: string;
  readonly hostname: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
  readonly lastUpdatedAt: number | null;
}

export interface NewBucket {
  readonly type: string;
  readonly client: string;
  readonly hostname: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface Device {
  readonly id: string;
  readonly name: string;
  readonly platform: string;
  readonly createdAt: number;
  readonly lastSeenAt: number | null;
  /** When the device's token was revoked; null while it works (and for the browser). */
  readonly revokedAt: number | null;
}

export interface Sources {
  /** The device the caller writes as (created on first use). */
  deviceOf(principal: Principal): Promise<string>;
  ensureDevice(userId: string, id: string, name: string, platform: string): Promise<void>;
  devices(userId: string): Promise<Device[]>;
  bucket(userId: string, key: string): Promise<Bucket | null>;
  buckets(userId: string): Promise<Bucket[]>;
  /** Creates the bucket; null when the person has one with this name already. */
  createBucket(
    userId: string,
    deviceId: string,
    key: string,
    kind: ActivityKind,
    fields: NewBucket,
  ): Promise<Bucket | null>;
  /** The native API's bucket for a device and kind (created on first use). */
  defaultBucket(userId: string, deviceId: string, kind: ActivityKind): Promise<Bucket>;
  deleteBucket(userId: string, bucket: Bucket): Promise<void>;
}

/** The ActivityWatch bucket type of each kind. */
export const BUCKET_TYPES: Readonly<Record<ActivityKind, string>> = {
  window: 'currentwindow',
  web: 'web.tab.current',
  away: 'afkstatus',
  other: 'other',
};

const KEY_CONTEXT = { table: 'buckets', column: 'key' } as const;
const META_CONTEXT = { table: 'buckets', column: 'meta' } as const;
/** Where a device's name is encrypted (also written by device pairing). */
export const DEVICE_NAME_FIELD = { table: 'devices', column: 'name' } as const;

export function activitySources(deps: { store: Store; keyring: Keyring; now: () => number }): Sources {
  const { store, keyring, now } = deps;
  const buckets = new BoundedCache<string, Bucket>(10_000);
  const knownDevices = new BoundedCache<string, true>(10_000);
  const cacheKey = (userId: string, key: string) => `${userId}\u0000${key}`;

  async function open(userId: string, row: BucketRow): Promise<Bucket> {
    const dataKey = await keyring.dataKey(userId);
    const meta = JSON.parse(decryptField(dataKey, META_CONTEXT, row.metaCiphertext)) as {
      hostname: string;
      data: Record<string, unknown>;
    };
    return {
      id: row.id,
      key: decryptField(dataKey, KEY_CONTEXT, row.keyCiphertext),
      deviceId: row.deviceId,
      kind: row.kind,
      type: row.type,
      client: row.client,
      hostname: meta.hostname,
      data: meta.data,
      createdAt: row.createdAt,
      lastUpdatedAt: row.lastUpdatedAt,
    };
  }

  const sources: Sources = {
    async ensureDevice(userId, id, name, platform) {
      if (knownDevices.get(cacheKey(userId, id))) return;
      const dataKey = await keyring.dataKey(userId);
      await store.devices.ensure(userId, {
        id,
        nameCiphertext: encryptField(dataKey, DEVICE_NAME_FIELD, name),
        platform,
        createdAt: now(),
        lastSeenAt: null,
      });
      knownDevices.set(cacheKey(userId, id), true);
    },
    async deviceOf(principal) {
      const id = principal.tokenId ?? MANUAL_DEVICE;
      await sources.ensureDevice(principal.userId, id, id === MANUAL_DEVICE ? 'Web' : 'Device', 'unknown');
      return id;
    },
    async devices(userId) {
      const rows = await store.devices.list(userId);
      if (rows.length === 0) return [];
      const dataKey = await keyring.dataKey(userId);
      return rows.map((r) => ({
        id: r.id,
        name: decryptField(dataKey, DEVICE_NAME_FIELD, r.nameCiphertext),
        platform: r.platform,
        createdAt: r.createdAt,
        lastSeenAt: r.lastSeenAt,
        revokedAt: r.revokedAt,
      }));
    },
    async bucket(userId, key) {
      const cached = buckets.get(cacheKey(userId, key));
      if (cached) return cached;
      const dataKey = await keyring.dataKey(userId);
      const row = await store.devices.bucketByKey(userId, blindIndex(dataKey, 'bucket', key));
      if (!row) return null;
      const bucket = await open(userId, row);
      buckets.set(cacheKey(userId, key), bucket);
      return bucket;
    },
    async buckets(userId) {
      const rows = await store.devices.buckets(userId);
      return Promise.all(rows.map((r) => open(userId, r)));
    },
    async createBucket(userId, deviceId, key, kind, fields) {
      const dataKey = await keyring.dataKey(userId);
      const row: BucketRow = {
        id: uuidv7(now(), randomBytes(10)),
        keyIndex: blindIndex(dataKey, 'bucket', key),
        keyCiphertext: encryptField(dataKey, KEY_CONTEXT, key),
        deviceId,
        kind,
        type: fields.type,
        client: fields.client,
        metaCiphertext: encryptField(
          dataKey,
          META_CONTEXT,
          JSON.stringify({ hostname: fields.hostname, data: fields.data }),
        ),
        createdAt: now(),
        lastUpdatedAt: null,
      };
      if (!(await store.devices.insertBucket(userId, row))) return null;
      return open(userId, row);
    },
    async defaultBucket(userId, deviceId, kind) {
      const key = `sundial-${kind}_${deviceId}`;
      const existing = await sources.bucket(userId, key);
      if (existing) return existing;
      const fields = { type: BUCKET_TYPES[kind], client: 'sundial', hostname: deviceId, data: {} };
      const created = await sources.createBucket(userId, deviceId, key, kind, fields);
      // null: another request created it first.
      const bucket = created ?? (await sources.bucket(userId, key));
      if (!bucket) throw new Error(`bucket ${key} vanished while being created`);
      return bucket;
    },
    async deleteBucket(userId, bucket) {
      buckets.delete(cacheKey(userId, bucket.key));
      await store.devices.deleteBucket(userId, bucket.id);
    },
  };
  return sources;
}
