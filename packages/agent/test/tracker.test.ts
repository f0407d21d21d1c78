/** The tracking loop over a scripted watcher and a fake clock: window time, away time, privacy before the queue. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scriptWatcher, type ScriptSegment } from '../src/script-watcher.js';
import { Tracker } from '../src/tracker/tracker.js';
import { fakeClock, openLocal, type FakeClock, type Local } from './support.js';

const T = Date.UTC(2026, 0, 5, 9, 0, 0);

function run(local: Local, clock: FakeClock, segments: ScriptSegment[], seconds: number, awayAfterSeconds = 180) {
  const tracker = new Tracker({
    watcher: scriptWatcher(segments, clock.now),
    recorder: local.recorder,
    now: clock.now,
    awayAfterSeconds,
  });
  for (let i = 0; i <= seconds; i += 1) {
    tracker.tick();
    clock.advance(1000);
  }
  return tracker;
}

const byStart = (local: Local) => local.queue.pending(10_000).sort((a, b) => a.start - b.start);

describe('tracker', () => {
  it('records each window from its first second to the next one, back to back', () => {
    const clock = fakeClock(T);
    const local = openLocal({ clock, detail: 'full' });
    run(
      local,
      clock,
      [
        { from: T, app: 'Editor', title: 'notes.md' },
        { from: T + 30_000, app: 'Terminal', title: 'make' },
        { from: T + 50_000, app: 'Editor', title: 'notes.md' },
      ],
      60,
    );
    const events = byStart(local).map((e) => [e.kind, e.data.app, e.data.title, e.start - T, e.duration]);
    expect(events).toEqual([
      ['window', 'Editor', 'notes.md', 0, 30_000],
      ['window', 'Terminal', 'make', 30_000, 20_000],
      ['window', 'Editor', 'notes.md', 50_000, 10_000],
    ]);
  });

  it('records away time from the last input, and cuts it out of the window event', () => {
    const clock = fakeClock(T);
    const local = openLocal({ clock, detail: 'full' });
    // Active for 100 s, then no input from T+100 s on; away counts after 60 s idle.
    run(
      local,
      clock,
      [
        { from: T, app: 'Editor', title: 'a' },
        { from: T + 100_000, app: 'Editor', title: 'a', idle: 0 },
        { from: T + 300_000, app: 'Editor', title: 'a' },
      ],
      320,
      60,
    );
    const events = byStart(local).map((e) => [e.kind, e.start - T, e.duration]);
    expect(events).toEqual([
      ['window', 0, 100_000],
      ['away', 100_000, 200_000],
      ['window', 300_000, 20_000],
    ]);
  });

  it('at detail app keeps no title anywhere in the queue file', () => {
    const clock = fakeClock(T);
    const local = openLocal({ clock, detail: 'app' });
    run(local, clock, [{ from: T, app: 'Browser', title: 'Secret-Project-Title' }], 5);
    expect(byStart(local).map((e) => e.data)).toEqual([{ app: 'Browser' }]);
    local.db.pragma('wal_checkpoint(TRUNCATE)');
    local.db.close();
    expect(readFileSync(local.file).includes('Secret-Project-Title')).toBe(false);
  });

  it('before any settings arrive, records at detail app', () => {
    const clock = fakeClock(T);
    const local = openLocal({ clock });
    run(local, clock, [{ from: T, app: 'Browser', title: 'private' }], 3);
    expect(byStart(local).map((e) => e.data)).toEqual([{ app: 'Browser' }]);
  });

  it('records nothing while paused or for an ignored app', () => {
    const clock = fakeClock(T);
    const local = openLocal({ clock });
    local.privacy.update({
      detail: 'full',
      ignore: [{ field: 'app', match: 'exact', pattern: 'Bank' }],
      paused: false,
      retentionDays: null,
      workingHours: null,
      aSettingOfALaterServer: true,
    });
    local.pause.pause(T + 10_000);
    run(
      local,
      clock,
      [
        { from: T, app: 'Editor', title: 'paused' },
        { from: T + 20_000, app: 'Bank', title: 'balance' },
        { from: T + 30_000, app: 'Editor', title: 'back' },
      ],
      40,
    );
    const events = byStart(local).map((e) => [e.data.title, e.start - T, e.duration]);
    expect(events).toEqual([
      ['paused', 10_000, 10_000],
      ['back', 30_000, 10_000],
    ]);
  });

  it('records nothing outside working hours: the window in front at their end stops with them', () => {
    const clock = fakeClock(T);
    const local = openLocal({ clock });
    // T is Monday 09:00 UTC; working hours end at 09:01.
    local.privacy.update({
      detail: 'full',
      ignore: [],
      paused: false,
      retentionDays: null,
      workingHours: { days: [1], start: '08:00', end: '09:01', timeZone: 'UTC' },
    });
    run(
      local,
      clock,
      [
        { from: T, app: 'Editor', title: 'inside' },
        { from: T + 90_000, app: 'Terminal', title: 'outside' },
      ],
      120,
    );
    const events = byStart(local).map((e) => [e.data.title, e.start - T, e.duration]);
    // The last working poll is at 09:00:59: the event ends there, a poll short of 09:01.
    expect(events).toEqual([['inside', 0, 59_000]]);
  });

  it('truncates a 10 000-character title and replaces invalid UTF-16', () => {
    const clock = fakeClock(T);
    const local = openLocal({ clock, detail: 'full' });
    run(local, clock, [{ from: T, app: 'Editor\uD800', title: 'x'.repeat(10_000) }], 2);
    const [e] = byStart(local);
    expect(e?.data.app).toBe('Editor\uFFFD');
    expect(String(e?.data.title).length).toBe(2048);
  });
});
