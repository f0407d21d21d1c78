/**
 * Reports agree to the second with a reference computed from the raw events
 * (support.ts): fast-check sends random window, web and away events of two
 * devices through the API over a few days around a daylight-saving change
 * (or in a half-hour zone), then asks for the summary, the trend, the first
 * day's timeline (hours and away periods) and the analytic data of random
 * date ranges in random zones.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { eachDatabase } from '../../../../test/support/databases.js';
import { createTestApp, type TestApp } from '../helpers.js';
import { ingest, iso, newPerson, newToken, settableClock, type Kind, type WireEvent } from '../activity/support.js';
import {
  addDays,
  analytic,
  DAY,
  expectedSummary,
  expectedTimeline,
  expectedTrend,
  HOUR,
  MINUTE,
  reference,
  summary,
  summaryShape,
  timeline,
  trend,
} from './support.js';

/** After every scenario, so no event is in the future. */
const NOW = Date.UTC(2025, 11, 15, 12);

interface Scenario {
  readonly zone: string;
  /** The first local date of the scenario (events start around its midnight). */
  readonly first: string;
  readonly start: number;
}

const SCENARIOS: readonly Scenario[] = [
  // 23-hour day 2025-03-30, and the month ends on the 31st.
  { zone: 'Europe/Berlin', first: '2025-03-28', start: Date.UTC(2025, 2, 27, 22) },
  // 25-hour day 2025-10-26.
  { zone: 'Europe/Berlin', first: '2025-10-24', start: Date.UTC(2025, 9, 23, 22) },
  // 25-hour day 2025-11-02, just after a month edge.
  { zone: 'America/New_York', first: '2025-10-31', start: Date.UTC(2025, 9, 31, 4) },
  // 23-hour day 2025-03-09.
  { zone: 'America/New_York', first: '2025-03-07', start: Date.UTC(2025, 2, 7, 5) },
  // +05:30, across a month edge.
  { zone: 'Asia/Kolkata', first: '2025-01-30', start: Date.UTC(2025, 0, 29, 18, 30) },
];

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'UTC'] as const;
/** Events fall within this long from the scenario's start (local dates first … first+3). */
const SPAN = 3 * DAY + 20 * HOUR;

// An editor (very productive by default), an uncategorised app, a browser (time by site), music (−1), chat (0).
const APPS = ['code', 'Term', 'firefox', 'firefox', 'Spotify', 'Slack'] as const;
const TITLES = [undefined, 'notes', 'Lofi beats - YouTube'] as const;
const URLS = [
  'https://github.com/acme/sundial',
  'https://www.youtube.com/watch?v=abc',
  'https://en.wikipedia.org/wiki/Sundial',
  'https://three.example/',
  'about:blank',
] as const;

interface Spec {
  device: number;
  kind: Kind;
  offset: number;
  durationMs: number;
  app: number;
  title: number;
  url: number;
  afk: boolean;
}

const specArb: fc.Arbitrary<Spec> = fc.record({
  device: fc.nat({ max: 1 }),
  kind: fc.constantFrom<Kind>('window', 'window', 'window', 'web', 'web', 'away'),
  offset: fc.integer({ min: 0, max: SPAN }),
  durationMs: fc.oneof(
    { weight: 1, arbitrary: fc.constant(0) },
    { weight: 3, arbitrary: fc.integer({ min: 1, max: 10 * MINUTE }) },
    { weight: 4, arbitrary: fc.integer({ min: 10 * MINUTE, max: 3 * HOUR }) },
    { weight: 2, arbitrary: fc.integer({ min: 3 * HOUR, max: 14 * HOUR }) },
  ),
  app: fc.nat({ max: APPS.length - 1 }),
  title: fc.nat({ max: TITLES.length - 1 }),
  url: fc.nat({ max: URLS.length - 1 }),
  afk: fc.constantFrom(true, true, true, false),
});

interface Query {
  zone: number;
  /** Days after the scenario's first date (may start before it). */
  fromDay: number;
  days: number;
  bucket: 'day' | 'week' | 'month';
  weekStart: number;
}

