/**
 * Bad input to POST /api/v1/events: every case is a 400 whose message names
 * the event's index and the field, and nothing of the request is stored —
 * not the request's valid events, nor their names or rollups. Titles over
 * 2 048 characters are the exception: truncated, not refused.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { secondApp, withBearer, type Person } from '../accounts/support.js';
import { createTestApp, type TestApp } from '../helpers.js';
import {
  count,
  DAY,
  errorOf,
  expectFieldError,
  footprint,
  heartbeat,
  HOUR,
  ingest,
  iso,
  MINUTE,
  newPerson,
  newToken,
  postEvents,
  readEvents,
  SECOND,
  settableClock,
  T0,
  webEvent,
  windowEvent,
  type WireEvent,
} from './support.js';

const START = T0 - HOUR;
const LIMIT = 2048;

/** No unpaired UTF-16 surrogate. */
const wellFormed = (text: string): boolean =>
  !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

/** Two valid events around the bad one (at index 1), so "nothing stored" means something. */
function around(bad: unknown): unknown[] {
  return [windowEvent(START, MINUTE, 'Editor', 'valid title'), bad, webEvent(START, MINUTE, 'https://valid.example/')];
}

const w = () => windowEvent(START, MINUTE, 'Editor', 'a.ts');

/** [what, the bad event, the field the message must name]. */
const CASES: [string, unknown, string][] = [
  ['a start that is not a date', { ...w(), start: 'not a timestamp at all' }, 'start'],
  ['a start too short to be one', { ...w(), start: 'yesterday' }, 'start'],
  ['month 13', { ...w(), start: '2025-13-01T00:00:00Z' }, 'start'],
  ['30 February', { ...w(), start: '2025-02-30T10:00:00Z' }, 'start'],
  ['hour 24', { ...w(), start: '2025-06-01T24:00:00Z' }, 'start'],
  ['an offset of 24 hours', { ...w(), start: '2025-06-01T12:00:00+24:00' }, 'start'],
  ['a zone name', { ...w(), start: '2025-06-01 12:00:00 UTC' }, 'start'],
  ['a start before 1990', { ...w(), start: '1989-12-31T23:59:59Z' }, 'start'],
  ['a number for a start', { ...w(), start: 1_748_779_200_000 }, 'start'],
  ['a start more than a day ahead', { ...w(), start: iso(T0 + DAY + 1) }, 'start'],
  ['a negative duration', { ...w(), duration: -1 }, 'duration'],
  ['a slightly negative duration', { ...w(), duration: -0.001 }, 'duration'],
  ['a NaN duration (null in JSON)', { ...w(), duration: null }, 'duration'],
  ['a NaN duration (as text)', { ...w(), duration: 'NaN' }, 'duration'],
  ['a duration over 30 days', { ...w(), duration: 31 * 86_400 }, 'duration'],
  ['an unknown kind', { ...w(), kind: 'file' }, 'kind'],
  ['an ActivityWatch type for a kind', { ...w(), kind: 'currentwindow' }, 'kind'],
  ['an empty kind', { ...w(), kind: '' }, 'kind'],
  ['data that is a string', { ...w(), data: 'Editor' }, 'data'],
  ['data that is a list', { ...w(), data: [{ app: 'Editor' }] }, 'data'],
  ['data that is null', { ...w(), data: null }, 'data'],
  ['data that is a number', { ...w(), data: 42 }, 'data'],
  ['a window without an app', { ...w(), data: { title: 'a.ts' } }, 'data.app'],
  ['an app that is not a string', { ...w(), data: { app: 42 } }, 'data.app'],
  ['a title that is not a string', { ...w(), data: { app: 'Editor', title: ['a'] } }, 'data.title'],
  ['an app over 2 048 characters', { ...w(), data: { app: 'A'.repeat(LIMIT + 1) } }, 'data.app'],
  [
    'a window url over 2 048 characters',
    { ...w(), data: { app: 'Browser', url: `https://e.example/${'p'.repeat(LIMIT)}` } },
    'data.url',
  ],
  ['a site url over 2 048 characters', webEvent(START, MINUTE, `https://e.example/${'p'.repeat(LIMIT)}`), 'data.url'],
  ['a site without a url', { ...webEvent(START, MINUTE, 'https://e.example/'), data: { title: 'no url' } }, 'data.url'],
  [
    'another field over 2 048 characters',
    { ...w(), data: { app: 'Editor', note: 'n'.repeat(LIMIT + 1) } },
    'data.note',
  ],
  [
    'a nested field over 2 048 characters',
    { ...w(), data: { app: 'Editor', meta: { note: 'n'.repeat(LIMIT + 1) } } },
    'data.meta.note',
  ],
  ['an app with an unpaired surrogate', { ...w(), data: { app: 'Edit\uD800or' } }, 'data.app'],
  ['a url with an unpaired surrogate', webEvent(START, MINUTE, 'https://e.example/\uDC00'), 'data.url'],
  ['an unknown away status', { ...w(), kind: 'away', data: { status: 'asleep' } }, 'data.status'],
  ['an id that is not a UUID', { ...w(), id: 'event-1' }, 'id'],
  ['an id too long for a UUID', { ...w(), id: `${randomUUID()}0` }, 'id'],
  ['no id', (({ id: _id, ...rest }: WireEvent) => rest)(w()), 'id'],
];

