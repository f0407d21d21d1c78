/**
 * Bad report queries answer 400 with a message naming the problem, never a
 * 500; reports need a token of the `read` scope (or a session).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { withCookie, type Reply } from '../accounts/support.js';
import { errorOf, ingest, newPerson, newToken, setup, windowEvent, type Ctx } from '../activity/support.js';
import { getReport, HOUR, query, type SummaryView } from './support.js';

const SUMMARY = '/api/v1/reports/summary';
const TIMELINE = '/api/v1/reports/timeline';
const TREND = '/api/v1/reports/trend';
const ANALYTIC = '/api/v1/analytic-data';

type Params = Record<string, string | number | undefined>;

const OK_RANGE = { from: '2025-05-01', to: '2025-05-31' };
const OK_ANALYTIC = { restrict_begin: '2025-05-01', restrict_end: '2025-05-31' };

/** One good query of each route. */
const GOOD: readonly [string, Params][] = [
  [SUMMARY, OK_RANGE],
  [TIMELINE, { date: '2025-05-31' }],
  [TREND, OK_RANGE],
  [ANALYTIC, OK_ANALYTIC],
];

const naming = (parameter: string) => new RegExp(`^(querystring/)?${parameter}\\b`);

function expect400(res: Reply, mentions: RegExp): string {
  expect(res.statusCode, res.body).toBe(400);
  const { code, message } = errorOf(res);
  expect(code).toBe('input.invalid');
  expect(message).toMatch(mentions);
  return message;
}

