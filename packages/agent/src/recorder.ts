/**
 * Turns observations into queued events: the pause and the person's privacy
 * settings first (a dropped activity never reaches the disk), then the
 * heartbeat rule from packages/core against the stream's last event, then
 * one committed write. Streams are the agent's own watchers (`window`,
 * `away`) and each ActivityWatch bucket of the local API.
 */
import { randomBytes } from 'node:crypto';
import { mergeHeartbeat, uuidv7 } from '@sundial/core';
import type { PauseState } from './pause.js';
import { filterData } from './privacy/filter.js';
import type { PrivacyCache } from './privacy/settings.js';
import type { EventKind, EventQueue, QueuedEvent } from './queue/queue.js';
import type { QueueState } from './queue/state.js';

export interface Observation {
  readonly start: number;
  readonly duration: number;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface RecorderDeps {
  readonly queue: EventQueue;
  readonly state: QueueState;
  readonly privacy: PrivacyCache;
  readonly pause: PauseState;
  readonly now: () => number;
  readonly random?: (size: number) => Uint8Array;
}

export class Recorder {
  private readonly random: (size: number) => Uint8Array;

  constructor(private readonly deps: RecorderDeps) {
    this.random = deps.random ?? ((size) => randomBytes(size));
  }

  newId(at: number): string {
    return uuidv7(Math.max(0, Math.floor(at)), this.random(10));
  }

  isPaused(): boolean {
    return this.deps.pause.isPaused(this.deps.now()) || this.deps.privacy.current.settings.paused;
  }

  /** The data to store for this activity, or null when the pause or the privacy settings drop it. */
  filtered(kind: EventKind, data: Readonly<Record<string, unknown>>): Record<string, unknown> | null {
    if (this.isPaused()) return null;
    return filterData(this.deps.privacy.current, kind, data);
  }

  /**
   * The part of an observation inside the person's working hours (all of it
   * when they set none), or null when none of it is: time outside them is
   * never queued, as while paused.
   */
  private withinHours(observed: Observation): Observation | null {
    const span = this.deps.privacy.current.clip(observed.start, observed.start + observed.duration);
    if (span === null) return null;
    return { ...observed, start: span.start, duration: span.end - span.start };
  }

  /** Applies the heartbeat rule on `stream`; null when nothing was recorded. */
  heartbeat(
    stream: string,
    kind: EventKind,
    bucket: string | null,
    observation: Observation,
    pulsetimeMs: number,
  ): { event: QueuedEvent; merged: boolean } | null {
    const observed = this.withinHours(observation);
    if (observed === null) return null;
    const data = this.filtered(kind, observed.data);
    if (data === null) return null;
    const { queue, state } = this.deps;
    const run = queue.db.transaction(() => {
      const last = state.lastOf(stream);
      const result = mergeHeartbeat(last, { start: observed.start, duration: observed.duration, data }, pulsetimeMs);
      const merged = result.kind === 'merged' && last !== null;
      const event: QueuedEvent = {
        id: merged ? last.id : this.newId(observed.start),
        kind,
        bucket,
        start: result.event.start,
        duration: result.event.duration,
        data: result.event.data,
      };
      queue.put(event);
      state.setLast(stream, event);
      return { event, merged };
    });
    return run();
  }

  /**
   * Ends the stream's last event at `end` (cut back when it ran past, e.g.
   * the minutes before away was noticed) and starts the next observation
   * afresh.
   */
  close(stream: string, end: number): void {
    const { queue, state } = this.deps;
    const run = queue.db.transaction(() => {
      const last = state.lastOf(stream);
      if (last === null) return;
      state.forget(stream);
      if (last.start + last.duration <= end) return;
      const kind = streamKind(stream);
      if (kind === null) return;
      queue.put({ ...last, kind, bucket: null, duration: Math.max(0, end - last.start) });
    });
    run();
  }

  /** Forgets a stream's last event (its bucket was deleted): the next heartbeat starts afresh. */
  forget(stream: string): void {
    this.deps.state.forget(stream);
  }

  /** Stores events as sent (ActivityWatch `POST …/events`): each filtered, each a new event. */
  insert(kind: EventKind, bucket: string, events: readonly Observation[]): QueuedEvent[] {
    const stored: QueuedEvent[] = [];
    for (const event of events) {
      const e = this.withinHours(event);
      if (e === null) continue;
      const data = this.filtered(kind, e.data);
      if (data === null) continue;
      stored.push({ id: this.newId(e.start), kind, bucket, start: e.start, duration: e.duration, data });
    }
    this.deps.queue.putAll(stored);
    if (stored.length > 0) this.deps.state.forget(bucketStream(bucket));
    return stored;
  }
}

export function bucketStream(bucket: string): string {
  return `bucket:${bucket}`;
}

function streamKind(stream: string): EventKind | null {
  return stream === 'window' || stream === 'away' ? stream : null;
}
