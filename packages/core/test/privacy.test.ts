import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  type ActivityContent,
  type ActivityKind,
  type DetailLevel,
  type PrivacySettings,
  DEFAULT_PRIVACY,
  compilePrivacy,
} from '../src/privacy.js';
import { type IgnoreRule, PRIVACY_LIMITS, validateIgnoreRules } from '../src/privacy-rules.js';
import { checkRegexSafety } from '../src/regex-safety.js';
import { domainOf } from '../src/url.js';

const settings = (overrides: Partial<PrivacySettings> = {}): PrivacySettings => ({ ...DEFAULT_PRIVACY, ...overrides });
const rule = (field: IgnoreRule['field'], match: IgnoreRule['match'], pattern: string): IgnoreRule => ({
  field,
  match,
  pattern,
});
/** The result of applying settings with these rules (detail full) to one activity. */
const filter = (rules: IgnoreRule[], content: ActivityContent, kind: ActivityKind = 'web'): ActivityContent | null =>
  compilePrivacy(settings({ ignore: rules })).apply(kind, content);
const dropped = (rules: IgnoreRule[], content: ActivityContent, kind: ActivityKind = 'web'): boolean =>
  filter(rules, content, kind) === null;

const WINDOW = { app: 'Firefox', title: 'Inbox (3) - Mail', url: 'https://www.Mail.Example.com/inbox?id=1#top' };

describe('DEFAULT_PRIVACY', () => {
  it('is full detail, no rules, not paused, kept forever, no working hours', () => {
    expect(DEFAULT_PRIVACY).toEqual({
      detail: 'full',
      ignore: [],
      paused: false,
      retentionDays: null,
      workingHours: null,
    });
  });
});

describe('detail levels', () => {
  const full = { ...WINDOW, domain: 'mail.example.com' };
  it.each<[DetailLevel, ActivityKind, ActivityContent]>([
    ['full', 'window', full],
    ['full', 'web', full],
    ['full', 'away', {}],
    ['domain', 'window', { app: 'Firefox', domain: 'mail.example.com' }],
    ['domain', 'web', { app: 'Firefox', domain: 'mail.example.com' }],
    ['domain', 'away', {}],
    ['app', 'window', { app: 'Firefox' }],
    ['app', 'web', {}],
    ['app', 'away', {}],
  ])('%s × %s', (detail, kind, expected) => {
    expect(compilePrivacy(settings({ detail })).apply(kind, WINDOW)).toEqual(expected);
  });

  it('copies only the four content fields, and only strings', () => {
    const content = { app: 'code', title: 't', incognito: true, tabCount: 4, url: 42 } as unknown as ActivityContent;
    expect(compilePrivacy(DEFAULT_PRIVACY).apply('window', content)).toEqual({ app: 'code', title: 't' });
  });

  it('leaves fields that are absent absent', () => {
    const apply = (detail: DetailLevel, content: ActivityContent) =>
      compilePrivacy(settings({ detail })).apply('window', content);
    expect(apply('full', { title: 'only a title' })).toEqual({ title: 'only a title' });
    expect(apply('domain', { title: 'only a title' })).toEqual({});
    expect(apply('app', { title: 'only a title' })).toEqual({});
    expect(apply('domain', {})).toEqual({});
  });

  it('does not modify its input', () => {
    const content = { ...WINDOW };
    compilePrivacy(settings({ detail: 'app' })).apply('window', content);
    expect(content).toEqual(WINDOW);
  });
});

describe('domain derivation', () => {
  const at = (detail: DetailLevel, content: ActivityContent) =>
    compilePrivacy(settings({ detail })).apply('web', content);

  it('derives the domain from an http(s) url when none is given', () => {
    expect(at('domain', { url: 'https://www.GitHub.com:443/x/y' })).toEqual({ domain: 'github.com' });
    expect(at('full', { url: 'http://news.example.org/' })).toEqual({
      url: 'http://news.example.org/',
      domain: 'news.example.org',
    });
  });

  it('keeps a given domain as given, and derives over an empty one', () => {
    expect(at('domain', { url: 'https://a.example/', domain: 'b.example' })).toEqual({ domain: 'b.example' });
    expect(at('domain', { url: 'https://a.example/', domain: '' })).toEqual({ domain: 'a.example' });
  });

  it('adds no domain for pages that have none', () => {
    for (const url of ['file:///home/me/notes.txt', 'about:blank', 'chrome://settings', 'not a url']) {
      expect(at('domain', { app: 'Chrome', url }), url).toEqual({ app: 'Chrome' });
      expect(at('full', { url }), url).toEqual({ url });
    }
  });
});