eachDatabase('report input and access', (kind) => {
  let c: Ctx;
  beforeAll(async () => {
    c = await setup(kind);
    await ingest(c.t, c.token, [windowEvent(Date.UTC(2025, 4, 31, 9), HOUR, 'code')]);
  });
  afterAll(async () => c.t.close());

  const get = (path: string, params: Params) => getReport(c.t, c.token, path, params);

  describe('dates', () => {
    const bad = ['2025-13-01', '2025-02-30', '2025-2-01', '20250201', '', '2025-02-01T00', 'yesterday', '0000-01-01'];
    for (const text of bad) {
      it(`${JSON.stringify(text)} is not a date`, async () => {
        // The message starts with the parameter (the schema's messages say querystring/<name>).
        expect400(await get(SUMMARY, { from: text, to: '2025-05-01' }), naming('from'));
        expect400(await get(SUMMARY, { from: '2025-05-01', to: text }), naming('to'));
        expect400(await get(TREND, { from: text, to: '2025-05-01' }), naming('from'));
        expect400(await get(TIMELINE, { date: text }), naming('date'));
        expect400(await get(ANALYTIC, { restrict_begin: text, restrict_end: '2025-05-01' }), naming('restrict_begin'));
        expect400(await get(ANALYTIC, { restrict_begin: '2025-05-01', restrict_end: text }), naming('restrict_end'));
      });
    }

    it('a missing date', async () => {
      expect400(await get(SUMMARY, { to: '2025-05-01' }), /from/);
      expect400(await get(SUMMARY, { from: '2025-05-01' }), /\bto\b/);
      expect400(await get(TIMELINE, {}), /date/);
      expect400(await get(ANALYTIC, { restrict_begin: '2025-05-01' }), /restrict_end/);
    });

    it('to before from', async () => {
      expect400(await get(SUMMARY, { from: '2025-05-02', to: '2025-05-01' }), /^to: must not be before from$/);
      expect400(await get(TREND, { from: '2025-05-02', to: '2025-05-01' }), /^to: must not be before from$/);
      expect400(
        await get(ANALYTIC, { restrict_begin: '2025-05-02', restrict_end: '2025-05-01' }),
        /^restrict_end: must not be before restrict_begin$/,
      );
      expect400(await get(SUMMARY, { from: '2026-01-01', to: '2025-12-31' }), /before/);
    });

    it('a range too long: 400, while the longest allowed one answers', async () => {
      // 3700 days is the longest range (MAX_RANGE_DAYS).
      const longest = { from: '2015-04-16', to: '2025-06-01' };
      const ok = await get(SUMMARY, { ...longest, tz: 'Europe/Berlin' });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json<SummaryView>().byDay).toHaveLength(3700);
      expect(ok.json<SummaryView>().activeSeconds).toBe(3600);

      for (const [path, params] of [
        [SUMMARY, { from: '2015-04-15', to: '2025-06-01' }],
        [TREND, { from: '2015-04-15', to: '2025-06-01', bucket: 'month' }],
        [ANALYTIC, { restrict_begin: '2015-04-15', restrict_end: '2025-06-01' }],
        [SUMMARY, { from: '0001-01-01', to: '9999-12-31' }],
        [TREND, { from: '1900-01-01', to: '2025-01-01', bucket: 'day' }],
      ] as const) {
        expect400(await get(path, params), /at most 3700 days/);
      }
    });

    it('a date the zone skipped: an empty range at the instant the next date starts', async () => {
      // Samoa moved across the date line: 2011-12-30 never happened in Pacific/Apia.
      const s = await get(SUMMARY, { from: '2011-12-30', to: '2011-12-30', tz: 'Pacific/Apia' });
      expect(s.statusCode, s.body).toBe(200);
      expect(s.json<SummaryView>()).toMatchObject({
        range: { start: '2011-12-30T10:00:00.000Z', end: '2011-12-30T10:00:00.000Z' },
        byDay: [],
        activeSeconds: 0,
      });
      const around = await get(SUMMARY, { from: '2011-12-29', to: '2011-12-31', tz: 'Pacific/Apia' });
      expect(around.json<SummaryView>().byDay.map((d) => d.date)).toEqual(['2011-12-29', '2011-12-31']);
      const day = await get(TIMELINE, { date: '2011-12-30', tz: 'Pacific/Apia' });
      expect(day.statusCode, day.body).toBe(200);
      expect(day.json()).toMatchObject({ blocks: [], away: [], hours: [] });
    });

    it('the ends of the calendar answer without a server error', async () => {
      for (const [from, to] of [
        ['0001-01-01', '0001-01-01'],
        ['9999-12-31', '9999-12-31'],
        ['1970-01-01', '1970-01-02'],
        ['1969-12-31', '1970-01-01'],
      ]) {
        for (const tz of ['UTC', 'Pacific/Kiritimati', 'America/Los_Angeles']) {
          const res = await get(SUMMARY, { from, to, tz });
          expect([200, 400], `${from}…${to} ${tz}: ${res.body}`).toContain(res.statusCode);
          const day = await get(TIMELINE, { date: from, tz });
          expect([200, 400], `${from} ${tz}: ${day.body}`).toContain(day.statusCode);
          const series = await get(TREND, { from, to, tz, bucket: 'week', weekStart: 7 });
          expect([200, 400], `${from}…${to} ${tz}: ${series.body}`).toContain(series.statusCode);
        }
      }
    });
  });

  describe('zones', () => {
    const bad = [
      'Mars/Olympus',
      'Europe/Atlantis',
      '+05:30',
      'UTC+1',
      'GMT+0530',
      '../etc/passwd',
      'Europe Berlin',
      'x',
    ];
    for (const tz of bad) {
      it(`${JSON.stringify(tz)} is not an IANA zone`, async () => {
        for (const [path, params] of GOOD) expect400(await get(path, { ...params, tz }), /tz/);
      });
    }

    it('a zone name too long, or empty', async () => {
      for (const [path, params] of GOOD) {
        expect400(await get(path, { ...params, tz: `Europe/${'x'.repeat(80)}` }), /tz/);
        expect400(await get(path, { ...params, tz: '' }), /tz/);
      }
    });

    it('zone names are read case-insensitively, and links are zones too', async () => {
      for (const tz of ['europe/berlin', 'Asia/Calcutta', 'US/Eastern', 'Etc/GMT-14', 'UTC']) {
        for (const [path, params] of GOOD) {
          const res = await get(path, { ...params, tz });
          expect(res.statusCode, `${path} ${tz}: ${res.body}`).toBe(200);
        }
      }
    });

    it('a zone whose offset then was not whole quarter hours', async () => {
      // Africa/Monrovia was −00:44:30 until 1972: its days cannot be cut from 15-minute rollups.
      expect400(await get(SUMMARY, { from: '1971-01-01', to: '1971-01-02', tz: 'Africa/Monrovia' }), /quarter hours/);
      const now = await get(SUMMARY, { from: '2025-01-01', to: '2025-01-02', tz: 'Africa/Monrovia' });
      expect(now.statusCode, now.body).toBe(200);
    });
  });

  describe('other parameters', () => {
    it('bucket and weekStart of the trend', async () => {
      for (const bucket of ['year', 'hour', 'Day', '']) expect400(await get(TREND, { ...OK_RANGE, bucket }), /bucket/);
      for (const weekStart of [0, 8, -1, 1.5, 'monday']) {
        expect400(await get(TREND, { ...OK_RANGE, bucket: 'week', weekStart }), /weekStart/);
      }
    });

    it('limit of the summary', async () => {
      for (const limit of [0, -1, 1001, 1.5, 'ten', '']) expect400(await get(SUMMARY, { ...OK_RANGE, limit }), /limit/);
      for (const limit of [1, 1000]) expect((await get(SUMMARY, { ...OK_RANGE, limit })).statusCode).toBe(200);
    });

    it('analytic-data parameters', async () => {
      const cases: [Params, RegExp][] = [
        [{ perspective: 'member' }, /perspective/],
        [{ resolution_time: 'second' }, /resolution_time/],
        [{ restrict_kind: 'document' }, /restrict_kind/],
        [{ restrict_kind: 'efficiency' }, /restrict_kind/],
        [{ format: 'xml' }, /format/],
      ];
      for (const [extra, mentions] of cases) expect400(await get(ANALYTIC, { ...OK_ANALYTIC, ...extra }), mentions);
    });

    it('unknown parameters', async () => {
      for (const [path, params] of GOOD) expect400(await get(path, { ...params, key: 'rescuetime-key' }), /additional/);
    });
  });

  describe('access', () => {
    it('no credentials: 401 on every report', async () => {
      for (const [path, params] of GOOD) {
        const res = await c.t.app.inject({ method: 'GET', url: `${path}?${query(params)}` });
        expect(res.statusCode, `${path}: ${res.body}`).toBe(401);
        const bogus = await c.t.app.inject({
          method: 'GET',
          url: `${path}?${query(params)}`,
          headers: { authorization: 'Bearer sd_not-a-token' },
        });
        expect(bogus.statusCode, `${path}: ${bogus.body}`).toBe(401);
      }
    });

    it('a token without the read scope: 403', async () => {
      const { token } = await newToken(c.t, c.me, ['ingest'], 'ingest-only');
      for (const [path, params] of GOOD) {
        const res = await getReport(c.t, token, path, params);
        expect(res.statusCode, `${path}: ${res.body}`).toBe(403);
      }
    });

    it('a session cookie or a read-only token reads them', async () => {
      const { token } = await newToken(c.t, c.me, ['read'], 'dashboard');
      for (const [path, params] of GOOD) {
        const bySession = await c.t.app.inject({
          method: 'GET',
          url: `${path}?${query(params)}`,
          ...withCookie(c.me.cookie),
        });
        expect(bySession.statusCode, `${path}: ${bySession.body}`).toBe(200);
        const byToken = await getReport(c.t, token, path, params);
        expect(byToken.statusCode, `${path}: ${byToken.body}`).toBe(200);
        expect(byToken.body).toBe(bySession.body);
      }
    });

    it("someone else's time is not in my reports", async () => {
      const stranger = await newPerson(c.t, 'stranger');
      const { token } = await newToken(c.t, stranger, ['read']);
      const res = await getReport(c.t, token, SUMMARY, { from: '2025-05-31', to: '2025-05-31' });
      expect(res.statusCode).toBe(200);
      expect(res.json<SummaryView>().activeSeconds).toBe(0);
      const mine = await getReport(c.t, c.token, SUMMARY, { from: '2025-05-31', to: '2025-05-31' });
      expect(mine.json<SummaryView>().activeSeconds).toBe(3600);
    });
  });
});
