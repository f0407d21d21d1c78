import { describe, expect, it } from 'vitest';
import { evaluateQuery } from '../../src/query2/evaluate.js';
import { isEventList, isQueryEvent } from '../../src/query2/values.js';
import { PERIOD, T0, errorOf, ev, fakeSource, limits, run } from './support.js';

const WINDOW = [
  ev(0, 60, { app: 'Code', title: 'main.ts' }, 1),
  ev(60, 30, { app: 'Firefox', title: 'GitHub' }, 2),
  ev(90, 60, { app: 'Code', title: 'evaluate.ts' }, 3),
  ev(150, 70, { app: 'Firefox', title: 'Docs' }, 4),
];
const AFK = [
  ev(0, 100, { status: 'not-afk' }, 11),
  ev(100, 40, { status: 'afk' }, 12),
  ev(140, 100, { status: 'not-afk' }, 13),
];
const SOURCE = () =>
  fakeSource({
    'aw-watcher-window_laptop': { hostname: 'laptop', events: WINDOW },
    'aw-watcher-afk_laptop': { hostname: 'laptop', events: AFK },
  });

describe('evaluateQuery: the aw-webui program', () => {
  it('computes active time per app and category', async () => {
    const result = await run(
      [
        'events = flood(query_bucket(find_bucket("aw-watcher-window_")));',
        'not_afk = flood(query_bucket(find_bucket("aw-watcher-afk_")));',
        'not_afk = filter_keyvals(not_afk, "status", ["not-afk"]);',
        'events = filter_period_intersect(events, not_afk);',
        'events = categorize(events, [[["Work"], {"type": "regex", "regex": "Code|GitHub"}],',
        '  [["Work", "Programming"], {"type": "regex", "regex": "\\.ts$"}],',
        '  [["Media"], {"type": "regex", "regex": "youtube", "ignore_case": true}]]);',
        'app_events = sort_by_duration(merge_events_by_keys(events, ["app"]));',
        'cat_events = sort_by_duration(merge_events_by_keys(events, ["$category"]));',
        'RETURN = {"events": events, "app_events": app_events, "cat_events": cat_events,',
        '  "duration": sum_durations(events)};',
      ],
      SOURCE(),
    );
    const programming = ['Work', 'Programming'];
    expect(result).toEqual({
      events: [
        ev(0, 60, { app: 'Code', title: 'main.ts', $category: programming }),
        ev(60, 30, { app: 'Firefox', title: 'GitHub', $category: ['Work'] }),
        ev(90, 10, { app: 'Code', title: 'evaluate.ts', $category: programming }),
        ev(140, 10, { app: 'Code', title: 'evaluate.ts', $category: programming }),
        ev(150, 70, { app: 'Firefox', title: 'Docs', $category: ['Uncategorized'] }),
      ],
      app_events: [ev(60, 100, { app: 'Firefox' }), ev(0, 80, { app: 'Code' })],
      cat_events: [
        ev(0, 80, { $category: programming }),
        ev(150, 70, { $category: ['Uncategorized'] }),
        ev(60, 30, { $category: ['Work'] }),
      ],
      duration: 180,
    });
  });

  it('brands events, so callers can tell them from dicts of the same shape', async () => {
    const result = await run(
      ['RETURN = {"events": query_bucket("aw-watcher-afk_laptop"), "fake": {"start": 1, "duration": 2, "data": {}}};'],
      SOURCE(),
    );
    if (typeof result !== 'object' || result === null || Array.isArray(result)) throw new Error('not a dict');
    expect(isEventList(result.events)).toBe(true);
    expect(Array.isArray(result.events) && result.events.every((e) => isQueryEvent(e))).toBe(true);
    expect(isQueryEvent(result.fake)).toBe(false);
    expect(isEventList([result.fake])).toBe(false);
    const error = await errorOf(run(['RETURN = sum_durations([{"start": 1, "duration": 2, "data": {}}]);']));
    expect(error.message).toBe('line 1, column 24: sum_durations: argument 1 must be a list of events, got a list');
  });
});