describe('pause', () => {
  it('drops every kind of activity', () => {
    const paused = compilePrivacy(settings({ paused: true }));
    for (const kind of ['window', 'web', 'away'] as const) expect(paused.apply(kind, WINDOW), kind).toBeNull();
  });
});

describe('away events', () => {
  it('carry no strings and are never dropped by ignore rules', () => {
    const rules = [rule('app', 'exact', 'Firefox'), rule('title', 'glob', '*'), rule('url', 'regex', '.')];
    expect(filter(rules, WINDOW, 'away')).toEqual({});
  });
});

describe('ignore rules: exact', () => {
  it('matches app case-insensitively, whole value only', () => {
    expect(dropped([rule('app', 'exact', 'firefox')], WINDOW)).toBe(true);
    expect(dropped([rule('app', 'exact', 'FIREFOX')], WINDOW)).toBe(true);
    expect(dropped([rule('app', 'exact', 'Fire')], WINDOW)).toBe(false);
    expect(dropped([rule('app', 'exact', 'Firefox ')], WINDOW)).toBe(false);
  });

  it('matches title and url case-sensitively', () => {
    expect(dropped([rule('title', 'exact', 'Inbox (3) - Mail')], WINDOW)).toBe(true);
    expect(dropped([rule('title', 'exact', 'inbox (3) - mail')], WINDOW)).toBe(false);
    expect(dropped([rule('title', 'exact', 'Inbox')], WINDOW)).toBe(false);
    expect(dropped([rule('url', 'exact', WINDOW.url)], WINDOW)).toBe(true);
    expect(dropped([rule('url', 'exact', WINDOW.url.toLowerCase())], WINDOW)).toBe(false);
  });

  it('matches a domain and its subdomains, ignoring case and www. on both sides', () => {
    const on = (pattern: string, url: string) => dropped([rule('domain', 'exact', pattern)], { url });
    expect(on('example.com', 'https://example.com/')).toBe(true);
    expect(on('example.com', 'https://www.example.com/')).toBe(true);
    expect(on('www.example.com', 'https://example.com/')).toBe(true);
    expect(on('Example.COM', 'https://MAIL.example.com/')).toBe(true);
    expect(on('example.com', 'https://a.b.example.com:8080/')).toBe(true);
    expect(on('example.com.', 'https://example.com./')).toBe(true);
    expect(on('mail.example.com', 'https://mail.example.com/')).toBe(true);
    expect(on('mail.example.com', 'https://example.com/')).toBe(false);
    expect(on('mail.example.com', 'https://docs.example.com/')).toBe(false);
    expect(on('example.com', 'https://notexample.com/')).toBe(false);
    expect(on('example.com', 'https://example.com.evil.net/')).toBe(false);
    expect(on('example.com', 'file:///example.com/')).toBe(false);
  });

  it('uses the given domain when there is no url', () => {
    expect(dropped([rule('domain', 'exact', 'example.com')], { domain: 'WWW.example.com' })).toBe(true);
    expect(dropped([rule('domain', 'exact', 'example.com')], { domain: 'other.org' })).toBe(false);
  });

  it('matches the url host and the given domain alike when they disagree', () => {
    const content = { url: 'https://bank.example/', domain: 'harmless.example' };
    expect(dropped([rule('domain', 'exact', 'bank.example')], content)).toBe(true);
    expect(dropped([rule('domain', 'exact', 'harmless.example')], content)).toBe(true);
  });
});

