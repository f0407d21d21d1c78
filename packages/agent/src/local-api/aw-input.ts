/**
 * Checking what ActivityWatch clients send to the local API: bucket ids,
 * bucket bodies, events and heartbeats. Bad input is a 400 naming the field.
 */
import { parseIsoTimestamp } from '@sundial/core';
import type { EventKind } from '../queue/queue.js';
import { HttpError, isRecord } from './http.js';

export const BUCKET_ID_LIMIT = 128;

export function checkBucketId(id: string): string {
  if (id.length === 0 || id.length > BUCKET_ID_LIMIT) {
    throw new HttpError(400, `bucket id: must be 1 to ${BUCKET_ID_LIMIT} characters`);
  }
  if (id.includes('/')) throw new HttpError(400, "bucket id: must not contain '/'");
  if (/\p{Cs}/u.test(id)) throw new HttpError(400, 'bucket id: is not well-formed Unicode');
  return id;
}

/** The kind an ActivityWatch bucket type maps to; null for types accepted and dropped (input counts, …). */
export function kindOfType(type: string): EventKind | null {
  if (type === 'currentwindow') return 'window';
  if (type === 'web.tab.current') return 'web';
  if (type === 'afkstatus') return 'away';
  return null;
}

export interface BucketBody {
  client: string;
  type: string;
  hostname: string;
  data: Record<string, unknown>;
}

export function bucketBody(body: unknown): BucketBody {
  if (!isRecord(body)) throw new HttpError(400, 'request body: must be an object');
  const text = (field: string, max: number): string => {
    const value = body[field];
    if (typeof value !== 'string' || value.length === 0 || value.length > max) {
      throw new HttpError(400, `${field}: must be a string of 1 to ${max} characters`);
    }
    return value;
  };
  const data = body.data ?? {};
  if (!isRecord(data)) throw new HttpError(400, 'data: must be an object');
  if (JSON.stringify(data).length > 64 * 1024) throw new HttpError(400, 'data: must be at most 64 KiB of JSON');
  return { client: text('client', 128), type: text('type', 128), hostname: text('hostname', 256), data };
}

export interface EventIn {
  id?: number;
  start: number;
  duration: number;
  data: Record<string, unknown>;
}

export function eventIn(value: unknown, where: string): EventIn {
  if (!isRecord(value)) throw new HttpError(400, `${where}: must be an object`);
  const timestamp = value.timestamp;
  const start = typeof timestamp === 'string' ? parseIsoTimestamp(timestamp) : null;
  if (start === null) throw new HttpError(400, `${where}.timestamp: must be an ISO 8601 date-time`);
  const duration = value.duration ?? 0;
  if (typeof duration !== 'number' || !Number.isFinite(duration) || duration < 0 || duration > 30 * 86_400) {
    throw new HttpError(400, `${where}.duration: must be a number of seconds from 0 to 30 days`);
  }
  if (!isRecord(value.data)) throw new HttpError(400, `${where}.data: must be an object`);
  const id = value.id;
  if (id !== undefined && id !== null && (typeof id !== 'number' || !Number.isSafeInteger(id))) {
    throw new HttpError(400, `${where}.id: must be an integer`);
  }
  return { ...(typeof id === 'number' ? { id } : {}), start, duration: Math.round(duration * 1000), data: value.data };
}

export function pulsetimeOf(query: URLSearchParams): number {
  const text = query.get('pulsetime');
  if (text === null) throw new HttpError(400, 'pulsetime: is required (seconds)');
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 86_400) {
    throw new HttpError(400, 'pulsetime: must be a number of seconds from 0 to 86400');
  }
  return Math.round(value * 1000);
}
