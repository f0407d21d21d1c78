/**
 * Re-categorisation as reports see it: after a rules change, past time moves
 * to its new category once /api/v1/categorisation says `current` (progress
 * visible meanwhile, and the summary flags it), the rollups still equal a
 * recomputation from the raw events, and the reports still equal the
 * reference of support.ts.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { randomUUID } from 'node:crypto';
import { raw, withBearer, withCookie } from '../accounts/support.js';
import {
  expectRollupsConsistent,
  ingest,
  newPerson,
  newToken,
  settableClock,
  setup,
  webEvent,
  windowEvent,
  type Ctx,
  type WireEvent,
} from '../activity/support.js';
import { DAY, expectedSummary, HOUR, MINUTE, reference, summary, summaryShape, type SummaryView } from './support.js';

const NOW = Date.UTC(2025, 11, 15, 12);
/** Two weeks of history per step of the run (services/activity/recategorise.ts). */
const CHUNK_MS = 14 * DAY;
const SLOT = 15 * MINUTE;
const FIRST = Date.UTC(2016, 0, 4, 9);
const LAST = Date.UTC(2025, 10, 28, 9);
/** The history below ends with YouTube, 2025-11-29 20:00–20:30. */
const END = Date.UTC(2025, 10, 29, 20, 30);
/** Steps of a run over it: from the first event's slot to the end of the last one's. */
const CHUNKS = Math.ceil((Math.ceil(END / SLOT) * SLOT - Math.floor(FIRST / SLOT) * SLOT) / CHUNK_MS);

interface Status {
  state: 'current' | 'running';
  version: number;
  categorisedVersion: number;
  done: number | null;
  total: number | null;
}