describe('ignore rules: glob', () => {
  it('matches the whole value case-insensitively with * and ?', () => {
    expect(dropped([rule('app', 'glob', 'fire*')], WINDOW)).toBe(true);
    expect(dropped([rule('app', 'glob', 'F?REFOX')], WINDOW)).toBe(true);
    expect(dropped([rule('app', 'glob', 'fire')], WINDOW)).toBe(false);
    expect(dropped([rule('app', 'glob', 'irefox')], WINDOW)).toBe(false);
    expect(dropped([rule('app', 'glob', 'Firefox?')], WINDOW)).toBe(false);
    expect(dropped([rule('title', 'glob', '*(3)*')], WINDOW)).toBe(true);
    expect(dropped([rule('title', 'glob', '*private*')], WINDOW)).toBe(false);
    expect(dropped([rule('url', 'glob', 'https://www.mail.example.com/*')], WINDOW)).toBe(true);
    expect(dropped([rule('url', 'glob', 'https://*.example.com/inbox?id=?#top')], WINDOW)).toBe(true);
  });

  it('treats everything but * and ? literally', () => {
    expect(dropped([rule('title', 'glob', 'a.c')], { title: 'abc' })).toBe(false);
    expect(dropped([rule('title', 'glob', 'a.c')], { title: 'A.C' })).toBe(true);
    expect(dropped([rule('title', 'glob', '[ab]+(c)|$^\\d')], { title: '[ab]+(c)|$^\\d' })).toBe(true);
    expect(dropped([rule('title', 'glob', '[ab]')], { title: 'a' })).toBe(false);
  });

  it('counts ? as one character, also outside the BMP', () => {
    expect(dropped([rule('title', 'glob', 'x?y')], { title: 'x😀y' })).toBe(true);
    expect(dropped([rule('title', 'glob', 'x??y')], { title: 'x😀y' })).toBe(false);
    expect(dropped([rule('title', 'glob', '*')], { title: '' })).toBe(true);
    expect(dropped([rule('title', 'glob', '?*')], { title: '' })).toBe(false);
  });

  it('*.example.com matches subdomains, including www, but not the apex', () => {
    const on = (pattern: string, url: string) => dropped([rule('domain', 'glob', pattern)], { url });
    expect(on('*.example.com', 'https://mail.example.com/')).toBe(true);
    expect(on('*.example.com', 'https://www.example.com/')).toBe(true);
    expect(on('*.Example.com', 'https://a.b.example.com/')).toBe(true);
    expect(on('*.example.com', 'https://example.com/')).toBe(false);
    expect(on('example.com', 'https://example.com/')).toBe(true);
    expect(on('example.com', 'https://www.example.com/')).toBe(true);
    expect(on('example.com', 'https://mail.example.com/')).toBe(false);
    expect(on('www.example.com', 'https://www.example.com/')).toBe(true);
    expect(on('example.*', 'https://example.co.uk/')).toBe(true);
  });

  it('stays fast on patterns that would make a backtracking regex crawl', () => {
    const pattern = `${'*a'.repeat(200)}*b`;
    const started = performance.now();
    expect(dropped([rule('title', 'glob', pattern)], { title: 'a'.repeat(5000) })).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('ignore rules: regex', () => {
  it('searches (not anchored) and ignores case', () => {
    expect(dropped([rule('title', 'regex', 'inbox')], WINDOW)).toBe(true);
    expect(dropped([rule('title', 'regex', '\\(\\d+\\)')], WINDOW)).toBe(true);
    expect(dropped([rule('title', 'regex', '^Mail')], WINDOW)).toBe(false);
    expect(dropped([rule('app', 'regex', 'fox$')], WINDOW)).toBe(true);
    expect(dropped([rule('url', 'regex', '[?&]id=')], WINDOW)).toBe(true);
    expect(dropped([rule('domain', 'regex', '^mail\\.example\\.com$')], WINDOW)).toBe(true);
    expect(dropped([rule('domain', 'regex', '^www\\.')], WINDOW)).toBe(true);
    expect(dropped([rule('domain', 'regex', 'bank')], WINDOW)).toBe(false);
  });

  it('accepts a leading (?i) as ActivityWatch rules write it', () => {
    expect(dropped([rule('title', 'regex', '(?i)private browsing|incognito')], { title: 'Private Browsing' })).toBe(
      true,
    );
  });

  it('works on whole characters (flag u)', () => {
    expect(dropped([rule('title', 'regex', '^.$')], { title: '😀' })).toBe(true);
    expect(dropped([rule('title', 'regex', '^\\p{L}+$')], { title: 'λόγος' })).toBe(true);
    expect(dropped([rule('title', 'regex', 'ÉTÉ')], { title: 'un été' })).toBe(true);
  });

  it('is not confused by being used many times', () => {
    const privacy = compilePrivacy(settings({ ignore: [rule('title', 'regex', 'secret')] }));
    for (let i = 0; i < 5; i += 1) expect(privacy.apply('window', { title: 'secret plan' })).toBeNull();
  });
});

describe('matching', () => {
  it('does not match a rule whose field is absent', () => {
    const rules = [rule('title', 'regex', '.'), rule('url', 'glob', '*'), rule('domain', 'glob', '*')];
    expect(filter(rules, { app: 'Terminal' }, 'window')).toEqual({ app: 'Terminal' });
  });

  it('drops the activity when any one rule matches', () => {
    const rules = [rule('app', 'exact', 'Slack'), rule('title', 'glob', '*secret*'), rule('domain', 'exact', 'b.test')];
    expect(dropped(rules, { app: 'Code', title: 'top SECRET plan' }, 'window')).toBe(true);
    expect(dropped(rules, { app: 'Code', title: 'plan' }, 'window')).toBe(false);
  });

  it('never lets an ignored title, url or app through by reducing it first', () => {
    const at = (detail: DetailLevel, ignore: IgnoreRule[]) =>
      compilePrivacy(settings({ detail, ignore })).apply('window', WINDOW);
    for (const detail of ['app', 'domain', 'full'] as const) {
      expect(at(detail, [rule('app', 'exact', 'firefox')]), detail).toBeNull();
      expect(at(detail, [rule('title', 'glob', '*mail*')]), detail).toBeNull();
      expect(at(detail, [rule('url', 'regex', 'inbox')]), detail).toBeNull();
      expect(at(detail, [rule('domain', 'exact', 'example.com')]), detail).toBeNull();
    }
  });
});

describe('validateIgnoreRules', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => rule('app', 'exact', `app ${i}`));

  it('accepts a valid rule set', () => {
    expect(validateIgnoreRules([])).toBeNull();
    expect(
      validateIgnoreRules([
        rule('app', 'exact', 'Slack'),
        rule('title', 'glob', '*Private Browsing*'),
        rule('domain', 'exact', 'www.facebook.com'),
        rule('domain', 'glob', '*.bank.example'),
        rule('url', 'regex', '^https://[^/]+/admin\\b'),
        rule('title', 'regex', '(?i)incognito'),
      ]),
    ).toBeNull();
    expect(validateIgnoreRules(many(PRIVACY_LIMITS.maxRules))).toBeNull();
  });

  it('limits the number of rules', () => {
    expect(validateIgnoreRules(many(PRIVACY_LIMITS.maxRules + 1))).toBe(
      'ignore: at most 200 rules are allowed (got 201)',
    );
  });

  it('rejects empty and blank patterns', () => {
    expect(validateIgnoreRules([rule('app', 'exact', 'a'), rule('app', 'exact', '')])).toBe(
      'ignore[1].pattern: must not be empty',
    );
    expect(validateIgnoreRules([rule('title', 'glob', ' \t')])).toBe('ignore[0].pattern: must not be empty');
  });

  it('limits the pattern length in characters', () => {
    expect(validateIgnoreRules([rule('title', 'exact', 'x'.repeat(500))])).toBeNull();
    expect(validateIgnoreRules([rule('title', 'exact', '😀'.repeat(500))])).toBeNull();
    expect(validateIgnoreRules([rule('title', 'exact', 'x'.repeat(501))])).toBe(
      'ignore[0].pattern: pattern is too long (501 characters, at most 500)',
    );
    expect(validateIgnoreRules([...many(3), rule('title', 'glob', '*'.repeat(501))])).toBe(
      'ignore[3].pattern: glob is too long (501 characters, at most 500)',
    );
  });

  it('rejects invalid regular expressions, in Unicode mode', () => {
    expect(validateIgnoreRules([rule('title', 'regex', 'ok'), rule('title', 'regex', '(unclosed')])).toBe(
      'ignore[1].pattern: invalid regular expression: Unterminated group',
    );
    expect(validateIgnoreRules([rule('title', 'regex', '\\j')])).toMatch(
      /^ignore\[0\]\.pattern: invalid regular expression: /,
    );
    expect(validateIgnoreRules([rule('title', 'regex', 'a{')])).toMatch(/^ignore\[0\]\.pattern: invalid regular/);
    expect(validateIgnoreRules([rule('title', 'regex', '(?i)(')])).toMatch(/^ignore\[0\]\.pattern: invalid regular/);
  });

  it('rejects regular expressions that can backtrack exponentially, in the words of checkRegexSafety', () => {
    const reason = checkRegexSafety('(a+)+$');
    expect(reason).not.toBeNull();
    expect(validateIgnoreRules([rule('app', 'exact', 'a'), rule('title', 'regex', '(a+)+$')])).toBe(
      `ignore[1].pattern: ${String(reason)}`,
    );
    expect(validateIgnoreRules([rule('title', 'regex', '(?i)(a+)+$')])).toBe(`ignore[0].pattern: ${String(reason)}`);
  });

  it('rejects URLs and ports in exact domain rules', () => {
    for (const pattern of ['https://example.com', 'example.com/path', 'example.com:8080', 'exa mple.com', '.']) {
      expect(validateIgnoreRules([rule('domain', 'exact', pattern)]), pattern).toBe(
        'ignore[0].pattern: must be a host name such as example.com (no scheme, port, path or spaces)',
      );
    }
    expect(validateIgnoreRules([rule('domain', 'glob', 'https://*')])).toBeNull();
  });

  it('rejects unknown fields, match kinds and non-string patterns', () => {
    const raw = (value: unknown) => validateIgnoreRules([value as IgnoreRule]);
    expect(raw({ field: 'body', match: 'exact', pattern: 'x' })).toBe(
      'ignore[0].field: must be one of app, title, domain, url',
    );
    expect(raw({ field: 'app', match: 'prefix', pattern: 'x' })).toBe(
      'ignore[0].match: must be one of exact, glob, regex',
    );
    expect(raw({ field: 'app', match: 'exact', pattern: 7 })).toBe('ignore[0].pattern: must be a string');
    expect(raw(null)).toBe('ignore[0]: must be an object with field, match and pattern');
    expect(validateIgnoreRules('nope' as unknown as IgnoreRule[])).toBe('ignore: must be a list of rules');
  });
});

describe('compilePrivacy', () => {
  it('refuses settings it cannot enforce', () => {
    expect(() => compilePrivacy(settings({ ignore: [rule('title', 'regex', '(')] }))).toThrow(
      new RangeError('invalid privacy settings: ignore[0].pattern: invalid regular expression: Unterminated group'),
    );
    expect(() => compilePrivacy(settings({ detail: 'titles' as DetailLevel }))).toThrow(
      'invalid privacy settings: detail: must be one of app, domain, full',
    );
  });

  it('is not affected by later changes to the rule list', () => {
    const ignore = [rule('app', 'exact', 'Slack')];
    const privacy = compilePrivacy(settings({ ignore }));
    ignore.push(rule('app', 'exact', 'Code'));
    expect(privacy.apply('window', { app: 'Code' })).toEqual({ app: 'Code' });
    expect(privacy.apply('window', { app: 'slack' })).toBeNull();
  });
});

describe('properties', () => {
  const text = fc.string({ unit: 'grapheme-composite', maxLength: 30 });
  const url = fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), text);
  const content: fc.Arbitrary<ActivityContent> = fc.record(
    { app: text, title: text, url, domain: fc.oneof(fc.domain(), text) },
    { requiredKeys: [] },
  );
  const kind = fc.constantFrom<ActivityKind>('window', 'web', 'away');
  const detail = fc.constantFrom<DetailLevel>('app', 'domain', 'full');
  /** Rules that mostly do not match, so reduction is exercised too. */
  const noise = fc.array(
    fc.record({
      field: fc.constantFrom<IgnoreRule['field']>('app', 'title', 'url'),
      match: fc.constantFrom<IgnoreRule['match']>('exact', 'glob'),
      pattern: fc.string({ minLength: 1, maxLength: 12 }).filter((p) => p.trim() !== ''),
    }),
    { maxLength: 4 },
  );

  it('never returns a title or url at detail app or domain', () => {
    fc.assert(
      fc.property(fc.constantFrom<DetailLevel>('app', 'domain'), kind, content, noise, (level, k, c, ignore) => {
        const out = compilePrivacy(settings({ detail: level, ignore })).apply(k, c);
        return out === null || (out.title === undefined && out.url === undefined);
      }),
    );
  });

  it('never returns content for activity matched by an exact app rule', () => {
    const appAndRule = fc
      .tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), fc.array(fc.boolean(), { maxLength: 80 }))
      .map(([app, upper]) => {
        const pattern = [...app].map((ch, i) => (upper[i] === true ? ch.toUpperCase() : ch.toLowerCase())).join('');
        return { app, pattern };
      })
      .filter(({ app, pattern }) => app.trim() !== '' && pattern.toLowerCase() === app.toLowerCase());
    fc.assert(
      fc.property(
        fc.constantFrom<ActivityKind>('window', 'web'),
        detail,
        content,
        appAndRule,
        noise,
        (k, level, c, { app, pattern }, other) => {
          const ignore = [...other, rule('app', 'exact', pattern)];
          return compilePrivacy(settings({ detail: level, ignore })).apply(k, { ...c, app }) === null;
        },
      ),
    );
  });

  it('only ever returns strings it was given, or the domain of the url', () => {
    fc.assert(
      fc.property(detail, kind, content, noise, (level, k, c, ignore) => {
        const out = compilePrivacy(settings({ detail: level, ignore })).apply(k, c);
        if (out === null) return true;
        const { domain, ...rest } = out;
        const keptAsGiven = Object.entries(rest).every(([key, value]) => c[key as keyof ActivityContent] === value);
        const domainOk =
          domain === undefined || domain === c.domain || (c.url !== undefined && domain === domainOf(c.url));
        return keptAsGiven && domainOk && (k !== 'away' || Object.keys(out).length === 0);
      }),
    );
  });
});
