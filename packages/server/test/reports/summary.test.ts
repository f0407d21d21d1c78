/**
 * The summary through the API: the productivity pulse (RescueTime's formula
 * over whole seconds per level), the top lists and their limit, byDay, and
 * the parts a browser's time goes to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { awayEvent, ingest, newPerson, newToken, setup, webEvent, windowEvent, type Ctx } from '../activity/support.js';
import { HOUR, MINUTE, SECOND, summary, type SummaryView } from './support.js';

eachDatabase('the summary report', (kind) => {
  let c: Ctx;
  beforeAll(async () => {
    c = await setup(kind);
  });
  afterAll(async () => c.t.close());

  async function someone() {
    const me = await newPerson(c.t, 'summary');
    return (await newToken(c.t, me, ['ingest', 'read'])).token;
  }

  /** The summary of one UTC day after ingesting `events` for a new person. */
  async function dayOf(events: Parameters<typeof ingest>[2], date = '2025-05-10'): Promise<SummaryView> {
    const token = await someone();
    if (events.length > 0) await ingest(c.t, token, events);
    return summary(c.t, token, { from: date, to: date });
  }

  const D = Date.UTC(2025, 4, 10, 8);
  /** A browser showing one site for the whole window. */
  const site = (start: number, ms: number, url: string) => [
    windowEvent(start, ms, 'firefox'),
    webEvent(start, ms, url),
  ];

  describe('pulse', () => {
    it('all neutral time: 50 (uncategorised, or a neutral category)', async () => {
      const term = await dayOf([windowEvent(D, HOUR, 'Term')]);
      expect(term.pulse).toBe(50);
      expect(term.byProductivity).toEqual({ '-2': 0, '-1': 0, '0': 3600, '1': 0, '2': 0 });
      expect(term.byCategory).toEqual([{ id: null, name: 'Uncategorised', path: [], level: 0, seconds: 3600 }]);
      const chat = await dayOf([windowEvent(D, HOUR, 'Slack')]);
      expect(chat.pulse).toBe(50);
      expect(chat.byCategory).toEqual([
        { id: 'chat', name: 'Chat', path: ['Communication & Scheduling', 'Chat'], level: 0, seconds: 3600 },
      ]);
    });

    it('all very productive time: 100; all very distracting: 0; all productive: 75; distracting: 25', async () => {
      const code = await dayOf([windowEvent(D, 2 * HOUR, 'code')]);
      expect(code.pulse).toBe(100);
      expect(code.byProductivity['2']).toBe(7200);
      expect((await dayOf(site(D, HOUR, 'https://www.youtube.com/watch?v=abc'))).pulse).toBe(0);
      expect((await dayOf(site(D, HOUR, 'https://en.wikipedia.org/wiki/Sundial'))).pulse).toBe(75);
      expect((await dayOf([windowEvent(D, HOUR, 'Spotify')])).pulse).toBe(25);
    });

    it('a mix: round(100·Σw·t / (4·Σt))', async () => {
      // 2 h at +2 (w 4), 1 h at 0 (w 2), 1 h at −1 (w 1), 1 h at −2 (w 0): 100·(8+2+1)/(4·5) = 55.
      const mix = await dayOf([
        windowEvent(D, 2 * HOUR, 'code'),
        windowEvent(D + 2 * HOUR, HOUR, 'Term'),
        windowEvent(D + 3 * HOUR, HOUR, 'Spotify'),
        ...site(D + 4 * HOUR, HOUR, 'https://www.youtube.com/watch?v=abc'),
      ]);
      expect(mix.byProductivity).toEqual({ '-2': 3600, '-1': 3600, '0': 3600, '1': 0, '2': 7200 });
      expect(mix.activeSeconds).toBe(5 * 3600);
      expect(mix.pulse).toBe(55);
      // 10 min at +1 (w 3) and 20 min at −2 (w 0): 100·30/120 = 25.
      const other = await dayOf([
        ...site(D, 10 * MINUTE, 'https://en.wikipedia.org/wiki/Sundial'),
        ...site(D + HOUR, 20 * MINUTE, 'https://www.youtube.com/watch?v=abc'),
      ]);
      expect(other.pulse).toBe(25);
    });

    it('an exact half rounds up', async () => {
      // 1 s at +2 and 1 s at −1: 100·5/8 = 62.5 → 63.
      const half = await dayOf([windowEvent(D, SECOND, 'code'), windowEvent(D + MINUTE, SECOND, 'Spotify')]);
      expect(half.pulse).toBe(63);
      // 1 s at +1 and 1 s at −2 ... 100·3/8 = 37.5 → 38.
      const low = await dayOf([
        ...site(D, SECOND, 'https://en.wikipedia.org/wiki/Sundial'),
        ...site(D + MINUTE, SECOND, 'https://www.youtube.com/watch?v=abc'),
      ]);
      expect(low.pulse).toBe(38);
    });

    it('is computed from whole seconds per level, each rounded from its milliseconds', async () => {
      // 1.499 s at +2 → 1 s, 1.501 s at −1 → 2 s: 100·(4+2)/12 = 50 (from milliseconds it would be 62).
      const s = await dayOf([windowEvent(D, 1499, 'code'), windowEvent(D + MINUTE, 1501, 'Spotify')]);
      expect(s.byProductivity).toEqual({ '-2': 0, '-1': 2, '0': 0, '1': 0, '2': 1 });
      expect(s.pulse).toBe(50);
      expect(s.activeSeconds).toBe(3);
      expect(s.byApp.map((a) => [a.name, a.seconds])).toEqual([
        ['Spotify', 2],
        ['code', 1],
      ]);
    });

    it('no time: null, and 0 seconds everywhere', async () => {
      const empty = await dayOf([]);
      expect(empty).toMatchObject({
        activeSeconds: 0,
        awaySeconds: 0,
        pulse: null,
        byProductivity: { '-2': 0, '-1': 0, '0': 0, '1': 0, '2': 0 },
        byCategory: [],
        byApp: [],
        byDomain: [],
        byDay: [{ date: '2025-05-10', activeSeconds: 0, pulse: null }],
        recategorising: false,
      });
      // Away time and web time without a window are not active time.
      const away = await dayOf([awayEvent(D, HOUR), webEvent(D + 2 * HOUR, HOUR, 'https://github.com/')]);
      expect(away).toMatchObject({ activeSeconds: 0, awaySeconds: 3600, pulse: null });
      expect(away.byDomain).toEqual([
        {
          name: 'github.com',
          category: { id: 'version-control', name: 'Version control' },
          level: 2,
          seconds: 3600,
        },
      ]);
    });

    it('per day, with null on days without time', async () => {
      const token = await someone();
      await ingest(c.t, token, [windowEvent(D, HOUR, 'code'), windowEvent(D + 2 * 86_400_000, HOUR, 'Spotify')]);
      const s = await summary(c.t, token, { from: '2025-05-09', to: '2025-05-13' });
      expect(s.byDay).toEqual([
        { date: '2025-05-09', activeSeconds: 0, pulse: null },
        { date: '2025-05-10', activeSeconds: 3600, pulse: 100 },
        { date: '2025-05-11', activeSeconds: 0, pulse: null },
        { date: '2025-05-12', activeSeconds: 3600, pulse: 25 },
        { date: '2025-05-13', activeSeconds: 0, pulse: null },
      ]);
      expect(s.pulse).toBe(63);
    });
  });

  describe('lists', () => {
    let token: string;
    beforeAll(async () => {
      token = await someone();
      await ingest(c.t, token, [
        windowEvent(D, 3 * HOUR, 'code'),
        windowEvent(D + 3 * HOUR, 2 * HOUR, 'firefox'),
        webEvent(D + 3 * HOUR, HOUR, 'https://github.com/acme/sundial'),
        webEvent(D + 4 * HOUR, 30 * MINUTE, 'https://www.youtube.com/watch?v=abc'),
        windowEvent(D + 5 * HOUR, 20 * MINUTE, 'Term'),
        windowEvent(D + 6 * HOUR, 10 * MINUTE, 'Slack'),
        // Away for the last 10 minutes of the editor: not counted anywhere but away.
        awayEvent(D + 2 * HOUR + 50 * MINUTE, 10 * MINUTE),
      ]);
    });

    it('byCategory, byApp and byDomain, largest first; browser time goes by site', async () => {
      const s = await summary(c.t, token, { from: '2025-05-10', to: '2025-05-10' });
      expect(s.activeSeconds).toBe(2 * 3600 + 50 * 60 + 2 * 3600 + 30 * 60);
      expect(s.awaySeconds).toBe(600);
      expect(s.byCategory).toEqual([
        {
          id: 'editing-ides',
          name: 'Editing & IDEs',
          path: ['Software Development', 'Editing & IDEs'],
          level: 2,
          seconds: 10_200,
        },
        {
          id: 'version-control',
          name: 'Version control',
          path: ['Software Development', 'Version control'],
          level: 2,
          seconds: 3600,
        },
        { id: null, name: 'Uncategorised', path: [], level: 0, seconds: 30 * 60 + 20 * 60 },
        { id: 'video', name: 'Video', path: ['Entertainment', 'Video'], level: -2, seconds: 1800 },
        { id: 'chat', name: 'Chat', path: ['Communication & Scheduling', 'Chat'], level: 0, seconds: 600 },
      ]);
      expect(s.byApp).toEqual([
        { name: 'code', category: { id: 'editing-ides', name: 'Editing & IDEs' }, level: 2, seconds: 10_200 },
        { name: 'firefox', category: null, level: 0, seconds: 7200 },
        { name: 'Term', category: null, level: 0, seconds: 1200 },
        { name: 'Slack', category: { id: 'chat', name: 'Chat' }, level: 0, seconds: 600 },
      ]);
      expect(s.byDomain).toEqual([
        { name: 'github.com', category: { id: 'version-control', name: 'Version control' }, level: 2, seconds: 3600 },
        { name: 'youtube.com', category: { id: 'video', name: 'Video' }, level: -2, seconds: 1800 },
      ]);
    });

    it('limit cuts the lists, not the totals', async () => {
      const s = await summary(c.t, token, { from: '2025-05-10', to: '2025-05-10', limit: 1 });
      expect(s.byCategory.map((x) => x.id)).toEqual(['editing-ides']);
      expect(s.byApp.map((x) => x.name)).toEqual(['code']);
      expect(s.byDomain.map((x) => x.name)).toEqual(['github.com']);
      expect(s.activeSeconds).toBe(2 * 3600 + 50 * 60 + 2 * 3600 + 30 * 60);
      const two = await summary(c.t, token, { from: '2025-05-10', to: '2025-05-10', limit: 2 });
      expect(two.byCategory).toHaveLength(2);
      expect(two.byApp).toHaveLength(2);
    });

    it('echoes the range with its instants, and the zone', async () => {
      const s = await summary(c.t, token, { from: '2025-05-10', to: '2025-05-11', tz: 'Asia/Kolkata' });
      expect(s.range).toEqual({
        from: '2025-05-10',
        to: '2025-05-11',
        start: '2025-05-09T18:30:00.000Z',
        end: '2025-05-11T18:30:00.000Z',
      });
      expect(s.tz).toBe('Asia/Kolkata');
      const utc = await summary(c.t, token, { from: '2025-05-10', to: '2025-05-10' });
      expect(utc.tz).toBe('UTC');
      expect(utc.range.start).toBe('2025-05-10T00:00:00.000Z');
    });
  });
});
