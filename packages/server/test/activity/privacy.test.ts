/**
 * The person's privacy settings at ingest: GET/PUT /api/v1/settings/privacy
 * (validation, access, audit, encrypted rules), the detail levels (what of
 * an event is kept), ignore rules (an ignored event's strings never reach
 * the database) and pause.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { raw, rowsContain, withBearer, withCookie } from '../accounts/support.js';
import {
  awayEvent,
  count,
  DEFAULT_PRIVACY,
  errorOf,
  expectRollupsConsistent,
  findInDatabase,
  footprint,
  heartbeat,
  HOUR,
  ingest,
  iso,
  MINUTE,
  nameId,
  newToken,
  otherProcess,
  putPrivacy,
  putPrivacyRequest,
  rawEvents,
  readEvents,
  rollupTotal,
  setup,
  storedRollups,
  T0,
  webEvent,
  windowEvent,
  type Ctx,
  type PrivacySettings,
} from './support.js';

const START = T0 - 3 * HOUR;

eachDatabase('privacy settings at ingest', (kind) => {
  let c: Ctx;
  beforeEach(async () => {
    c = await setup(kind);
  });
  afterEach(async () => c.t.close());

  const getPrivacy = (token: string) =>
    c.t.app.inject({ method: 'GET', url: '/api/v1/settings/privacy', ...withBearer(token) });

  describe('GET and PUT', () => {
    it('answers the defaults, then what was stored', async () => {
      const { t, token, me } = c;
      const initial = await getPrivacy(token);
      expect(initial.statusCode).toBe(200);
      expect(initial.json()).toEqual(DEFAULT_PRIVACY);

      const settings: PrivacySettings = {
        detail: 'domain',
        ignore: [
          { field: 'app', match: 'exact', pattern: 'Banking' },
          { field: 'title', match: 'regex', pattern: '(?i)^private' },
          { field: 'domain', match: 'exact', pattern: 'health.example' },
          { field: 'url', match: 'glob', pattern: 'https://*/admin*' },
        ],
        paused: false,
        retentionDays: 90,
      };
      // Sent as a client that predates working hours: left out means none.
      const put = await putPrivacyRequest(t, me.cookie, settings);
      expect(put.statusCode, put.body).toBe(200);
      const stored = { ...settings, workingHours: null };
      expect(put.json()).toEqual(stored);
      expect((await getPrivacy(token)).json()).toEqual(stored);
      // Also as a fresh process reads it (from the database, not a cache).
      c.t.services.activity.privacy.forget(me.id);
      expect((await getPrivacy(token)).json()).toEqual(stored);
    });

    it('stores the rules encrypted and audits the change without them', async () => {
      const { t, me } = c;
      const pattern = 'SecretClinicApp';
      await putPrivacy(t, me.cookie, { ignore: [{ field: 'app', match: 'exact', pattern }], retentionDays: 30 });
      expect(await findInDatabase(t, pattern)).toEqual([]);
      const entries = await raw(t, (db) =>
        db
          .selectFrom('audit_log')
          .selectAll()
          .where('action', '=', 'privacy.change')
          .where('subject_id', '=', me.id)
          .execute(),
      );
      expect(entries).toHaveLength(1);
      expect(JSON.parse(entries[0]?.details ?? '{}')).toEqual({
        detail: 'full',
        rules: 1,
        paused: false,
        retentionDays: 30,
        workingHours: false,
      });
      expect(rowsContain(entries, pattern)).toBe(false);
    });

    it('needs a session to change, and the ingest scope to read', async () => {
      const { t, token, me } = c;
      const byToken = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/settings/privacy',
        payload: { ...DEFAULT_PRIVACY, paused: true },
        ...withBearer(token),
      });
      expect(byToken.statusCode).toBe(403);
      const reader = await newToken(t, me, ['read'], 'reader');
      expect((await getPrivacy(reader.token)).statusCode).toBe(403);
      const bySession = await t.app.inject({
        method: 'GET',
        url: '/api/v1/settings/privacy',
        ...withCookie(me.cookie),
      });
      expect(bySession.json()).toEqual(DEFAULT_PRIVACY);
    });

    const invalid: [string, unknown, RegExp][] = [
      [
        'an unsafe regex',
        { ...DEFAULT_PRIVACY, ignore: [{ field: 'title', match: 'regex', pattern: '(a+)+$' }] },
        /ignore\[0\]\.pattern/,
      ],
      [
        'an unsafe regex after safe rules',
        {
          ...DEFAULT_PRIVACY,
          ignore: [
            { field: 'app', match: 'exact', pattern: 'Fine' },
            { field: 'title', match: 'regex', pattern: '(?:\\w*\\.)*x' },
          ],
        },
        /ignore\[1\]\.pattern/,
      ],
      [
        'an invalid regex',
        { ...DEFAULT_PRIVACY, ignore: [{ field: 'app', match: 'regex', pattern: '(' }] },
        /ignore\[0\]\.pattern/,
      ],
      [
        'too many rules',
        {
          ...DEFAULT_PRIVACY,
          ignore: Array.from({ length: 201 }, (_, i) => ({ field: 'app', match: 'exact', pattern: `App ${i}` })),
        },
        /ignore/,
      ],
      [
        'a domain rule that is a URL',
        { ...DEFAULT_PRIVACY, ignore: [{ field: 'domain', match: 'exact', pattern: 'https://example.com/' }] },
        /ignore\[0\]\.pattern/,
      ],
      ['an unknown detail level', { ...DEFAULT_PRIVACY, detail: 'everything' }, /detail/],
      ['an unknown field', { ...DEFAULT_PRIVACY, ignore: [{ field: 'file', match: 'exact', pattern: 'x' }] }, /ignore/],
      ['a retention of 0 days', { ...DEFAULT_PRIVACY, retentionDays: 0 }, /retentionDays/],
      ['a missing setting', { detail: 'full', ignore: [], paused: false }, /retentionDays/],
    ];
    for (const [what, body, named] of invalid) {
      it(`refuses ${what} with 400 and keeps the stored settings`, async () => {
        const { t, token, me } = c;
        const before: PrivacySettings = {
          ...DEFAULT_PRIVACY,
          ignore: [{ field: 'app', match: 'exact', pattern: 'Kept' }],
        };
        await putPrivacy(t, me.cookie, before);
        const res = await putPrivacyRequest(t, me.cookie, body);
        expect(res.statusCode, res.body).toBe(400);
        expect(errorOf(res).code).toBe('input.invalid');
        expect(errorOf(res).message).toMatch(named);
        expect((await getPrivacy(token)).json()).toEqual(before);
      });
    }

    it('accepts exactly 200 rules', async () => {
      const { t, token, me } = c;
      const ignore = Array.from({ length: 200 }, (_, i) => ({
        field: 'app' as const,
        match: 'exact' as const,
        pattern: `App ${i}`,
      }));
      await putPrivacy(t, me.cookie, { ignore });
      expect((await getPrivacy(token)).json<PrivacySettings>().ignore).toHaveLength(200);
      // And enforces the last one.
      expect(await ingest(t, token, [windowEvent(START, MINUTE, 'app 199')])).toMatchObject({
        accepted: 0,
        dropped: 1,
      });
    });
  });

  describe('detail levels', () => {
    const url = 'https://www.example.com/private/path?q=1';
    const batch = () => [
      windowEvent(START, 10 * MINUTE, 'Browser', 'Window title', { url }),
      webEvent(START, 6 * MINUTE, url, 'Page title', { audible: false, incognito: false, tabCount: 2 }),
      windowEvent(START + 10 * MINUTE, 5 * MINUTE, 'Editor', 'notes.md'),
    ];

    it('"full" keeps apps, titles and URLs, and counts the site by domain', async () => {
      const { t, token, me } = c;
      await ingest(t, token, batch());
      expect((await readEvents(t, token)).map((e) => e.data)).toEqual([
        { app: 'Browser', title: 'Window title', url },
        { url, title: 'Page title', audible: false, incognito: false, tabCount: 2 },
        { app: 'Editor', title: 'notes.md' },
      ]);
      expect(await rollupTotal(t, me.id, 'domain', await nameId(t, me.id, 'domain', 'example.com'))).toBe(6 * MINUTE);
      await expectRollupsConsistent(t, me.id);
    });

    it('"domain" keeps apps and domains but no titles, URLs or paths', async () => {
      const { t, token, me } = c;
      await putPrivacy(t, me.cookie, { detail: 'domain' });
      await ingest(t, token, batch());
      expect((await readEvents(t, token)).map((e) => e.data)).toEqual([
        { app: 'Browser', domain: 'example.com' },
        { domain: 'example.com', audible: false, incognito: false, tabCount: 2 },
        { app: 'Editor' },
      ]);
      for (const [kindOf, value] of [
        ['title', 'Window title'],
        ['title', 'Page title'],
        ['title', 'notes.md'],
        ['url', url],
      ] as const) {
        expect(await nameId(t, me.id, kindOf, value), value).toBeNull();
      }
      expect(await count(t, 'names', me.id)).toBe(3); // Browser, Editor, example.com
      expect(await rollupTotal(t, me.id, 'domain', await nameId(t, me.id, 'domain', 'example.com'))).toBe(6 * MINUTE);
      await expectRollupsConsistent(t, me.id);
    });

    it('"app" keeps only the app: a site keeps no string at all but its time still counts', async () => {
      const { t, token, me } = c;
      await putPrivacy(t, me.cookie, { detail: 'app' });
      await ingest(t, token, batch());
      const events = await readEvents(t, token);
      expect(events.map((e) => e.kind)).toEqual(['window', 'web', 'window']);
      expect(events[0]?.data).toEqual({ app: 'Browser' });
      expect(events[2]?.data).toEqual({ app: 'Editor' });
      expect(Object.values(events[1]?.data ?? {}).filter((v) => typeof v === 'string')).toEqual([]);
      expect(events[1]?.duration).toBe(6 * 60);
      expect(await count(t, 'names', me.id)).toBe(2); // Browser, Editor
      expect(await nameId(t, me.id, 'domain', 'example.com')).toBeNull();
      expect((await storedRollups(t, me.id)).every((cell) => cell.dimension === 'app')).toBe(true);
      await expectRollupsConsistent(t, me.id);
    });

    it('"app" does not keep other string fields a client adds to a window event', async () => {
      const { t, token, me } = c;
      await putPrivacy(t, me.cookie, { detail: 'app' });
      await ingest(t, token, [
        windowEvent(START, MINUTE, 'Writer', 'Diagnosis letter', { document: '/home/me/diagnosis-letter.odt' }),
      ]);
      expect((await readEvents(t, token)).map((e) => e.data)).toEqual([{ app: 'Writer' }]);
    });
  });

  describe('ignore rules', () => {
    it('drops an ignored app: its title never reaches the database (nor the logs)', async () => {
      const { t, token, me } = c;
      await putPrivacy(t, me.cookie, { ignore: [{ field: 'app', match: 'exact', pattern: 'keepass' }] });
      const title = `Vault entry ${me.id.slice(0, 8)} bank PIN`;
      const kept = windowEvent(START + MINUTE, MINUTE, 'Editor', 'notes.md');
      const result = await ingest(t, token, [
        windowEvent(START, MINUTE, 'KeePass', title, { url: 'https://vault.example/entry' }),
        kept,
      ]);
      expect(result).toEqual({ accepted: 1, replaced: 0, dropped: 1 });
      expect(
        await heartbeat(
          t,
          token,
          { kind: 'window', start: iso(START + 2 * MINUTE), data: { app: 'KEEPASS', title } },
          5,
        ),
      ).toEqual({
        event: null,
        merged: false,
      });

      expect((await readEvents(t, token)).map((e) => e.data)).toEqual([{ app: 'Editor', title: 'notes.md' }]);
      for (const [kindOf, value] of [
        ['app', 'KeePass'],
        ['app', 'KEEPASS'],
        ['title', title],
        ['url', 'https://vault.example/entry'],
        ['domain', 'vault.example'],
      ] as const) {
        expect(await nameId(t, me.id, kindOf, value), value).toBeNull();
      }
      expect(await count(t, 'names', me.id)).toBe(2); // Editor, notes.md
      // The scan sees what is stored in plaintext (an event's id), so its silence means something.
      expect(await findInDatabase(t, kept.id)).toContain('table events');
      expect(await findInDatabase(t, title)).toEqual([]);
      expect(await findInDatabase(t, 'Vault entry')).toEqual([]);
      expect(t.logText()).not.toContain('Vault entry');
      expect(await rawEvents(t, me.id)).toHaveLength(1);
      await expectRollupsConsistent(t, me.id);
    });

    it('drops by title regex, app glob, url and domain (subdomains and www included)', async () => {
      const { t, token, me } = c;
      await putPrivacy(t, me.cookie, {
        ignore: [
          { field: 'title', match: 'regex', pattern: 'incognito|private browsing' },
          { field: 'app', match: 'glob', pattern: '*bank*' },
          { field: 'url', match: 'exact', pattern: 'https://intranet.example/hr' },
          { field: 'domain', match: 'exact', pattern: 'clinic.example' },
        ],
      });
      const ignored = [
        windowEvent(START, MINUTE, 'Firefox', 'New Private Browsing tab'),
        windowEvent(START, MINUTE, 'MyBankApp', 'Accounts'),
        webEvent(START, MINUTE, 'https://intranet.example/hr'),
        webEvent(START, MINUTE, 'https://clinic.example/results'),
        webEvent(START, MINUTE, 'https://www.clinic.example/'),
        webEvent(START, MINUTE, 'https://portal.clinic.example/login'),
        windowEvent(START, MINUTE, 'Browser', 'Results', { url: 'https://CLINIC.example/x' }),
      ];
      const kept = [
        windowEvent(START, MINUTE, 'Firefox', 'Public page'),
        webEvent(START, MINUTE, 'https://intranet.example/hr/holidays'),
        webEvent(START, MINUTE, 'https://notclinic.example/'),
      ];
      expect(await ingest(t, token, [...ignored, ...kept])).toEqual({ accepted: 3, replaced: 0, dropped: 7 });
      expect((await readEvents(t, token)).map((e) => e.id).sort()).toEqual(kept.map((e) => e.id).sort());
      expect(await nameId(t, me.id, 'domain', 'clinic.example')).toBeNull();
      expect(await nameId(t, me.id, 'app', 'MyBankApp')).toBeNull();
      expect(await nameId(t, me.id, 'title', 'New Private Browsing tab')).toBeNull();
      await expectRollupsConsistent(t, me.id);
    });

    it('applies new rules at once, to activity that arrives after the change', async () => {
      const { t, token, me } = c;
      expect(await ingest(t, token, [windowEvent(START, MINUTE, 'Chat')])).toMatchObject({ accepted: 1 });
      await putPrivacy(t, me.cookie, { ignore: [{ field: 'app', match: 'exact', pattern: 'Chat' }] });
      expect(await ingest(t, token, [windowEvent(START + MINUTE, MINUTE, 'Chat')])).toMatchObject({ dropped: 1 });
      await putPrivacy(t, me.cookie, { ignore: [] });
      expect(await ingest(t, token, [windowEvent(START + 2 * MINUTE, MINUTE, 'Chat')])).toMatchObject({ accepted: 1 });
      expect(await count(t, 'events', me.id)).toBe(2);
    });
  });

  describe('pause', () => {
    it('stores nothing while paused, of any kind, and records again after resuming', async () => {
      const { t, token, me } = c;
      await putPrivacy(t, me.cookie, { paused: true });
      const batch = [
        windowEvent(START, MINUTE, 'Editor', 'paused title'),
        webEvent(START, MINUTE, 'https://example.com/'),
        awayEvent(START, MINUTE),
      ];
      expect(await ingest(t, token, batch)).toEqual({ accepted: 0, replaced: 0, dropped: 3 });
      expect(await heartbeat(t, token, { kind: 'window', start: iso(START), data: { app: 'Editor' } }, 5)).toEqual({
        event: null,
        merged: false,
      });
      expect(await footprint(t, me.id)).toEqual({ events: 0, rollups: 0, names: 0 });

      await putPrivacy(t, me.cookie, { paused: false });
      expect(await ingest(t, token, batch)).toEqual({ accepted: 3, replaced: 0, dropped: 0 });
      expect(await count(t, 'events', me.id)).toBe(3);
    });

    it('is honoured at once by every server process, not only the one that stored it', async () => {
      const { t, token, me } = c;
      // This process reads (and caches) the settings while recording.
      expect(await ingest(t, token, [windowEvent(START, MINUTE, 'Editor')])).toMatchObject({ accepted: 1 });
      const other = await otherProcess(t, me);
      try {
        const res = await other.app.inject({
          method: 'PUT',
          url: '/api/v1/settings/privacy',
          payload: { ...DEFAULT_PRIVACY, paused: true },
          ...withCookie(other.cookie),
        });
        expect(res.statusCode, res.body).toBe(200);
      } finally {
        await other.close();
      }
      expect(await ingest(t, token, [windowEvent(START + MINUTE, MINUTE, 'Secret meeting')])).toEqual({
        accepted: 0,
        replaced: 0,
        dropped: 1,
      });
      expect(await nameId(t, me.id, 'app', 'Secret meeting')).toBeNull();
      expect((await getPrivacy(token)).json()).toEqual({ ...DEFAULT_PRIVACY, paused: true });
    });
  });
});