describe('evaluateQuery: the language', () => {
  it('predefines TIMEINTERVAL, STARTTIME and ENDTIME as ISO strings', async () => {
    expect(await run('RETURN = [TIMEINTERVAL, STARTTIME, ENDTIME];')).toEqual([
      '2024-01-01T00:00:00.000Z/2024-01-01T01:00:00.000Z',
      '2024-01-01T00:00:00.000Z',
      '2024-01-01T01:00:00.000Z',
    ]);
  });

  it('evaluates literals, variables (case sensitive) and reassignment; the last RETURN wins', async () => {
    const result = await run([
      'a = 1; A = -2.5; RETURN = "first";',
      'list = [a, A, true, false, "s", [], {}];',
      'RETURN = {"list": list, "nested": {"x": [a]}, "none": nop()};',
    ]);
    expect(result).toEqual({ list: [1, -2.5, true, false, 's', [], {}], nested: { x: [1] }, none: null });
  });

  it('keeps the last of duplicate dict keys and treats __proto__ as an ordinary key', async () => {
    const result = await run('RETURN = {"k": 1, "k": 2, "__proto__": 3, "constructor": 4};');
    expect(JSON.stringify(result)).toBe('{"k":2,"__proto__":3,"constructor":4}');
    expect(Object.getPrototypeOf(result)).toBe(null);
  });

  it('keeps functions and variables apart', async () => {
    expect(await run('flood = 5; RETURN = [flood, sum_durations(flood([]))];')).toEqual([5, 0]);
  });

  it.each([
    ['an unknown function', 'RETURN = frobnicate(1);', "line 1, column 10: unknown function 'frobnicate'"],
    ['an Object.prototype name', 'RETURN = constructor();', "line 1, column 10: unknown function 'constructor'"],
    ['an unknown variable', 'x = 1;\nRETURN = X;', "line 2, column 10: unknown variable 'X'"],
    [
      'a function used as a variable',
      'RETURN = nop;',
      "line 1, column 10: unknown variable 'nop' (nop is a function: write nop(…))",
    ],
    [
      'too many arguments',
      'RETURN = sort_by_duration([], []);',
      'line 1, column 10: sort_by_duration takes 1 argument, got 2: sort_by_duration(events)',
    ],
    [
      'too few arguments',
      'RETURN = find_bucket();',
      'line 1, column 10: find_bucket takes 1 or 2 arguments, got 0: find_bucket(prefix[, hostname])',
    ],
    [
      'a wrong argument type',
      'RETURN = filter_keyvals([], 5, []);',
      'line 1, column 29: filter_keyvals: argument 2 must be a string, got a number',
    ],
    [
      'a dict instead of a list',
      'RETURN = merge_events_by_keys([], {"app": 1});',
      'line 1, column 35: merge_events_by_keys: argument 2 must be a list, got a dict',
    ],
    [
      'a list with a non-string key',
      'RETURN = merge_events_by_keys([], ["app", 2]);',
      'line 1, column 35: merge_events_by_keys: argument 2 must be a list of strings, item 2 is a number',
    ],
    [
      'an unknown bucket',
      'a = 1;\nRETURN = query_bucket("nope");',
      'line 2, column 23: query_bucket: no bucket with id "nope"',
    ],
    [
      'no bucket for find_bucket',
      'RETURN = find_bucket("aw-watcher-window_", "desktop");',
      'line 1, column 10: find_bucket: no bucket id starts with "aw-watcher-window_" on host "desktop"',
    ],
  ])('reports %s', async (_, text, message) => {
    expect((await errorOf(run(text, SOURCE()))).message).toBe(message);
  });

  it('requires RETURN even for programs built without the parser', async () => {
    const program = {
      statements: [
        { kind: 'assign' as const, name: 'a', value: { kind: 'integer' as const, value: 1, offset: 4 }, offset: 0 },
      ],
    };
    const error = await errorOf(evaluateQuery(program, 'a = 1', PERIOD, fakeSource({}), limits()));
    expect(error.message).toBe('line 1, column 6: the query never assigns RETURN');
  });

  it('rejects a period that ends before it starts', async () => {
    const error = await errorOf(
      evaluateQuery({ statements: [] }, '', { start: T0, end: T0 - 1 }, fakeSource({}), limits()),
    );
    expect(error.message).toMatch(/start ≤ end/);
  });
});

