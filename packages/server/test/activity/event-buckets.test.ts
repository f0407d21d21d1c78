/**
 * POST /api/v1/events with `bucket`: events forwarded from ActivityWatch
 * watchers land in their bucket (created on first use, found by the /api/0
 * routes), a replayed id replaces, and a bucket whose type does not hold the
 * event's kind is refused before anything is created.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withBearer } from '../accounts/support.js';
import { iso, postEvents, setup, T0, type Ctx } from './support.js';

const WEB_BUCKET = {
  id: 'aw-watcher-web-firefox_laptop',
  type: 'web.tab.current',
  client: 'aw-watcher-web',
  hostname: 'laptop',
};

describe('native events with a bucket', () => {
  let c: Ctx;
  beforeEach(async () => {
    c = await setup('sqlite');
  });
  afterEach(async () => {
    await c.t.close();
  });

  const webEvent = (id: string, duration: number) => ({
    id,
    kind: 'web',
    start: iso(T0),
    duration,
    data: { url: 'https://example.org/a', title: 'A' },
    bucket: WEB_BUCKET,
  });

  it('stores the event in the named bucket, creating it once; a replay replaces', async () => {
    const id = '0190a000-0000-7000-8000-0000000000a1';
    expect((await postEvents(c.t, c.token, [webEvent(id, 5)])).json()).toEqual({
      accepted: 1,
      replaced: 0,
      dropped: 0,
    });
    expect((await postEvents(c.t, c.token, [webEvent(id, 9)])).json()).toEqual({
      accepted: 0,
      replaced: 1,
      dropped: 0,
    });
    const bucket = await c.t.app.inject({
      method: 'GET',
      url: `/api/0/buckets/${WEB_BUCKET.id}`,
      ...withBearer(c.token),
    });
    expect(bucket.statusCode).toBe(200);
    expect(bucket.json()).toMatchObject({
      id: WEB_BUCKET.id,
      type: 'web.tab.current',
      client: 'aw-watcher-web',
      hostname: 'laptop',
    });
    const events = await c.t.app.inject({
      method: 'GET',
      url: `/api/0/buckets/${WEB_BUCKET.id}/events`,
      ...withBearer(c.token),
    });
    expect(events.json()).toMatchObject([{ duration: 9, data: { url: 'https://example.org/a', title: 'A' } }]);
  });

  it('refuses a bucket whose type does not hold the kind, creating nothing', async () => {
    const wrong = {
      ...webEvent('0190a000-0000-7000-8000-0000000000a2', 1),
      bucket: { ...WEB_BUCKET, type: 'afkstatus' },
    };
    const res = await postEvents(c.t, c.token, [wrong]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('events[0].bucket');
    const list = await c.t.app.inject({ method: 'GET', url: '/api/0/buckets/', ...withBearer(c.token) });
    expect(Object.keys(list.json<Record<string, unknown>>())).toEqual([]);
  });

  it('refuses a bucket id with a slash', async () => {
    const bad = { ...webEvent('0190a000-0000-7000-8000-0000000000a3', 1), bucket: { ...WEB_BUCKET, id: 'a/b' } };
    const res = await postEvents(c.t, c.token, [bad]);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('events[0].bucket.id');
  });
});
