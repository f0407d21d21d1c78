import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { withCookie } from '../accounts/support.js';
import { createTestApp, type TestApp } from '../helpers.js';
import { awCaller, baseTime, createBucket, iso, WINDOW_BUCKET, windowEvent, type AwCaller } from './support.js';

const BUCKET = `/api/0/buckets/${WINDOW_BUCKET}`;

eachDatabase('ActivityWatch API: heartbeats', (kind) => {
  let t: TestApp;
  let me: AwCaller;
  let base: number;
  beforeEach(async () => {
    t = await createTestApp({ kind });
    me = await awCaller(t);
    base = baseTime();
    await createBucket(me);
  });
  afterEach(() => t.close());

  const beat = (at: number, app: string, pulsetime = 2, seconds = 0) =>
    me.post(`${BUCKET}/heartbeat?pulsetime=${pulsetime}`, windowEvent(at, seconds, app));

  it('merges heartbeats with the same data within the pulse time, else starts a new event', async () => {
    const first = await beat(base, 'Code');
    expect(first.statusCode).toBe(200);
    const id = first.json().id as number;
    expect(first.json()).toEqual({
      id,
      timestamp: iso(base),
      duration: 0,
      data: { app: 'Code', title: 'Code window' },
    });

    const merged = await beat(base + 1_000, 'Code');
    expect(merged.json()).toEqual({ ...first.json(), duration: 1 });
    expect((await beat(base + 2_500, 'Code')).json()).toEqual({ ...first.json(), duration: 2.5 });

    // 2.5 s + 2 s of pulse time ends at 4.5 s: a heartbeat at 6 s starts anew.
    const late = await beat(base + 6_000, 'Code');
    expect(late.json().id).not.toBe(id);
    expect(late.json().duration).toBe(0);
    // Different data never merges.
    const other = await beat(base + 6_500, 'Term');
    expect(other.json().id).not.toBe(late.json().id);
    const merging = await beat(base + 7_500, 'Term', 2, 0.5);
    expect(merging.json()).toEqual({ ...other.json(), duration: 1.5 });

    const events = (await me.get(`${BUCKET}/events`)).json();
    expect(events.map((e: { data: { app: string }; duration: number }) => [e.data.app, e.duration])).toEqual([
      ['Term', 1.5],
      ['Code', 0],
      ['Code', 2.5],
    ]);
  });

  it('merges a heartbeat into an event posted to the bucket', async () => {
    const [posted] = (await me.post(`${BUCKET}/events`, windowEvent(base, 10, 'Code'))).json();
    const merged = await beat(base + 11_000, 'Code', 5);
    expect(merged.json()).toEqual({ ...posted, duration: 11 });
  });

  it('needs a pulsetime', async () => {
    const res = await me.post(`${BUCKET}/heartbeat`, windowEvent(base, 0, 'Code'));
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('pulsetime');
    expect((await me.post(`${BUCKET}/heartbeat?pulsetime=-1`, windowEvent(base, 0, 'Code'))).statusCode).toBe(400);
  });

  it('answers a heartbeat that privacy settings drop as sent, without an id', async () => {
    const privacy = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/privacy',
      payload: {
        detail: 'full',
        ignore: [{ field: 'app', match: 'exact', pattern: 'Secret' }],
        paused: false,
        retentionDays: null,
      },
      ...withCookie(me.person.cookie),
    });
    expect(privacy.statusCode).toBe(200);
    const res = await beat(base, 'Secret');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ timestamp: iso(base), duration: 0, data: { app: 'Secret', title: 'Secret window' } });
    expect((await me.get(`${BUCKET}/events/count`)).json()).toBe(0);
  });
});
