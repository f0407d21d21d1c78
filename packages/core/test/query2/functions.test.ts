import { describe, expect, it } from 'vitest';
import { errorOf, ev, fakeSource, run } from './support.js';

/** Runs `RETURN = <expression>;` with the buckets a and b (a's events are returned newest first). */
function value(expression: string, a: ReturnType<typeof ev>[] = [], b: ReturnType<typeof ev>[] = []) {
  return run(
    `a = query_bucket("a");\nb = query_bucket("b");\nRETURN = ${expression};`,
    fakeSource({ a: { events: a }, b: { events: b } }),
  );
}

async function failure(expression: string, a: ReturnType<typeof ev>[] = []): Promise<string> {
  return (await errorOf(value(expression, a))).message;
}

describe('bucket functions', () => {
  const source = () =>
    fakeSource({
      'aw-watcher-window_b': { hostname: 'desktop', events: [] },
      'aw-watcher-window_a': {
        hostname: 'laptop',
        events: [ev(-30, 60, { app: 'x' }, 7), ev(3590, 60, { app: 'y' }, 8)],
      },
      'aw-watcher-window': { hostname: 'laptop', events: [] },
      'aw-watcher-afk_a': { hostname: 'laptop', events: [] },
    });

  it('find_bucket prefers an exact id, else the first prefix match, optionally on one host', async () => {
    expect(await run('RETURN = find_bucket("aw-watcher-window_");', source())).toBe('aw-watcher-window_b');
    expect(await run('RETURN = find_bucket("aw-watcher-window_", "laptop");', source())).toBe('aw-watcher-window_a');
    expect(await run('RETURN = find_bucket("aw-watcher-window");', source())).toBe('aw-watcher-window');
    expect(await run('RETURN = find_bucket("aw-watcher-afk", "laptop");', source())).toBe('aw-watcher-afk_a');
  });

  it('query_bucket_names lists every id in the source order', async () => {
    expect(await run('RETURN = query_bucket_names();', source())).toEqual([
      'aw-watcher-window_b',
      'aw-watcher-window_a',
      'aw-watcher-window',
      'aw-watcher-afk_a',
    ]);
  });

  it('query_bucket returns the events clipped to the period, newest first, with their ids', async () => {
    expect(await run('RETURN = query_bucket("aw-watcher-window_a");', source())).toEqual([
      ev(3590, 10, { app: 'y' }, 8),
      ev(0, 30, { app: 'x' }, 7),
    ]);
  });

  it('nop returns null', async () => {
    expect(await run('RETURN = nop();')).toBe(null);
  });
});

