/** Paired devices: list, approve a pairing code, revoke (/api/v1/devices). */
import type { Static } from 'typebox';
import type * as C from '@sundial/contracts';
import { ApiError, api } from './client';

/** The agent's latest report (docs: pairing contract); servers without device status leave it out. */
export interface AgentStatus {
  readonly queueLength: number;
  readonly oldestQueuedAt: string | null;
  readonly lastSyncAt: string | null;
  readonly version: string;
  readonly watchers: string;
}

export type Device = Static<typeof C.DevicesResponse>['devices'][number] & {
  readonly revokedAt?: string | null;
  readonly status?: AgentStatus | null;
};

export interface ApprovedDevice {
  readonly device: { readonly id: string; readonly name: string; readonly platform: string };
}

/** A device, and whether it can still send: its token is live (and, where the server says, it is not revoked). */
export type ListedDevice = Device & { readonly connected: boolean };

export const devicesApi = {
  /**
   * Servers without `revokedAt` keep listing a device after its token is
   * revoked; there each device is a token with the same id, so a device with
   * no live token is no longer connected.
   */
  list: async (signal?: AbortSignal): Promise<ListedDevice[]> => {
    const { devices } = await api.get<{ devices: Device[] }>('/api/v1/devices', { signal });
    if (devices.some((d) => 'revokedAt' in d)) return devices.map((d) => ({ ...d, connected: !d.revokedAt }));
    const { tokens } = await api.get<{ tokens: Array<{ id: string }> }>('/api/v1/tokens', { signal });
    const live = new Set(tokens.map((t) => t.id));
    return devices.map((d) => ({ ...d, connected: live.has(d.id) }));
  },
  approve: (code: string) => api.post<ApprovedDevice>('/api/v1/devices/approve', { body: { code } }),
  /**
   * Revoking a device revokes its token. A server without DELETE
   * /api/v1/devices/:id answers 404 there; each device is a token with the
   * same id, so the token route does the same.
   */
  revoke: async (id: string) => {
    try {
      await api.delete<null>(`/api/v1/devices/${encodeURIComponent(id)}`);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
      await api.delete<null>(`/api/v1/tokens/${encodeURIComponent(id)}`);
    }
  },
};
