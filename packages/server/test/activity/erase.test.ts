/**
 * Erasing activity through DELETE /api/v1/activity — all of it, one app, one
 * site, or a time range (straddling events cut exactly at the edges) — with
 * rollups and the names dictionary following, an audit entry without
 * personal data, and the retention job under a settable clock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { raw, rowsContain, withBearer, withCookie, type Person } from '../accounts/support.js';
import {
  awayEvent,
  count,
  DAY,
  erase,
  eraseRequest,
  errorOf,
  expectRollupsConsistent,
  footprint,
  heartbeat,
  HOUR,
  ingest,
  iso,
  MINUTE,
  nameId,
  newPerson,
  newToken,
  otherProcess,
  putPrivacy,
  rawEvents,
  readEvents,
  rollupTotal,
  settableClock,
  setup,
  SLOT,
  storedRollups,
  T0,
  webEvent,
  windowEvent,
  type Ctx,
} from './support.js';

const B = T0 - 4 * HOUR;

eachDatabase('erasing activity', (kind) => {
  let c: Ctx;
  let other: Person;
  let otherToken: string;
  beforeEach(async () => {
    c = await setup(kind);
    other = await newPerson(c.t, 'other');
    otherToken = (await newToken(c.t, other)).token;
    // The other person's activity overlaps mine in every way an erase could reach.
    await ingest(c.t, otherToken, [
      windowEvent(B, 2 * HOUR, 'Editor', 'their notes'),
      webEvent(B, HOUR, 'https://www.example.com/theirs'),
      awayEvent(B + 10 * MINUTE, 5 * MINUTE),
    ]);
  });
  afterEach(async () => c.t.close());

  async function otherUntouched(): Promise<void> {
    const events = await readEvents(c.t, otherToken);
    expect(events.map((e) => [e.kind, e.duration])).toEqual([
      ['window', 7200],
      ['web', 3600],
      ['away', 300],
    ]);
    expect(await nameId(c.t, other.id, 'app', 'Editor')).not.toBeNull();
    await expectRollupsConsistent(c.t, other.id);
    expect(await rollupTotal(c.t, other.id, 'app', await nameId(c.t, other.id, 'app', 'Editor'))).toBe(115 * MINUTE);
  }

  async function auditEntries(userId: string) {
    return raw(c.t, (db) =>
      db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'data.erase')
        .where('subject_id', '=', userId)
        .orderBy('seq')
        .execute(),
    );
  }

  describe('all', () => {
    it('empties the person’s events, rollups and names, and nobody else’s', async () => {
      const { t, token, me } = c;
      await ingest(t, token, [
        windowEvent(B, HOUR, 'Editor', 'a.ts'),
        webEvent(B, 30 * MINUTE, 'https://example.com/x', 'X'),
        awayEvent(B + 5 * MINUTE, MINUTE),
      ]);
      await heartbeat(t, token, { kind: 'window', start: iso(B + 2 * HOUR), data: { app: 'Term', title: 'zsh' } }, 5);
      expect((await footprint(t, me.id)).names).toBeGreaterThan(0);

      expect(await erase(t, me.cookie, { all: true })).toBe(4);
      expect(await footprint(t, me.id)).toEqual({ events: 0, rollups: 0, names: 0 });
      expect(await readEvents(t, token)).toEqual([]);
      await otherUntouched();
    });

    it('records new activity normally afterwards, names included', async () => {
      const { t, token, me } = c;
      await ingest(t, token, [windowEvent(B, HOUR, 'Editor', 'a.ts'), webEvent(B, MINUTE, 'https://example.com/')]);
      await erase(t, me.cookie, { all: true });
      await ingest(t, token, [
        windowEvent(B, 10 * MINUTE, 'Editor', 'a.ts'),
        webEvent(B, MINUTE, 'https://example.com/'),
      ]);
      expect((await readEvents(t, token)).map((e) => e.data)).toEqual([
        { app: 'Editor', title: 'a.ts' },
        { url: 'https://example.com/' },
      ]);
      expect(await rollupTotal(t, me.id, 'app', await nameId(t, me.id, 'app', 'Editor'))).toBe(10 * MINUTE);
      await expectRollupsConsistent(t, me.id);
    });
  });

  describe('one app', () => {
    it('erases every event of the app, its rollups and its names, and nothing else', async () => {
      const { t, token, me } = c;
      const desktop = await newToken(t, me, ['ingest'], 'desktop');
      await ingest(t, token, [
        windowEvent(B, 20 * MINUTE, 'Editor', 'secret-plan.md'),
        windowEvent(B + 20 * MINUTE, 10 * MINUTE, 'Term', 'zsh'),
        webEvent(B, 15 * MINUTE, 'https://example.com/'),
        awayEvent(B + 25 * MINUTE, MINUTE),
      ]);
      await ingest(t, desktop.token, [windowEvent(B + HOUR, 5 * MINUTE, 'Editor', 'other.md')]);
      const termId = await nameId(t, me.id, 'app', 'Term');
      const termBefore = await rollupTotal(t, me.id, 'app', termId);

      expect(await erase(t, me.cookie, { app: 'Editor' })).toBe(2);
      expect((await readEvents(t, token)).map((e) => e.data.app ?? e.kind)).toEqual(['web', 'Term', 'away']);
      for (const [kindOf, value] of [
        ['app', 'Editor'],
        ['title', 'secret-plan.md'],
        ['title', 'other.md'],
      ] as const) {
        expect(await nameId(t, me.id, kindOf, value), value).toBeNull();
      }
      expect(await rollupTotal(t, me.id, 'app', termId)).toBe(termBefore);
      expect(termBefore).toBe(9 * MINUTE);
      const appKeys = new Set((await storedRollups(t, me.id)).filter((x) => x.dimension === 'app').map((x) => x.key));
      expect([...appKeys]).toEqual([termId]);
      await expectRollupsConsistent(t, me.id);
      await otherUntouched();

      // Recorded again later, it is a new name like any other.
      await ingest(t, token, [windowEvent(B + 2 * HOUR, MINUTE, 'Editor', 'again.md')]);
      expect((await readEvents(t, token, { kind: 'window' })).map((e) => e.data)).toEqual([
        { app: 'Term', title: 'zsh' },
        { app: 'Editor', title: 'again.md' },
      ]);
      await expectRollupsConsistent(t, me.id);
    });

    it('erases nothing for an app it never saw', async () => {
      const { t, token, me } = c;
      await ingest(t, token, [windowEvent(B, MINUTE, 'Editor')]);
      expect(await erase(t, me.cookie, { app: 'Never Seen' })).toBe(0);
      expect(await count(t, 'events', me.id)).toBe(1);
    });
  });

  describe('one site', () => {
    it('erases the domain’s site activity (with or without www), its rollups and URLs', async () => {
      const { t, token, me } = c;
      await ingest(t, token, [
        webEvent(B, 10 * MINUTE, 'https://www.example.com/a', 'A'),
        webEvent(B + 10 * MINUTE, 5 * MINUTE, 'https://example.com/b', 'B'),
        webEvent(B + 15 * MINUTE, 5 * MINUTE, 'https://other.example/c', 'C'),
        windowEvent(B, 20 * MINUTE, 'Browser', 'tabs'),
      ]);
      expect(await erase(t, me.cookie, { domain: ' WWW.Example.COM ' })).toBe(2);
      expect((await readEvents(t, token)).map((e) => e.data.url ?? e.data.app)).toEqual([
        'Browser',
        'https://other.example/c',
      ]);
      for (const [kindOf, value] of [
        ['domain', 'example.com'],
        ['url', 'https://www.example.com/a'],
        ['url', 'https://example.com/b'],
        ['title', 'A'],
      ] as const) {
        expect(await nameId(t, me.id, kindOf, value), value).toBeNull();
      }
      expect((await storedRollups(t, me.id)).filter((x) => x.dimension === 'domain').map((x) => x.ms)).toEqual([
        5 * MINUTE,
      ]);
      await expectRollupsConsistent(t, me.id);
      await otherUntouched();
    });
  });

  describe('a time range', () => {
    it('cuts straddling events exactly at the edges, splits a spanning one, removes what is inside', async () => {
      const { t, token, me } = c;
      const from = B + 10 * MINUTE + 123;
      const to = B + 40 * MINUTE + 456;
      const desktop = await newToken(t, me, ['ingest'], 'desktop');
      const ev = {
        left: windowEvent(B, 20 * MINUTE, 'Left'), // cut to [B, from)
        inside: windowEvent(B + 15 * MINUTE, 10 * MINUTE, 'Inside'), // removed
        right: windowEvent(B + 35 * MINUTE, 15 * MINUTE, 'Right'), // cut to [to, B + 50)
        span: windowEvent(B + 5 * MINUTE, 55 * MINUTE, 'Span'), // [B + 5, from) and [to, B + 60)
        endsAtFrom: windowEvent(B, from - B, 'EndsAtFrom'), // untouched
        startsAtTo: windowEvent(to, 5 * MINUTE, 'StartsAtTo'), // untouched
        instantAtFrom: windowEvent(from, 0, 'InstantAtFrom'), // removed
        instantAtTo: windowEvent(to, 0, 'InstantAtTo'), // untouched
        away: awayEvent(B + 30 * MINUTE, 15 * MINUTE), // cut to [to, B + 45)
      };
      await ingest(t, token, Object.values(ev));
      const fromDesktop = webEvent(B + 20 * MINUTE, 5 * MINUTE, 'https://example.com/'); // removed
      await ingest(t, desktop.token, [fromDesktop]);

      expect(await erase(t, me.cookie, { from: iso(from), to: iso(to) })).toBe(7);

      const rows = await rawEvents(t, me.id);
      const label = (r: (typeof rows)[number]) =>
        Object.entries(ev).find(([, e]) => e.id === r.uid)?.[0] ?? (r.uid === fromDesktop.id ? 'desktop' : 'new');
      expect(
        rows.map((r) => [label(r), r.start, r.end]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      ).toEqual([
        ['away', to, B + 45 * MINUTE],
        ['endsAtFrom', B, from],
        ['instantAtTo', to, to],
        ['left', B, from],
        ['new', to, B + 60 * MINUTE],
        ['right', to, B + 50 * MINUTE],
        ['span', B + 5 * MINUTE, from],
        ['startsAtTo', to, to + 5 * MINUTE],
      ]);
      // The tail of the split event is the same activity under a new id.
      const events = await readEvents(t, token);
      const tail = events.find((e) => e.start === iso(to) && e.data.app === 'Span');
      expect(tail).toMatchObject({ kind: 'window', duration: (B + 60 * MINUTE - to) / 1000 });
      expect(tail?.id).not.toBe(ev.span.id);
      expect(events.some((e) => e.data.app === 'Inside' || e.data.app === 'InstantAtFrom')).toBe(false);
      expect(await nameId(t, me.id, 'app', 'Inside')).toBeNull();

      // Nothing between from and to counts any more.
      const stored = await expectRollupsConsistent(t, me.id);
      const inRange = stored.filter((x) => x.slot >= from && x.slot + SLOT <= to);
      expect(inRange).toEqual([]);
      await otherUntouched();
    });

    it('erases nothing outside any event', async () => {
      const { t, token, me } = c;
      await ingest(t, token, [windowEvent(B, MINUTE, 'Editor')]);
      expect(await erase(t, me.cookie, { from: iso(B + HOUR), to: iso(B + 2 * HOUR) })).toBe(0);
      expect((await readEvents(t, token)).map((e) => e.duration)).toEqual([60]);
    });
  });

  describe('across server processes', () => {
    it('keeps the names of activity another process records after an erase', async () => {
      const { t, token, me } = c;
      await ingest(t, token, [
        windowEvent(B, 10 * MINUTE, 'Editor', 'a.ts'),
        webEvent(B, MINUTE, 'https://example.com/'),
      ]);
      const other = await otherProcess(t, me);
      try {
        const res = await other.app.inject({
          method: 'DELETE',
          url: '/api/v1/activity',
          payload: { all: true },
          ...withCookie(other.cookie),
        });
        expect(res.json()).toEqual({ erased: 2 });
      } finally {
        await other.close();
      }
      // This process interned these names before the erase deleted them.
      await ingest(t, token, [
        windowEvent(B + HOUR, 10 * MINUTE, 'Editor', 'a.ts'),
        webEvent(B + HOUR, MINUTE, 'https://example.com/'),
      ]);
      expect((await readEvents(t, token)).map((e) => e.data)).toEqual([
        { app: 'Editor', title: 'a.ts' },
        { url: 'https://example.com/' },
      ]);
      const names = new Set(
        await raw(t, async (db) =>
          (await db.selectFrom('names').select('id').where('user_id', '=', me.id).execute()).map((r) => Number(r.id)),
        ),
      );
      for (const row of await rawEvents(t, me.id)) {
        for (const id of [row.appId, row.titleId, row.domainId, row.urlId]) {
          if (id !== null) expect(names.has(id), `name ${id} of event ${row.uid}`).toBe(true);
        }
      }
      await expectRollupsConsistent(t, me.id);
    });
  });

  describe('audit and validation', () => {
    it('audits every erase as data.erase, with the selector and a count but no personal data', async () => {
      const { t, token, me } = c;
      await ingest(t, token, [
        windowEvent(B, 10 * MINUTE, 'Editor', 'a.ts'),
        webEvent(B, 10 * MINUTE, 'https://www.example.com/'),
        windowEvent(B + HOUR, 10 * MINUTE, 'Term'),
      ]);
      const from = iso(B + HOUR);
      const to = iso(B + HOUR + 5 * MINUTE);
      await erase(t, me.cookie, { app: 'Editor' });
      await erase(t, me.cookie, { domain: 'example.com' });
      await erase(t, me.cookie, { from, to });
      await erase(t, me.cookie, { all: true });

      const entries = await auditEntries(me.id);
      expect(entries.map((e) => [e.actor_id, JSON.parse(e.details)])).toEqual([
        [me.id, { selector: 'app', events: 1 }],
        [me.id, { selector: 'domain', events: 1 }],
        [me.id, { selector: 'from', events: 1 }],
        [me.id, { selector: 'all', events: 1 }],
      ]);
      for (const secret of ['Editor', 'example.com', 'a.ts', 'Term', from, to, me.email]) {
        expect(rowsContain(entries, secret), secret).toBe(false);
      }
      expect(await auditEntries(other.id)).toEqual([]);
    });

    const invalid: [string, Record<string, unknown>][] = [
      ['no selector', {}],
      ['two selectors', { all: true, app: 'Editor' }],
      ['an app and a range', { app: 'Editor', from: iso(B), to: iso(B + HOUR) }],
      ['from without to', { from: iso(B) }],
      ['to without from', { to: iso(B) }],
      ['to before from', { from: iso(B + HOUR), to: iso(B) }],
      ['an empty range', { from: iso(B), to: iso(B) }],
      ['a bad timestamp', { from: '2025-02-30T00:00:00Z', to: iso(B) }],
      ['all: false', { all: false }],
      ['an empty app', { app: '' }],
      ['an unknown field', { everything: true }],
    ];
    for (const [what, body] of invalid) {
      it(`answers 400 to ${what}, erasing nothing`, async () => {
        const { t, token, me } = c;
        await ingest(t, token, [windowEvent(B, HOUR, 'Editor', 'a.ts')]);
        const before = await footprint(t, me.id);
        const res = await eraseRequest(t, me.cookie, body);
        expect(res.statusCode, res.body).toBe(400);
        expect(errorOf(res).code).toBe('input.invalid');
        expect(await footprint(t, me.id)).toEqual(before);
        expect(await auditEntries(me.id)).toEqual([]);
      });
    }

    it('needs a session: a bearer token cannot erase', async () => {
      const { t, token, me } = c;
      await ingest(t, token, [windowEvent(B, HOUR, 'Editor')]);
      const res = await t.app.inject({
        method: 'DELETE',
        url: '/api/v1/activity',
        payload: { all: true },
        ...withBearer(token),
      });
      expect(res.statusCode).toBe(403);
      expect(await count(t, 'events', me.id)).toBe(1);
    });
  });
});

eachDatabase('retention', (kind) => {
  const clock = settableClock();
  let c: Ctx;
  let other: Person;
  let otherToken: string;
  beforeEach(async () => {
    clock.set(T0 + 7 * MINUTE + 30_000);
    c = await setup(kind, clock);
    other = await newPerson(c.t, 'other');
    otherToken = (await newToken(c.t, other)).token;
  });
  afterEach(async () => c.t.close());

  it('deletes what is older than the retention period, cutting at a slot boundary', async () => {
    const { t, token, me } = c;
    await putPrivacy(t, me.cookie, { retentionDays: 7 });
    // now − 7 days is 12:07:30; the cut is at the start of its 15-minute slot.
    const cutoff = Math.floor((clock.now() - 7 * DAY) / SLOT) * SLOT;
    expect(cutoff).toBe(T0 - 7 * DAY);
    const ev = {
      old: windowEvent(cutoff - 2 * HOUR, HOUR, 'Old', 'old title'),
      oldWeb: webEvent(cutoff - 3 * DAY, 5 * MINUTE, 'https://old.example/'),
      straddling: windowEvent(cutoff - 10 * MINUTE, 20 * MINUTE, 'Straddling'),
      awayStraddling: awayEvent(cutoff - 5 * MINUTE, 7 * MINUTE),
      recent: windowEvent(cutoff + HOUR, 10 * MINUTE, 'Recent'),
      today: windowEvent(clock.now() - HOUR, 10 * MINUTE, 'Today'),
    };
    await ingest(t, token, Object.values(ev));
    const theirs = windowEvent(cutoff - 2 * HOUR, HOUR, 'Old', 'their old title');
    await ingest(t, otherToken, [theirs]);
    const theirRollups = await storedRollups(t, other.id);

    expect(await t.services.activity.eraser.applyRetention()).toBe(4);

    const rows = await rawEvents(t, me.id);
    const label = (uid: string) => Object.entries(ev).find(([, e]) => e.id === uid)?.[0];
    expect(rows.map((r) => [label(r.uid), r.start, r.end])).toEqual([
      ['straddling', cutoff, cutoff + 10 * MINUTE],
      ['awayStraddling', cutoff, cutoff + 2 * MINUTE],
      ['recent', cutoff + HOUR, cutoff + 70 * MINUTE],
      ['today', clock.now() - HOUR, clock.now() - 50 * MINUTE],
    ]);
    const stored = await expectRollupsConsistent(t, me.id);
    expect(stored.every((x) => x.slot >= cutoff)).toBe(true);
    // Straddling counts 10 minutes after the cut, minus 2 minutes away.
    expect(await rollupTotal(t, me.id, 'app', await nameId(t, me.id, 'app', 'Straddling'))).toBe(8 * MINUTE);
    for (const [kindOf, value] of [
      ['app', 'Old'],
      ['title', 'old title'],
      ['url', 'https://old.example/'],
      ['domain', 'old.example'],
    ] as const) {
      expect(await nameId(t, me.id, kindOf, value), value).toBeNull();
    }
    // Someone without a retention period keeps everything.
    expect((await readEvents(t, otherToken)).map((e) => e.id)).toEqual([theirs.id]);
    expect(await storedRollups(t, other.id)).toEqual(theirRollups);

    // Nothing more to do until time passes.
    expect(await t.services.activity.eraser.applyRetention()).toBe(0);
    clock.advance(DAY);
    expect(await t.services.activity.eraser.applyRetention()).toBe(3);
    expect((await rawEvents(t, me.id)).map((r) => label(r.uid))).toEqual(['today']);
    await expectRollupsConsistent(t, me.id);
  });

  it('keeps everything without a retention period', async () => {
    const { t, token, me } = c;
    await ingest(t, token, [windowEvent(T0 - 400 * DAY, HOUR, 'Ancient'), windowEvent(T0 - HOUR, HOUR, 'Recent')]);
    expect(await t.services.activity.eraser.applyRetention()).toBe(0);
    expect(await count(t, 'events', me.id)).toBe(2);
  });
});
