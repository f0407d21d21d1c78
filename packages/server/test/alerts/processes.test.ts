/**
 * Two server processes on one database (and one test clock): a crossing is
 * recorded once whichever process sees it, even when both evaluate at the
 * same moment; an alert changed in one process never fires in the other on
 * the settings it cached; an alert made in one reaches the other's cache
 * within the re-check interval.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import type { Firing } from '../../src/services/alerts.js';
import { withBearer } from '../accounts/support.js';
import { HOUR, ingest, MINUTE, SECOND, setup, T0, windowEvent, type Ctx, type WireEvent } from '../activity/support.js';
import { alertBody, createAlert, firings, secondProcess, write, type SecondProcess } from './support.js';

eachDatabase('alerts: two server processes', (kind) => {
  let c: Ctx;
  let other: SecondProcess;
  let heard: { process: 'first' | 'second'; firing: Firing }[];
  beforeEach(async () => {
    c = await setup(kind);
    other = await secondProcess(c.t, c.clock);
    heard = [];
    c.t.services.alerts.subscribe(c.me.id, (firing) => heard.push({ process: 'first', firing }));
    other.services.alerts.subscribe(c.me.id, (firing) => heard.push({ process: 'second', firing }));
  });
  afterEach(async () => {
    await other.close();
    await c.t.close();
  });

  /** Posts events to the second process and waits for its evaluations. */
  async function recordThere(events: readonly WireEvent[]): Promise<void> {
    const res = await other.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      payload: { events },
      ...withBearer(c.token),
    });
    expect(res.statusCode, res.body).toBe(200);
    await other.services.alerts.idle();
  }

  async function recordHere(events: readonly WireEvent[]): Promise<void> {
    await ingest(c.t, c.token, events);
    await c.t.services.alerts.idle();
  }

  it('records a crossing once, in the process that saw it', async () => {
    const { t, me, token } = c;
    const alert = await createAlert(t, me.cookie);
    await recordHere([windowEvent(T0 - 2 * HOUR, 20 * MINUTE, 'Editor')]);
    await recordThere([windowEvent(T0 - HOUR, 20 * MINUTE, 'Editor')]);
    await recordHere([windowEvent(T0 - 30 * MINUTE, 5 * MINUTE, 'Editor')]);
    expect((await firings(t, token)).map((f) => [f.alertId, f.seconds])).toEqual([[alert.id, 40 * 60]]);
    expect(heard.map((h) => [h.process, h.firing.alertId])).toEqual([['second', alert.id]]);
  });

  it('records a crossing once when both processes evaluate it at the same moment', async () => {
    const { t, me, token } = c;
    await createAlert(t, me.cookie);
    const key = await t.services.names.intern(me.id, 'app', 'Editor');
    const cells = [{ dimension: 'app', slot: T0 - HOUR, key, ms: 40 * MINUTE } as const];
    await t.store.events.addRollups(me.id, cells);
    t.services.alerts.observe(me.id, cells);
    other.services.alerts.observe(me.id, cells);
    await Promise.all([t.services.alerts.idle(), other.services.alerts.idle()]);
    expect(await firings(t, token)).toHaveLength(1);
    expect(heard).toHaveLength(1);
  });

  it('never fires on settings another process has changed since', async () => {
    const { t, me, token, clock } = c;
    const alert = await createAlert(t, me.cookie);
    // The first process caches the alert as it is now (30 minutes).
    await recordHere([windowEvent(T0 - 2 * HOUR, 10 * MINUTE, 'Editor')]);
    const raised = await write(other, me.cookie, 'PUT', `/api/v1/alerts/${alert.id}`, alertBody({ minutes: 120 }));
    expect(raised.statusCode, raised.body).toBe(200);
    await recordHere([windowEvent(T0 - HOUR, 30 * MINUTE, 'Editor')]);
    await recordHere([windowEvent(T0 - 20 * MINUTE, MINUTE, 'Editor')]);
    expect(await firings(t, token)).toEqual([]);
    // …and does fire on the new settings.
    clock.advance(SECOND);
    await recordHere([windowEvent(T0 - 5 * HOUR, 80 * MINUTE, 'Editor')]);
    expect((await firings(t, token)).map((f) => f.seconds)).toEqual([121 * 60]);
  });

  it('sees an alert made in another process once the cached list is re-checked', async () => {
    const { t, me, token, clock } = c;
    await recordHere([windowEvent(T0 - 2 * HOUR, MINUTE, 'Editor')]);
    await createAlert(other, me.cookie);
    await recordHere([windowEvent(T0 - HOUR, 40 * MINUTE, 'Editor')]);
    expect(await firings(t, token)).toEqual([]);
    clock.advance(30 * SECOND);
    await recordHere([windowEvent(T0 - 10 * MINUTE, SECOND, 'Editor')]);
    expect((await firings(t, token)).map((f) => f.seconds)).toEqual([41 * 60 + 1]);
    expect(heard.map((h) => h.process)).toEqual(['first']);
  });
});
