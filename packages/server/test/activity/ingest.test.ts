/**
 * Batches through POST /api/v1/events: what is stored and read back,
 * idempotent replay by the client's id (also when a retry overlaps the
 * first attempt), all-or-nothing, the body limit, scopes, one person's
 * events invisible to another, and GET /api/v1/events's filters.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { secondApp, withBearer, withCookie } from '../accounts/support.js';
import {
  awayEvent,
  count,
  errorOf,
  expectRollupsConsistent,
  footprint,
  HOUR,
  ingest,
  MINUTE,
  nameId,
  newPerson,
  newToken,
  postEvents,
  rawEvents,
  readEvents,
  rollupTotal,
  SECOND,
  setup,
  storedRollups,
  T0,
  webEvent,
  windowEvent,
  type Ctx,
  type WireEvent,
} from './support.js';

eachDatabase('activity ingest', (kind) => {
  let c: Ctx;
  beforeEach(async () => {
    c = await setup(kind);
  });
  afterEach(async () => c.t.close());

  describe('what is stored', () => {
    it('reads a batch back as sent: ids, kinds, the device, UTC starts with milliseconds, seconds, data', async () => {
      const { t, token, tokenId } = c;
      const win: WireEvent = {
        id: 'C0FFEE00-0000-4000-8000-000000000001',
        kind: 'window',
        // 12:30:15.250 at +02:00 is 10:30:15.250Z.
        start: '2025-06-01T12:30:15.250+02:00',
        duration: 61.5,
        data: { app: 'Editor', title: 'notes.md', url: 'https://docs.example.org/a?b=1' },
      };
      const web: WireEvent = {
        id: '0b6f3b7e-1111-4222-8333-444455556666',
        kind: 'web',
        // Naive: UTC.
        start: '2025-06-01T10:31:00.5',
        duration: 30,
        data: { url: 'https://www.example.com/page', title: 'Example', audible: false, incognito: false, tabCount: 3 },
      };
      const away: WireEvent = {
        ...awayEvent(Date.UTC(2025, 5, 1, 10, 32), 10 * SECOND),
        id: web.id.replace('0b6f', '1b6f'),
      };
      expect(await ingest(t, token, [win, web, away])).toEqual({ accepted: 3, replaced: 0, dropped: 0 });

      expect(await readEvents(t, token)).toEqual([
        {
          id: 'c0ffee00-0000-4000-8000-000000000001',
          kind: 'window',
          device: tokenId,
          start: '2025-06-01T10:30:15.250Z',
          duration: 61.5,
          data: { app: 'Editor', title: 'notes.md', url: 'https://docs.example.org/a?b=1' },
        },
        {
          id: web.id,
          kind: 'web',
          device: tokenId,
          start: '2025-06-01T10:31:00.500Z',
          duration: 30,
          data: {
            url: 'https://www.example.com/page',
            title: 'Example',
            audible: false,
            incognito: false,
            tabCount: 3,
          },
        },
        {
          id: away.id,
          kind: 'away',
          device: tokenId,
          start: '2025-06-01T10:32:00.000Z',
          duration: 10,
          data: { status: 'afk' },
        },
      ]);
    });

    it('keeps rollups per app and per domain, minus the time the device was away', async () => {
      const { t, token, me } = c;
      const start = T0 - HOUR;
      await ingest(t, token, [
        windowEvent(start, 10 * MINUTE, 'Editor', 'a.ts'),
        webEvent(start, 4 * MINUTE, 'https://www.example.com/x', 'X'),
        awayEvent(start + 2 * MINUTE, MINUTE),
      ]);
      const app = await nameId(t, me.id, 'app', 'Editor');
      const domain = await nameId(t, me.id, 'domain', 'example.com');
      expect(await rollupTotal(t, me.id, 'app', app)).toBe(9 * MINUTE);
      expect(await rollupTotal(t, me.id, 'domain', domain)).toBe(3 * MINUTE);
      await expectRollupsConsistent(t, me.id);
    });

    it('posts from a session as the manual device', async () => {
      const { t, me } = c;
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/events',
        payload: { events: [windowEvent(T0 - HOUR, MINUTE, 'Editor')] },
        ...withCookie(me.cookie),
      });
      expect(res.statusCode, res.body).toBe(200);
      expect((await rawEvents(t, me.id)).map((e) => e.deviceId)).toEqual(['manual']);
    });
  });

  describe('idempotent replay', () => {
    it('stores a replayed batch once, also when the client spells its ids in upper case', async () => {
      const { t, token, me } = c;
      const batch = [
        windowEvent(T0 - HOUR, 5 * MINUTE, 'Editor', 'a.ts'),
        webEvent(T0 - HOUR, 2 * MINUTE, 'https://example.com/', 'Ex'),
        awayEvent(T0 - HOUR + MINUTE, 30 * SECOND),
      ];
      expect(await ingest(t, token, batch)).toEqual({ accepted: 3, replaced: 0, dropped: 0 });
      const rowsAfterFirst = await rawEvents(t, me.id);
      const rollupsAfterFirst = await storedRollups(t, me.id);
      const namesAfterFirst = await count(t, 'names', me.id);

      expect(await ingest(t, token, batch)).toEqual({ accepted: 0, replaced: 3, dropped: 0 });
      const upper = batch.map((e) => ({ ...e, id: e.id.toUpperCase() }));
      expect(await ingest(t, token, upper)).toEqual({ accepted: 0, replaced: 3, dropped: 0 });

      const rows = await rawEvents(t, me.id);
      expect(rows).toHaveLength(3);
      expect(rows.map((r) => [r.seq, r.uid, r.start, r.end])).toEqual(
        rowsAfterFirst.map((r) => [r.seq, r.uid, r.start, r.end]),
      );
      expect(await storedRollups(t, me.id)).toEqual(rollupsAfterFirst);
      expect(await count(t, 'names', me.id)).toBe(namesAfterFirst);
    });

    it('replaces an event replayed with a changed duration, and moves its rollups', async () => {
      const { t, token, me } = c;
      const first = windowEvent(T0 - 2 * HOUR, 10 * MINUTE, 'Editor', 'a.ts');
      await ingest(t, token, [first]);
      expect(await ingest(t, token, [{ ...first, duration: 25 * 60 }])).toEqual({
        accepted: 0,
        replaced: 1,
        dropped: 0,
      });
      const events = await readEvents(t, token);
      expect(events.map((e) => [e.id, e.duration])).toEqual([[first.id, 25 * 60]]);
      expect(await rollupTotal(t, me.id, 'app', await nameId(t, me.id, 'app', 'Editor'))).toBe(25 * MINUTE);
      await expectRollupsConsistent(t, me.id);

      // Shorter again: the rollups shrink with it.
      await ingest(t, token, [{ ...first, duration: 60 }]);
      expect(await rollupTotal(t, me.id, 'app', await nameId(t, me.id, 'app', 'Editor'))).toBe(MINUTE);
      await expectRollupsConsistent(t, me.id);
    });

    it('never creates duplicates when a retry arrives while the first attempt is still running', async () => {
      const { t, token, me } = c;
      const batch = Array.from({ length: 40 }, (_, i) =>
        windowEvent(T0 - 3 * HOUR + i * MINUTE, 50 * SECOND, `App ${i % 4}`, `Title ${i}`),
      );
      const [a, b] = await Promise.all([postEvents(t, token, batch), postEvents(t, token, batch)]);
      expect([a.statusCode, b.statusCode], `${a.body} ${b.body}`).toEqual([200, 200]);
      const first = a.json<{ accepted: number; replaced: number }>();
      const second = b.json<{ accepted: number; replaced: number }>();
      expect([first.accepted + first.replaced, second.accepted + second.replaced]).toEqual([40, 40]);
      expect(first.accepted + second.accepted).toBe(40);
      const rows = await rawEvents(t, me.id);
      expect(rows).toHaveLength(40);
      expect(new Set(rows.map((r) => r.uid)).size).toBe(40);
      const stored = await expectRollupsConsistent(t, me.id);
      const app = stored.filter((cell) => cell.dimension === 'app');
      expect(app.reduce((sum, cell) => sum + cell.ms, 0)).toBe(40 * 50 * SECOND);
    });
  });

  describe('across server processes', () => {
    it('answers 200 to a retry that reaches another process while the first attempt runs, storing once', async () => {
      const { t, token, me } = c;
      const other = await secondApp(t);
      try {
        for (let round = 0; round < 5; round++) {
          const batch = Array.from({ length: 20 }, (_, i) =>
            windowEvent(T0 - 10 * HOUR + round * HOUR + i * MINUTE, 50 * SECOND, `App ${i % 3}`, `Title ${i}`),
          );
          const [a, b] = await Promise.all([
            postEvents(t, token, batch),
            other.app.inject({
              method: 'POST',
              url: '/api/v1/events',
              payload: { events: batch },
              ...withBearer(token),
            }),
          ]);
          expect([a.statusCode, b.statusCode], `round ${round}: ${a.body} ${b.body}`).toEqual([200, 200]);
          expect(await count(t, 'events', me.id)).toBe(20 * (round + 1));
        }
      } finally {
        await other.app.close();
      }
      await expectRollupsConsistent(t, me.id);
    });

    it('keeps rollups equal to the raw events when two processes replay an event with different durations', async () => {
      const { t, token, me } = c;
      const other = await secondApp(t);
      try {
        for (let round = 0; round < 5; round++) {
          const event = windowEvent(T0 - 10 * HOUR + round * HOUR, 10 * MINUTE, 'Editor');
          await ingest(t, token, [event]);
          const [a, b] = await Promise.all([
            postEvents(t, token, [{ ...event, duration: 30 * 60 }]),
            other.app.inject({
              method: 'POST',
              url: '/api/v1/events',
              payload: { events: [{ ...event, duration: 20 * 60 }] },
              ...withBearer(token),
            }),
          ]);
          expect([a.statusCode, b.statusCode], `round ${round}`).toEqual([200, 200]);
          await expectRollupsConsistent(t, me.id);
        }
      } finally {
        await other.app.close();
      }
    });
  });

  describe('all or nothing', () => {
    it('rejects a batch with one invalid event and stores none of its valid events', async () => {
      const { t, token, me } = c;
      const good = [
        windowEvent(T0 - HOUR, MINUTE, 'Editor', 'kept?'),
        webEvent(T0 - HOUR, MINUTE, 'https://a.example/'),
      ];
      const bad = { ...windowEvent(T0 - HOUR, MINUTE, 'Editor'), start: 'not a timestamp' };
      const res = await postEvents(t, token, [...good, bad]);
      expect(res.statusCode).toBe(400);
      expect(await footprint(t, me.id)).toEqual({ events: 0, rollups: 0, names: 0 });
    });

    it('rejects a batch whose id belongs to an event of another kind, leaving everything as it was', async () => {
      const { t, token, me } = c;
      const web = webEvent(T0 - 2 * HOUR, MINUTE, 'https://a.example/');
      await ingest(t, token, [web]);
      const before = { rows: await rawEvents(t, me.id), rollups: await storedRollups(t, me.id) };
      const namesBefore = await count(t, 'names', me.id);

      const res = await postEvents(t, token, [
        windowEvent(T0 - HOUR, 5 * MINUTE, 'Unseen App', 'Unseen title'),
        { ...windowEvent(T0 - HOUR, MINUTE, 'Other App'), id: web.id },
      ]);
      expect(res.statusCode, res.body).toBe(409);
      expect(errorOf(res).message).toContain('events[1].id');
      expect(await rawEvents(t, me.id)).toEqual(before.rows);
      expect(await storedRollups(t, me.id)).toEqual(before.rollups);
      // Nothing of the rejected request is stored: not even its names.
      expect(await nameId(t, me.id, 'app', 'Unseen App')).toBeNull();
      expect(await nameId(t, me.id, 'title', 'Unseen title')).toBeNull();
      expect(await count(t, 'names', me.id)).toBe(namesBefore);
    });
  });

  describe('body size', () => {
    it('refuses a body over 5 MiB with 413 and stores nothing', async () => {
      const { t, token, me } = c;
      const event = windowEvent(T0 - HOUR, MINUTE, 'Editor', 'x');
      const body = JSON.stringify({
        events: [{ ...event, data: { app: 'Editor', title: 'y'.repeat(5 * 1024 * 1024) } }],
      });
      expect(Buffer.byteLength(body)).toBeGreaterThan(5 * 1024 * 1024);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/events',
        payload: body,
        headers: { ...withBearer(token).headers, 'content-type': 'application/json' },
      });
      expect(res.statusCode).toBe(413);
      expect(errorOf(res).code).toBe('payload_too_large');
      expect(await footprint(t, me.id)).toEqual({ events: 0, rollups: 0, names: 0 });
    });

    it('accepts a batch body larger than the default 1 MiB', async () => {
      const { t, token, me } = c;
      const title = 't'.repeat(2000);
      const batch = Array.from({ length: 1000 }, (_, i) =>
        windowEvent(T0 - 20 * HOUR + i * MINUTE, SECOND, 'Editor', title),
      );
      expect(Buffer.byteLength(JSON.stringify({ events: batch }))).toBeGreaterThan(1.5 * 1024 * 1024);
      expect(await ingest(t, token, batch)).toEqual({ accepted: 1000, replaced: 0, dropped: 0 });
      expect(await count(t, 'events', me.id)).toBe(1000);
    });
  });

  describe('access', () => {
    it('answers 403 to a token without the ingest scope, and 401 without a credential', async () => {
      const { t, me } = c;
      const reader = await newToken(t, me, ['read'], 'reader');
      const batch = [windowEvent(T0 - HOUR, MINUTE, 'Editor')];
      const denied = await postEvents(t, reader.token, batch);
      expect(denied.statusCode).toBe(403);
      expect(errorOf(denied).code).toBe('auth.forbidden');
      const hb = await t.app.inject({
        method: 'POST',
        url: '/api/v1/heartbeats?pulsetime=5',
        payload: { kind: 'window', start: new Date(T0 - HOUR).toISOString(), data: { app: 'Editor' } },
        ...withBearer(reader.token),
      });
      expect(hb.statusCode).toBe(403);
      const anonymous = await t.app.inject({ method: 'POST', url: '/api/v1/events', payload: { events: batch } });
      expect(anonymous.statusCode).toBe(401);
      expect(await count(t, 'events', me.id)).toBe(0);
    });

    it('answers 403 to reading events with a token that only has the ingest scope', async () => {
      const { t, me } = c;
      const writer = await newToken(t, me, ['ingest'], 'writer');
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/events', ...withBearer(writer.token) });
      expect(res.statusCode).toBe(403);
    });
  });

  describe('one person, one set of events', () => {
    it('never shows, replaces or erases another person’s events', async () => {
      const { t, token, me } = c;
      const mine = windowEvent(T0 - HOUR, 10 * MINUTE, 'Editor', 'mine');
      await ingest(t, token, [mine]);
      const myRollups = await storedRollups(t, me.id);

      const other = await newPerson(t, 'other');
      const theirs = await newToken(t, other);
      expect(await readEvents(t, theirs.token)).toEqual([]);
      // The same client id from another person is their own event, not a replay of mine.
      const copy = { ...mine, duration: 60, data: { app: 'Theirs', title: 'theirs' } };
      expect(await ingest(t, theirs.token, [copy])).toEqual({ accepted: 1, replaced: 0, dropped: 0 });
      expect((await readEvents(t, theirs.token)).map((e) => [e.id, e.data.app, e.duration])).toEqual([
        [mine.id, 'Theirs', 60],
      ]);
      expect((await readEvents(t, token)).map((e) => [e.id, e.data.app, e.duration])).toEqual([
        [mine.id, 'Editor', 600],
      ]);
      const sessionRead = await t.app.inject({ method: 'GET', url: '/api/v1/events', ...withCookie(other.cookie) });
      expect(sessionRead.json<{ events: { data: { app: string } }[] }>().events.map((e) => e.data.app)).toEqual([
        'Theirs',
      ]);

      const erased = await t.app.inject({
        method: 'DELETE',
        url: '/api/v1/activity',
        payload: { all: true },
        ...withCookie(other.cookie),
      });
      expect(erased.json()).toEqual({ erased: 1 });
      expect((await readEvents(t, token)).map((e) => e.id)).toEqual([mine.id]);
      expect(await storedRollups(t, me.id)).toEqual(myRollups);
    });
  });

  describe('GET /api/v1/events', () => {
    const at = (minutes: number) => T0 - 5 * HOUR + minutes * MINUTE;
    let ids: Record<string, string>;
    beforeEach(async () => {
      // a: [0, 10) window, b: [20, 30) web, c: [40, 40] window (no duration), d: [50, 70) away, e: [80, 90) window
      const a = windowEvent(at(0), 10 * MINUTE, 'A');
      const b = webEvent(at(20), 10 * MINUTE, 'https://b.example/');
      const cc = windowEvent(at(40), 0, 'C');
      const d = awayEvent(at(50), 20 * MINUTE);
      const e = windowEvent(at(80), 10 * MINUTE, 'E');
      // Sent out of order: answers are oldest first all the same.
      await ingest(c.t, c.token, [e, cc, a, d, b]);
      ids = { a: a.id, b: b.id, c: cc.id, d: d.id, e: e.id };
    });
    const names = (events: { id: string }[]) =>
      events.map((e) => Object.entries(ids).find(([, id]) => id === e.id)?.[0] ?? '?').join('');

    it('answers every event oldest first', async () => {
      expect(names(await readEvents(c.t, c.token))).toBe('abcde');
    });

    it('filters by from and to, both inclusive, on overlap', async () => {
      const { t, token } = c;
      expect(names(await readEvents(t, token, { from: new Date(at(10)).toISOString() }))).toBe('abcde');
      expect(names(await readEvents(t, token, { from: new Date(at(10) + 1).toISOString() }))).toBe('bcde');
      expect(names(await readEvents(t, token, { to: new Date(at(40)).toISOString() }))).toBe('abc');
      expect(names(await readEvents(t, token, { to: new Date(at(40) - 1).toISOString() }))).toBe('ab');
      expect(
        names(await readEvents(t, token, { from: new Date(at(25)).toISOString(), to: new Date(at(60)).toISOString() })),
      ).toBe('bcd');
    });

    it('filters by kind and limits the count, keeping the oldest', async () => {
      const { t, token } = c;
      expect(names(await readEvents(t, token, { kind: 'window' }))).toBe('ace');
      expect(names(await readEvents(t, token, { kind: 'away' }))).toBe('d');
      expect(names(await readEvents(t, token, { limit: 2 }))).toBe('ab');
      expect(names(await readEvents(t, token, { kind: 'window', limit: 2, from: new Date(at(5)).toISOString() }))).toBe(
        'ac',
      );
    });

    it('answers 400 to a bad filter', async () => {
      const { t, token } = c;
      const get = (qs: string) => t.app.inject({ method: 'GET', url: `/api/v1/events?${qs}`, ...withBearer(token) });
      for (const qs of [
        'from=yesterday-ish',
        'to=2026-02-30T00:00:00Z',
        `from=${new Date(at(30)).toISOString()}&to=${new Date(at(20)).toISOString()}`,
        'kind=file',
        'limit=0',
        'limit=10001',
        'limit=abc',
      ]) {
        const res = await get(qs);
        expect(res.statusCode, qs).toBe(400);
        expect(errorOf(res).code).toBe('input.invalid');
      }
    });
  });
});
