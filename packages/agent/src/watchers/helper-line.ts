/**
 * The one-line-per-second JSON that the macOS and Windows helper scripts
 * print, and its validation. A line is untrusted text from another process:
 * anything that is not the expected shape is rejected, fields of the wrong
 * type are dropped.
 */
import type { WindowSample } from './types.js';

export interface HelperReading {
  /** The window in front, or null when the helper saw none (locked screen, desktop). */
  readonly window: WindowSample | null;
  /** Seconds since the last input; null when the helper could not read it. */
  readonly idleSeconds: number | null;
}

/** Longer lines are not ours (a title is cut long before this); they are dropped unread. */
export const MAX_LINE_LENGTH = 64 * 1024;

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Parses `{"app":…,"title":…,"pid":…,"executable":…,"idle":…}`; null when the line is not such an object. */
export function parseHelperLine(line: string): HelperReading | null {
  if (line.length > MAX_LINE_LENGTH) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const fields = parsed as Record<string, unknown>;
  const idle = fields.idle;
  // A negative idle is how the helpers say "could not read it".
  const idleSeconds = typeof idle === 'number' && Number.isFinite(idle) && idle >= 0 ? idle : null;
  const app = text(fields.app);
  if (!app) return { window: null, idleSeconds };
  const pid = fields.pid;
  const executable = text(fields.executable);
  return {
    window: {
      app,
      title: text(fields.title) ?? '',
      ...(typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0 ? { pid } : {}),
      ...(executable ? { executable } : {}),
    },
    idleSeconds,
  };
}
