/**
 * The trend by day, week (Monday or any other first day) and month, and
 * RescueTime's analytic-data shape: rank and interval perspectives, each
 * restrict_kind and resolution, JSON and CSV.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { ingest, newPerson, newToken, setup, webEvent, windowEvent, type Ctx } from '../activity/support.js';
import { analytic, getReport, HOUR, MINUTE, trend, type AnalyticView, type TrendView } from './support.js';

const NONE = { '-2': 0, '-1': 0, '0': 0, '1': 0, '2': 0 };

eachDatabase('trend and analytic data', (kind) => {
  let c: Ctx;
  beforeAll(async () => {
    c = await setup(kind);
  });
  afterAll(async () => c.t.close());

  async function someone() {
    const me = await newPerson(c.t, 'trend');
    return (await newToken(c.t, me, ['ingest', 'read'])).token;
  }

  describe('trend', () => {
    let token: string;
    const at = (day: number, hour = 9) => Date.UTC(2025, 2, day, hour);
    beforeAll(async () => {
      token = await someone();
      await ingest(c.t, token, [
        windowEvent(at(2), HOUR, 'code'), // Sunday
        windowEvent(at(3), 2 * HOUR, 'Term'), // Monday
        windowEvent(at(9), 30 * MINUTE, 'firefox'), // Sunday
        webEvent(at(9), 30 * MINUTE, 'https://www.youtube.com/watch?v=abc'),
        windowEvent(at(10), HOUR, 'code'), // Monday
      ]);
    });

    const brief = (series: TrendView['series']) =>
      series.map((p) => [p.period, p.from, p.to, p.activeSeconds, p.pulse]);

    it('by day, by default', async () => {
      const t = await trend(c.t, token, { from: '2025-03-01', to: '2025-03-04' });
      expect(t.bucket).toBe('day');
      expect(t.tz).toBe('UTC');
      expect(t.series).toEqual([
        {
          period: '2025-03-01',
          from: '2025-03-01',
          to: '2025-03-01',
          activeSeconds: 0,
          pulse: null,
          byProductivity: NONE,
        },
        {
          period: '2025-03-02',
          from: '2025-03-02',
          to: '2025-03-02',
          activeSeconds: 3600,
          pulse: 100,
          byProductivity: { ...NONE, '2': 3600 },
        },
        {
          period: '2025-03-03',
          from: '2025-03-03',
          to: '2025-03-03',
          activeSeconds: 7200,
          pulse: 50,
          byProductivity: { ...NONE, '0': 7200 },
        },
        {
          period: '2025-03-04',
          from: '2025-03-04',
          to: '2025-03-04',
          activeSeconds: 0,
          pulse: null,
          byProductivity: NONE,
        },
      ]);
    });

    it('by week from Monday (the default), labelled by the first day of the whole week', async () => {
      const t = await trend(c.t, token, { from: '2025-03-01', to: '2025-03-12', bucket: 'week' });
      expect(brief(t.series)).toEqual([
        ['2025-02-24', '2025-03-01', '2025-03-02', 3600, 100],
        ['2025-03-03', '2025-03-03', '2025-03-09', 9000, 40],
        ['2025-03-10', '2025-03-10', '2025-03-12', 3600, 100],
      ]);
      expect(t.series[1]?.byProductivity).toEqual({ ...NONE, '-2': 1800, '0': 7200 });
      const monday = await trend(c.t, token, { from: '2025-03-01', to: '2025-03-12', bucket: 'week', weekStart: 1 });
      expect(monday.series).toEqual(t.series);
    });

    it('by week from Sunday (weekStart=7) and from Wednesday (3)', async () => {
      const sunday = await trend(c.t, token, { from: '2025-03-01', to: '2025-03-12', bucket: 'week', weekStart: 7 });
      expect(brief(sunday.series)).toEqual([
        ['2025-02-23', '2025-03-01', '2025-03-01', 0, null],
        ['2025-03-02', '2025-03-02', '2025-03-08', 10_800, 67],
        ['2025-03-09', '2025-03-09', '2025-03-12', 5400, 67],
      ]);
      const wednesday = await trend(c.t, token, { from: '2025-03-01', to: '2025-03-12', bucket: 'week', weekStart: 3 });
      expect(brief(wednesday.series)).toEqual([
        ['2025-02-26', '2025-03-01', '2025-03-04', 10_800, 67],
        ['2025-03-05', '2025-03-05', '2025-03-11', 5400, 67],
        ['2025-03-12', '2025-03-12', '2025-03-12', 0, null],
      ]);
    });

    it('by month, with local month edges', async () => {
      const token2 = await someone();
      await ingest(c.t, token2, [
        windowEvent(Date.UTC(2025, 0, 20, 9), HOUR, 'code'),
        // 00:30 on 1 March in Berlin, still 28 February in UTC.
        windowEvent(Date.UTC(2025, 1, 28, 23, 30), 30 * MINUTE, 'Term'),
        windowEvent(Date.UTC(2025, 2, 10, 9), HOUR, 'code'),
        // After the range.
        windowEvent(Date.UTC(2025, 2, 11, 9), HOUR, 'code'),
      ]);
      const berlin = await trend(c.t, token2, {
        from: '2025-01-15',
        to: '2025-03-10',
        bucket: 'month',
        tz: 'Europe/Berlin',
      });
      expect(brief(berlin.series)).toEqual([
        ['2025-01', '2025-01-15', '2025-01-31', 3600, 100],
        ['2025-02', '2025-02-01', '2025-02-28', 0, null],
        ['2025-03', '2025-03-01', '2025-03-10', 5400, 83],
      ]);
      const utc = await trend(c.t, token2, { from: '2025-01-15', to: '2025-03-10', bucket: 'month' });
      expect(brief(utc.series)).toEqual([
        ['2025-01', '2025-01-15', '2025-01-31', 3600, 100],
        ['2025-02', '2025-02-01', '2025-02-28', 1800, 50],
        ['2025-03', '2025-03-01', '2025-03-10', 3600, 100],
      ]);
      // A year by month: twelve points.
      const year = await trend(c.t, token2, { from: '2025-01-01', to: '2025-12-31', bucket: 'month' });
      expect(year.series.map((p) => p.period)).toEqual(
        Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`),
      );
      expect(year.series.reduce((sum, p) => sum + p.activeSeconds, 0)).toBe(3600 + 1800 + 3600 + 3600);
    });
  });

  describe('analytic-data', () => {
    let token: string;
    const D = Date.UTC(2025, 3, 10, 9);
    const begin = { restrict_begin: '2025-04-10', restrict_end: '2025-04-11' };

    beforeAll(async () => {
      token = await someone();
      await ingest(c.t, token, [
        windowEvent(D, HOUR, 'code', 'index.ts'),
        windowEvent(D + HOUR, 30 * MINUTE, 'firefox'),
        webEvent(D + HOUR, 20 * MINUTE, 'https://github.com/acme/sundial'),
        webEvent(D + HOUR + 20 * MINUTE, 10 * MINUTE, 'https://www.youtube.com/watch?v=abc'),
        windowEvent(D + 90 * MINUTE, 15 * MINUTE, 'Term'),
        windowEvent(D + 2 * HOUR, 10 * MINUTE, 'Spotify'),
        windowEvent(D + 24 * HOUR, HOUR, 'code', 'index.ts'),
      ]);
    });

    const rank = (kindOf: string, extra: Record<string, string> = {}) =>
      analytic(c.t, token, { ...begin, perspective: 'rank', restrict_kind: kindOf, ...extra });

    it('rank by activity (the default kind): apps with the category their own rules give', async () => {
      const data = await analytic(c.t, token, begin);
      expect(data.notes).toMatch(/row_headers/);
      expect(data.row_headers).toEqual([
        'Rank',
        'Time Spent (seconds)',
        'Number of People',
        'Activity',
        'Category',
        'Productivity',
      ]);
      expect(data.rows).toEqual([
        [1, 7200, 1, 'code', 'Editing & IDEs', 2],
        [2, 1800, 1, 'firefox', 'Uncategorised', 0],
        [3, 900, 1, 'Term', 'Uncategorised', 0],
        [4, 600, 1, 'Spotify', 'Music', -1],
      ]);
      expect(await rank('activity')).toEqual(data);
    });

    it('rank by category, by overview (top-level categories) and by productivity', async () => {
      const headers = (last: string[]) => ['Rank', 'Time Spent (seconds)', 'Number of People', ...last];
      expect(await rank('category')).toMatchObject({
        row_headers: headers(['Category']),
        rows: [
          [1, 7200, 1, 'Editing & IDEs'],
          [2, 1200, 1, 'Version control'],
          [3, 900, 1, 'Uncategorised'],
          [4, 600, 1, 'Music'],
          [5, 600, 1, 'Video'],
        ],
      });
      expect(await rank('overview')).toMatchObject({
        row_headers: headers(['Category']),
        rows: [
          [1, 8400, 1, 'Software Development'],
          [2, 1200, 1, 'Entertainment'],
          [3, 900, 1, 'Uncategorised'],
        ],
      });
      expect(await rank('productivity')).toMatchObject({
        row_headers: headers(['Productivity']),
        rows: [
          [1, 8400, 1, 2],
          [2, 900, 1, 0],
          [3, 600, 1, -1],
          [4, 600, 1, -2],
        ],
      });
    });

    it('interval by day, hour and minute (15-minute slots)', async () => {
      const byDay = await analytic(c.t, token, {
        ...begin,
        perspective: 'interval',
        resolution_time: 'day',
        restrict_kind: 'productivity',
      });
      expect(byDay.row_headers).toEqual(['Date', 'Time Spent (seconds)', 'Number of People', 'Productivity']);
      expect(byDay.rows).toEqual([
        ['2025-04-10T00:00:00', 4800, 1, 2],
        ['2025-04-10T00:00:00', 900, 1, 0],
        ['2025-04-10T00:00:00', 600, 1, -1],
        ['2025-04-10T00:00:00', 600, 1, -2],
        ['2025-04-11T00:00:00', 3600, 1, 2],
      ]);

      // Hour is the default resolution.
      const byHour = await analytic(c.t, token, { ...begin, perspective: 'interval', restrict_kind: 'activity' });
      expect(byHour.rows).toEqual([
        ['2025-04-10T09:00:00', 3600, 1, 'code', 'Editing & IDEs', 2],
        ['2025-04-10T10:00:00', 1800, 1, 'firefox', 'Uncategorised', 0],
        ['2025-04-10T10:00:00', 900, 1, 'Term', 'Uncategorised', 0],
        ['2025-04-10T11:00:00', 600, 1, 'Spotify', 'Music', -1],
        ['2025-04-11T09:00:00', 3600, 1, 'code', 'Editing & IDEs', 2],
      ]);

      const byMinute = await analytic(c.t, token, {
        restrict_begin: '2025-04-10',
        restrict_end: '2025-04-10',
        perspective: 'interval',
        resolution_time: 'minute',
        restrict_kind: 'overview',
      });
      expect(byMinute.rows).toEqual([
        ['2025-04-10T09:00:00', 900, 1, 'Software Development'],
        ['2025-04-10T09:15:00', 900, 1, 'Software Development'],
        ['2025-04-10T09:30:00', 900, 1, 'Software Development'],
        ['2025-04-10T09:45:00', 900, 1, 'Software Development'],
        ['2025-04-10T10:00:00', 900, 1, 'Software Development'],
        ['2025-04-10T10:15:00', 600, 1, 'Entertainment'],
        ['2025-04-10T10:15:00', 300, 1, 'Software Development'],
        ['2025-04-10T10:30:00', 900, 1, 'Uncategorised'],
        ['2025-04-10T11:00:00', 600, 1, 'Entertainment'],
      ]);
    });

    it('minute resolution over the longest range: only slots with time become rows', async () => {
      const started = Date.now();
      const data = await analytic(c.t, token, {
        restrict_begin: '2015-04-16',
        restrict_end: '2025-06-01',
        perspective: 'interval',
        resolution_time: 'minute',
        restrict_kind: 'productivity',
        tz: 'Europe/Berlin',
      });
      expect(data.rows).toHaveLength(13);
      expect(data.rows[0]).toEqual(['2025-04-10T11:00:00', 900, 1, 2]);
      expect(data.rows.reduce((sum, r) => sum + (r[1] as number), 0)).toBe(8400 + 900 + 600 + 600);
      // 350 000 quarter hours were once labelled one by one (seconds of CPU); now only those with time.
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it('interval hours are local hours of the zone (+05:30 here)', async () => {
      const data = await analytic(c.t, token, {
        restrict_begin: '2025-04-10',
        restrict_end: '2025-04-10',
        perspective: 'interval',
        resolution_time: 'hour',
        restrict_kind: 'productivity',
        tz: 'Asia/Kolkata',
      });
      // 09:00Z is 14:30 in Kolkata: the hour of code splits over 14:00 and 15:00.
      expect(data.rows).toEqual([
        ['2025-04-10T14:00:00', 1800, 1, 2],
        ['2025-04-10T15:00:00', 3000, 1, 2],
        ['2025-04-10T15:00:00', 600, 1, -2],
        ['2025-04-10T16:00:00', 900, 1, 0],
        ['2025-04-10T16:00:00', 600, 1, -1],
      ]);
    });

    it('interval by week and month: labelled by the first date each covers in the range', async () => {
      const weeks = await analytic(c.t, token, {
        restrict_begin: '2025-04-01',
        restrict_end: '2025-04-30',
        perspective: 'interval',
        resolution_time: 'week',
        restrict_kind: 'productivity',
      });
      // 2025-04-10 and 11 are in the ISO week from Monday 7 April.
      expect(weeks.rows).toEqual([
        ['2025-04-07T00:00:00', 8400, 1, 2],
        ['2025-04-07T00:00:00', 900, 1, 0],
        ['2025-04-07T00:00:00', 600, 1, -1],
        ['2025-04-07T00:00:00', 600, 1, -2],
      ]);
      const months = await analytic(c.t, token, {
        restrict_begin: '2025-03-15',
        restrict_end: '2025-05-31',
        perspective: 'interval',
        resolution_time: 'month',
        restrict_kind: 'overview',
      });
      expect(months.rows).toEqual([
        ['2025-04-01T00:00:00', 8400, 1, 'Software Development'],
        ['2025-04-01T00:00:00', 1200, 1, 'Entertainment'],
        ['2025-04-01T00:00:00', 900, 1, 'Uncategorised'],
      ]);
    });

    it('an empty range: headers and no rows', async () => {
      const data = await analytic(c.t, token, { restrict_begin: '2025-01-01', restrict_end: '2025-01-31' });
      expect(data.rows).toEqual([]);
      expect(data.row_headers[0]).toBe('Rank');
    });

    it('format=csv: text/csv, a header row, CRLF lines', async () => {
      const res = await getReport(c.t, token, '/api/v1/analytic-data', { ...begin, format: 'csv' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv\b/);
      expect(res.body).toBe(
        [
          'Rank,Time Spent (seconds),Number of People,Activity,Category,Productivity',
          '1,7200,1,code,Editing & IDEs,2',
          '2,1800,1,firefox,Uncategorised,0',
          '3,900,1,Term,Uncategorised,0',
          '4,600,1,Spotify,Music,-1',
          '',
        ].join('\r\n'),
      );
      const json = await getReport(c.t, token, '/api/v1/analytic-data', { ...begin, format: 'json' });
      expect(json.headers['content-type']).toMatch(/^application\/json\b/);
      expect(json.json<AnalyticView>().rows).toHaveLength(4);

      const interval = await getReport(c.t, token, '/api/v1/analytic-data', {
        ...begin,
        format: 'csv',
        perspective: 'interval',
        resolution_time: 'day',
        restrict_kind: 'category',
      });
      expect(interval.body.split('\r\n')[0]).toBe('Date,Time Spent (seconds),Number of People,Category');
      expect(interval.body.split('\r\n')[1]).toBe('2025-04-10T00:00:00,3600,1,Editing & IDEs');
    });

    it('csv quotes cells with commas or quotes, and defuses spreadsheet formulas', async () => {
      const other = await someone();
      await ingest(c.t, other, [
        windowEvent(D, HOUR, '=HYPERLINK("http://evil.example","x")'),
        windowEvent(D + HOUR, 30 * MINUTE, 'Acme, Inc. "Tool"'),
        windowEvent(D + 2 * HOUR, 10 * MINUTE, '@SUM(A1)'),
        windowEvent(D + 3 * HOUR, 5 * MINUTE, '-2+3'),
      ]);
      const res = await getReport(c.t, other, '/api/v1/analytic-data', { ...begin, format: 'csv' });
      expect(res.body.split('\r\n')).toEqual([
        'Rank,Time Spent (seconds),Number of People,Activity,Category,Productivity',
        `1,3600,1,"'=HYPERLINK(""http://evil.example"",""x"")",Uncategorised,0`,
        '2,1800,1,"Acme, Inc. ""Tool""",Uncategorised,0',
        "3,600,1,'@SUM(A1),Uncategorised,0",
        "4,300,1,'-2+3,Uncategorised,0",
        '',
      ]);
    });
  });
});