eachDatabase('re-categorisation in reports', (kind) => {
  let c: Ctx;
  const events: WireEvent[] = [];
  let termEvents = 0;

  beforeAll(async () => {
    c = await setup(kind, settableClock(NOW));
    // Nearly ten years of history: an hour of an uncategorised terminal every 30 days…
    for (let at = FIRST; at <= LAST; at += 30 * DAY) {
      events.push(windowEvent(at, HOUR, 'Term'));
      termEvents += 1;
    }
    // …and YouTube in a browser now and then.
    for (const at of [Date.UTC(2020, 5, 1, 20), Date.UTC(2025, 10, 29, 20)]) {
      events.push(
        windowEvent(at, 30 * MINUTE, 'firefox'),
        webEvent(at, 30 * MINUTE, 'https://www.youtube.com/watch?v=x'),
      );
    }
    events.push(windowEvent(LAST + HOUR, HOUR, 'code'));
    await ingest(c.t, c.token, events);
  });
  afterAll(async () => c.t.close());

  const RANGE = { from: '2016-01-01', to: '2025-12-14', limit: 100 };
  const status = async (): Promise<Status> => {
    const res = await c.t.app.inject({ method: 'GET', url: '/api/v1/categorisation', ...withBearer(c.token) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Status>();
  };
  const addRule = async (body: Record<string, unknown>) => {
    const res = await c.t.app.inject({
      method: 'POST',
      url: '/api/v1/rules',
      payload: body,
      ...withCookie(c.me.cookie),
    });
    expect(res.statusCode, res.body).toBe(201);
  };
  const category = (s: SummaryView, id: string | null) => s.byCategory.find((x) => x.id === id);
  /** The reports agree with the reference computed from raw events and the current rules. */
  const expectReference = async (s: SummaryView) => {
    const ref = await reference(c.t, c.me.id);
    expect(summaryShape(s)).toEqual(expectedSummary(ref, RANGE.from, RANGE.to, 'UTC'));
  };

  it('starts current, with past terminal time uncategorised', async () => {
    expect(await status()).toMatchObject({ state: 'current', done: null, total: null });
    const s = await summary(c.t, c.token, RANGE);
    expect(s.recategorising).toBe(false);
    expect(category(s, null)?.seconds).toBe(termEvents * 3600);
    expect(category(s, 'terminals')).toBeUndefined();
    await expectReference(s);
  });

  /** Polls /api/v1/categorisation until `current`; answers every answer seen. */
  async function untilCurrent(first: Status): Promise<Status[]> {
    const seen: Status[] = [first];
    const deadline = Date.now() + 60_000;
    while (seen[seen.length - 1]?.state !== 'current') {
      if (Date.now() > deadline) throw new Error(`re-categorisation did not finish: ${JSON.stringify(seen.at(-1))}`);
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(await status());
    }
    return seen;
  }

  it('after a new rule, past time moves to the new category once categorisation is current', async () => {
    const before = await status();
    await addRule({ field: 'app', match: 'exact', pattern: 'Term', categoryId: 'terminals' });
    const seen = await untilCurrent(await status());
    const last = seen[seen.length - 1] as Status;
    expect(last.version).toBeGreaterThan(before.version);
    expect(last).toEqual({
      state: 'current',
      version: last.version,
      categorisedVersion: last.version,
      done: null,
      total: null,
    });

    const after = await summary(c.t, c.token, RANGE);
    expect(after.recategorising).toBe(false);
    expect(category(after, 'terminals')).toEqual({
      id: 'terminals',
      name: 'Terminals',
      path: ['Software Development', 'Terminals'],
      level: 2,
      seconds: termEvents * 3600,
    });
    expect(category(after, null)).toBeUndefined();
    expect(after.byProductivity['2']).toBe(termEvents * 3600 + 3600);
    expect(after.byProductivity['0']).toBe(0);
    await expectRollupsConsistent(c.t, c.me.id);
    await expectReference(after);
  }, 90_000);

  // On SQLite the run must yield to the event loop between chunks (better-sqlite3 answers
  // synchronously): otherwise the POST itself answers only after the run, and nothing is served meanwhile.
  it('while history is re-categorised: progress (done of total) is visible, and the summary says so', async () => {
    // Someone else with the same history, whose first run this is.
    const other = await newPerson(c.t, 'progress');
    const { token } = await newToken(c.t, other, ['ingest', 'read']);
    await ingest(
      c.t,
      token,
      events.map((e) => ({ ...e, id: randomUUID() })),
    );
    const get = async () => {
      const res = await c.t.app.inject({ method: 'GET', url: '/api/v1/categorisation', ...withBearer(token) });
      return res.json<Status>();
    };
    const res = await c.t.app.inject({
      method: 'POST',
      url: '/api/v1/rules',
      payload: { field: 'app', match: 'exact', pattern: 'Term', categoryId: 'terminals' },
      ...withCookie(other.cookie),
    });
    expect(res.statusCode, res.body).toBe(201);
    const first = await get();
    expect(first).toMatchObject({ state: 'running', version: 1, categorisedVersion: 0 });
    expect((await summary(c.t, token, RANGE)).recategorising).toBe(true);

    const seen: Status[] = [first];
    const deadline = Date.now() + 60_000;
    while (seen[seen.length - 1]?.state !== 'current' && Date.now() < deadline) {
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(await get());
    }
    expect(seen[seen.length - 1]).toEqual({
      state: 'current',
      version: 1,
      categorisedVersion: 1,
      done: null,
      total: null,
    });
    const progress = seen.filter((x) => x.state === 'running' && x.done !== null);
    expect(progress.length, `answers seen: ${JSON.stringify(seen.slice(0, 5))}`).toBeGreaterThan(0);
    for (const p of progress) {
      expect(p.total).toBe(CHUNKS);
      expect(p.done).toBeGreaterThanOrEqual(1);
      expect(p.done).toBeLessThanOrEqual(CHUNKS);
    }
    const dones = progress.map((p) => p.done as number);
    expect([...dones].sort((a, b) => a - b)).toEqual(dones);
    expect((await summary(c.t, token, RANGE)).recategorising).toBe(false);
    await expectRollupsConsistent(c.t, other.id);
  }, 90_000);

  // PostgreSQL only: holding the device rows FOR UPDATE keeps the run from finishing a chunk. A
  // new version must not show the previous run's progress ("259 of 259") before its first chunk.
  if (kind === 'postgres') {
    it("a new run does not report the previous run's progress as its own", async () => {
      expect(await status()).toMatchObject({ state: 'current', done: null, total: null });
      // Hold the person's device rows so the run cannot finish a chunk while we look.
      await raw(c.t, (db) =>
        db.transaction().execute(async (trx) => {
          await trx.selectFrom('devices').select('id').where('user_id', '=', c.me.id).forUpdate().execute();
          await addRule({ field: 'app', match: 'exact', pattern: 'Spotify', categoryId: 'music' });
          const first = await status();
          expect(first.state).toBe('running');
          expect((await summary(c.t, c.token, RANGE)).recategorising).toBe(true);
          // No chunk of this run is done: nothing, or 0, of its chunks.
          expect(first.done ?? 0, JSON.stringify(first)).toBe(0);
        }),
      ).finally(() => c.t.services.activity.recategoriser.idle(c.me.id));
    }, 90_000);
  }

  it("a rule with its own level: the time takes the rule's level, the category keeps its own", async () => {
    const youtube = 2 * 1800;
    const before = await summary(c.t, c.token, RANGE);
    expect(category(before, 'video')?.seconds).toBe(youtube);
    expect(before.byProductivity['-2']).toBe(youtube);

    await addRule({ field: 'domain', match: 'exact', pattern: 'youtube.com', categoryId: 'reference', level: 2 });
    await c.t.services.activity.recategoriser.idle(c.me.id);
    expect((await status()).state).toBe('current');

    const after = await summary(c.t, c.token, RANGE);
    expect(category(after, 'video')).toBeUndefined();
    expect(category(after, 'reference')).toEqual({
      id: 'reference',
      name: 'Reference & Learning',
      path: ['Reference & Learning'],
      level: 1,
      seconds: youtube,
    });
    expect(after.byProductivity['-2']).toBe(0);
    expect(after.byProductivity['2']).toBe(before.byProductivity['2'] + youtube);
    expect(after.pulse).toBe(100);
    // byDomain names the site with its new category.
    expect(after.byDomain).toEqual([
      { name: 'youtube.com', category: { id: 'reference', name: 'Reference & Learning' }, level: 2, seconds: youtube },
    ]);
    await expectRollupsConsistent(c.t, c.me.id);
    await expectReference(after);
  }, 90_000);

  it('time sent while a run goes: rollups and reports still equal the reference', async () => {
    await addRule({ field: 'app', match: 'exact', pattern: 'Slack', categoryId: 'meetings', level: 1 });
    // Into the middle of history and at its ends, while the run works through it.
    await Promise.all([
      ingest(c.t, c.token, [
        windowEvent(Date.UTC(2019, 6, 1, 9), HOUR, 'Slack'),
        windowEvent(FIRST - DAY, HOUR, 'Slack'),
      ]),
      ingest(c.t, c.token, [windowEvent(Date.UTC(2025, 11, 13, 9), 30 * MINUTE, 'Slack')]),
    ]);
    await c.t.services.activity.recategoriser.idle(c.me.id);
    expect((await status()).state).toBe('current');
    const s = await summary(c.t, c.token, RANGE);
    expect(category(s, 'meetings')?.seconds).toBe(2 * 3600 + 1800);
    await expectRollupsConsistent(c.t, c.me.id);
    await expectReference(s);
  }, 90_000);

  it('new time is classified with the new rules at once', async () => {
    await ingest(c.t, c.token, [windowEvent(Date.UTC(2025, 11, 14, 9), HOUR, 'Term')]);
    const s = await summary(c.t, c.token, { from: '2025-12-14', to: '2025-12-14' });
    expect(s.byCategory.map((x) => [x.id, x.seconds])).toEqual([['terminals', 3600]]);
    await expectRollupsConsistent(c.t, c.me.id);
  });
});
