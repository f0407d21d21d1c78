/**
 * The heartbeat merge rule (docs: ACTIVITYWATCH-API.md, "Heartbeat rule").
 *
 * Watchers send the same state again and again; the server extends the
 * bucket's last event instead of storing each beat. Following aw-server-rust
 * (not the Python server): merge only when the data are structurally equal
 * and `last.start ≤ hb.start ≤ last.start + last.duration + pulsetime`
 * (both edges included). The merged event keeps last's start and data, and
 * its duration is `max(last.duration, hb.start − last.start + hb.duration)`,
 * so it never shrinks. Anything else (no last event, different data, past the
 * window, or a heartbeat older than last) becomes a new event. Persisting the
 * result (update by last's id, or insert) is the caller's job.
 */

import { type TimedEvent, assertValidEvent, eventEnd } from './event.js';
import { jsonEqual } from './json-equal.js';

export type HeartbeatResult<D> = { kind: 'merged'; event: TimedEvent<D> } | { kind: 'new'; event: TimedEvent<D> };

export function mergeHeartbeat<D>(
  last: TimedEvent<D> | null,
  heartbeat: TimedEvent<D>,
  pulsetimeMs: number,
): HeartbeatResult<D> {
  if (!Number.isFinite(pulsetimeMs) || pulsetimeMs < 0) {
    throw new RangeError('pulsetime must be a finite number ≥ 0');
  }
  assertValidEvent(heartbeat, 'heartbeat');
  const fresh: HeartbeatResult<D> = { kind: 'new', event: { ...heartbeat } };
  if (last === null) return fresh;
  assertValidEvent(last, 'last event');

  const inWindow = last.start <= heartbeat.start && heartbeat.start <= eventEnd(last) + pulsetimeMs;
  if (!inWindow || !jsonEqual(last.data, heartbeat.data)) return fresh;

  const duration = Math.max(last.duration, heartbeat.start - last.start + heartbeat.duration);
  return { kind: 'merged', event: { start: last.start, duration, data: last.data } };
}
