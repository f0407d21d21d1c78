/**
 * Between Sundial's stored events and buckets and ActivityWatch's wire
 * shapes: an event is `{id, timestamp, duration, data}` with the integer id
 * (the event's seq), an ISO UTC timestamp with milliseconds and the duration
 * in seconds; a bucket is named by the client's key.
 */
import { formatIsoTimestamp, isEventList, type QueryEvent, type QueryValue } from '@sundial/core';
import type { AwEventInput } from '@sundial/contracts';
import type { Bucket, EventInput, StoredEvent } from '../../services/activity/index.js';

export interface AwWireEvent {
  id?: number;
  timestamp: string;
  duration: number;
  data: Record<string, unknown>;
}

export interface AwWireBucket {
  id: string;
  created: string;
  name: string | null;
  type: string;
  client: string;
  hostname: string;
  data: Record<string, unknown>;
  last_updated?: string;
}

export function awEvent(e: StoredEvent): AwWireEvent {
  return { id: e.seq, timestamp: formatIsoTimestamp(e.start), duration: e.duration / 1000, data: e.data };
}

/** The event cut to [from, to] (either end open when absent). */
export function clipEvent(e: StoredEvent, from: number | undefined, to: number | undefined): StoredEvent {
  const start = from === undefined ? e.start : Math.max(e.start, from);
  const end = to === undefined ? e.start + e.duration : Math.min(e.start + e.duration, to);
  if (start === e.start && end === e.start + e.duration) return e;
  return { ...e, start, duration: Math.max(0, end - start) };
}

/** `lastEnd`: the end of the bucket's latest event, when known. */
export function awBucket(b: Bucket, lastEnd: number | null): AwWireBucket {
  const updated = b.lastUpdatedAt ?? lastEnd;
  return {
    id: b.key,
    created: formatIsoTimestamp(b.createdAt),
    name: null,
    type: b.type,
    client: b.client,
    hostname: b.hostname,
    data: { ...b.data },
    ...(updated === null ? {} : { last_updated: formatIsoTimestamp(updated) }),
  };
}

/** An event a client sent, for ingest; `uid` replaces the stored event with that uid. */
export function eventInput(e: AwEventInput, uid?: string): EventInput {
  return { ...(uid === undefined ? {} : { id: uid }), start: e.timestamp, duration: e.duration ?? 0, data: e.data };
}

function queryEvent(e: QueryEvent): AwWireEvent {
  const wire: AwWireEvent = { timestamp: formatIsoTimestamp(e.start), duration: e.duration / 1000, data: e.data };
  return e.id === undefined ? wire : { id: e.id, ...wire };
}

/** A query2 result as JSON, its events in wire form. */
export function queryResult(value: QueryValue): unknown {
  if (isEventList(value)) return value.map(queryEvent);
  if (Array.isArray(value)) return value.map(queryResult);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, queryResult(inner)]));
  }
  return value;
}
