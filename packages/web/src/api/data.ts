/** Export, import and deleting the account (/api/v1/export, /api/v1/import, /api/0/import, DELETE /api/v1/me). */
import type { Static } from 'typebox';
import type * as C from '@sundial/contracts';
import { api } from './client';
import type { Reauth } from './security';

export type SundialImportSummary = Static<typeof C.ImportResponse>;
export type ActivityWatchImportSummary = Static<typeof C.AwImportResponse>;

/** The export is a plain download: the browser streams it to disk with the session cookie. */
export const exportUrl = (format: 'json' | 'csv') => `/api/v1/export?format=${format}`;

export const dataApi = {
  /** A Sundial export document as read from the file (the server checks it in full). */
  importSundial: (body: unknown) => api.post<SundialImportSummary>('/api/v1/import', { body }),
  /** An ActivityWatch export (`{buckets: {…}}`); a session may write through the ActivityWatch API as a token does. */
  importActivityWatch: (body: unknown) => api.post<ActivityWatchImportSummary>('/api/0/import', { body }),
  deleteAccount: (body: Reauth) => api.delete<null>('/api/v1/me', { body }),
};
