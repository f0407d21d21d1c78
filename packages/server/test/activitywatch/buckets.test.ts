import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { withCookie } from '../accounts/support.js';
import { createTestApp, type TestApp } from '../helpers.js';
import { awCaller, baseTime, createBucket, iso, WINDOW_BUCKET, windowEvent, type AwCaller } from './support.js';

eachDatabase('ActivityWatch API: buckets', (kind) => {
  let t: TestApp;
  let me: AwCaller;
  beforeEach(async () => {
    t = await createTestApp({ kind });
    me = await awCaller(t);
  });
  afterEach(() => t.close());

  it('creates a bucket (200), answers 304 when it exists, and lists it under both paths', async () => {
    const created = await createBucket(me);
    expect(created.statusCode).toBe(200);
    const again = await createBucket(me);
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');

    for (const url of ['/api/0/buckets/', '/api/0/buckets']) {
      const list = await me.get(url);
      expect(list.statusCode).toBe(200);
      const bucket = list.json()[WINDOW_BUCKET];
      expect(bucket).toMatchObject({
        id: WINDOW_BUCKET,
        type: 'currentwindow',
        client: 'aw-watcher-test',
        hostname: 'testhost',
        data: {},
      });
      expect(bucket.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(bucket.last_updated).toBeUndefined();
    }
    const one = await me.get(`/api/0/buckets/${WINDOW_BUCKET}`);
    expect(one.statusCode).toBe(200);
    expect(one.json().id).toBe(WINDOW_BUCKET);
  });

  it('replaces hostname !local with the caller’s device, which /api/0/info names', async () => {
    await me.post('/api/0/buckets/aw-watcher-web-firefox', {
      client: 'aw-client-web',
      type: 'web.tab.current',
      hostname: '!local',
    });
    const info = await me.get('/api/0/info');
    expect(info.statusCode).toBe(200);
    expect(info.json()).toMatchObject({ testing: false, version: expect.any(String), hostname: expect.any(String) });
    const bucket = (await me.get('/api/0/buckets/aw-watcher-web-firefox')).json();
    expect(bucket.hostname).toBe(info.json().device_id);
  });

  it('shows last_updated once the bucket has events', async () => {
    await createBucket(me);
    const base = baseTime();
    await me.post(`/api/0/buckets/${WINDOW_BUCKET}/events`, windowEvent(base, 30, 'Code'));
    const bucket = (await me.get(`/api/0/buckets/${WINDOW_BUCKET}`)).json();
    expect(bucket.last_updated).toBe(iso(base + 30_000));
  });

  it('deletes a bucket with its events and the rollups they made', async () => {
    await createBucket(me);
    const base = baseTime();
    await me.post(`/api/0/buckets/${WINDOW_BUCKET}/events`, [
      windowEvent(base, 60, 'Code'),
      windowEvent(base + 60_000, 30, 'Term'),
    ]);
    expect(await t.store.events.allRollups(me.person.id)).not.toEqual([]);
    const gone = await me.delete(`/api/0/buckets/${WINDOW_BUCKET}?force=1`);
    expect(gone.statusCode).toBe(200);
    expect((await me.get(`/api/0/buckets/${WINDOW_BUCKET}`)).statusCode).toBe(404);
    expect(await t.store.events.count(me.person.id, {})).toBe(0);
    expect(await t.store.events.allRollups(me.person.id)).toEqual([]);
    // The id is free again.
    expect((await createBucket(me)).statusCode).toBe(200);
    expect((await me.get(`/api/0/buckets/${WINDOW_BUCKET}/events`)).json()).toEqual([]);
  });

  describe('bucket ids', () => {
    it('refuses an id with a slash or longer than 128 characters, with a message', async () => {
      for (const id of ['has%2Fslash', 'x'.repeat(129), 'x'.repeat(1000)]) {
        const res = await me.post(`/api/0/buckets/${id}`, { client: 'c', type: 'currentwindow', hostname: 'h' });
        expect(res.statusCode, id.slice(0, 20)).toBe(400);
        expect(res.json().message).toEqual(expect.any(String));
        expect(res.json().error.code).toBe('input.invalid');
        expect((await me.get(`/api/0/buckets/${id}`)).statusCode).toBe(400);
      }
      const slash = await me.get('/api/0/buckets/has%2Fslash');
      expect(slash.json().message).toContain("'/'");
    });

    it('accepts 128 characters and unusual but harmless names', async () => {
      for (const id of ['x'.repeat(128), '__proto__', 'aw-watcher-window_host name.local']) {
        const res = await createBucket(me, id);
        expect(res.statusCode, id.slice(0, 20)).toBe(200);
      }
      const list = (await me.get('/api/0/buckets/')).json();
      expect(Object.keys(list).sort()).toEqual(
        ['__proto__', 'aw-watcher-window_host name.local', 'x'.repeat(128)].sort(),
      );
    });
  });

  describe('errors', () => {
    it('are JSON with a top-level message and keep the app’s error body', async () => {
      const res = await me.get('/api/0/buckets/nothing-here');
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      const body = res.json();
      expect(body.message).toBe("There's no bucket named nothing-here");
      expect(body.error).toEqual({ code: 'not_found', message: body.message });
      expect(body.requestId).toEqual(expect.any(String));
    });

    it('carry a message for schema violations, unknown routes and missing credentials', async () => {
      const invalid = await me.post(`/api/0/buckets/${WINDOW_BUCKET}`, { client: 'c' });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.json().message).toMatch(/type|hostname/);
      const unknown = await me.get('/api/0/no-such-thing');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().message).toContain('/api/0/no-such-thing');
      const anonymous = await t.app.inject({ method: 'GET', url: '/api/0/buckets/' });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json().message).toEqual(expect.any(String));
    });
  });

  describe('access', () => {
    it('hides my buckets from another person, who can neither read nor touch them', async () => {
      await createBucket(me);
      const base = baseTime();
      const stored = (await me.post(`/api/0/buckets/${WINDOW_BUCKET}/events`, windowEvent(base, 10, 'Code'))).json();
      const eventId = stored[0].id as number;
      const other = await awCaller(t, 'other');

      expect((await other.get('/api/0/buckets/')).json()).toEqual({});
      const attempts = [
        other.get(`/api/0/buckets/${WINDOW_BUCKET}`),
        other.get(`/api/0/buckets/${WINDOW_BUCKET}/events`),
        other.get(`/api/0/buckets/${WINDOW_BUCKET}/events/count`),
        other.get(`/api/0/buckets/${WINDOW_BUCKET}/events/${eventId}`),
        other.delete(`/api/0/buckets/${WINDOW_BUCKET}/events/${eventId}`),
        other.post(`/api/0/buckets/${WINDOW_BUCKET}/events`, windowEvent(base, 5, 'Evil')),
        other.post(`/api/0/buckets/${WINDOW_BUCKET}/heartbeat?pulsetime=5`, windowEvent(base, 5, 'Evil')),
        other.get(`/api/0/buckets/${WINDOW_BUCKET}/export`),
        other.delete(`/api/0/buckets/${WINDOW_BUCKET}`),
      ];
      for (const res of await Promise.all(attempts)) expect(res.statusCode).toBe(404);
      expect((await other.get('/api/0/export')).json()).toEqual({ buckets: {} });

      // Their bucket of the same name is theirs alone, and my event ids mean nothing in it.
      expect((await createBucket(other)).statusCode).toBe(200);
      expect((await other.get(`/api/0/buckets/${WINDOW_BUCKET}/events/${eventId}`)).statusCode).toBe(404);
      const replaced = await other.post(`/api/0/buckets/${WINDOW_BUCKET}/events`, {
        ...windowEvent(base, 5, 'Theirs'),
        id: eventId,
      });
      expect(replaced.json()[0].id).not.toBe(eventId);
      const mine = (await me.get(`/api/0/buckets/${WINDOW_BUCKET}/events`)).json();
      expect(mine).toEqual([
        { id: eventId, timestamp: iso(base), duration: 10, data: { app: 'Code', title: 'Code window' } },
      ]);
    });

    it('needs the read scope to read and the ingest scope to write; a session may do both', async () => {
      const writer = await awCaller(t, 'writer', ['ingest']);
      expect((await createBucket(writer)).statusCode).toBe(200);
      expect((await writer.get('/api/0/info')).statusCode).toBe(200);
      expect((await writer.get('/api/0/buckets/')).statusCode).toBe(403);
      const cookie = withCookie(writer.person.cookie);
      const list = await t.app.inject({ method: 'GET', url: '/api/0/buckets/', ...cookie });
      expect(Object.keys(list.json())).toEqual([WINDOW_BUCKET]);

      const reader = await awCaller(t, 'reader', ['read']);
      expect((await createBucket(reader)).statusCode).toBe(403);
      expect((await reader.get('/api/0/buckets/')).statusCode).toBe(200);
    });
  });
});
