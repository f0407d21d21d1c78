/**
 * Category rules: which category and productivity level a piece of activity
 * (app, window title, site, URL) gets. This module validates a rule set,
 * orders it by precedence and compiles it into a Categoriser that ingest and
 * re-categorisation call for every event.
 *
 * A rule's pattern matches exactly as an ignore rule's does (privacy-rules.ts
 * owns the matchers and their validation, so the settings page explains both
 * the same way): exact app and domain compare case-insensitively, exact
 * title and url case-sensitively, an exact domain also matches its
 * subdomains and ignores "www."; globs are whole-value and case-insensitive;
 * regexes are searched with flags "iu" and screened by checkRegexSafety.
 *
 * When several rules match, the most specific wins (the words: exact
 * over glob over regex; a rule on title/url over one on app/domain; then a
 * person's rule over a default). compareRulePrecedence makes that a total
 * order, so the result never depends on the order rules were listed in:
 *
 * 1. match kind: exact, then glob, then regex;
 * 2. field: title or url, then app or domain;
 * 3. source: the person's, then a default;
 * 4. the longer pattern (in characters) — "mail.google.com" over "google.com";
 * 5. the smaller id (compared as strings), which validateRules makes unique.
 *
 * So a default exact rule beats a person's glob: the match kind comes first.
 * A person overrides a default precisely with a rule of the same kind and
 * field group.
 */

import { BoundedCache } from '../bounded-cache.js';
import {
  type IgnoreField,
  type IgnoreRule,
  type MatchKind,
  type RuleMatcher,
  compileIgnoreRule,
  unreachable,
  validateIgnoreRules,
} from '../privacy-rules.js';
import { hostOf, normaliseDomain } from '../url.js';
import {
  type Category,
  type ProductivityLevel,
  PRODUCTIVITY_LEVELS,
  idProblem,
  isProductivityLevel,
  validateTree,
} from './tree.js';

export type RuleField = IgnoreField;
export type RuleSource = 'person' | 'default';

export interface CategoryRule {
  readonly id: string;
  readonly field: RuleField;
  readonly match: MatchKind;
  readonly pattern: string;
  /** The category matching activity is filed under, or null to leave it uncategorised. */
  readonly categoryId: string | null;
  /** A level for matching activity that overrides the category's own level. */
  readonly level?: ProductivityLevel;
  readonly source: RuleSource;
}

/** The activity a rule set is applied to; absent and empty fields are the same. */
export interface CategoryInput {
  readonly app?: string;
  readonly title?: string;
  readonly domain?: string;
  readonly url?: string;
}

export interface Categorisation {
  readonly categoryId: string | null;
  readonly level: ProductivityLevel;
  /** The rule that decided, or null when none matched. */
  readonly ruleId: string | null;
}

export interface Categoriser {
  /** The winning rule's category and level; uncategorised (null, level 0) when no rule matches. */
  categorise(input: CategoryInput): Categorisation;
  /** How many distinct inputs are remembered (at most the cache size). */
  readonly cachedCount: number;
}

export const RULE_SOURCES: readonly RuleSource[] = ['person', 'default'];

/** Rules per set (a person's plus the defaults) and results remembered per Categoriser. */
export const CATEGORY_RULE_LIMITS = { maxRules: 5000, cacheSize: 10_000 } as const;

export const UNCATEGORISED: Categorisation = Object.freeze({ categoryId: null, level: 0, ruleId: null });

/**
 * Why the rule set cannot be used with these categories, naming the first
 * offending rule (`rules[3].categoryId: …`), or null. The categories are
 * assumed valid (validateTree). Runtime values are checked too.
 */
export function validateRules(rules: readonly CategoryRule[], categories: readonly Category[]): string | null {
  if (!Array.isArray(rules)) return 'rules: must be a list of rules';
  if (rules.length > CATEGORY_RULE_LIMITS.maxRules) {
    return `rules: at most ${CATEGORY_RULE_LIMITS.maxRules} rules are allowed (got ${rules.length})`;
  }
  const categoryIds = new Set(Array.isArray(categories) ? categories.map(({ id }) => id) : []);
  const firstIndex = new Map<string, number>();
  for (const [index, rule] of rules.entries()) {
    const problem = ruleProblem(rule, categoryIds);
    if (problem !== null) return `rules[${index}]${problem}`;
    const seen = firstIndex.get(rule.id);
    if (seen !== undefined) return `rules[${index}].id: duplicate of rules[${seen}].id`;
    firstIndex.set(rule.id, index);
  }
  return null;
}

