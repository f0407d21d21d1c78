import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  type CategoryInput,
  type CategoryRule,
  CATEGORY_RULE_LIMITS,
  UNCATEGORISED,
  compareRulePrecedence,
  compileRules,
  validateRules,
} from '../../src/categories/rules.js';
import type { Category } from '../../src/categories/tree.js';
import { compileIgnoreRule } from '../../src/privacy-rules.js';
import { hostOf, normaliseDomain } from '../../src/url.js';

const CATEGORIES: Category[] = [
  { id: 'dev', parentId: null, name: 'Software Development', level: 2, color: '#1f6feb' },
  { id: 'terminals', parentId: 'dev', name: 'Terminals', level: 1, color: '#0ea5e9' },
  { id: 'video', parentId: null, name: 'Video', level: -2, color: '#b91c1c' },
  { id: 'news', parentId: null, name: 'News', level: -1, color: '#f97316' },
];

let nextId = 0;
/** A person's rule filing matches under "dev", unless overridden. */
const rule = (
  field: CategoryRule['field'],
  match: CategoryRule['match'],
  pattern: string,
  overrides: Partial<CategoryRule> = {},
): CategoryRule => ({
  id: `r${String(nextId++).padStart(4, '0')}`,
  field,
  match,
  pattern,
  categoryId: 'dev',
  source: 'person',
  ...overrides,
});

const categorise = (rules: CategoryRule[], input: CategoryInput) => compileRules(rules, CATEGORIES).categorise(input);
const categoryOf = (rules: CategoryRule[], input: CategoryInput) => categorise(rules, input).categoryId;

describe('validateRules', () => {
  it('accepts valid rules, a null category, a level and unknown extra fields', () => {
    const rules = [
      rule('app', 'exact', 'code'),
      rule('title', 'glob', '* - VIM', { categoryId: null }),
      rule('domain', 'regex', '(?i)^news\\.', { level: -2, source: 'default' }),
      { ...rule('url', 'glob', '*://*/watch*'), example: { url: 'x' } } as CategoryRule,
    ];
    expect(validateRules(rules, CATEGORIES)).toBeNull();
    expect(validateRules([], [])).toBeNull();
  });

  it.each<[string, unknown, string]>([
    ['a non-list', 'rules', 'rules: must be a list of rules'],
    [
      'too many rules',
      Array.from({ length: CATEGORY_RULE_LIMITS.maxRules + 1 }, (_, i) => rule('app', 'exact', `a${i}`)),
      'rules: at most 5000 rules are allowed (got 5001)',
    ],
    ['a non-object', [7], 'rules[0]: must be an object with id, field, match, pattern, categoryId and source'],
    ['an empty id', [rule('app', 'exact', 'a', { id: '' })], 'rules[0].id: must be a non-empty string'],
    [
      'a long id',
      [rule('app', 'exact', 'a', { id: 'i'.repeat(101) })],
      'rules[0].id: is too long (101 characters, at most 100)',
    ],
    [
      'a duplicate id',
      [rule('app', 'exact', 'a', { id: 'x' }), rule('app', 'exact', 'b', { id: 'x' })],
      'rules[1].id: duplicate of rules[0].id',
    ],
    [
      'an unknown field',
      [rule('window' as 'app', 'exact', 'a')],
      'rules[0].field: must be one of app, title, domain, url',
    ],
    ['an unknown match', [rule('app', 'prefix' as 'exact', 'a')], 'rules[0].match: must be one of exact, glob, regex'],
    ['a non-string pattern', [rule('app', 'exact', 5 as unknown as string)], 'rules[0].pattern: must be a string'],
    ['a blank pattern', [rule('app', 'exact', '  ')], 'rules[0].pattern: must not be empty'],
    [
      'a long glob',
      [rule('title', 'glob', '*'.repeat(501))],
      'rules[0].pattern: glob is too long (501 characters, at most 500)',
    ],
    [
      'an invalid regex',
      [rule('title', 'regex', '(unclosed')],
      'rules[0].pattern: invalid regular expression: Unterminated group',
    ],
    [
      'an unsafe regex',
      [rule('title', 'regex', '^(a+)+$')],
      'rules[0].pattern: regex may take exponential time (nested quantifiers)',
    ],
    [
      'an exact domain that is not a host',
      [rule('domain', 'exact', 'https://example.com/')],
      'rules[0].pattern: must be a host name such as example.com (no scheme, port, path or spaces)',
    ],
    [
      'an unknown category',
      [rule('app', 'exact', 'a', { categoryId: 'gone' })],
      'rules[0].categoryId: no category has id "gone"',
    ],
    [
      'a non-string category',
      [rule('app', 'exact', 'a', { categoryId: 3 as unknown as string })],
      'rules[0].categoryId: must be a category id or null',
    ],
    [
      'a level out of range',
      [rule('app', 'exact', 'a', { level: 3 as 2 })],
      'rules[0].level: must be one of -2, -1, 0, 1, 2 when given',
    ],
    [
      'an unknown source',
      [rule('app', 'exact', 'a', { source: 'admin' as 'person' })],
      'rules[0].source: must be one of person, default',
    ],
  ])('rejects %s', (_, rules, message) => {
    expect(validateRules(rules as CategoryRule[], CATEGORIES)).toBe(message);
  });

  it('names the index of the first bad rule', () => {
    const rules = [rule('app', 'exact', 'a'), rule('app', 'exact', 'b'), rule('title', 'regex', '(a*)*')];
    expect(validateRules(rules, CATEGORIES)).toBe(
      'rules[2].pattern: regex may take exponential time (nested quantifiers)',
    );
  });
});

