/**
 * The tracking loop's step: once a second the watcher's window and idle
 * time become `window` heartbeats (app, title) or, after AWAY_AFTER seconds
 * without input, an `away` event that starts at the last input — and the
 * window event is cut back to that instant, so away time is never app time.
 *
 * A change of window first extends the previous event to now, then starts
 * the next one now: consecutive events meet, and every second is counted
 * once.
 */
import { jsonEqual } from '@sundial/core';
import type { Recorder } from '../recorder.js';
import { cleanText } from '../text.js';
import type { Watcher } from '../watchers/types.js';

/** Merge window for consecutive polls one second apart (ActivityWatch's window watcher uses 2 s). */
export const PULSETIME_MS = 2000;

export interface TrackerDeps {
  readonly watcher: Watcher;
  readonly recorder: Recorder;
  readonly now: () => number;
  readonly awayAfterSeconds: number;
}

export class Tracker {
  private lastWindow: Record<string, unknown> | null = null;
  private awaySince: number | null = null;

  constructor(private readonly deps: TrackerDeps) {}

  get away(): boolean {
    return this.awaySince !== null;
  }

  tick(): void {
    const { watcher, recorder } = this.deps;
    const now = this.deps.now();
    if (recorder.isPaused()) {
      this.end(now);
      return;
    }
    const idle = watcher.idleSeconds();
    if (idle !== null && idle >= this.deps.awayAfterSeconds) {
      this.markAway(now, now - Math.round(idle * 1000));
      return;
    }
    if (this.awaySince !== null) {
      // Back: the away period ends at the last input.
      const back = idle === null ? now : now - Math.round(idle * 1000);
      recorder.heartbeat(
        'away',
        'away',
        null,
        { start: Math.max(this.awaySince, back), duration: 0, data: AFK },
        PULSETIME_MS,
      );
      recorder.close('away', Math.max(this.awaySince, back));
      this.awaySince = null;
    }
    const sample = watcher.currentWindow();
    if (sample === null) {
      this.endWindow(now);
      return;
    }
    const observed = { app: cleanText(sample.app, 512), title: cleanText(sample.title) };
    const data = recorder.filtered('window', observed);
    if (data === null) {
      this.endWindow(now);
      return;
    }
    if (this.lastWindow !== null && !jsonEqual(this.lastWindow, data)) this.endWindow(now);
    recorder.heartbeat('window', 'window', null, { start: now, duration: 0, data: observed }, PULSETIME_MS);
    this.lastWindow = data;
  }

  /** Ends both streams at `at` (pause, shutdown). */
  end(at: number): void {
    this.endWindow(at);
    if (this.awaySince !== null) {
      this.deps.recorder.close('away', at);
      this.awaySince = null;
    }
  }

  private markAway(now: number, lastInput: number): void {
    const { recorder } = this.deps;
    if (this.awaySince === null) {
      this.awaySince = lastInput;
      this.lastWindow = null;
      recorder.close('window', lastInput);
      recorder.heartbeat(
        'away',
        'away',
        null,
        { start: lastInput, duration: now - lastInput, data: AFK },
        PULSETIME_MS,
      );
      return;
    }
    recorder.heartbeat('away', 'away', null, { start: now, duration: 0, data: AFK }, PULSETIME_MS);
  }

  private endWindow(at: number): void {
    if (this.lastWindow === null) return;
    const { recorder } = this.deps;
    // Extend the last event to `at` (a heartbeat of its own data), then close it.
    recorder.heartbeat('window', 'window', null, { start: at, duration: 0, data: this.lastWindow }, PULSETIME_MS);
    recorder.close('window', at);
    this.lastWindow = null;
  }
}

const AFK = { status: 'afk' } as const;