/** The problem with one rule, as a suffix of `rules[i]`, or null. */
function ruleProblem(rule: unknown, categoryIds: ReadonlySet<string>): string | null {
  if (typeof rule !== 'object' || rule === null) {
    return ': must be an object with id, field, match, pattern, categoryId and source';
  }
  const { id, field, match, pattern, categoryId, level, source } = rule as Record<string, unknown>;
  const invalidId = idProblem(id);
  if (invalidId !== null) return invalidId;
  // The pattern's rules are the ignore rules' own; only the prefix of the message differs.
  const invalidPattern = validateIgnoreRules([{ field, match, pattern } as IgnoreRule]);
  if (invalidPattern !== null) return invalidPattern.replace(/^ignore\[0\]/, '');
  if (categoryId !== null) {
    if (typeof categoryId !== 'string') return '.categoryId: must be a category id or null';
    if (!categoryIds.has(categoryId)) return `.categoryId: no category has id ${JSON.stringify(categoryId)}`;
  }
  if (level !== undefined && !isProductivityLevel(level)) {
    return `.level: must be one of ${PRODUCTIVITY_LEVELS.join(', ')} when given`;
  }
  if (!RULE_SOURCES.includes(source as RuleSource)) return `.source: must be one of ${RULE_SOURCES.join(', ')}`;
  return null;
}

const MATCH_RANK: Readonly<Record<MatchKind, number>> = { exact: 0, glob: 1, regex: 2 };
const FIELD_RANK: Readonly<Record<RuleField, number>> = { title: 0, url: 0, app: 1, domain: 1 };
const SOURCE_RANK: Readonly<Record<RuleSource, number>> = { person: 0, default: 1 };

