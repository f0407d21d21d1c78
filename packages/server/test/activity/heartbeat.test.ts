/**
 * The heartbeat rule (ACTIVITYWATCH-API.md, following aw-server-rust)
 * through POST /api/v1/heartbeats: merge into the last event of the bucket
 * when the data are equal and the beat falls in [L.start, L.end + pulsetime],
 * by L's id; a new event otherwise (data changed, pulse expired, older than
 * L). The cached last event must follow inserts, replacements and deletes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { secondApp, withBearer, withCookie } from '../accounts/support.js';
import {
  awayEvent,
  erase,
  errorOf,
  expectRollupsConsistent,
  heartbeat,
  ingest,
  iso,
  MINUTE,
  nameId,
  newToken,
  otherProcess,
  postHeartbeat,
  putPrivacy,
  rawEvents,
  readEvents,
  rollupTotal,
  SECOND,
  setup,
  T0,
  windowEvent,
  type Ctx,
  type HeartbeatBody,
  type Kind,
} from './support.js';

const BASE = T0 - 2 * 60 * MINUTE;

function beat(at: number, data: Record<string, unknown>, durationMs?: number, kind: Kind = 'window'): HeartbeatBody {
  return {
    kind,
    start: iso(at),
    data,
    ...(durationMs === undefined ? {} : { duration: durationMs / 1000 }),
  };
}

const EDITOR = { app: 'Editor', title: 'a.ts' };

eachDatabase('heartbeats', (kind) => {
  let c: Ctx;
  beforeEach(async () => {
    c = await setup(kind);
  });
  afterEach(async () => c.t.close());

  /** The stored events of the person as [start offset from BASE, duration] in ms, oldest first. */
  async function spans(): Promise<[number, number][]> {
    return (await rawEvents(c.t, c.me.id)).map((e) => [e.start - BASE, e.end - e.start]);
  }

  describe('merge', () => {
    it('stores the first beat as a new event of duration 0, then extends it by its id', async () => {
      const { t, token, tokenId } = c;
      const first = await heartbeat(t, token, beat(BASE, EDITOR), 5);
      expect(first).toEqual({
        merged: false,
        event: { id: expect.any(String), kind: 'window', device: tokenId, start: iso(BASE), duration: 0, data: EDITOR },
      });
      const id = first.event?.id;

      const second = await heartbeat(t, token, beat(BASE + 3 * SECOND, EDITOR), 5);
      expect(second).toEqual({
        merged: true,
        event: { id, kind: 'window', device: tokenId, start: iso(BASE), duration: 3, data: EDITOR },
      });
      // A beat with a duration: the event reaches its end.
      const third = await heartbeat(t, token, beat(BASE + 4 * SECOND, EDITOR, 2500), 5);
      expect(third.merged).toBe(true);
      expect(third.event?.duration).toBe(6.5);

      const rows = await rawEvents(t, c.me.id);
      expect(rows.map((r) => [r.uid, r.start, r.end])).toEqual([[id, BASE, BASE + 6500]]);
      expect(await readEvents(t, token)).toEqual([third.event]);
      expect(await rollupTotal(t, c.me.id, 'app', await nameId(t, c.me.id, 'app', 'Editor'))).toBe(6500);
      await expectRollupsConsistent(t, c.me.id);
    });

    it('never shrinks the last event: a beat inside it merges without changing it', async () => {
      const { t, token } = c;
      await ingest(t, token, [{ ...windowEvent(BASE, MINUTE, 'Editor', 'a.ts') }]);
      const inside = await heartbeat(t, token, beat(BASE + 10 * SECOND, EDITOR, 5 * SECOND), 0);
      expect(inside.merged).toBe(true);
      expect(inside.event?.start).toBe(iso(BASE));
      expect(inside.event?.duration).toBe(60);
      expect(await spans()).toEqual([[0, MINUTE]]);
    });

    it('compares data structurally: key order does not matter, true is not 1', async () => {
      const { t, token } = c;
      await heartbeat(t, token, beat(BASE, { app: 'Editor', title: 'a.ts' }), 5);
      const reordered = await heartbeat(t, token, beat(BASE + SECOND, { title: 'a.ts', app: 'Editor' }), 5);
      expect(reordered.merged).toBe(true);

      const url = 'https://example.com/';
      await heartbeat(t, token, beat(BASE, { url, audible: true }, undefined, 'web'), 5);
      const one = await heartbeat(t, token, beat(BASE + SECOND, { url, audible: 1 }, undefined, 'web'), 5);
      expect(one.merged).toBe(false);
      expect((await rawEvents(t, c.me.id)).filter((e) => e.kind === 'web')).toHaveLength(2);
    });

    it('merges away beats with the same status and splits on a change of status', async () => {
      const { t, token } = c;
      await heartbeat(t, token, beat(BASE, { status: 'not-afk' }, undefined, 'away'), 185);
      expect(
        (await heartbeat(t, token, beat(BASE + MINUTE, { status: 'not-afk' }, undefined, 'away'), 185)).merged,
      ).toBe(true);
      const afk = await heartbeat(t, token, beat(BASE + 2 * MINUTE, { status: 'afk' }, undefined, 'away'), 185);
      expect(afk.merged).toBe(false);
      expect(afk.event?.data).toEqual({ status: 'afk' });
      expect(await spans()).toEqual([
        [0, MINUTE],
        [2 * MINUTE, 0],
      ]);
    });
  });

  describe('new events', () => {
    it('merges up to exactly L.end + pulsetime, and starts a new event one millisecond later', async () => {
      const { t, token } = c;
      await heartbeat(t, token, beat(BASE, EDITOR, 10 * SECOND), 2.5);
      // L = [0, 10 s]: a beat at 12.5 s is at the edge of the window.
      const edge = await heartbeat(t, token, beat(BASE + 12_500, EDITOR), 2.5);
      expect(edge.merged).toBe(true);
      expect(edge.event?.duration).toBe(12.5);
      // L = [0, 12.5 s]: 15 s + 1 ms is past it.
      const late = await heartbeat(t, token, beat(BASE + 15_001, EDITOR), 2.5);
      expect(late.merged).toBe(false);
      expect(late.event?.start).toBe(iso(BASE + 15_001));
      expect(await spans()).toEqual([
        [0, 12_500],
        [15_001, 0],
      ]);
    });

    it('starts a new event when the data change, and compares the next beat with that one', async () => {
      const { t, token } = c;
      await heartbeat(t, token, beat(BASE, EDITOR), 5);
      const other = await heartbeat(t, token, beat(BASE + SECOND, { app: 'Editor', title: 'b.ts' }), 5);
      expect(other.merged).toBe(false);
      // Back to the first data: L is now b.ts, so this is a third event.
      const back = await heartbeat(t, token, beat(BASE + 2 * SECOND, EDITOR), 5);
      expect(back.merged).toBe(false);
      const again = await heartbeat(t, token, beat(BASE + 3 * SECOND, EDITOR), 5);
      expect(again).toMatchObject({ merged: true, event: { id: back.event?.id, duration: 1 } });
      expect((await readEvents(t, token)).map((e) => [e.data.title, e.duration])).toEqual([
        ['a.ts', 0],
        ['b.ts', 0],
        ['a.ts', 1],
      ]);
    });

    it('stores a beat older than the last event as a new event, which becomes the last event', async () => {
      const { t, token } = c;
      await heartbeat(t, token, beat(BASE + 100 * SECOND, EDITOR), 5);
      await heartbeat(t, token, beat(BASE + 105 * SECOND, EDITOR), 5);
      const older = await heartbeat(t, token, beat(BASE + 50 * SECOND, EDITOR), 5);
      expect(older.merged).toBe(false);
      expect(older.event?.start).toBe(iso(BASE + 50 * SECOND));
      // The old beat's event is now the last one: the next beat near it merges into it.
      const next = await heartbeat(t, token, beat(BASE + 52 * SECOND, EDITOR), 5);
      expect(next).toMatchObject({ merged: true, event: { id: older.event?.id, duration: 2 } });
      expect(await spans()).toEqual([
        [50 * SECOND, 2 * SECOND],
        [100 * SECOND, 5 * SECOND],
      ]);
      await expectRollupsConsistent(t, c.me.id);
    });

    it('keeps one bucket per kind and per device: beats of another kind or device never merge across', async () => {
      const { t, token, me } = c;
      const url = 'https://example.com/';
      await heartbeat(t, token, beat(BASE, EDITOR), 5);
      await heartbeat(t, token, beat(BASE, { url }, undefined, 'web'), 5);
      expect((await heartbeat(t, token, beat(BASE + 2 * SECOND, EDITOR), 5)).merged).toBe(true);
      expect((await heartbeat(t, token, beat(BASE + 3 * SECOND, { url }, undefined, 'web'), 5)).merged).toBe(true);

      const desktop = await newToken(t, me, ['ingest', 'read'], 'desktop');
      const there = await heartbeat(t, desktop.token, beat(BASE + 4 * SECOND, EDITOR), 5);
      expect(there.merged).toBe(false);
      expect(there.event?.device).toBe(desktop.id);
      const rows = await rawEvents(t, me.id);
      expect(rows.map((r) => [r.kind, r.deviceId, r.end - r.start])).toEqual([
        ['window', c.tokenId, 2 * SECOND],
        ['web', c.tokenId, 3 * SECOND],
        ['window', desktop.id, 0],
      ]);
    });
  });

  describe('the cached last event', () => {
    it('follows a batch insert into the bucket', async () => {
      const { t, token } = c;
      await heartbeat(t, token, beat(BASE, EDITOR), 5);
      const batch = windowEvent(BASE + 100 * SECOND, 10 * SECOND, 'Editor', 'a.ts');
      await ingest(t, token, [batch]);
      // L is the batch's event [100 s, 110 s]; 112 s is inside its window.
      const next = await heartbeat(t, token, beat(BASE + 112 * SECOND, EDITOR), 5);
      expect(next).toMatchObject({ merged: true, event: { id: batch.id, duration: 12 } });
      expect(await spans()).toEqual([
        [0, 0],
        [100 * SECOND, 12 * SECOND],
      ]);
      await expectRollupsConsistent(t, c.me.id);
    });

    it('follows a batch replacement of the last event', async () => {
      const { t, token } = c;
      const batch = windowEvent(BASE, 10 * SECOND, 'Editor', 'a.ts');
      await ingest(t, token, [batch]);
      expect((await heartbeat(t, token, beat(BASE + 12 * SECOND, EDITOR), 5)).merged).toBe(true);
      // The client replays the event longer: L = [0, 100 s].
      await ingest(t, token, [{ ...batch, duration: 100 }]);
      const next = await heartbeat(t, token, beat(BASE + 103 * SECOND, EDITOR), 5);
      expect(next).toMatchObject({ merged: true, event: { id: batch.id, duration: 103 } });
      expect(await spans()).toEqual([[0, 103 * SECOND]]);
      await expectRollupsConsistent(t, c.me.id);
    });

    it('follows an erase by range that deletes the last event', async () => {
      const { t, token, me } = c;
      await heartbeat(t, token, beat(BASE, EDITOR), 5);
      await heartbeat(t, token, beat(BASE + 3 * SECOND, EDITOR), 5);
      await erase(t, me.cookie, { from: iso(BASE - MINUTE), to: iso(BASE + MINUTE) });
      expect(await rawEvents(t, me.id)).toEqual([]);
      const next = await heartbeat(t, token, beat(BASE + 4 * SECOND, EDITOR), 5);
      expect(next.merged).toBe(false);
      expect(await spans()).toEqual([[4 * SECOND, 0]]);
      expect(await readEvents(t, token)).toEqual([next.event]);
      await expectRollupsConsistent(t, me.id);
    });

    it('follows an erase by range that cuts the last event short', async () => {
      const { t, token, me } = c;
      await heartbeat(t, token, beat(BASE, EDITOR, 60 * SECOND), 5);
      await erase(t, me.cookie, { from: iso(BASE + 30 * SECOND), to: iso(BASE + 2 * MINUTE) });
      // L is now [0, 30 s]: a beat at 50 s is past its window.
      const next = await heartbeat(t, token, beat(BASE + 50 * SECOND, EDITOR), 5);
      expect(next.merged).toBe(false);
      expect(await spans()).toEqual([
        [0, 30 * SECOND],
        [50 * SECOND, 0],
      ]);
      await expectRollupsConsistent(t, me.id);
    });

    it('follows an erase of the app and an erase of everything', async () => {
      const { t, token, me } = c;
      await heartbeat(t, token, beat(BASE, EDITOR, 10 * SECOND), 5);
      await erase(t, me.cookie, { app: 'Editor' });
      const afterApp = await heartbeat(t, token, beat(BASE + 11 * SECOND, EDITOR), 5);
      expect(afterApp.merged).toBe(false);
      expect(await spans()).toEqual([[11 * SECOND, 0]]);

      await heartbeat(t, token, beat(BASE + 12 * SECOND, EDITOR), 5);
      await erase(t, me.cookie, { all: true });
      const afterAll = await heartbeat(t, token, beat(BASE + 13 * SECOND, EDITOR), 5);
      expect(afterAll.merged).toBe(false);
      expect(await spans()).toEqual([[13 * SECOND, 0]]);
      expect((await readEvents(t, token)).map((e) => e.data)).toEqual([EDITOR]);
      await expectRollupsConsistent(t, me.id);
    });

    it('is re-read from the database when unknown (another server process)', async () => {
      const { t, token, me } = c;
      const first = await heartbeat(t, token, beat(BASE, EDITOR), 5);
      const other = await secondApp(t);
      try {
        const res = await other.app.inject({
          method: 'POST',
          url: '/api/v1/heartbeats?pulsetime=5',
          payload: beat(BASE + 4 * SECOND, EDITOR),
          headers: { authorization: `Bearer ${token}` },
        });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toMatchObject({ merged: true, event: { id: first.event?.id, duration: 4 } });
      } finally {
        await other.app.close();
      }
      expect(await spans()).toEqual([[0, 4 * SECOND]]);
      await expectRollupsConsistent(t, me.id);
    });

    it('does not merge into an event another server process erased meanwhile', async () => {
      const { t, token, me } = c;
      await heartbeat(t, token, beat(BASE, EDITOR), 5);
      await heartbeat(t, token, beat(BASE + 3 * SECOND, EDITOR), 5);
      const other = await otherProcess(t, me);
      try {
        const res = await other.app.inject({
          method: 'DELETE',
          url: '/api/v1/activity',
          payload: { all: true },
          ...withCookie(other.cookie),
        });
        expect(res.json()).toEqual({ erased: 1 });
      } finally {
        await other.close();
      }
      // This process cached the erased event as the last one; the beat must not vanish into it.
      const next = await heartbeat(t, token, beat(BASE + 4 * SECOND, EDITOR), 5);
      expect(next.merged).toBe(false);
      expect(await readEvents(t, token)).toEqual([next.event]);
      expect(await spans()).toEqual([[4 * SECOND, 0]]);
      await expectRollupsConsistent(t, me.id);
    });

    it('never shrinks an event another server process lengthened meanwhile', async () => {
      const { t, token, me } = c;
      const event = windowEvent(BASE, 10 * SECOND, 'Editor', 'a.ts');
      await ingest(t, token, [event]);
      expect((await heartbeat(t, token, beat(BASE + 5 * SECOND, EDITOR), 5)).merged).toBe(true);
      const other = await secondApp(t);
      try {
        const res = await other.app.inject({
          method: 'POST',
          url: '/api/v1/events',
          payload: { events: [{ ...event, duration: 100 }] },
          ...withBearer(token),
        });
        expect(res.json()).toEqual({ accepted: 0, replaced: 1, dropped: 0 });
      } finally {
        await other.app.close();
      }
      // L is [0, 100 s] now: a beat at 12 s merges into it and leaves it as long as it is.
      const next = await heartbeat(t, token, beat(BASE + 12 * SECOND, EDITOR), 5);
      expect(next).toMatchObject({ merged: true, event: { id: event.id, duration: 100 } });
      expect(await spans()).toEqual([[0, 100 * SECOND]]);
      await expectRollupsConsistent(t, me.id);
    });
  });

  describe('privacy and bad input', () => {
    it('compares the data as stored: at detail "app" a changed title does not split the event', async () => {
      const { t, token, me } = c;
      await putPrivacy(t, me.cookie, { detail: 'app' });
      await heartbeat(t, token, beat(BASE, { app: 'Editor', title: 'a.ts' }), 5);
      const next = await heartbeat(t, token, beat(BASE + 2 * SECOND, { app: 'Editor', title: 'b.ts' }), 5);
      expect(next).toMatchObject({ merged: true, event: { duration: 2, data: { app: 'Editor' } } });
      expect(await spans()).toEqual([[0, 2 * SECOND]]);
    });

    it('answers 400 without a pulsetime or with a bad one, and stores nothing', async () => {
      const { t, token, me } = c;
      for (const url of [
        '/api/v1/heartbeats',
        '/api/v1/heartbeats?pulsetime=-1',
        '/api/v1/heartbeats?pulsetime=86401',
        '/api/v1/heartbeats?pulsetime=soon',
      ]) {
        const res = await t.app.inject({
          method: 'POST',
          url,
          payload: beat(BASE, EDITOR),
          headers: { authorization: `Bearer ${token}` },
        });
        expect(res.statusCode, url).toBe(400);
        expect(errorOf(res).message, url).toContain('pulsetime');
      }
      expect(await rawEvents(t, me.id)).toEqual([]);
    });

    it('answers 400 naming the field for a bad beat, and leaves the last event alone', async () => {
      const { t, token, me } = c;
      await heartbeat(t, token, beat(BASE, EDITOR), 5);
      const cases: [unknown, string][] = [
        [{ ...beat(BASE + SECOND, EDITOR), start: '2025-02-30T10:00:00Z' }, 'start'],
        [beat(T0 + 25 * 60 * MINUTE, EDITOR), 'start'],
        [{ ...beat(BASE + SECOND, EDITOR), duration: -1 }, 'duration'],
        [{ ...beat(BASE + SECOND, EDITOR), kind: 'file' }, 'kind'],
        [{ ...beat(BASE + SECOND, EDITOR), data: 'Editor' }, 'data'],
        [beat(BASE + SECOND, { app: 'E'.repeat(2049) }), 'data.app'],
        [beat(BASE + SECOND, { status: 'asleep' }, undefined, 'away'), 'data.status'],
      ];
      for (const [body, field] of cases) {
        const res = await postHeartbeat(t, token, body as HeartbeatBody, 5);
        expect(res.statusCode, JSON.stringify(body).slice(0, 120)).toBe(400);
        const message = errorOf(res).message;
        const named = message.includes(`heartbeat.${field}`) || message.includes(`body/${field.replace('.', '/')}`);
        expect(named, `${field}: ${message}`).toBe(true);
      }
      expect(await spans()).toEqual([[0, 0]]);
      // The last event is still the first beat's.
      expect((await heartbeat(t, token, beat(BASE + 2 * SECOND, EDITOR), 5)).merged).toBe(true);
      await expectRollupsConsistent(t, me.id);
    });

    it('is dropped while paused and answers no event', async () => {
      const { t, token, me } = c;
      await heartbeat(t, token, beat(BASE, EDITOR), 5);
      await putPrivacy(t, me.cookie, { paused: true });
      expect(await heartbeat(t, token, beat(BASE + SECOND, EDITOR), 5)).toEqual({ event: null, merged: false });
      expect(await heartbeat(t, token, beat(BASE + SECOND, { status: 'afk' }, undefined, 'away'), 5)).toEqual({
        event: null,
        merged: false,
      });
      expect(await spans()).toEqual([[0, 0]]);
      await ingest(t, token, [awayEvent(BASE, SECOND)]);
      expect(await spans()).toEqual([[0, 0]]);
    });
  });
});
