/**
 * How long to wait before the next upload: the sync interval while all is
 * well; after failures, doubling up to five minutes, with jitter so many
 * agents coming back together do not hit the server in step; never sooner
 * than a 429's Retry-After.
 */

export const MAX_BACKOFF_MS = 5 * 60_000;

export function backoffDelay(intervalMs: number, failures: number, random: () => number = Math.random): number {
  if (failures <= 0) return intervalMs;
  const ceiling = Math.min(MAX_BACKOFF_MS, Math.max(1000, intervalMs) * 2 ** Math.min(failures, 20));
  // "Equal jitter": half fixed, half random, so the wait still grows.
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Retry-After as milliseconds (seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now: number): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Math.min(Number(value.trim()) * 1000, 24 * 3600_000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.min(at - now, 24 * 3600_000));
}