describe('compileRules', () => {
  it('throws a RangeError for invalid categories or rules', () => {
    expect(() => compileRules([], [{ ...CATEGORIES[0], color: 'red' } as Category])).toThrow(
      new RangeError('invalid categories: categories[0].color: must be a colour like #1a2b3c'),
    );
    expect(() => compileRules([rule('app', 'exact', 'a', { categoryId: 'gone' })], CATEGORIES)).toThrow(
      new RangeError('invalid category rules: rules[0].categoryId: no category has id "gone"'),
    );
  });
});

describe('matching', () => {
  it('compares exact apps and domains ignoring case, titles and urls with case', () => {
    expect(categoryOf([rule('app', 'exact', 'Code')], { app: 'code' })).toBe('dev');
    expect(categoryOf([rule('title', 'exact', 'Inbox')], { title: 'inbox' })).toBeNull();
    expect(categoryOf([rule('title', 'exact', 'Inbox')], { title: 'Inbox' })).toBe('dev');
    expect(categoryOf([rule('url', 'exact', 'https://a.example/X')], { url: 'https://a.example/x' })).toBeNull();
  });

  it('matches an exact domain, its subdomains and its www form, as ignore rules do', () => {
    const rules = [rule('domain', 'exact', 'www.YouTube.com', { categoryId: 'video' })];
    for (const domain of ['youtube.com', 'www.youtube.com', 'm.youtube.com', 'YOUTUBE.COM.']) {
      expect(categoryOf(rules, { domain })).toBe('video');
    }
    expect(categoryOf(rules, { domain: 'notyoutube.com' })).toBeNull();
    expect(categoryOf(rules, { domain: 'youtube.com.evil.example' })).toBeNull();
  });

  it('tries a domain glob with and without www, without extending it to subdomains', () => {
    const rules = [rule('domain', 'glob', 'amazon.*', { categoryId: 'video' })];
    expect(categoryOf(rules, { domain: 'www.amazon.co.uk' })).toBe('video');
    expect(categoryOf(rules, { url: 'https://amazon.de/dp/1' })).toBe('video');
    expect(categoryOf(rules, { domain: 'smile.amazon.com' })).toBeNull();
  });

  it('derives the domain from the url when none is given, and trusts a given one', () => {
    const rules = [rule('domain', 'exact', 'news.example', { categoryId: 'news' })];
    expect(categoryOf(rules, { url: 'https://www.News.Example:8443/a?b#c' })).toBe('news');
    expect(categoryOf(rules, { url: 'https://news.example/', domain: '' })).toBe('news');
    expect(categoryOf(rules, { url: 'https://news.example/', domain: 'other.example' })).toBeNull();
    expect(categoryOf(rules, { url: 'file:///news.example/x' })).toBeNull();
    expect(categoryOf(rules, { url: 'not a url' })).toBeNull();
  });

  it('matches globs on the whole value and regexes anywhere, both ignoring case', () => {
    expect(categoryOf([rule('title', 'glob', '* - youtube')], { title: 'Cats - YouTube' })).toBe('dev');
    expect(categoryOf([rule('title', 'glob', '* - youtube')], { title: 'Cats - YouTube — Firefox' })).toBeNull();
    expect(categoryOf([rule('title', 'regex', 'youtube')], { title: 'Cats - YouTube — Firefox' })).toBe('dev');
    expect(categoryOf([rule('title', 'regex', '(?i)^café$')], { title: 'CAFÉ' })).toBe('dev');
  });

  it('treats empty and non-string fields as absent', () => {
    const rules = [rule('title', 'glob', '*')];
    expect(categoryOf(rules, { title: '' })).toBeNull();
    expect(categoryOf(rules, { title: 3 as unknown as string })).toBeNull();
    expect(categoryOf(rules, { title: 'x' })).toBe('dev');
  });
});

