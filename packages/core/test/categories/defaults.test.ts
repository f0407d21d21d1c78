import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_CATEGORIES, DEFAULT_RULES } from '../../src/categories/defaults.js';
import { type CategoryInput, compileRules, validateRules } from '../../src/categories/rules.js';
import { categoryPath, validateTree } from '../../src/categories/tree.js';

const categoriser = compileRules(DEFAULT_RULES, DEFAULT_CATEGORIES);
const levelOf = new Map(DEFAULT_CATEGORIES.map(({ id, level }) => [id, level]));
const pathOf = (input: CategoryInput): string => {
  const { categoryId } = categoriser.categorise(input);
  return categoryId === null ? '(uncategorised)' : categoryPath(DEFAULT_CATEGORIES, categoryId).join(' › ');
};

describe('the default categories', () => {
  it('form a valid tree with the expected top level', () => {
    expect(validateTree(DEFAULT_CATEGORIES)).toBeNull();
    expect(DEFAULT_CATEGORIES.filter(({ parentId }) => parentId === null).map(({ name }) => name)).toEqual([
      'Software Development',
      'Communication & Scheduling',
      'Reference & Learning',
      'Design & Composition',
      'Business',
      'News & Opinion',
      'Social Networking',
      'Entertainment',
      'Shopping',
      'Utilities',
    ]);
  });

  it('give children the sign of their parent’s level', () => {
    for (const { parentId, level, name } of DEFAULT_CATEGORIES) {
      if (parentId === null) continue;
      const parentLevel = levelOf.get(parentId) ?? 0;
      expect(Math.sign(level) * Math.sign(parentLevel), name).toBeGreaterThanOrEqual(0);
    }
  });

  it('have at least one rule for each category without children', () => {
    const used = new Set(DEFAULT_RULES.map(({ categoryId }) => categoryId));
    const parents = new Set(DEFAULT_CATEGORIES.map(({ parentId }) => parentId));
    for (const { id } of DEFAULT_CATEGORIES) if (!parents.has(id)) expect(used.has(id), id).toBe(true);
  });

  it('are frozen', () => {
    expect(Object.isFrozen(DEFAULT_CATEGORIES)).toBe(true);
    expect(DEFAULT_CATEGORIES.every((category) => Object.isFrozen(category))).toBe(true);
  });
});