describe('event functions', () => {
  const KEYED = [
    ev(0, 1, { k: 1 }),
    ev(1, 1, { k: '1' }),
    ev(2, 1, { k: 2, x: true }),
    ev(3, 1, { other: 1 }),
    ev(4, 1, { k: [1, 2] }),
    ev(5, 1, { k: { a: 1, b: 2 } }),
  ];
  const [k1, kString, k2, other, kList, kDict] = KEYED;

  it('filter_keyvals keeps events whose value equals one of the values (JSON equality)', async () => {
    expect(await value('filter_keyvals(a, "k", [1, 2])', KEYED)).toEqual([k2, k1]);
    expect(await value('filter_keyvals(a, "k", [[1, 2], {"b": 2, "a": 1}])', KEYED)).toEqual([kDict, kList]);
    expect(await value('filter_keyvals(a, "k", [])', KEYED)).toEqual([]);
  });

  it('exclude_keyvals drops those events and keeps events without the key', async () => {
    expect(await value('exclude_keyvals(a, "k", [1, 2])', KEYED)).toEqual([kDict, kList, other, kString]);
    expect(await value('exclude_keyvals(a, "toString", ["x"])', KEYED)).toHaveLength(6);
  });

  it('filter_period_intersect clips events to the periods', async () => {
    const events = [ev(0, 12, { k: 'a' }, 1), ev(12, 6, { k: 'b' }, 2)];
    const periods = [ev(0, 6, {}), ev(9, 7, {})];
    expect(await value('filter_period_intersect(a, b)', events, periods)).toEqual([
      ev(0, 6, { k: 'a' }),
      ev(9, 3, { k: 'a' }),
      ev(12, 4, { k: 'b' }),
    ]);
  });

  it('period_union merges the time of both lists and drops data', async () => {
    const result = await value(
      'period_union(a, b)',
      [ev(0, 10, { k: 1 }), ev(20, 10, { k: 2 })],
      [ev(5, 20, {}), ev(40, 10, {})],
    );
    expect(result).toEqual([ev(0, 30, {}), ev(40, 10, {})]);
  });

  it('union_no_overlap adds the parts of b that a does not cover', async () => {
    const result = await value('union_no_overlap(a, b)', [ev(0, 10, { k: 'a' })], [ev(5, 10, { k: 'b' })]);
    expect(result).toEqual([ev(0, 10, { k: 'a' }), ev(10, 5, { k: 'b' })]);
  });

  it('concat joins event lists, or plain lists, but not both', async () => {
    expect(await value('concat(a, b, [])', [ev(0, 1, { n: 1 })], [ev(5, 1, { n: 2 })])).toEqual([
      ev(0, 1, { n: 1 }),
      ev(5, 1, { n: 2 }),
    ]);
    expect(await value('concat()')).toEqual([]);
    expect(await value('concat(["x"], [], ["y", 1])')).toEqual(['x', 'y', 1]);
    expect(await failure('concat(a, ["x"])', [ev(0, 1, {})])).toBe(
      'line 3, column 10: concat: cannot concatenate lists of events with other lists',
    );
    expect(await failure('concat(a, "x")')).toBe('line 3, column 20: concat: argument 2 must be a list, got a string');
  });

  it('merge_events_by_keys sums durations per combination, keeping the earliest start and only those keys', async () => {
    const events = [
      ev(0, 10, { app: 'A', title: '1' }, 1),
      ev(20, 5, { app: 'B' }, 2),
      ev(30, 7, { app: 'A', title: '2' }, 3),
      ev(40, 3, { title: 'x' }, 4),
    ];
    // Input is newest first, so groups come out in that order of first appearance.
    expect(await value('merge_events_by_keys(a, ["app"])', events)).toEqual([
      ev(0, 17, { app: 'A' }),
      ev(20, 5, { app: 'B' }),
    ]);
    expect(await value('merge_events_by_keys(a, ["app", "title"])', events)).toEqual([
      ev(30, 7, { app: 'A', title: '2' }),
      ev(0, 10, { app: 'A', title: '1' }),
    ]);
    expect(await value('merge_events_by_keys(a, [])', events)).toEqual([]);
    expect(await value('merge_events_by_keys(a, ["toString"])', events)).toEqual([]);
    const structured = [ev(0, 1, { k: { a: 1, b: [2] } }), ev(5, 2, { k: { b: [2], a: 1 } }), ev(9, 4, { k: '1' })];
    expect(await value('merge_events_by_keys(a, ["k"])', structured)).toEqual([
      ev(9, 4, { k: '1' }),
      ev(0, 3, { k: { b: [2], a: 1 } }),
    ]);
  });

  it('chunk_events_by_key merges runs of equal values in list order, skipping events without the key', async () => {
    const events = [
      ev(0, 1, { k: 1, x: 'a' }),
      ev(1, 1, { j: 1 }),
      ev(2, 2, { k: 1 }),
      ev(4, 1, { k: 2 }),
      ev(5, 1, { k: 1 }),
    ];
    expect(await value('chunk_events_by_key(sort_by_timestamp(a), "k")', events)).toEqual([
      ev(0, 3, { k: 1 }),
      ev(4, 1, { k: 2 }),
      ev(5, 1, { k: 1 }),
    ]);
  });

  it('sort_by_duration sorts longest first, keeping the order of equal durations', async () => {
    const events = [ev(0, 1, { n: 0 }), ev(1, 3, { n: 1 }), ev(4, 1, { n: 2 }), ev(5, 2, { n: 3 })];
    expect(await value('sort_by_duration(a)', events)).toEqual([
      ev(1, 3, { n: 1 }),
      ev(5, 2, { n: 3 }),
      ev(4, 1, { n: 2 }),
      ev(0, 1, { n: 0 }),
    ]);
  });

  it('sort_by_timestamp sorts by start, oldest first', async () => {
    const events = [ev(5, 1, { n: 0 }), ev(0, 3, { n: 1 }), ev(3, 1, { n: 2 })];
    expect(await value('sort_by_timestamp(a)', events)).toEqual([
      ev(0, 3, { n: 1 }),
      ev(3, 1, { n: 2 }),
      ev(5, 1, { n: 0 }),
    ]);
  });

  it('limit_events keeps the first n events', async () => {
    const events = [ev(0, 1, { n: 0 }), ev(1, 1, { n: 1 }), ev(2, 1, { n: 2 })];
    expect(await value('limit_events(a, 2)', events)).toEqual([ev(2, 1, { n: 2 }), ev(1, 1, { n: 1 })]);
    expect(await value('limit_events(a, 0)', events)).toEqual([]);
    expect(await value('limit_events(a, 10)', events)).toHaveLength(3);
    expect(await failure('limit_events(a, -1)')).toBe(
      'line 3, column 26: limit_events: argument 2 must be an integer ≥ 0',
    );
    expect(await failure('limit_events(a, 1.5)')).toBe(
      'line 3, column 26: limit_events: argument 2 must be an integer ≥ 0',
    );
  });

  it('sum_durations returns seconds as a float', async () => {
    expect(await value('sum_durations(a)', [ev(0, 1.5, {}), ev(2, 0.25, {}), ev(3, 0.001, {})])).toBe(1.751);
    expect(await value('sum_durations([])')).toBe(0);
  });

  it('flood fills gaps up to the pulsetime (seconds, default 5)', async () => {
    const same = [ev(0, 10, { k: 'a' }), ev(12, 8, { k: 'a' })];
    expect(await value('flood(a)', same)).toEqual([ev(0, 20, { k: 'a' })]);
    expect(await value('flood(a, 1)', same)).toEqual([ev(0, 10, { k: 'a' }), ev(12, 8, { k: 'a' })]);
    expect(await value('flood(a, 1.5)', [ev(0, 10, { k: 'a' }), ev(11.5, 1, { k: 'a' })])).toEqual([
      ev(0, 12.5, { k: 'a' }),
    ]);
    const different = [ev(0, 10, { k: 'a' }), ev(14, 6, { k: 'b' })];
    expect(await value('flood(a)', different)).toEqual([ev(0, 12, { k: 'a' }), ev(12, 8, { k: 'b' })]);
    expect(await failure('flood(a, -1)')).toBe(
      'line 3, column 19: flood: pulsetime must be a number of seconds between 0 and one year',
    );
  });

  it('split_url_events adds the URL parts and leaves events without a valid url unchanged', async () => {
    const events = [
      ev(0, 1, { url: 'https://www.github.com/sundial?tab=1#top', title: 'x' }, 1),
      ev(1, 1, { url: 'about:blank' }),
      ev(2, 1, { url: 'nonsense' }),
      ev(3, 1, { url: 5 }),
      ev(4, 1, { title: 'no url' }),
    ];
    const parts = { $protocol: 'https', $domain: 'github.com', $path: '/sundial', $params: 'tab=1', $options: 'top' };
    expect(await value('sort_by_timestamp(split_url_events(a))', events)).toEqual([
      ev(0, 1, { url: 'https://www.github.com/sundial?tab=1#top', title: 'x', ...parts }, 1),
      ev(1, 1, { url: 'about:blank', $protocol: 'about', $domain: 'about', $path: 'blank', $params: '', $options: '' }),
      ...events.slice(2),
    ]);
  });

  it('never modifies its inputs', async () => {
    const events = [ev(0, 10, { app: 'A', url: 'https://x.org/' }), ev(12, 8, { app: 'A' })];
    const copy = structuredClone(events);
    const source = fakeSource({ a: { events } });
    await run(
      [
        'a = query_bucket("a");',
        'x = [flood(a), sort_by_duration(a), sort_by_timestamp(a), split_url_events(a), merge_events_by_keys(a, ["app"])];',
        'RETURN = [x, categorize(a, [[["A"], {"type": "regex", "regex": "A"}]]), a];',
      ],
      source,
    );
    expect(events).toEqual(copy);
    expect(await run('a = query_bucket("a"); b = flood(a); RETURN = a;', source)).toEqual([copy[1], copy[0]]);
  });
});
