import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { createTestApp, type TestApp } from '../helpers.js';
import { awCaller, baseTime, createBucket, iso, MINUTE, WINDOW_BUCKET, windowEvent, type AwCaller } from './support.js';

const EVENTS = `/api/0/buckets/${WINDOW_BUCKET}/events`;

eachDatabase('ActivityWatch API: events', (kind) => {
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

  /** Three back-to-back events: Code [0, 60 s), Term [60, 90 s), Mail [90, 210 s). */
  async function threeEvents() {
    const res = await me.post(EVENTS, [
      windowEvent(base, 60, 'Code'),
      windowEvent(base + MINUTE, 30, 'Term'),
      windowEvent(base + 90_000, 120, 'Mail'),
    ]);
    expect(res.statusCode).toBe(200);
    return res.json() as { id: number; timestamp: string; duration: number; data: Record<string, unknown> }[];
  }

  it('stores one event or a list and answers them with integer ids', async () => {
    // aw-client (Python) sends `id: null` for a new event.
    const one = await me.post(EVENTS, { ...windowEvent(base, 1.5, 'Code'), id: null });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual([
      { id: expect.any(Number), timestamp: iso(base), duration: 1.5, data: { app: 'Code', title: 'Code window' } },
    ]);
    const stored = await threeEvents();
    expect(stored.map((e) => e.data.app)).toEqual(['Code', 'Term', 'Mail']);
    expect(new Set(stored.map((e) => e.id)).size).toBe(3);
    for (const e of stored) expect(Number.isInteger(e.id)).toBe(true);
  });

  it('reads events newest first, limited, and clipped to [start, end] with both ends inclusive', async () => {
    const stored = await threeEvents();
    const all = (await me.get(EVENTS)).json();
    expect(all.map((e: { data: { app: string } }) => e.data.app)).toEqual(['Mail', 'Term', 'Code']);
    expect(all[0]).toEqual(stored[2]);
    expect((await me.get(`${EVENTS}?limit=-1`)).json()).toEqual(all);
    expect((await me.get(`${EVENTS}?limit=2`)).json()).toEqual(all.slice(0, 2));

    // [30 s, 100 s]: Code cut to its last 30 s, Term whole, Mail cut to its first 10 s.
    const start = encodeURIComponent(iso(base + 30_000));
    const end = encodeURIComponent(iso(base + 100_000));
    const clipped = (await me.get(`${EVENTS}?start=${start}&end=${end}`)).json();
    expect(clipped).toEqual([
      { ...stored[2], duration: 10 },
      stored[1],
      { ...stored[0], timestamp: iso(base + 30_000), duration: 30 },
    ]);

    // An event ending exactly at `start` is still in (with no time left).
    const atEdge = (await me.get(`${EVENTS}?start=${encodeURIComponent(iso(base + 210_000))}`)).json();
    expect(atEdge).toEqual([{ ...stored[2], timestamp: iso(base + 210_000), duration: 0 }]);
    const before = (await me.get(`${EVENTS}?end=${encodeURIComponent(iso(base - 1))}`)).json();
    expect(before).toEqual([]);
  });

  it('accepts offsets and naive timestamps and answers in UTC with milliseconds', async () => {
    const at = new Date(base);
    const pad = (n: number) => String(n).padStart(2, '0');
    const naive = `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}T${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:00`;
    const shifted = new Date(base + 2 * 3_600_000);
    const withOffset = `${shifted.toISOString().slice(0, 19)}+02:00`;
    const res = await me.post(EVENTS, [
      { timestamp: naive, duration: 1, data: { app: 'Naive' } },
      { timestamp: withOffset, duration: 2, data: { app: 'Offset' } },
    ]);
    expect(res.json().map((e: { timestamp: string }) => e.timestamp)).toEqual([iso(base), iso(base)]);
  });

  it('counts events as a bare integer', async () => {
    await threeEvents();
    const count = await me.get(`${EVENTS}/count`);
    expect(count.statusCode).toBe(200);
    expect(count.body).toBe('3');
    const later = await me.get(`${EVENTS}/count?start=${encodeURIComponent(iso(base + 95_000))}`);
    expect(later.json()).toBe(1);
  });

  it('replaces the event whose integer id is sent', async () => {
    const stored = await threeEvents();
    const term = stored[1] as (typeof stored)[number];
    const replaced = await me.post(EVENTS, { ...windowEvent(base + MINUTE, 45, 'Term', 'longer'), id: term.id });
    expect(replaced.json()).toEqual([
      { id: term.id, timestamp: term.timestamp, duration: 45, data: { app: 'Term', title: 'longer' } },
    ]);
    expect((await me.get(`${EVENTS}/count`)).json()).toBe(3);
    expect((await me.get(`${EVENTS}/${term.id}`)).json()).toEqual(replaced.json()[0]);
    // An id that names no event of the bucket is a new event.
    const fresh = await me.post(EVENTS, { ...windowEvent(base + 5 * MINUTE, 5, 'New'), id: 999_999 });
    expect(fresh.json()[0].id).not.toBe(999_999);
    expect((await me.get(`${EVENTS}/count`)).json()).toBe(4);
  });

  it('reads and deletes one event by id; 404 when absent', async () => {
    const stored = await threeEvents();
    const code = stored[0] as (typeof stored)[number];
    expect((await me.get(`${EVENTS}/${code.id}`)).json()).toEqual(code);
    const gone = await me.delete(`${EVENTS}/${code.id}`);
    expect(gone.statusCode).toBe(200);
    const missing = await me.get(`${EVENTS}/${code.id}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toContain(String(code.id));
    expect((await me.delete(`${EVENTS}/${code.id}`)).statusCode).toBe(404);
    expect((await me.get(`${EVENTS}/count`)).json()).toBe(2);
    expect((await me.get(`${EVENTS}/not-a-number`)).statusCode).toBe(400);
  });

  it('answers bad events with 400 and a message naming the field', async () => {
    const noApp = await me.post(EVENTS, { timestamp: iso(base), duration: 1, data: { title: 'x' } });
    expect(noApp.statusCode).toBe(400);
    expect(noApp.json().message).toContain('data.app');
    const badTime = await me.post(EVENTS, { timestamp: 'yesterday', duration: 1, data: { app: 'x' } });
    expect(badTime.statusCode).toBe(400);
    expect(badTime.json().message).toEqual(expect.any(String));
    const badRange = await me.get(`${EVENTS}?start=sometime-soon`);
    expect(badRange.statusCode).toBe(400);
    expect(badRange.json().message).toBe('start: is not an ISO 8601 date-time');
    expect((await me.get(`${EVENTS}/count`)).json()).toBe(0);
  });

  it('accepts and drops input-count events (os.hid.input)', async () => {
    const bucket = '/api/0/buckets/aw-watcher-input_testhost';
    await me.post(bucket, { client: 'aw-watcher-input', type: 'os.hid.input', hostname: 'testhost' });
    const data = { presses: 3, clicks: 1, deltaX: 10, deltaY: 0, scrollX: 0, scrollY: 2 };
    const res = await me.post(`${bucket}/events`, { timestamp: iso(base), duration: 5, data });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([]);
    const beat = await me.post(`${bucket}/heartbeat?pulsetime=6`, { timestamp: iso(base), duration: 5, data });
    expect(beat.json()).toEqual({ timestamp: iso(base), duration: 5, data });
    expect((await me.get(`${bucket}/events/count`)).json()).toBe(0);
    expect(await t.store.events.count(me.person.id, {})).toBe(0);
  });
});
