/**
 * The day timeline: blocks (contiguous pieces of one activity on one device
 * merged, browser time by site), away periods, and per-hour totals — 23 or
 * 25 of them on daylight-saving days, agreeing with the summary's day total.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import {
  awayEvent,
  ingest,
  iso,
  newPerson,
  newToken,
  settableClock,
  setup,
  webEvent,
  windowEvent,
  type Ctx,
} from '../activity/support.js';
import { HOUR, MINUTE, summary, timeline, trend, type TimelineView } from './support.js';

const NOW = Date.UTC(2025, 11, 15, 12);

const hourLabels = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${String(from + i).padStart(2, '0')}:00`);

eachDatabase('the day timeline', (kind) => {
  let c: Ctx;
  beforeAll(async () => {
    c = await setup(kind, settableClock(NOW));
  });
  afterAll(async () => c.t.close());

  /** A fresh person with a read+ingest token, so days do not mix between tests. */
  async function someone() {
    const me = await newPerson(c.t, 'timeline');
    const laptop = await newToken(c.t, me, ['ingest', 'read'], 'laptop');
    const desktop = await newToken(c.t, me, ['ingest', 'read'], 'desktop');
    return { me, laptop, desktop };
  }

  describe('daylight-saving days', () => {
    it('a 23-hour day (Europe/Berlin 2025-03-30) has 23 hours, all counted', async () => {
      const { laptop } = await someone();
      // From 23:00 local on the 29th to 01:00 local on the 31st: one event over the whole short day.
      const start = Date.UTC(2025, 2, 29, 22);
      const end = Date.UTC(2025, 2, 30, 23);
      await ingest(c.t, laptop.token, [windowEvent(start, end - start, 'code')]);

      const day = await timeline(c.t, laptop.token, { date: '2025-03-30', tz: 'Europe/Berlin' });
      expect(day.hours).toHaveLength(23);
      expect(day.hours.map((h) => h.label)).toEqual(['00:00', '01:00', ...hourLabels(3, 23)]);
      expect(day.hours[0]?.start).toBe('2025-03-29T23:00:00.000Z');
      expect(day.hours[2]?.start).toBe('2025-03-30T01:00:00.000Z');
      expect(day.hours[22]?.start).toBe('2025-03-30T21:00:00.000Z');
      for (const h of day.hours) {
        expect(h.activeSeconds).toBe(3600);
        expect(h.byProductivity).toEqual({ '-2': 0, '-1': 0, '0': 0, '1': 0, '2': 3600 });
      }
      // The block is the day's part of the event.
      expect(day.blocks).toEqual([
        expect.objectContaining({
          start: '2025-03-29T23:00:00.000Z',
          end: '2025-03-30T22:00:00.000Z',
          seconds: 23 * 3600,
          app: 'code',
          level: 2,
        }),
      ]);

      const s = await summary(c.t, laptop.token, { from: '2025-03-29', to: '2025-03-31', tz: 'Europe/Berlin' });
      expect(s.range).toEqual({
        from: '2025-03-29',
        to: '2025-03-31',
        start: '2025-03-28T23:00:00.000Z',
        end: '2025-03-31T22:00:00.000Z',
      });
      expect(s.byDay).toEqual([
        { date: '2025-03-29', activeSeconds: 3600, pulse: 100 },
        { date: '2025-03-30', activeSeconds: 23 * 3600, pulse: 100 },
        { date: '2025-03-31', activeSeconds: 3600, pulse: 100 },
      ]);
      expect(s.activeSeconds).toBe(25 * 3600);
      const one = await summary(c.t, laptop.token, { from: '2025-03-30', to: '2025-03-30', tz: 'Europe/Berlin' });
      expect(one.activeSeconds).toBe(23 * 3600);

      // The same instants cut in UTC: 24-hour days.
      const utc = await timeline(c.t, laptop.token, { date: '2025-03-30', tz: 'UTC' });
      expect(utc.hours).toHaveLength(24);
      expect(utc.hours.map((h) => h.activeSeconds)).toEqual([...Array(23).fill(3600), 0]);
    });

    it('a 25-hour day (Europe/Berlin 2025-10-26) has 25 hours, the repeated one twice', async () => {
      const { laptop } = await someone();
      const dayStart = Date.UTC(2025, 9, 25, 22);
      const dayEnd = Date.UTC(2025, 9, 26, 23);
      // Half an hour in the first 02:00 (CEST), the whole second 02:00 (CET), and the last hour.
      await ingest(c.t, laptop.token, [
        windowEvent(Date.UTC(2025, 9, 26, 0, 30), 30 * MINUTE, 'Term'),
        windowEvent(Date.UTC(2025, 9, 26, 1), HOUR, 'code'),
        windowEvent(dayEnd - HOUR, HOUR + 10 * MINUTE, 'Spotify'),
      ]);
      const day = await timeline(c.t, laptop.token, { date: '2025-10-26', tz: 'Europe/Berlin' });
      expect(day.hours).toHaveLength(25);
      expect(day.hours.map((h) => h.label)).toEqual(['00:00', '01:00', '02:00', ...hourLabels(2, 23)]);
      expect(day.hours[0]?.start).toBe(iso(dayStart));
      expect(day.hours[24]?.start).toBe(iso(dayEnd - HOUR));
      const seconds = day.hours.map((h) => h.activeSeconds);
      expect(seconds[2]).toBe(1800);
      expect(seconds[3]).toBe(3600);
      expect(seconds[24]).toBe(3600);
      expect(seconds.reduce((a, b) => a + b, 0)).toBe(1800 + 3600 + 3600);
      expect(day.hours[2]?.byProductivity['0']).toBe(1800);
      expect(day.hours[3]?.byProductivity['2']).toBe(3600);
      expect(day.hours[24]?.byProductivity['-1']).toBe(3600);

      const s = await summary(c.t, laptop.token, { from: '2025-10-26', to: '2025-10-27', tz: 'Europe/Berlin' });
      expect(s.byDay.map((d) => d.activeSeconds)).toEqual([9000, 600]);
      expect(s.range.start).toBe(iso(dayStart));
      expect(s.range.end).toBe('2025-10-27T23:00:00.000Z');
    });

    it('a 25-hour day in America/New_York (2025-11-02), and a 23-hour one (2025-03-09)', async () => {
      const { laptop } = await someone();
      const fall = { start: Date.UTC(2025, 10, 2, 4), end: Date.UTC(2025, 10, 3, 5) };
      const spring = { start: Date.UTC(2025, 2, 9, 5), end: Date.UTC(2025, 2, 10, 4) };
      await ingest(c.t, laptop.token, [
        windowEvent(fall.start, fall.end - fall.start, 'code'),
        windowEvent(spring.start, spring.end - spring.start, 'Term'),
      ]);
      const long = await timeline(c.t, laptop.token, { date: '2025-11-02', tz: 'America/New_York' });
      expect(long.hours.map((h) => h.label)).toEqual(['00:00', '01:00', '01:00', ...hourLabels(2, 23)]);
      expect(long.hours.every((h) => h.activeSeconds === 3600)).toBe(true);
      const short = await timeline(c.t, laptop.token, { date: '2025-03-09', tz: 'America/New_York' });
      expect(short.hours.map((h) => h.label)).toEqual(['00:00', '01:00', ...hourLabels(3, 23)]);
      expect(short.hours.every((h) => h.activeSeconds === 3600)).toBe(true);

      const s = await summary(c.t, laptop.token, { from: '2025-11-01', to: '2025-11-03', tz: 'America/New_York' });
      expect(s.byDay.map((d) => d.activeSeconds)).toEqual([0, 25 * 3600, 0]);
      const days = await trend(c.t, laptop.token, { from: '2025-03-08', to: '2025-03-10', tz: 'America/New_York' });
      expect(days.series.map((p) => [p.period, p.activeSeconds, p.pulse])).toEqual([
        ['2025-03-08', 0, null],
        ['2025-03-09', 23 * 3600, 50],
        ['2025-03-10', 0, null],
      ]);
    });

    it('a +05:30 zone cuts hours at half past UTC hours', async () => {
      const { laptop } = await someone();
      // 09:00–10:30 local in Kolkata.
      await ingest(c.t, laptop.token, [windowEvent(Date.UTC(2025, 4, 20, 3, 30), 90 * MINUTE, 'code')]);
      const day = await timeline(c.t, laptop.token, { date: '2025-05-20', tz: 'Asia/Kolkata' });
      expect(day.hours).toHaveLength(24);
      expect(day.hours[0]?.start).toBe('2025-05-19T18:30:00.000Z');
      expect(day.hours[9]).toMatchObject({ label: '09:00', start: '2025-05-20T03:30:00.000Z', activeSeconds: 3600 });
      expect(day.hours[10]).toMatchObject({ label: '10:00', activeSeconds: 1800 });
    });
  });

  describe('blocks and away periods', () => {
    // 10:00 in Berlin.
    const B = Date.UTC(2025, 4, 20, 8);
    let view: TimelineView;
    let laptopId: string;
    let desktopId: string;

    beforeAll(async () => {
      const { laptop, desktop } = await someone();
      laptopId = laptop.id;
      desktopId = desktop.id;
      await ingest(c.t, laptop.token, [
        // Two events of the same window, back to back: one block.
        windowEvent(B, 10 * MINUTE, 'code', 'index.ts'),
        windowEvent(B + 10 * MINUTE, 10 * MINUTE, 'code', 'index.ts'),
        // Another title: another block.
        windowEvent(B + 20 * MINUTE, 5 * MINUTE, 'code', 'other.ts'),
        // A browser: by site where a web event says which.
        windowEvent(B + 25 * MINUTE, 30 * MINUTE, 'firefox', 'Mozilla Firefox'),
        webEvent(B + 30 * MINUTE, 10 * MINUTE, 'https://github.com/acme/sundial/pull/1', 'Fix #1'),
        webEvent(B + 40 * MINUTE, 10 * MINUTE, 'https://www.youtube.com/watch?v=abc', 'Lofi - YouTube'),
        // Away in the middle of a window.
        windowEvent(B + 60 * MINUTE, 30 * MINUTE, 'code', 'index.ts'),
        awayEvent(B + 70 * MINUTE, 10 * MINUTE),
        awayEvent(B + 75 * MINUTE, 2 * MINUTE, false),
      ]);
      await ingest(c.t, desktop.token, [
        // Another device, between the laptop's two pieces of index.ts.
        windowEvent(B + 5 * MINUTE, 10 * MINUTE, 'Slack', 'general'),
        awayEvent(B + 100 * MINUTE, 10 * MINUTE),
      ]);
      view = await timeline(c.t, laptop.token, { date: '2025-05-20', tz: 'Europe/Berlin' });
    });

    const at = (minutes: number) => iso(B + minutes * MINUTE);

    it('merges contiguous pieces of one activity on one device, even with another device between', () => {
      const laptop = view.blocks.filter((b) => b.device === laptopId);
      expect(laptop.map((b) => [b.start, b.end, b.seconds, b.app, b.title, b.domain])).toEqual([
        [at(0), at(20), 1200, 'code', 'index.ts', null],
        [at(20), at(25), 300, 'code', 'other.ts', null],
        [at(25), at(30), 300, 'firefox', 'Mozilla Firefox', null],
        [at(30), at(40), 600, 'firefox', 'Fix #1', 'github.com'],
        [at(40), at(50), 600, 'firefox', 'Lofi - YouTube', 'youtube.com'],
        [at(50), at(55), 300, 'firefox', 'Mozilla Firefox', null],
        [at(60), at(70), 600, 'code', 'index.ts', null],
        [at(80), at(90), 600, 'code', 'index.ts', null],
      ]);
      const desktop = view.blocks.filter((b) => b.device === desktopId);
      expect(desktop.map((b) => [b.start, b.end, b.app, b.title])).toEqual([[at(5), at(15), 'Slack', 'general']]);
      expect(view.blocks).toHaveLength(9);
      // In order of start.
      const starts = view.blocks.map((b) => b.start);
      expect([...starts].sort()).toEqual(starts);
    });

    it("a browser's time shows the site's domain and category", () => {
      const byStart = new Map(view.blocks.map((b) => [`${b.device}/${b.start}`, b]));
      const github = byStart.get(`${laptopId}/${at(30)}`);
      expect(github?.category).toEqual({ id: 'version-control', name: 'Version control' });
      expect(github?.level).toBe(2);
      const youtube = byStart.get(`${laptopId}/${at(40)}`);
      expect(youtube?.category).toEqual({ id: 'video', name: 'Video' });
      expect(youtube?.level).toBe(-2);
      // No site shown: the browser itself is uncategorised.
      const bare = byStart.get(`${laptopId}/${at(25)}`);
      expect(bare?.category).toBeNull();
      expect(bare?.level).toBe(0);
      expect(byStart.get(`${laptopId}/${at(0)}`)?.category).toEqual({ id: 'editing-ides', name: 'Editing & IDEs' });
      expect(byStart.get(`${desktopId}/${at(5)}`)?.category).toEqual({ id: 'chat', name: 'Chat' });
    });

    it('lists away periods per device (afk only), cut from the blocks', () => {
      expect(view.away).toEqual([
        { start: at(70), end: at(80), seconds: 600, device: laptopId },
        { start: at(100), end: at(110), seconds: 600, device: desktopId },
      ]);
    });

    it('hour totals agree with the blocks and with the summary', async () => {
      const total = view.blocks.reduce((sum, b) => sum + b.seconds, 0);
      expect(view.hours.reduce((sum, h) => sum + h.activeSeconds, 0)).toBe(total);
      // 10:00–11:00 local: 55 minutes of the laptop and 10 of the desktop.
      const ten = view.hours.find((h) => h.label === '10:00');
      expect(ten?.activeSeconds).toBe(65 * 60);
      expect(ten?.byProductivity).toEqual({ '-2': 600, '-1': 0, '0': 1200, '1': 0, '2': 2100 });
      const eleven = view.hours.find((h) => h.label === '11:00');
      expect(eleven?.activeSeconds).toBe(20 * 60);
    });
  });

  it('an empty day: no blocks, no away, 24 empty hours', async () => {
    const { laptop } = await someone();
    const day = await timeline(c.t, laptop.token, { date: '2025-05-21', tz: 'Europe/Berlin' });
    expect(day).toMatchObject({ date: '2025-05-21', tz: 'Europe/Berlin', blocks: [], away: [] });
    expect(day.hours).toHaveLength(24);
    expect(day.hours.every((h) => h.activeSeconds === 0)).toBe(true);
  });

  it('without tz, days are cut in UTC', async () => {
    const { laptop } = await someone();
    await ingest(c.t, laptop.token, [windowEvent(Date.UTC(2025, 4, 20, 23, 30), HOUR, 'code')]);
    const day = await timeline(c.t, laptop.token, { date: '2025-05-20' });
    expect(day.tz).toBe('UTC');
    expect(day.blocks.map((b) => [b.start, b.end])).toEqual([['2025-05-20T23:30:00.000Z', '2025-05-21T00:00:00.000Z']]);
    expect(day.hours[23]?.activeSeconds).toBe(1800);
  });
});
