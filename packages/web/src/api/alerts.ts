/** Goals and alerts, and their recent firings (/api/v1/alerts). */
import type { Static } from 'typebox';
import type * as C from '@sundial/contracts';
import { api } from './client';

export type Alert = Static<typeof C.AlertView>;
export type AlertInput = Static<typeof C.AlertBody>;
export type Firing = Static<typeof C.FiringView>;

const one = (id: string) => `/api/v1/alerts/${encodeURIComponent(id)}`;

export const alertsApi = {
  list: async (signal?: AbortSignal) =>
    (await api.get<Static<typeof C.AlertsResponse>>('/api/v1/alerts', { signal })).alerts,
  create: (body: AlertInput) => api.post<Alert>('/api/v1/alerts', { body }),
  update: (id: string, body: AlertInput) => api.put<Alert>(one(id), { body }),
  remove: (id: string) => api.delete<null>(one(id)),
  firingsSince: async (since: Date, signal?: AbortSignal) =>
    (
      await api.get<Static<typeof C.AlertStatusResponse>>('/api/v1/alerts/status', {
        query: { since: since.toISOString() },
        signal,
      })
    ).firings,
};