describe('evaluateQuery: limits', () => {
  const BIG = Array.from({ length: 5 }, (_, i) => ev(i * 10, 5, { i }));

  it('charges one step per expression plus argument sizes per call', async () => {
    // The list and its three items: 4 steps; the fourth (the item 3) is one too many.
    expect(await run('RETURN = [1, 2, 3];', undefined, limits({ maxSteps: 4 }))).toEqual([1, 2, 3]);
    const error = await errorOf(run('RETURN = [1, 2, 3];', undefined, limits({ maxSteps: 3 })));
    expect(error.message).toBe('line 1, column 17: query needs more than 3 steps of work');
  });

  it('stops work that exceeds the step budget before it starts', async () => {
    const source = fakeSource({ big: { events: BIG } });
    const error = await errorOf(
      run('RETURN = sort_by_duration(query_bucket("big"));', source, limits({ maxSteps: 20 })),
    );
    expect(error.message).toBe('line 1, column 10: query needs more than 20 steps of work');
  });

  it('asks the source for one event more than the budget has room for', async () => {
    const source = fakeSource({ big: { events: BIG } });
    expect(await run('RETURN = sum_durations(query_bucket("big"));', source, limits({ maxEvents: 5 }))).toBe(25);
    expect(source.calls).toEqual([{ bucketId: 'big', start: PERIOD.start, end: PERIOD.end, limit: 6 }]);
    const error = await errorOf(run('RETURN = query_bucket("big");', source, limits({ maxEvents: 4 })));
    expect(error.message).toBe('line 1, column 10: query holds more than 4 events');
    expect(source.calls[1]?.limit).toBe(5);
  });

  it('counts events held by variables and built during a statement', async () => {
    const source = fakeSource({ big: { events: BIG } });
    const lines = ['a = query_bucket("big");', 'b = a;', 'RETURN = sort_by_timestamp(a);'];
    // b = a shares a's list; sort_by_timestamp builds 5 more.
    expect(await run(lines, source, limits({ maxEvents: 10 }))).toHaveLength(5);
    expect((await errorOf(run(lines, source, limits({ maxEvents: 9 })))).message).toBe(
      'line 3, column 10: query holds more than 9 events',
    );
    // A literal repeating a list counts each copy, as serialising it would.
    const copies = await errorOf(
      run(['a = query_bucket("big");', 'RETURN = [a, a];'], source, limits({ maxEvents: 14 })),
    );
    expect(copies.message).toBe('line 2, column 10: query holds more than 14 events');
  });

  it('bounds the size and nesting of values built through variables', async () => {
    const ten = (name: string) => `[${Array.from({ length: 10 }, () => name).join(', ')}]`;
    const wide = await errorOf(
      run([
        'a = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1];',
        `b = ${ten('a')};`,
        `c = ${ten('b')};`,
        `d = ${ten('c')};`,
        `RETURN = ${ten('d')};`,
      ]),
    );
    expect(wide.message).toBe('line 5, column 10: value has more than 100000 items');
    const deep = await errorOf(run(['a = [];', ...Array.from({ length: 64 }, () => 'a = [a];'), 'RETURN = a;']));
    expect(deep.message).toBe('line 65, column 5: value nested deeper than 64 levels');
  });

  it('stops at the deadline after a slow read', async () => {
    let now = T0;
    const source = fakeSource({ big: { events: BIG } }, () => (now = T0 + 61_000));
    const error = await errorOf(run('a = 1;\nRETURN = query_bucket("big");', source, limits({ now: () => now })));
    expect(error.message).toBe('line 2, column 10: query took longer than its time limit');
  });

  it('reads the clock during long work, not only between calls', async () => {
    const many = Array.from({ length: 20_000 }, (_, i) => ev(i * 0.1, 0.1, { title: `t${String(i)}` }));
    const text = 'RETURN = categorize(query_bucket("many"), [[["A"], {"type": "regex", "regex": "t1"}]]);';
    let reads = 0;
    const counting = () => {
      reads += 1;
      return T0;
    };
    await run(text, fakeSource({ many: { events: many } }), limits({ now: counting }));
    // 7 reads at the statement and around the two calls, 4 more while categorize runs 20 000 regex tests.
    expect(reads).toBe(12);
    let lateReads = 0;
    const late = () => (++lateReads > 8 ? T0 + 61_000 : T0);
    const error = await errorOf(run(text, fakeSource({ many: { events: many } }), limits({ now: late })));
    expect(error.message).toBe('line 1, column 10: query took longer than its time limit');
    expect(lateReads).toBe(9);
  });
});
