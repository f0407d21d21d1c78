import { describe, expect, it } from 'vitest';
import { errorOf, ev, fakeSource, run } from './support.js';

const EVENTS = [
  ev(0, 1, { app: 'Code', title: 'evaluate.ts — sundial' }),
  ev(1, 1, { app: 'Firefox', title: 'YouTube - Music', url: 'https://youtube.com/watch' }),
  ev(2, 1, { app: 'Firefox', title: 'Docs', url: 'https://github.com/x' }),
  ev(3, 1, { app: 'Terminal', title: 'vim', other: 'Code' }),
  ev(4, 1, { app: 5, title: null }),
];

/** `fn(sort_by_timestamp(query_bucket("e")), classes)`, then the given data key of each event. */
async function labels(fn: string, classes: string, key: string): Promise<unknown[]> {
  const text = `RETURN = ${fn}(sort_by_timestamp(query_bucket("e")), ${classes});`;
  const result = await run(text, fakeSource({ e: { events: EVENTS } }));
  if (!Array.isArray(result)) throw new Error('not a list');
  return result.map((e) => (e as { data: Record<string, unknown> }).data[key]);
}

async function failure(fn: string, classes: string): Promise<string> {
  return (await errorOf(run(`RETURN = ${fn}([], ${classes});`))).message;
}

const rule = (regex: string, ignoreCase = false) =>
  `{"type": "regex", "regex": ${JSON.stringify(regex)}, "ignore_case": ${String(ignoreCase)}}`;

describe('categorize', () => {
  it('picks the deepest matching path, the later class on ties, else Uncategorized', async () => {
    const classes = `[
      [["Work"], ${rule('Code|github')}],
      [["Work", "Programming"], ${rule('\\.ts')}],
      [["Media"], ${rule('youtube', true)}],
      [["Fun"], ${rule('YouTube')}],
      [["Deep", "Unused", "Path"], {"type": "none"}],
      [[], ${rule('.')}]
    ]`;
    expect(await labels('categorize', classes, '$category')).toEqual([
      ['Work', 'Programming'],
      ['Fun'],
      ['Work'],
      ['Uncategorized'],
      ['Uncategorized'],
    ]);
  });

  it('matches app, title and url only, case-sensitively unless asked, (?i) included', async () => {
    expect(await labels('categorize', `[[["C"], ${rule('code')}]]`, '$category')).toEqual(
      Array.from({ length: 5 }, () => ['Uncategorized']),
    );
    expect(await labels('categorize', `[[["C"], ${rule('(?i)code')}]]`, '$category')).toEqual([
      ['C'],
      ['Uncategorized'],
      ['Uncategorized'],
      ['Uncategorized'],
      ['Uncategorized'],
    ]);
    expect(await labels('categorize', `[[["Web"], ${rule('^https://github')}]]`, '$category')).toEqual([
      ['Uncategorized'],
      ['Uncategorized'],
      ['Web'],
      ['Uncategorized'],
      ['Uncategorized'],
    ]);
  });

  it('keeps the rest of the event', async () => {
    const result = await run(
      `RETURN = categorize(query_bucket("e"), [[["A"], ${rule('a')}]]);`,
      fakeSource({ e: { events: [ev(0, 5, { app: 'a', n: 1 }, 9)] } }),
    );
    expect(result).toEqual([ev(0, 5, { app: 'a', n: 1, $category: ['A'] }, 9)]);
  });

  it.each([
    ['a class that is not a pair', '[[["A"]]]', 'class 1 must be a list of two items, [label, rule]'],
    ['a non-list path', `[["A", ${rule('a')}]]`, 'the label of class 1 must be a list, got a string'],
    ['a non-string path part', `[[["A", 1], ${rule('a')}]]`, 'the label of class 1 must be a list of strings'],
    ['a rule that is not a dict', '[[["A"], "a"]]', 'the rule of class 1 must be a dict, got a string'],
    [
      'an unknown rule type',
      '[[["A"], {"type": "glob"}]]',
      'the rule of class 1 must have "type": "regex" or "none", got "glob"',
    ],
    ['a missing regex', '[[["A"], {"type": "regex"}]]', 'the rule of class 1 needs a string "regex"'],
    [
      'a non-boolean ignore_case',
      '[[["A"], {"type": "regex", "regex": "a", "ignore_case": 1}]]',
      'the rule of class 1 has a non-boolean "ignore_case"',
    ],
    [
      'an invalid regex',
      `[[["A"], ${rule('(a')}]]`,
      'invalid regex "(a": Invalid regular expression: /(a/: Unterminated group',
    ],
    [
      'an exponential regex',
      `[[["A"], ${rule('(a+)+$')}]]`,
      'invalid regex "(a+)+$": regex may take exponential time (nested quantifiers)',
    ],
  ])('rejects %s', async (_, classes, message) => {
    expect(await failure('categorize', classes)).toBe(`line 1, column 25: categorize: ${message}`);
  });
});

describe('tag', () => {
  it('sets $tags to every matching tag, sorted and without duplicates', async () => {
    const classes = `[["work", ${rule('Code|vim')}], ["browser", ${rule('Firefox')}], ["work", ${rule('github')}], ["media", ${rule('YouTube')}]]`;
    expect(await labels('tag', classes, '$tags')).toEqual([
      ['work'],
      ['browser', 'media'],
      ['browser', 'work'],
      ['work'],
      [],
    ]);
  });

  it('accepts category paths as tags', async () => {
    const classes = `[[["Work", "Code"], ${rule('Code')}], ["Browser", ${rule('Firefox')}], [["Work"], ${rule('github')}]]`;
    expect(await labels('tag', classes, '$tags')).toEqual([
      [['Work', 'Code']],
      ['Browser'],
      ['Browser', ['Work']],
      [],
      [],
    ]);
  });
});

describe('filter_keyvals_regex', () => {
  it('keeps events whose string value at the key matches (unanchored search)', async () => {
    const events = [
      ev(0, 1, { title: 'GitHub - sundial' }),
      ev(1, 1, { title: 'github' }),
      ev(2, 1, { title: 5 }),
      ev(3, 1, { app: 'GitHub' }),
    ];
    const source = () => fakeSource({ e: { events } });
    expect(await run('RETURN = filter_keyvals_regex(query_bucket("e"), "title", "Git[Hh]ub");', source())).toEqual([
      events[0],
    ]);
    expect(await run('RETURN = filter_keyvals_regex(query_bucket("e"), "title", "(?i)^github");', source())).toEqual([
      events[1],
      events[0],
    ]);
    const error = await errorOf(run('RETURN = filter_keyvals_regex([], "title", "(.*)*x");'));
    expect(error.message).toBe(
      'line 1, column 44: filter_keyvals_regex: invalid regex "(.*)*x": regex may take exponential time (nested quantifiers)',
    );
  });
});
