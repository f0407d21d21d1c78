/** Privacy settings and erasing activity (/api/v1/settings/privacy, DELETE /api/v1/activity). */
import type { Static } from 'typebox';
import type * as C from '@sundial/contracts';
import { api } from './client';

/** ISO weekdays (1 = Monday … 7 = Sunday), local start and end, IANA zone. */
export type WorkingHours = Static<typeof C.WorkingHours>;

/**
 * The settings as the server answers them. `workingHours` is newer than some
 * servers: absent means this server does not know it, so it is never sent back.
 */
export type PrivacySettings = Omit<Static<typeof C.PrivacySettingsBody>, 'workingHours'> & {
  workingHours?: WorkingHours | null;
};
export type IgnoreRule = PrivacySettings['ignore'][number];
export type EraseSelector = Static<typeof C.EraseBody>;

export const privacyApi = {
  get: (signal?: AbortSignal) => api.get<PrivacySettings>('/api/v1/settings/privacy', { signal }),
  put: (body: PrivacySettings) => api.put<PrivacySettings>('/api/v1/settings/privacy', { body }),
  erase: (body: EraseSelector) => api.delete<Static<typeof C.EraseResponse>>('/api/v1/activity', { body }),
};
