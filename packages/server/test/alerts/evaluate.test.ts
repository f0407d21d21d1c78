/**
 * Alerts evaluated at ingest, end to end: events posted with an ingest
 * token, the writer's rollup delta handed to the alerts service, firings
 * read back from /api/v1/alerts/status. The clock is the test's; T0 is
 * Sunday 2025-06-01 12:00 UTC.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import {
  DAY,
  erase,
  HOUR,
  ingest,
  iso,
  MINUTE,
  SECOND,
  setup,
  T0,
  webEvent,
  windowEvent,
  type Ctx,
  type WireEvent,
} from '../activity/support.js';
import { alertBody, createAlert, firings, write } from './support.js';

eachDatabase('alerts: evaluation at ingest', (kind) => {
  let c: Ctx;
  beforeEach(async () => {
    c = await setup(kind);
  });
  afterEach(async () => c.t.close());

  /** Posts the events and waits for the evaluations they cause. */
  async function record(events: readonly WireEvent[]): Promise<void> {
    await ingest(c.t, c.token, events);
    await c.t.services.alerts.idle();
  }

  it('fires once when the time crosses the threshold: at-least at exactly the minutes, more-than after', async () => {
    const { t, me, token, clock } = c;
    const atLeast = await createAlert(t, me.cookie, { name: 'At least', comparison: 'at-least', minutes: 30 });
    const moreThan = await createAlert(t, me.cookie, { name: 'More than', comparison: 'more-than', minutes: 30 });
    const from = T0 - 2 * HOUR;

    await record([windowEvent(from, 20 * MINUTE, 'Editor')]);
    expect(await firings(t, token)).toEqual([]);
    await record([windowEvent(from + 20 * MINUTE, 10 * MINUTE - SECOND, 'Editor')]);
    expect(await firings(t, token)).toEqual([]);

    await record([windowEvent(from + 30 * MINUTE - SECOND, SECOND, 'Editor')]);
    expect(await firings(t, token)).toEqual([
      { alertId: atLeast.id, name: 'At least', day: '2025-06-01', firedAt: iso(T0), seconds: 1800 },
    ]);

    clock.advance(MINUTE);
    await record([windowEvent(from + 30 * MINUTE, SECOND, 'Editor')]);
    clock.advance(MINUTE);
    await record([windowEvent(from + 40 * MINUTE, 30 * MINUTE, 'Editor')]);
    expect(await firings(t, token)).toEqual([
      { alertId: atLeast.id, name: 'At least', day: '2025-06-01', firedAt: iso(T0), seconds: 1800 },
      { alertId: moreThan.id, name: 'More than', day: '2025-06-01', firedAt: iso(T0 + MINUTE), seconds: 1801 },
    ]);
  });

  it("counts only its own app's or site's time", async () => {
    const { t, me, token } = c;
    const app = await createAlert(t, me.cookie, { name: 'Editor time' });
    const site = await createAlert(t, me.cookie, {
      name: 'Example time',
      target: { kind: 'domain', name: 'WWW.Example.com' },
      comparison: 'more-than',
    });
    const from = T0 - 3 * HOUR;
    await record([windowEvent(from, 2 * HOUR, 'Terminal'), webEvent(from, 20 * MINUTE, 'https://other.example.org/')]);
    expect(await firings(t, token)).toEqual([]);

    await record([webEvent(from + HOUR, 31 * MINUTE, 'https://www.example.com/page')]);
    await record([windowEvent(from + 2 * HOUR, 29 * MINUTE, 'Editor')]);
    expect((await firings(t, token)).map((f) => [f.alertId, f.seconds])).toEqual([[site.id, 31 * 60]]);
    c.clock.advance(MINUTE);
    await record([windowEvent(from + 2 * HOUR + 29 * MINUTE, MINUTE, 'Editor')]);
    expect((await firings(t, token)).map((f) => f.alertId)).toEqual([site.id, app.id]);
  });

  it("fires only on the alert's weekdays, read in its own time zone", async () => {
    const { t, me, token, clock } = c;
    // 15:00 UTC on Sunday is 03:00 on Monday in Auckland (UTC+12).
    clock.set(T0 + 3 * HOUR);
    await createAlert(t, me.cookie, { name: 'UTC weekdays', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] });
    const sunday = await createAlert(t, me.cookie, { name: 'UTC Sunday', days: ['sun'] });
    const monday = await createAlert(t, me.cookie, {
      name: 'Auckland Monday',
      days: ['mon'],
      timeZone: 'Pacific/Auckland',
    });
    await createAlert(t, me.cookie, { name: 'Auckland Sunday', days: ['sun'], timeZone: 'Pacific/Auckland' });

    await record([windowEvent(T0, HOUR, 'Editor')]);
    // Both fired at the same instant: listed in id order, which is random here.
    const fired = (await firings(t, token)).map((f) => [f.alertId, f.day]);
    expect(fired.sort()).toEqual(
      [
        [sunday.id, '2025-06-01'],
        [monday.id, '2025-06-02'],
      ].sort(),
    );
  });

  it('starts again on the next local day', async () => {
    const { t, me, token, clock } = c;
    const alert = await createAlert(t, me.cookie);
    await record([windowEvent(T0 - HOUR, 40 * MINUTE, 'Editor')]);
    clock.set(T0 + DAY);
    await record([windowEvent(T0 + DAY - HOUR, 10 * MINUTE, 'Editor')]);
    expect((await firings(t, token)).map((f) => f.day)).toEqual(['2025-06-01']);
    await record([windowEvent(T0 + DAY - 30 * MINUTE, 20 * MINUTE, 'Editor')]);
    expect(await firings(t, token)).toEqual([
      { alertId: alert.id, name: alert.name, day: '2025-06-01', firedAt: iso(T0), seconds: 40 * 60 },
      { alertId: alert.id, name: alert.name, day: '2025-06-02', firedAt: iso(T0 + DAY), seconds: 30 * 60 },
    ]);
  });

  it("cuts the day at midnight in the alert's zone", async () => {
    const { t, me, token, clock } = c;
    // 23:00 UTC on 1 June: 19:00 that day in New York (UTC−4), 08:00 on 2 June in Tokyo (UTC+9).
    const now = Date.UTC(2025, 5, 1, 23, 0);
    clock.set(now);
    const zones = ['UTC', 'America/New_York', 'Asia/Tokyo'] as const;
    const ids = new Map<string, string>();
    for (const timeZone of zones) {
      const alert = await createAlert(t, me.cookie, { name: timeZone, timeZone, comparison: 'more-than', minutes: 30 });
      ids.set(alert.id, timeZone);
    }
    // Sorted: firings at the same instant are listed in id order, which is random here.
    const zonesFired = async () => (await firings(t, token)).map((f) => `${ids.get(f.alertId)} ${f.day}`).sort();

    // 14:00–14:40 UTC is 23:00–23:40 on 1 June in Tokyo; 14:50–15:20 straddles Tokyo's midnight (15:00 UTC).
    await record([windowEvent(Date.UTC(2025, 5, 1, 14, 0), 40 * MINUTE, 'Editor')]);
    await record([windowEvent(Date.UTC(2025, 5, 1, 14, 50), 30 * MINUTE, 'Editor')]);
    expect(await zonesFired()).toEqual(['America/New_York 2025-06-01', 'UTC 2025-06-01']);
    // Tokyo has 20 minutes so far on 2 June; 11 more make 31.
    await record([windowEvent(Date.UTC(2025, 5, 1, 22, 0), 11 * MINUTE, 'Editor')]);
    expect(await zonesFired()).toEqual(['America/New_York 2025-06-01', 'Asia/Tokyo 2025-06-02', 'UTC 2025-06-01']);
    expect((await firings(t, token)).find((f) => ids.get(f.alertId) === 'Asia/Tokyo')?.seconds).toBe(31 * 60);
  });

  it('does not fire for time recorded late for yesterday', async () => {
    const { t, me, token } = c;
    await createAlert(t, me.cookie);
    await record([windowEvent(T0 - DAY, 2 * HOUR, 'Editor')]);
    expect(await firings(t, token)).toEqual([]);
  });

  it('lists firings at or after the time asked', async () => {
    const { t, me, token, clock } = c;
    const first = await createAlert(t, me.cookie, { name: 'Editor' });
    const second = await createAlert(t, me.cookie, { name: 'Terminal', target: { kind: 'app', name: 'Terminal' } });
    await record([windowEvent(T0 - HOUR, 30 * MINUTE, 'Editor')]);
    clock.advance(10 * MINUTE);
    await record([windowEvent(T0 - HOUR, 30 * MINUTE, 'Terminal')]);
    const since = async (at: string) => (await firings(t, token, at)).map((f) => f.alertId);
    expect(await since(iso(T0))).toEqual([first.id, second.id]);
    expect(await since('2025-06-01T14:00:00+02:00')).toEqual([first.id, second.id]);
    expect(await since(iso(T0 + 1))).toEqual([second.id]);
    expect(await since(iso(T0 + 10 * MINUTE))).toEqual([second.id]);
    expect(await since(iso(T0 + 10 * MINUTE + 1))).toEqual([]);
  });

  it('does not fire again the same day after the activity is erased and recorded again', async () => {
    const { t, me, token, clock } = c;
    const thirty = await createAlert(t, me.cookie);
    // Shows the activity recorded after the erase is still evaluated.
    const fortyFive = await createAlert(t, me.cookie, { minutes: 45 });
    await record([windowEvent(T0 - HOUR, 40 * MINUTE, 'Editor')]);
    expect(await firings(t, token)).toHaveLength(1);
    expect(await erase(t, me.cookie, { app: 'Editor' })).toBe(1);
    clock.advance(MINUTE);
    await record([windowEvent(T0 - HOUR, 40 * MINUTE, 'Editor')]);
    await record([windowEvent(T0 - 15 * MINUTE, 10 * MINUTE, 'Editor')]);
    expect((await firings(t, token)).map((f) => [f.alertId, f.firedAt])).toEqual([
      [thirty.id, iso(T0)],
      [fortyFive.id, iso(T0 + MINUTE)],
    ]);
  });

  it('a disabled alert stays quiet; enabled again, it fires with the next activity', async () => {
    const { t, me, token } = c;
    const alert = await createAlert(t, me.cookie, { enabled: false });
    await record([windowEvent(T0 - HOUR, 40 * MINUTE, 'Editor')]);
    expect(await firings(t, token)).toEqual([]);
    const res = await write(t, me.cookie, 'PUT', `/api/v1/alerts/${alert.id}`, alertBody({ enabled: true }));
    expect(res.statusCode).toBe(200);
    await record([windowEvent(T0 - 10 * MINUTE, MINUTE, 'Editor')]);
    expect((await firings(t, token)).map((f) => f.seconds)).toEqual([41 * 60]);
  });

  it('never fails ingest when an evaluation fails', async () => {
    const { t, me, token } = c;
    await createAlert(t, me.cookie);
    const rollups = vi.spyOn(t.store.events, 'rollups').mockRejectedValueOnce(new Error('database gone'));
    await record([windowEvent(T0 - HOUR, 40 * MINUTE, 'Editor')]);
    expect(rollups).toHaveBeenCalledTimes(1);
    expect(await firings(t, token)).toEqual([]);
    // The next activity evaluates again.
    await record([windowEvent(T0 - 10 * MINUTE, MINUTE, 'Editor')]);
    expect((await firings(t, token)).map((f) => f.seconds)).toEqual([41 * 60]);
  });

  it('costs no query for a person without alerts, once their empty list is cached', async () => {
    const { t, me, clock } = c;
    const version = vi.spyOn(t.store.alerts, 'version');
    const list = vi.spyOn(t.store.alerts, 'list');
    await record([windowEvent(T0 - HOUR, MINUTE, 'Editor')]);
    expect(version).toHaveBeenCalledTimes(1);
    for (let i = 1; i <= 3; i++) await record([windowEvent(T0 - HOUR + i * MINUTE, MINUTE, 'Editor')]);
    expect(version).toHaveBeenCalledTimes(1);
    expect(list).not.toHaveBeenCalled();

    // Re-checked after the interval (another process may have added one).
    clock.advance(30 * SECOND);
    await record([windowEvent(T0 - 50 * MINUTE, MINUTE, 'Editor')]);
    expect(version).toHaveBeenCalledTimes(2);

    // An alert made here drops the cached list at once.
    await createAlert(t, me.cookie, { minutes: 5 });
    await record([windowEvent(T0 - 40 * MINUTE, MINUTE, 'Editor')]);
    expect(list).toHaveBeenCalledTimes(1);
    expect(await firings(t, c.token)).toHaveLength(1);
  });
});