describe('levels', () => {
  it("uses the category's level, or the rule's when it sets one", () => {
    expect(categorise([rule('app', 'exact', 'a', { categoryId: 'terminals' })], { app: 'a' }).level).toBe(1);
    expect(categorise([rule('app', 'exact', 'a', { categoryId: 'terminals', level: -1 })], { app: 'a' }).level).toBe(
      -1,
    );
  });

  it('lets a rule leave activity uncategorised, with or without a level', () => {
    const plain = rule('app', 'exact', 'a', { categoryId: null });
    expect(categorise([plain], { app: 'a' })).toEqual({ categoryId: null, level: 0, ruleId: plain.id });
    const levelled = rule('app', 'exact', 'a', { categoryId: null, level: 2 });
    expect(categorise([levelled], { app: 'a' })).toEqual({ categoryId: null, level: 2, ruleId: levelled.id });
  });

  it('is uncategorised at level 0 when no rule matches', () => {
    expect(categorise([rule('app', 'exact', 'a')], { app: 'b' })).toEqual(UNCATEGORISED);
    expect(categorise([], {})).toEqual({ categoryId: null, level: 0, ruleId: null });
  });
});

describe('precedence', () => {
  /** The winner among the rules for an input every one of them matches, checked in both list orders. */
  const winner = (rules: CategoryRule[], input: CategoryInput): string | null => {
    const forward = categorise(rules, input).ruleId;
    expect(categorise([...rules].reverse(), input).ruleId).toBe(forward);
    for (const r of rules) expect(categorise([r], input).ruleId).toBe(r.id);
    return forward;
  };
  const INPUT = { app: 'Firefox', title: 'Cats - YouTube', url: 'https://www.youtube.com/watch?v=1' };

  it('1. exact beats glob beats regex, whatever the field and source', () => {
    const exact = rule('app', 'exact', 'firefox', { source: 'default' });
    const glob = rule('title', 'glob', '*youtube*');
    const regex = rule('url', 'regex', 'youtube');
    expect(winner([regex, glob, exact], INPUT)).toBe(exact.id);
    expect(winner([regex, glob], INPUT)).toBe(glob.id);
  });

  it('2. a title or url rule beats an app or domain rule of the same kind', () => {
    const title = rule('title', 'glob', '*youtube', { source: 'default' });
    const url = rule('url', 'glob', '*youtube*', { source: 'default' });
    const app = rule('app', 'glob', 'fire*');
    const domain = rule('domain', 'glob', 'youtube.*');
    expect(winner([app, title], INPUT)).toBe(title.id);
    expect(winner([domain, url], INPUT)).toBe(url.id);
    expect(winner([app, domain, url], INPUT)).toBe(url.id);
    expect(winner([domain, app, title], INPUT)).toBe(title.id);
  });

  it('3. then a person’s rule beats a default', () => {
    const person = rule('app', 'exact', 'firefox', { categoryId: 'news' });
    const fallback = rule('domain', 'exact', 'youtube.com', { source: 'default', categoryId: 'video' });
    expect(winner([fallback, person], INPUT)).toBe(person.id);
    // Also when both compare equal to the same value.
    const defaultCode = rule('app', 'exact', 'Code', { id: 'a', source: 'default' });
    const personCode = rule('app', 'exact', 'code', { id: 'z', categoryId: 'news' });
    expect(winner([defaultCode, personCode], { app: 'CODE' })).toBe(personCode.id);
    const personTitle = rule('title', 'regex', 'cats');
    const defaultUrl = rule('url', 'regex', 'youtube\\.com/watch', { source: 'default' });
    expect(winner([defaultUrl, personTitle], INPUT)).toBe(personTitle.id);
  });

  it('4. then the longer pattern', () => {
    const short = rule('domain', 'exact', 'google.com', { id: 'a' });
    const long = rule('domain', 'exact', 'mail.google.com', { id: 'z' });
    expect(winner([short, long], { url: 'https://mail.google.com/mail/u/0/' })).toBe(long.id);
    // Length counts characters: "*é*" (3) is longer than "😀*" (2 characters, but 3 UTF-16 units).
    const emoji = rule('title', 'glob', '😀*', { id: 'a' });
    const accented = rule('title', 'glob', '*é*', { id: 'z' });
    expect(winner([emoji, accented], { title: '😀 é' })).toBe(accented.id);
  });

  it('5. then the smaller id', () => {
    const b = rule('app', 'glob', 'fire*', { id: 'b' });
    const a = rule('domain', 'glob', 'yout*', { id: 'a' });
    expect(winner([b, a], INPUT)).toBe('a');
  });

  it('applies the steps in order: an earlier step decides over every later one', () => {
    // Kind beats field group, source, length and id.
    const regexTitle = rule('title', 'regex', 'cats - youtube', { id: 'a' });
    const globApp = rule('app', 'glob', 'f*', { id: 'z', source: 'default' });
    expect(winner([regexTitle, globApp], INPUT)).toBe(globApp.id);
    // Field group beats source, length and id.
    const defaultTitle = rule('title', 'glob', '*', { id: 'z', source: 'default' });
    const personApp = rule('app', 'glob', 'firefox*', { id: 'a' });
    expect(winner([personApp, defaultTitle], INPUT)).toBe(defaultTitle.id);
    // Source beats length and id.
    const personShort = rule('app', 'glob', 'f*', { id: 'z' });
    const defaultLong = rule('app', 'glob', 'firefo*', { id: 'a', source: 'default' });
    expect(winner([defaultLong, personShort], INPUT)).toBe(personShort.id);
    // Length beats id.
    const shortA = rule('app', 'glob', 'f*', { id: 'a' });
    const longZ = rule('app', 'glob', 'fi*', { id: 'z' });
    expect(winner([shortA, longZ], INPUT)).toBe(longZ.id);
  });

  it('compareRulePrecedence is a total order: antisymmetric, transitive, zero only for the same id', () => {
    const arbitraryRule = fc.record({
      id: fc.string({ minLength: 1, maxLength: 4 }),
      field: fc.constantFrom('app', 'title', 'domain', 'url'),
      match: fc.constantFrom('exact', 'glob', 'regex'),
      pattern: fc.string({ minLength: 1, maxLength: 4 }),
      categoryId: fc.constant(null),
      source: fc.constantFrom('person', 'default'),
    }) as fc.Arbitrary<CategoryRule>;
    fc.assert(
      fc.property(arbitraryRule, arbitraryRule, arbitraryRule, (a, b, c) => {
        expect(Math.sign(compareRulePrecedence(a, b))).toBe(-Math.sign(compareRulePrecedence(b, a)) || 0);
        if (compareRulePrecedence(a, b) === 0) expect(a.id).toBe(b.id);
        if (compareRulePrecedence(a, b) < 0 && compareRulePrecedence(b, c) < 0) {
          expect(compareRulePrecedence(a, c)).toBeLessThan(0);
        }
      }),
    );
  });

  it('gives the same result whatever order the rules are listed in', () => {
    const rules = [
      rule('app', 'exact', 'firefox', { categoryId: 'news' }),
      rule('app', 'glob', 'f*'),
      rule('title', 'glob', '*YouTube', { categoryId: 'video', source: 'default' }),
      rule('domain', 'exact', 'youtube.com', { categoryId: 'video', source: 'default' }),
      rule('url', 'regex', 'watch', { categoryId: 'terminals' }),
      rule('title', 'exact', 'Cats - YouTube', { categoryId: null, level: 1 }),
    ];
    const inputs: CategoryInput[] = [
      INPUT,
      { app: 'firefox' },
      { title: 'Dogs - YouTube' },
      { url: 'https://youtube.com/watch' },
      { url: 'https://example.com/watch' },
      { app: 'fx' },
    ];
    const expected = inputs.map((input) => categorise(rules, input));
    fc.assert(
      fc.property(fc.shuffledSubarray(rules, { minLength: rules.length }), (shuffled) => {
        const categoriser = compileRules(shuffled, CATEGORIES);
        expect(inputs.map((input) => categoriser.categorise(input))).toEqual(expected);
      }),
    );
  });
});

