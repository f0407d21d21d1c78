/**
 * Events much longer than a day (a week away, a window left open over a
 * weekend) still reach the timeline and the reports of every day they cover:
 * reading a range is bounded by each device's longest event, which must grow
 * with them, including when an event grows by heartbeats.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { awayEvent, heartbeat, ingest, iso, settableClock, setup, windowEvent, type Ctx } from '../activity/support.js';
import { DAY, HOUR, MINUTE, summary, timeline } from './support.js';

const NOW = Date.UTC(2025, 11, 20, 12);
const FIRST = Date.UTC(2025, 11, 1);

eachDatabase('events longer than the range read', (kind) => {
  let c: Ctx;
  beforeAll(async () => {
    c = await setup(kind, settableClock(NOW));
  });
  afterAll(async () => c.t.close());

  it('a week away and a window open for three days show on their last day', async () => {
    await ingest(c.t, c.token, [
      windowEvent(FIRST + 9 * HOUR, 30 * MINUTE, 'code', 'short'),
      awayEvent(FIRST + 10 * HOUR, 7 * DAY),
      windowEvent(FIRST + 10 * HOUR, 3 * DAY, 'Term', 'left open'),
    ]);
    const day = new Date(FIRST + 3 * DAY).toISOString().slice(0, 10);
    const view = await timeline(c.t, c.token, { date: day, tz: 'UTC' });
    expect(view.away).toEqual([
      { start: iso(FIRST + 3 * DAY), end: iso(FIRST + 4 * DAY), seconds: 86_400, device: c.tokenId },
    ]);
    // Away the whole day: the open window counts nothing.
    expect(view.blocks).toEqual([]);
    const s = await summary(c.t, c.token, { from: day, to: day, tz: 'UTC' });
    expect([s.activeSeconds, s.awaySeconds]).toEqual([0, 86_400]);
  });

  it('an event grown by heartbeats past a day is found from its last day', async () => {
    const start = FIRST + 12 * DAY;
    // Beats every 10 minutes for 30 hours, merged into one window event.
    for (let i = 0; i <= 180; i += 1) {
      const beat = { kind: 'window' as const, start: iso(start + i * 10 * MINUTE), duration: 0, data: { app: 'Term' } };
      expect((await heartbeat(c.t, c.token, beat, 601)).merged).toBe(i > 0);
    }
    const last = new Date(start + DAY).toISOString().slice(0, 10);
    const view = await timeline(c.t, c.token, { date: last, tz: 'UTC' });
    expect(view.blocks.map((b) => [b.app, b.start, b.end])).toEqual([
      ['Term', iso(start + DAY), iso(start + 30 * HOUR)],
    ]);
  });
});