/** Negative when `a` wins over `b`, positive when `b` wins, 0 only for the same id (see the module comment). */
export function compareRulePrecedence(a: CategoryRule, b: CategoryRule): number {
  return (
    MATCH_RANK[a.match] - MATCH_RANK[b.match] ||
    FIELD_RANK[a.field] - FIELD_RANK[b.field] ||
    SOURCE_RANK[a.source] - SOURCE_RANK[b.source] ||
    [...b.pattern].length - [...a.pattern].length ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** An exact rule ready to decide: its result, and its position in precedence order (lower wins). */
interface Decision {
  readonly rank: number;
  readonly result: Categorisation;
}

/** A glob or regex rule; these are kept in precedence order, so the first match wins. */
interface PatternRule {
  readonly matcher: RuleMatcher;
  readonly result: Categorisation;
}

/**
 * Exact rules by the value they match, keyed as privacy-rules.ts's exact
 * matcher compares: app lowercased, domain normalised (a host is looked up
 * with each of its parent domains, which is what "also matches subdomains"
 * means), title and url as given. Each key keeps its best rule.
 */
type ExactIndex = Readonly<Record<RuleField, Map<string, Decision>>>;

/**
 * Compiles the rule set once; the Categoriser is then applied to every
 * event. Throws a RangeError when the categories or the rules are invalid.
 *
 * Exact rules — most of a rule set, and all of them outrank every glob and
 * regex — are found by map look-ups; globs and regexes are tried in
 * precedence order and the first match wins. Results are remembered per
 * distinct (app, title, domain, url) in a bounded least-recently-used cache:
 * a day of activity repeats the same few hundred windows thousands of times.
 */
export function compileRules(
  rules: readonly CategoryRule[],
  categories: readonly Category[],
  options: { readonly cacheSize?: number } = {},
): Categoriser {
  const invalidTree = validateTree(categories);
  if (invalidTree !== null) throw new RangeError(`invalid categories: ${invalidTree}`);
  const invalidRules = validateRules(rules, categories);
  if (invalidRules !== null) throw new RangeError(`invalid category rules: ${invalidRules}`);

  const levelOf = new Map(categories.map(({ id, level }) => [id, level]));
  const exact: ExactIndex = { app: new Map(), title: new Map(), domain: new Map(), url: new Map() };
  const patterns: PatternRule[] = [];
  for (const [rank, rule] of [...rules].sort(compareRulePrecedence).entries()) {
    const result: Categorisation = Object.freeze({
      categoryId: rule.categoryId,
      level: rule.level ?? (rule.categoryId === null ? 0 : (levelOf.get(rule.categoryId) ?? 0)),
      ruleId: rule.id,
    });
    if (rule.match === 'exact') {
      const byValue = exact[rule.field];
      const key = exactKey(rule.field, rule.pattern);
      if (!byValue.has(key)) byValue.set(key, { rank, result });
    } else {
      patterns.push({ result, matcher: compileIgnoreRule(rule) });
    }
  }
  const cache = new BoundedCache<string, Categorisation>(options.cacheSize ?? CATEGORY_RULE_LIMITS.cacheSize);

  return {
    get cachedCount() {
      return cache.size;
    },
    categorise(input) {
      const fields = presentFields(input);
      const key = JSON.stringify([fields.app, fields.title, fields.domain, fields.url]);
      const cached = cache.get(key);
      if (cached !== undefined) return cached;
      const hosts = hostForms(fields);
      const result = exactMatch(exact, fields, hosts) ?? patternMatch(patterns, fields, hosts);
      cache.set(key, result);
      return result;
    },
  };
}

function exactKey(field: RuleField, value: string): string {
  switch (field) {
    case 'app':
      return value.toLowerCase();
    case 'domain':
      return normaliseDomain(value);
    case 'title':
    case 'url':
      return value;
    default:
      return unreachable(field);
  }
}

interface PresentFields {
  readonly app: string | null;
  readonly title: string | null;
  readonly domain: string | null;
  readonly url: string | null;
}

/** The input's non-empty string fields; anything else counts as absent. */
function presentFields(input: CategoryInput): PresentFields {
  const present = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
  return {
    app: present(input.app),
    title: present(input.title),
    domain: present(input.domain),
    url: present(input.url),
  };
}

/** The best exact rule that matches, or null. */
function exactMatch(index: ExactIndex, fields: PresentFields, hosts: readonly string[]): Categorisation | null {
  const found: (Decision | undefined)[] = [];
  for (const field of ['app', 'title', 'url'] as const) {
    const value = fields[field];
    if (value !== null) found.push(index[field].get(exactKey(field, value)));
  }
  for (const host of hosts) {
    // "mail.example.com" is looked up as itself, as "example.com" and as "com".
    let domain = exactKey('domain', host);
    for (;;) {
      found.push(index.domain.get(domain));
      const dot = domain.indexOf('.');
      if (dot === -1) break;
      domain = domain.slice(dot + 1);
    }
  }
  let best: Decision | null = null;
  for (const decision of found) {
    if (decision !== undefined && (best === null || decision.rank < best.rank)) best = decision;
  }
  return best?.result ?? null;
}

/** The first glob or regex rule, in precedence order, that matches. */
function patternMatch(
  patterns: readonly PatternRule[],
  fields: PresentFields,
  hosts: readonly string[],
): Categorisation {
  for (const { matcher, result } of patterns) {
    const matches =
      matcher.field === 'domain' ? hosts.some((host) => matcher.test(host)) : testField(matcher, fields[matcher.field]);
    if (matches) return result;
  }
  return UNCATEGORISED;
}

function testField(matcher: RuleMatcher, value: string | null): boolean {
  return value !== null && matcher.test(value);
}

/**
 * The site a domain rule is tried on, in both forms a glob may need (as
 * visited and without "www."): the given domain, else the url's host.
 * Unlike the privacy filter, a given domain is trusted over the url: a
 * mismatch costs a wrong category here, not a recorded secret.
 */
function hostForms(fields: PresentFields): string[] {
  const host = fields.domain ?? (fields.url === null ? null : hostOf(fields.url));
  if (host === null) return [];
  const lower = host.toLowerCase().replace(/\.$/, '');
  return [...new Set([lower, normaliseDomain(lower)])].filter((form) => form !== '');
}