describe('the result cache', () => {
  const rules = [
    rule('app', 'exact', 'code'),
    rule('title', 'glob', '*YouTube*', { categoryId: 'video' }),
    rule('domain', 'exact', 'news.example', { categoryId: 'news' }),
  ];

  it('remembers each distinct input once and returns the same result', () => {
    const categoriser = compileRules(rules, CATEGORIES);
    const first = categoriser.categorise({ app: 'code', title: 'a' });
    expect(categoriser.cachedCount).toBe(1);
    expect(categoriser.categorise({ title: 'a', app: 'code' })).toBe(first);
    expect(categoriser.cachedCount).toBe(1);
    categoriser.categorise({ app: 'code', title: 'b' });
    expect(categoriser.cachedCount).toBe(2);
  });

  it('keys on every field, so values in different fields never collide', () => {
    const categoriser = compileRules(rules, CATEGORIES);
    expect(categoriser.categorise({ app: 'code' }).categoryId).toBe('dev');
    expect(categoriser.categorise({ title: 'code' }).categoryId).toBeNull();
    expect(categoriser.categorise({ title: 'YouTube' }).categoryId).toBe('video');
    expect(categoriser.categorise({ app: 'YouTube' }).categoryId).toBeNull();
    expect(categoriser.categorise({ domain: 'news.example' }).categoryId).toBe('news');
    expect(categoriser.categorise({ url: 'news.example' }).categoryId).toBeNull();
    // A value containing the key's separators cannot pose as two fields.
    expect(categoriser.categorise({ app: 'code","x' }).categoryId).toBeNull();
  });

  it('treats an empty field as an absent one', () => {
    const categoriser = compileRules(rules, CATEGORIES);
    categoriser.categorise({ app: 'code' });
    categoriser.categorise({ app: 'code', title: '', url: '' });
    expect(categoriser.cachedCount).toBe(1);
  });

  it('stays within its size and keeps answering correctly after evicting', () => {
    const categoriser = compileRules(rules, CATEGORIES, { cacheSize: 2 });
    const inputs: CategoryInput[] = [
      { app: 'code' },
      { title: 'x YouTube' },
      { domain: 'news.example' },
      { app: 'vim' },
    ];
    for (let round = 0; round < 3; round += 1) {
      for (const input of inputs) {
        expect(categoriser.categorise(input)).toEqual(compileRules(rules, CATEGORIES).categorise(input));
        expect(categoriser.cachedCount).toBeLessThanOrEqual(2);
      }
    }
    expect(CATEGORY_RULE_LIMITS.cacheSize).toBe(10_000);
  });

  it('is not shared between categorisers', () => {
    const one = compileRules(rules, CATEGORIES);
    const other = compileRules([rule('app', 'exact', 'code', { categoryId: 'news' })], CATEGORIES);
    expect(one.categorise({ app: 'code' }).categoryId).toBe('dev');
    expect(other.categorise({ app: 'code' }).categoryId).toBe('news');
    expect(other.cachedCount).toBe(1);
  });

  it('hands out results that cannot be changed', () => {
    const result = compileRules(rules, CATEGORIES).categorise({ app: 'code' });
    expect(Object.isFrozen(result)).toBe(true);
    expect(Object.isFrozen(compileRules(rules, CATEGORIES).categorise({ app: 'none' }))).toBe(true);
  });
});