eachDatabase('bad input to ingest', (kind) => {
  const clock = settableClock();
  let t: TestApp;
  let me: Person;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp({ kind, now: clock.now });
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    me = await newPerson(t, 'bad-input');
    token = (await newToken(t, me)).token;
  });

  async function nothingStored(): Promise<void> {
    expect(await footprint(t, me.id)).toEqual({ events: 0, rollups: 0, names: 0 });
  }

  describe('refused with 400 naming the event and field, storing nothing', () => {
    for (const [what, bad, field] of CASES) {
      it(what, async () => {
        expectFieldError(await postEvents(t, token, around(bad)), 1, field);
        await nothingStored();
      });
    }

    it('an infinite duration (1e400 in JSON)', async () => {
      const text = JSON.stringify({ events: around({ ...w(), duration: 12.345 }) }).replace(
        '"duration":12.345',
        '"duration":1e400',
      );
      expect(text).toContain('1e400');
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/events',
        payload: text,
        headers: { ...withBearer(token).headers, 'content-type': 'application/json' },
      });
      expectFieldError(res, 1, 'duration');
      await nothingStored();
    });

    it('an event that would end more than a day ahead', async () => {
      const res = await postEvents(t, token, around({ ...w(), start: iso(T0 - HOUR), duration: 3 * 86_400 }));
      expectFieldError(res, 1, 'duration');
      await nothingStored();
    });

    it('the bad event last in a long batch', async () => {
      const batch: unknown[] = Array.from({ length: 500 }, (_, i) =>
        windowEvent(START - i * MINUTE, SECOND, `App ${i}`),
      );
      batch.push({ ...w(), start: '2025-02-30T00:00:00Z' });
      expectFieldError(await postEvents(t, token, batch), 500, 'start');
      await nothingStored();
    });

    it('a duplicate id inside one batch, naming both events', async () => {
      const first = w();
      const res = await postEvents(t, token, [first, w(), { ...w(), id: first.id }]);
      const message = expectFieldError(res, 2, 'id');
      expect(message).toContain('events[0]');
      await nothingStored();
    });

    it('a duplicate id that differs only in case', async () => {
      const first = w();
      const res = await postEvents(t, token, [first, { ...w(), id: first.id.toUpperCase() }]);
      expectFieldError(res, 1, 'id');
      await nothingStored();
    });

    it('more events than the batch limit', async () => {
      const batch = Array.from({ length: 10_001 }, (_, i) => windowEvent(START - i * SECOND, 0, 'Editor'));
      const res = await postEvents(t, token, batch);
      expect(res.statusCode).toBe(400);
      expect(errorOf(res).code).toBe('input.invalid');
      expect(errorOf(res).message).toMatch(/events/);
      expect(errorOf(res).message).toMatch(/10\s?000/);
      await nothingStored();
    });

    it('a rejected batch creates no buckets either', async () => {
      const res = await postEvents(t, token, around({ ...w(), start: '2025-02-30T00:00:00Z' }));
      expect(res.statusCode).toBe(400);
      expect(await count(t, 'buckets', me.id)).toBe(0);
    });
  });

  describe('accepted at the limits', () => {
    it('an event that starts, or ends, exactly a day ahead', async () => {
      const events = [
        { ...w(), start: iso(T0 + DAY), duration: 0 },
        { ...w(), start: iso(T0 + DAY - MINUTE), duration: 60 },
      ];
      expect(await ingest(t, token, events)).toMatchObject({ accepted: 2 });
    });

    it('a start with an offset, naive, or with more than millisecond digits', async () => {
      const events = [
        { ...w(), start: '2025-06-01T13:00:00+01:00' },
        { ...w(), start: '2025-06-01T12:00:01' },
        { ...w(), start: '2025-06-01T12:00:02.123456789Z' },
      ];
      await ingest(t, token, events);
      expect((await readEvents(t, token)).map((e) => e.start)).toEqual([
        '2025-06-01T12:00:00.000Z',
        '2025-06-01T12:00:01.000Z',
        '2025-06-01T12:00:02.123Z',
      ]);
    });

    it('exactly the batch limit', async () => {
      const batch = Array.from({ length: 10_000 }, (_, i) => windowEvent(START - i * SECOND, 500, 'Editor'));
      expect(await ingest(t, token, batch)).toEqual({ accepted: 10_000, replaced: 0, dropped: 0 });
      expect(await count(t, 'events', me.id)).toBe(10_000);
    }, 60_000);
  });

  describe('titles over 2 048 characters are truncated, not refused', () => {
    it('for windows, sites and heartbeats; a title of exactly 2 048 is kept whole', async () => {
      const long = `${'t'.repeat(LIMIT)}TAIL`;
      const exact = 'e'.repeat(LIMIT);
      await ingest(t, token, [
        windowEvent(START, MINUTE, 'Editor', long),
        webEvent(START + MINUTE, MINUTE, 'https://example.com/', long),
        windowEvent(START + 2 * MINUTE, MINUTE, 'Editor', exact),
      ]);
      const hb = await heartbeat(
        t,
        token,
        { kind: 'window', start: iso(START + 3 * MINUTE), data: { app: 'Term', title: long } },
        5,
      );
      expect(hb.event?.data.title).toBe('t'.repeat(LIMIT));
      const titles = (await readEvents(t, token)).map((e) => e.data.title);
      expect(titles).toEqual(['t'.repeat(LIMIT), 't'.repeat(LIMIT), exact, 't'.repeat(LIMIT)]);
    });

    it('never splits a character: the kept title is a prefix of whole characters', async () => {
      const long = `a${'😀'.repeat(1100)}`;
      await ingest(t, token, [windowEvent(START, MINUTE, 'Editor', long)]);
      const [stored] = (await readEvents(t, token)).map((e) => String(e.data.title));
      expect(stored).toBeDefined();
      const title = stored ?? '';
      expect(title).not.toContain('\uFFFD');
      expect(long.startsWith(title)).toBe(true);
      expect([...title].length).toBeLessThanOrEqual(LIMIT);
      expect(title.length).toBeGreaterThan(0);
      expect(wellFormed(title)).toBe(true);
    });

    it('a title with an unpaired surrogate is refused naming it, or kept as well-formed text', async () => {
      const res = await postEvents(t, token, around(windowEvent(START, MINUTE, 'Editor', 'broken \uD800 title')));
      if (res.statusCode === 200) {
        const titles = (await readEvents(t, token)).map((e) => e.data.title);
        expect(titles).toHaveLength(3);
        for (const title of titles) expect(wellFormed(String(title ?? ''))).toBe(true);
      } else {
        expectFieldError(res, 1, 'data.title');
        await nothingStored();
      }
    });

    it('heartbeats with the same over-long title merge also when the last event is read back', async () => {
      const long = `a${'😀'.repeat(1100)}`;
      const first = await heartbeat(
        t,
        token,
        { kind: 'window', start: iso(START), data: { app: 'Editor', title: long } },
        5,
      );
      const other = await secondApp(t);
      try {
        const res = await other.app.inject({
          method: 'POST',
          url: '/api/v1/heartbeats?pulsetime=5',
          payload: { kind: 'window', start: iso(START + 2 * SECOND), data: { app: 'Editor', title: long } },
          ...withBearer(token),
        });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toMatchObject({ merged: true, event: { id: first.event?.id, duration: 2 } });
      } finally {
        await other.app.close();
      }
    });
  });
});
