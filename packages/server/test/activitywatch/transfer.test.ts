import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { createTestApp, type TestApp } from '../helpers.js';
import { awCaller, baseTime, createBucket, iso, MINUTE, WINDOW_BUCKET, windowEvent, type AwCaller } from './support.js';

const AFK_BUCKET = 'aw-watcher-afk_testhost';

interface WireEvent {
  id: number;
  timestamp: string;
  duration: number;
  data: Record<string, unknown>;
}

type ExportDocument = { buckets: Record<string, Record<string, unknown> & { events: WireEvent[] }> };

const withoutIds = (events: WireEvent[]) => events.map(({ id: _id, ...rest }) => rest);

eachDatabase('ActivityWatch API: export and import', (kind) => {
  let t: TestApp;
  let me: AwCaller;
  let base: number;
  beforeEach(async () => {
    t = await createTestApp({ kind });
    me = await awCaller(t);
    base = baseTime();
    await createBucket(me);
    await createBucket(me, AFK_BUCKET, 'afkstatus');
    await me.post(`/api/0/buckets/${WINDOW_BUCKET}/events`, [
      windowEvent(base, 60, 'Code', 'main.ts'),
      windowEvent(base + MINUTE, 30.25, 'Firefox', 'Docs'),
      {
        timestamp: iso(base + 2 * MINUTE),
        duration: 5,
        data: { app: 'Term', title: 'zsh', url: 'file:///x', extra: [1, { b: true }] },
      },
    ]);
    await me.post(`/api/0/buckets/${AFK_BUCKET}/events`, [
      { timestamp: iso(base), duration: 90, data: { status: 'not-afk' } },
      { timestamp: iso(base + 90_000), duration: 300, data: { status: 'afk' } },
    ]);
  });
  afterEach(() => t.close());

  it('exports every bucket with its events, newest first, as a download', async () => {
    const res = await me.get('/api/0/export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="aw-buckets-export\.json"/);
    const doc = res.json<ExportDocument>();
    expect(Object.keys(doc.buckets).sort()).toEqual([AFK_BUCKET, WINDOW_BUCKET]);
    const window = doc.buckets[WINDOW_BUCKET] as ExportDocument['buckets'][string];
    expect(window).toMatchObject({
      id: WINDOW_BUCKET,
      type: 'currentwindow',
      client: 'aw-watcher-test',
      hostname: 'testhost',
    });
    expect(window.events.map((e) => e.data.app)).toEqual(['Term', 'Firefox', 'Code']);
    expect(window.events[0]?.data).toEqual({ app: 'Term', title: 'zsh', url: 'file:///x', extra: [1, { b: true }] });

    const one = await me.get(`/api/0/buckets/${AFK_BUCKET}/export`);
    expect(one.headers['content-disposition']).toContain(`filename*=UTF-8''aw-bucket-export_${AFK_BUCKET}.json`);
    expect(Object.keys(one.json<ExportDocument>().buckets)).toEqual([AFK_BUCKET]);
    expect(one.json<ExportDocument>().buckets[AFK_BUCKET]).toEqual(doc.buckets[AFK_BUCKET]);
  });

  it('imports an export into another account, and importing it again adds nothing', async () => {
    const exported = (await me.get('/api/0/export')).json<ExportDocument>();
    const other = await awCaller(t, 'other');

    const first = await other.post('/api/0/import', exported);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ buckets: 2, merged: 0, events: 5, skipped: 0, dropped: 0 });
    const again = await other.post('/api/0/import', exported);
    expect(again.json()).toEqual({ buckets: 0, merged: 2, events: 0, skipped: 5, dropped: 0 });

    const theirs = (await other.get('/api/0/export')).json<ExportDocument>();
    for (const id of [WINDOW_BUCKET, AFK_BUCKET]) {
      const mine = exported.buckets[id] as ExportDocument['buckets'][string];
      const copy = theirs.buckets[id] as ExportDocument['buckets'][string];
      expect(copy).toMatchObject({
        id,
        type: mine.type,
        client: mine.client,
        hostname: mine.hostname,
        data: mine.data,
      });
      expect(withoutIds(copy.events)).toEqual(withoutIds(mine.events));
    }
    // Mine are untouched.
    expect((await me.get('/api/0/export')).json()).toEqual(exported);
  });

  it('merges into an existing bucket, skipping only events already there', async () => {
    const exported = (await me.get(`/api/0/buckets/${WINDOW_BUCKET}/export`)).json<ExportDocument>();
    const bucket = exported.buckets[WINDOW_BUCKET] as ExportDocument['buckets'][string];
    const changed = {
      buckets: {
        [WINDOW_BUCKET]: {
          ...bucket,
          events: [
            ...bucket.events,
            // Same time, other data; and the same data at another time: both new.
            { ...(bucket.events[0] as WireEvent), data: { app: 'Term', title: 'bash' } },
            { ...(bucket.events[1] as WireEvent), timestamp: iso(base + 10 * MINUTE) },
          ],
        },
      },
    };
    const res = await me.post('/api/0/import', changed);
    expect(res.json()).toEqual({ buckets: 0, merged: 1, events: 2, skipped: 3, dropped: 0 });
    expect((await me.get(`/api/0/buckets/${WINDOW_BUCKET}/events/count`)).json()).toBe(5);
  });

  it('takes the export as a multipart upload, as the ActivityWatch web UI sends it', async () => {
    const exported = (await me.get('/api/0/export')).json<ExportDocument>();
    const other = await awCaller(t, 'other');
    const boundary = '----sundialtest1234';
    const body = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="buckets.json"; filename="aw-buckets-export.json"',
      'Content-Type: application/json',
      '',
      JSON.stringify(exported),
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const res = await other.send({
      method: 'POST',
      url: '/api/0/import',
      payload: body,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().events).toBe(5);
    const broken = await other.send({
      method: 'POST',
      url: '/api/0/import',
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--${boundary}--\r\n`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().message).toContain('no file');
  });

  it('refuses a document with a bad bucket id or timestamp before writing anything', async () => {
    const other = await awCaller(t, 'other');
    const good = { type: 'currentwindow', client: 'c', hostname: 'h', events: [windowEvent(base, 1, 'A')] };
    const badId = await other.post('/api/0/import', { buckets: { ok: good, 'a/b': good } });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().message).toContain("'/'");
    const badTime = await other.post('/api/0/import', {
      buckets: {
        ok: good,
        late: { ...good, events: [{ timestamp: 'never-ever-at-all', duration: 1, data: { app: 'A' } }] },
      },
    });
    expect(badTime.statusCode).toBe(400);
    expect(badTime.json().message).toContain('events[0].timestamp');
    expect((await other.get('/api/0/buckets/')).json()).toEqual({});
  });

  it('refuses a document whose later bucket holds an event ingest would refuse, writing nothing', async () => {
    const other = await awCaller(t, 'other');
    const good = { type: 'currentwindow', client: 'c', hostname: 'h', events: [windowEvent(base, 1, 'A')] };
    const res = await other.post('/api/0/import', {
      buckets: {
        first: good,
        second: {
          ...good,
          events: [windowEvent(base, 1, 'B'), { ...windowEvent(base, 1, 'C'), data: { title: 'no app' } }],
        },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('buckets["second"]: events[1].data.app');
    expect((await other.get('/api/0/buckets/')).json()).toEqual({});
  });
});