describe('robustness', () => {
  const input = fc.record(
    { app: fc.string(), title: fc.string(), domain: fc.string(), url: fc.oneof(fc.string(), fc.webUrl()) },
    { requiredKeys: [] },
  );
  const anyRule = fc.record({
    field: fc.constantFrom('app', 'title', 'domain', 'url'),
    match: fc.constantFrom('exact', 'glob', 'regex'),
    pattern: fc.string({ minLength: 1, maxLength: 20 }),
    categoryId: fc.constantFrom(null, 'dev', 'video'),
    source: fc.constantFrom('person', 'default'),
  });

  it('never throws and is deterministic for arbitrary strings and valid arbitrary rules', () => {
    fc.assert(
      fc.property(
        fc.array(anyRule, { maxLength: 8 }),
        fc.array(input, { minLength: 1, maxLength: 5 }),
        (raw, inputs) => {
          const rules = raw
            .map((r, i) => ({ ...r, id: `p${i}` }) as CategoryRule)
            .filter((r) => validateRules([r], CATEGORIES) === null);
          const cached = compileRules(rules, CATEGORIES);
          const tiny = compileRules(rules, CATEGORIES, { cacheSize: 1 });
          for (const activity of [...inputs, ...inputs]) {
            const result = cached.categorise(activity);
            expect(tiny.categorise(activity)).toEqual(result);
            expect(compileRules(rules, CATEGORIES).categorise(activity)).toEqual(result);
            expect([-2, -1, 0, 1, 2]).toContain(result.level);
            if (result.ruleId === null) expect(result).toEqual(UNCATEGORISED);
          }
        },
      ),
    );
  });

  /** The plain reading of the contract: the first rule in precedence order whose privacy-rules matcher matches. */
  const reference = (rules: CategoryRule[], input: CategoryInput): string | null => {
    const present = (value: string | undefined) => (value === undefined || value === '' ? null : value);
    const host = present(input.domain) ?? (present(input.url) === null ? null : hostOf(input.url ?? ''));
    const lower = host?.toLowerCase().replace(/\.$/, '');
    const hosts = lower === undefined ? [] : [lower, normaliseDomain(lower)].filter((h) => h !== '');
    const winner = [...rules].sort(compareRulePrecedence).find((r) => {
      const matcher = compileIgnoreRule(r);
      if (r.field === 'domain') return hosts.some((h) => matcher.test(h));
      const value = present(input[r.field]);
      return value !== null && matcher.test(value);
    });
    return winner?.id ?? null;
  };

  it('finds exact rules by look-up exactly as trying every matcher in order would', () => {
    const text = (chars: string[], maxLength = 8) =>
      fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength }).map((cs) => cs.join(''));
    const hostish = text(['a', 'B', 'b', 'w', 'ww', '.', 'www.']);
    const someRule = fc.record({
      field: fc.constantFrom('app', 'title', 'domain', 'url'),
      match: fc.constantFrom('exact', 'exact', 'glob', 'regex'),
      pattern: fc.oneof(hostish, text(['a', 'b', '*', '?', '.']), text(['a', 'b', '^', '$', '|', '.'])),
      source: fc.constantFrom('person', 'default'),
    });
    const activity = fc.record(
      {
        app: hostish,
        title: hostish,
        domain: fc.oneof(hostish, fc.constant('')),
        url: hostish.map((h) => `https://${h}/a`),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(someRule, { maxLength: 12 }), fc.array(activity, { maxLength: 6 }), (raw, inputs) => {
        const rules = raw
          .map((r, i) => ({ ...r, id: `r${i}`, categoryId: 'dev' }) as CategoryRule)
          .filter((r) => validateRules([r], CATEGORIES) === null);
        const categoriser = compileRules(rules, CATEGORIES);
        for (const input of inputs) expect(categoriser.categorise(input).ruleId).toBe(reference(rules, input));
      }),
      { numRuns: 500 },
    );
  });
});
