import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { createTestApp, type TestApp } from '../helpers.js';
import { awCaller, baseTime, createBucket, iso, MINUTE, WINDOW_BUCKET, windowEvent, type AwCaller } from './support.js';

eachDatabase('ActivityWatch API: query', (kind) => {
  let t: TestApp;
  let me: AwCaller;
  let base: number;
  beforeEach(async () => {
    t = await createTestApp({ kind });
    me = await awCaller(t);
    base = baseTime();
    await createBucket(me);
    await me.post(`/api/0/buckets/${WINDOW_BUCKET}/events`, [
      windowEvent(base, 60, 'Code'),
      windowEvent(base + MINUTE, 30, 'Term'),
      windowEvent(base + 90_000, 120, 'Code'),
    ]);
  });
  afterEach(() => t.close());

  const period = (from: number, to: number) => `${iso(from)}/${iso(to)}`;

  it('runs query_bucket(find_bucket(…)) per period: events clipped, newest first, in wire form', async () => {
    const query = ['events = query_bucket(find_bucket("aw-watcher-window_"));', 'RETURN = events;'];
    for (const url of ['/api/0/query/', '/api/0/query']) {
      const res = await me.post(url, {
        query,
        timeperiods: [period(base, base + 10 * MINUTE), period(base + 30_000, base + 100_000)],
      });
      expect(res.statusCode).toBe(200);
      const [whole, part] = res.json();
      expect(whole.map((e: { data: { app: string }; duration: number }) => [e.data.app, e.duration])).toEqual([
        ['Code', 120],
        ['Term', 30],
        ['Code', 60],
      ]);
      expect(whole[0]).toEqual({
        id: expect.any(Number),
        timestamp: iso(base + 90_000),
        duration: 120,
        data: { app: 'Code', title: 'Code window' },
      });
      expect(part.map((e: { timestamp: string; duration: number }) => [e.timestamp, e.duration])).toEqual([
        [iso(base + 90_000), 10],
        [iso(base + MINUTE), 30],
        [iso(base + 30_000), 30],
      ]);
    }
  });

  it('merges, sums and answers plain values as JSON', async () => {
    const res = await me.post('/api/0/query/', {
      query: [
        'events = query_bucket(find_bucket("aw-watcher-window_"));',
        'by_app = sort_by_duration(merge_events_by_keys(events, ["app"]));',
        'RETURN = {"apps": by_app, "total": sum_durations(events), "buckets": query_bucket_names()};',
      ],
      timeperiods: [period(base, base + 10 * MINUTE)],
    });
    expect(res.statusCode).toBe(200);
    const [result] = res.json();
    expect(result.total).toBe(210);
    expect(result.buckets).toEqual([WINDOW_BUCKET]);
    expect(result.apps.map((e: { data: { app: string }; duration: number }) => [e.data.app, e.duration])).toEqual([
      ['Code', 180],
      ['Term', 30],
    ]);
  });

  it('answers a bad program with 400 and a message pointing into it', async () => {
    const cases: [string[], RegExp][] = [
      [['RETURN = query_bucket(find_bucket("nothing-like-this"));'], /no bucket id starts with/],
      [['RETURN = '], /line 1/],
      [['x = 1;'], /RETURN/],
      [['RETURN = no_such_function();'], /unknown function/],
    ];
    for (const [query, message] of cases) {
      const res = await me.post('/api/0/query/', { query, timeperiods: [period(base, base + MINUTE)] });
      expect(res.statusCode, query.join()).toBe(400);
      expect(res.json().message).toMatch(message);
    }
    const badPeriod = await me.post('/api/0/query/', { query: ['RETURN = 1;'], timeperiods: ['yesterday/today'] });
    expect(badPeriod.statusCode).toBe(400);
    expect(badPeriod.json().message).toContain('timeperiods[0]');
  });

  it('sees only the caller’s buckets', async () => {
    const other = await awCaller(t, 'other');
    const res = await other.post('/api/0/query/', {
      query: ['RETURN = query_bucket(find_bucket("aw-watcher-window_"));'],
      timeperiods: [period(base, base + MINUTE)],
    });
    expect(res.statusCode).toBe(400);
    expect(
      (
        await other.post('/api/0/query/', {
          query: ['RETURN = query_bucket_names();'],
          timeperiods: [period(base, base + MINUTE)],
        })
      ).json(),
    ).toEqual([[]]);
  });
});