const queryArb: fc.Arbitrary<Query> = fc.record({
  zone: fc.nat({ max: ZONES.length }), // ZONES.length: the scenario's own zone
  fromDay: fc.integer({ min: -1, max: 3 }),
  days: fc.integer({ min: 1, max: 5 }),
  bucket: fc.constantFrom('day' as const, 'week' as const, 'month' as const),
  weekStart: fc.integer({ min: 1, max: 7 }),
});

function wire(scenario: Scenario, spec: Spec): WireEvent {
  const start = iso(scenario.start + spec.offset);
  const duration = spec.durationMs / 1000;
  const id = randomUUID();
  const title = TITLES[spec.title];
  switch (spec.kind) {
    case 'window':
      return { id, kind: 'window', start, duration, data: { app: APPS[spec.app], ...(title ? { title } : {}) } };
    case 'web':
      return { id, kind: 'web', start, duration, data: { url: URLS[spec.url], ...(title ? { title } : {}) } };
    case 'away':
      return { id, kind: 'away', start, duration, data: { status: spec.afk ? 'afk' : 'not-afk' } };
  }
}

eachDatabase('reports equal a reference computed from raw events', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ kind, now: settableClock(NOW).now });
  });
  afterAll(async () => t.close());

  it('summary, trend, timeline hours and analytic data, to the second, around DST changes and in a +05:30 zone', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SCENARIOS),
        fc.array(specArb, { minLength: 3, maxLength: 40 }),
        fc.array(queryArb, { minLength: 1, maxLength: 3 }),
        async (scenario, specs, queries) => {
          const me = await newPerson(t, 'reports');
          const tokens = [(await newToken(t, me)).token, (await newToken(t, me, ['ingest', 'read'], 'desktop')).token];
          for (const device of [0, 1]) {
            const events = specs.filter((s) => s.device === device).map((s) => wire(scenario, s));
            // Two batches per device, so rollups are kept by deltas over existing events too.
            const half = Math.ceil(events.length / 2);
            for (const batch of [events.slice(0, half), events.slice(half)]) {
              if (batch.length > 0) await ingest(t, tokens[device] as string, batch);
            }
          }
          const ref = await reference(t, me.id);
          const token = tokens[0] as string;

          for (const q of queries) {
            const tz = q.zone === ZONES.length ? scenario.zone : (ZONES[q.zone] as string);
            const from = addDays(scenario.first, q.fromDay);
            const to = addDays(from, q.days - 1);
            const where = `${from}…${to} in ${tz}`;

            const got = await summary(t, token, { from, to, tz, limit: 1000 });
            const want = expectedSummary(ref, from, to, tz);
            expect(summaryShape(got), `summary ${where}`).toEqual(want);
            expect(got.byDay.map((d) => d.date)).toEqual(want.byDay.map((d) => d.date));

            const series = await trend(t, token, { from, to, tz, bucket: q.bucket, weekStart: q.weekStart });
            expect(series.series, `trend by ${q.bucket} (week from ${q.weekStart}) ${where}`).toEqual(
              expectedTrend(ref, from, to, tz, q.bucket, q.weekStart),
            );

            const day = await timeline(t, token, { date: from, tz });
            expect({ hours: day.hours, away: day.away }, `timeline of ${from} in ${tz}`).toEqual(
              expectedTimeline(ref, from, tz),
            );

            const levels = await analytic(t, token, {
              perspective: 'rank',
              restrict_kind: 'productivity',
              restrict_begin: from,
              restrict_end: to,
              tz,
            });
            // Rows are levels with time; a few milliseconds round to 0 seconds.
            const byLevel = Object.fromEntries(levels.rows.filter((r) => r[1] !== 0).map((r) => [String(r[3]), r[1]]));
            const nonZero = Object.fromEntries(Object.entries(want.byProductivity).filter(([, s]) => s > 0));
            expect(byLevel, `analytic productivity ${where}`).toEqual(nonZero);
          }
        },
      ),
      { numRuns: 40, interruptAfterTimeLimit: 50_000, markInterruptAsFailure: false },
    );
  }, 120_000);
});