describe('the default rules', () => {
  it('number at least 150', () => {
    expect(DEFAULT_RULES.length).toBeGreaterThanOrEqual(150);
  });

  it('validate as a set and one by one, all as defaults', () => {
    expect(validateRules(DEFAULT_RULES, DEFAULT_CATEGORIES)).toBeNull();
    for (const rule of DEFAULT_RULES) {
      expect(validateRules([rule], DEFAULT_CATEGORIES), rule.id).toBeNull();
      expect(rule.source).toBe('default');
    }
  });

  it('hold no two rules that match the same thing', () => {
    // Exact app/domain and every glob and regex ignore case, so "Code" and "code" would be one rule twice.
    const key = ({ field, match, pattern }: (typeof DEFAULT_RULES)[number]) =>
      match === 'exact' && (field === 'title' || field === 'url')
        ? `${field}:${match}:${pattern}`
        : `${field}:${match}:${pattern.toLowerCase()}`;
    const keys = DEFAULT_RULES.map(key);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it('each decide their own example, through the whole default set', () => {
    const lost = DEFAULT_RULES.flatMap((rule) => {
      const result = categoriser.categorise(rule.example);
      const level = rule.level ?? (rule.categoryId === null ? 0 : levelOf.get(rule.categoryId));
      return result.ruleId === rule.id && result.categoryId === rule.categoryId && result.level === level
        ? []
        : [`${rule.id}: ${JSON.stringify(rule.example)} → ${result.ruleId ?? 'nothing'}`];
    });
    expect(lost).toEqual([]);
  });

  it('do not categorise browsers by app', () => {
    for (const app of [
      'firefox',
      'Firefox',
      'Google-chrome',
      'chrome.exe',
      'Chromium',
      'Safari',
      'msedge.exe',
      'Brave-browser',
    ]) {
      expect(categoriser.categorise({ app }), app).toMatchObject({ categoryId: null, ruleId: null });
    }
    expect(pathOf({ app: 'firefox', url: 'https://github.com/acme/sundial' })).toBe(
      'Software Development › Version control',
    );
  });

  it.each<[CategoryInput, string]>([
    [{ app: 'Visual Studio Code' }, 'Software Development › Editing & IDEs'],
    [{ app: 'code' }, 'Software Development › Editing & IDEs'],
    [{ app: 'Code' }, 'Software Development › Editing & IDEs'],
    [{ app: 'IntelliJ IDEA' }, 'Software Development › Editing & IDEs'],
    [{ app: 'jetbrains-pycharm-ce' }, 'Software Development › Editing & IDEs'],
    [{ app: 'pycharm64.exe' }, 'Software Development › Editing & IDEs'],
    [{ app: 'Emacs' }, 'Software Development › Editing & IDEs'],
    [{ app: 'Xcode' }, 'Software Development › Editing & IDEs'],
    [{ app: 'Sublime Text' }, 'Software Development › Editing & IDEs'],
    [{ app: 'Gnome-terminal', title: 'vim main.c' }, 'Software Development › Terminals'],
    [{ app: 'Terminal' }, 'Software Development › Terminals'],
    [{ app: 'iTerm2' }, 'Software Development › Terminals'],
    [{ app: 'WindowsTerminal.exe' }, 'Software Development › Terminals'],
    [{ app: 'Windows Terminal' }, 'Software Development › Terminals'],
    [{ app: 'xterm' }, 'Software Development › Terminals'],
    [{ app: 'Alacritty' }, 'Software Development › Terminals'],
    [{ app: 'kitty' }, 'Software Development › Terminals'],
    [{ url: 'https://docs.github.com/en' }, 'Software Development › Documentation'],
    [{ url: 'https://developer.mozilla.org/en-US/' }, 'Software Development › Documentation'],
    [{ url: 'https://docs.python.org/3/' }, 'Software Development › Documentation'],
    [{ app: 'libreoffice-writer' }, 'Business › Office'],
    [{ app: 'Microsoft Word' }, 'Business › Office'],
    [{ app: 'Microsoft PowerPoint' }, 'Business › Office'],
    [{ app: 'Microsoft Excel' }, 'Business › Spreadsheets'],
    [{ url: 'https://docs.google.com/document/d/1/edit' }, 'Business › Office'],
    [{ url: 'https://docs.google.com/spreadsheets/d/1/edit' }, 'Business › Spreadsheets'],
    [{ app: 'Slack' }, 'Communication & Scheduling › Chat'],
    [{ app: 'Discord' }, 'Communication & Scheduling › Chat'],
    [{ app: 'Microsoft Teams' }, 'Communication & Scheduling › Chat'],
    [{ app: 'Signal' }, 'Communication & Scheduling › Chat'],
    [{ app: 'Telegram' }, 'Communication & Scheduling › Chat'],
    [{ url: 'https://web.whatsapp.com/' }, 'Communication & Scheduling › Chat'],
    [{ app: 'zoom' }, 'Communication & Scheduling › Meetings'],
    [{ app: 'Thunderbird' }, 'Communication & Scheduling › Email'],
    [{ app: 'Microsoft Outlook' }, 'Communication & Scheduling › Email'],
    [{ domain: 'mail.google.com' }, 'Communication & Scheduling › Email'],
    [{ url: 'https://outlook.live.com/mail/0/' }, 'Communication & Scheduling › Email'],
    [{ url: 'https://outlook.office.com/calendar/view/day' }, 'Communication & Scheduling › Calendar'],
    [{ url: 'https://calendar.google.com/' }, 'Communication & Scheduling › Calendar'],
    [{ domain: 'youtube.com' }, 'Entertainment › Video'],
    [{ domain: 'netflix.com' }, 'Entertainment › Video'],
    [{ domain: 'twitch.tv' }, 'Entertainment › Video'],
    [{ app: 'vlc' }, 'Entertainment › Video'],
    [{ url: 'https://www.amazon.de/gp/video/detail/1' }, 'Entertainment › Video'],
    [{ url: 'https://music.youtube.com/' }, 'Entertainment › Music'],
    [{ app: 'Steam' }, 'Entertainment › Games'],
    [{ url: 'https://store.steampowered.com/' }, 'Entertainment › Games'],
    [{ domain: 'facebook.com' }, 'Social Networking'],
    [{ domain: 'x.com' }, 'Social Networking'],
    [{ domain: 'twitter.com' }, 'Social Networking'],
    [{ domain: 'instagram.com' }, 'Social Networking'],
    [{ domain: 'reddit.com' }, 'Social Networking'],
    [{ domain: 'linkedin.com' }, 'Social Networking'],
    [{ domain: 'tiktok.com' }, 'Social Networking'],
    [{ domain: 'mastodon.social' }, 'Social Networking'],
    [{ domain: 'social.mastodon.host' }, 'Social Networking'],
    [{ domain: 'nytimes.com' }, 'News & Opinion'],
    [{ domain: 'bbc.co.uk' }, 'News & Opinion'],
    [{ domain: 'theguardian.com' }, 'News & Opinion'],
    [{ domain: 'news.ycombinator.com' }, 'News & Opinion'],
    [{ domain: 'cnn.com' }, 'News & Opinion'],
    [{ domain: 'amazon.com' }, 'Shopping'],
    [{ domain: 'www.amazon.fr' }, 'Shopping'],
    [{ domain: 'ebay.com' }, 'Shopping'],
    [{ domain: 'etsy.com' }, 'Shopping'],
    [{ domain: 'stackoverflow.com' }, 'Reference & Learning'],
    [{ domain: 'en.wikipedia.org' }, 'Reference & Learning'],
    [{ url: 'https://www.google.com/search?q=sundial' }, 'Reference & Learning'],
    [{ domain: 'github.com' }, 'Software Development › Version control'],
    [{ app: 'Finder' }, 'Utilities'],
    [{ app: 'Figma' }, 'Design & Composition'],
  ])('file %j under %s', (input, path) => {
    expect(pathOf(input)).toBe(path);
  });

  it('never throw and answer the same for arbitrary activity', () => {
    const input = fc.record(
      { app: fc.string(), title: fc.string(), domain: fc.domain(), url: fc.oneof(fc.webUrl(), fc.string()) },
      { requiredKeys: [] },
    );
    const uncached = compileRules(DEFAULT_RULES, DEFAULT_CATEGORIES, { cacheSize: 1 });
    fc.assert(
      fc.property(input, (activity) => {
        const result = categoriser.categorise(activity);
        expect(uncached.categorise(activity)).toEqual(result);
        expect(categoriser.categorise({ ...activity })).toBe(result);
      }),
      { numRuns: 500 },
    );
  });
});
