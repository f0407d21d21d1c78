/**
 * A person's devices as the dashboard shows them (name, platform, last
 * seen, revoked, the agent's latest status), the status an agent reports
 * after each sync, and revoking a device, which revokes its token.
 */
import { decryptField, encryptField } from '@sundial/crypto';
import type { Store } from '@sundial/store';
import type { AuditLog } from '../../audit/index.js';
import type { ClientInfo, Principal } from '../../auth/principal.js';
import { AppError, notFound } from '../../errors.js';
import type { Keyring } from '../../keys/keyring.js';
import type { Device, Sources } from '../activity/sources.js';

const WATCHERS_FIELD = { table: 'device_status', column: 'watchers' } as const;

export interface DeviceStatus {
  readonly queueLength: number;
  readonly oldestQueuedAt: number | null;
  readonly lastSyncAt: number | null;
  readonly version: string;
  readonly watchers: string;
}

export interface DeviceView extends Device {
  readonly status: DeviceStatus | null;
}

export interface Devices {
  list(userId: string): Promise<DeviceView[]>;
  /** Records the calling device's status (a device token only: the browser has no agent). */
  reportStatus(principal: Principal, status: DeviceStatus): Promise<void>;
  /** Revokes the device's token; 404 when the person has no such working device. */
  revoke(principal: Principal, deviceId: string, client: ClientInfo): Promise<void>;
}

export function devicesService(deps: {
  store: Store;
  keyring: Keyring;
  sources: Sources;
  audit: AuditLog;
  now: () => number;
}): Devices {
  const { store, keyring, sources, now } = deps;
  return {
    async list(userId) {
      const devices = await sources.devices(userId);
      const rows = await store.deviceStatus.list(userId);
      const key = rows.length === 0 ? null : await keyring.dataKey(userId);
      const statuses = new Map(
        rows.map((r) => [
          r.deviceId,
          {
            queueLength: r.queueLength,
            oldestQueuedAt: r.oldestQueuedAt,
            lastSyncAt: r.lastSyncAt,
            version: r.version,
            watchers: key ? decryptField(key, WATCHERS_FIELD, r.watchersCiphertext) : '',
          },
        ]),
      );
      return devices.map((d) => ({ ...d, status: statuses.get(d.id) ?? null }));
    },

    async reportStatus(principal, status) {
      if (principal.tokenId === null) {
        throw new AppError('auth.forbidden', 'Only a device (its token) reports a device status');
      }
      const deviceId = await sources.deviceOf(principal);
      const key = await keyring.dataKey(principal.userId);
      const stored = await store.deviceStatus.put(principal.userId, {
        deviceId,
        queueLength: status.queueLength,
        oldestQueuedAt: status.oldestQueuedAt,
        lastSyncAt: status.lastSyncAt,
        version: status.version,
        watchersCiphertext: encryptField(key, WATCHERS_FIELD, status.watchers),
        updatedAt: now(),
      });
      if (!stored) throw notFound('No such device');
    },

    async revoke(principal, deviceId, client) {
      if (!(await store.apiTokens.revoke(principal.userId, deviceId, now()))) throw notFound('No such device');
      await deps.audit.record({
        action: 'device.revoke',
        actorId: principal.userId,
        subjectId: principal.userId,
        ip: client.ip,
        details: { deviceId },
      });
    },
  };
}
