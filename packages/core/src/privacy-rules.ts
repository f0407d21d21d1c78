/**
 * Ignore rules: the apps, titles, sites and URLs a person never wants
 * recorded. This module validates a rule set and turns each rule into a
 * matcher; privacy.ts decides what a match means (the activity is dropped).
 *
 * What a rule matches (the contract the settings page explains):
 * - exact: app and domain compare case-insensitively, title and url
 *   case-sensitively. A domain rule ignores a leading "www." on both sides
 *   and also matches every subdomain — blocking "example.com" blocks
 *   "mail.example.com", which is what people mean by blocking a site.
 * - glob: "*" is any run of characters (also none), "?" exactly one
 *   character, everything else literal (there is no escape); the whole value
 *   must match, case-insensitively. A domain glob is tried on the host with
 *   and without its "www." and gets no subdomain extension: "*.example.com"
 *   matches subdomains only, "example.com" the apex (and www) only.
 * - regex: searched (not anchored), case-insensitively, by RE2's
 *   linear-time engine (re2js, pure JavaScript): no pattern can backtrack
 *   catastrophically on a hostile 2 000-character title, which JavaScript's
 *   own RegExp can (`a*a*a*a*b` is accepted by any static screen and runs for
 *   ever on "aaaa…"). A pattern must be valid both as a JavaScript RegExp
 *   with flags "iu" (so typos that non-Unicode mode reads as literals, `\j`,
 *   a lone `{`, are refused) and for RE2 (no lookaround, no
 *   backreferences), and pass checkRegexSafety. A leading "(?i)" — common in
 *   ActivityWatch rules — is accepted and dropped: matching is
 *   case-insensitive anyway.
 */

import { RE2JS } from 're2js';
import { checkRegexSafety } from './regex-safety.js';
import { normaliseDomain } from './url.js';

export type IgnoreField = 'app' | 'title' | 'domain' | 'url';
export type MatchKind = 'exact' | 'glob' | 'regex';

export interface IgnoreRule {
  readonly field: IgnoreField;
  readonly match: MatchKind;
  readonly pattern: string;
}

/** Lengths count characters (code points), as JSON Schema's maxLength does. */
export const PRIVACY_LIMITS = { maxRules: 200, maxPatternLength: 500 } as const;

export const IGNORE_FIELDS: readonly IgnoreField[] = ['app', 'title', 'domain', 'url'];
export const MATCH_KINDS: readonly MatchKind[] = ['exact', 'glob', 'regex'];

/** A compiled rule: `test` is called with the rule field's value (for domain, with each host form). */
export interface RuleMatcher {
  readonly field: IgnoreField;
  test(value: string): boolean;
}

/**
 * Why the rule set cannot be used, naming the first offending rule
 * (`ignore[3].pattern: …`), or null when every rule compiles. Runtime
 * values are checked too: the settings may come from storage or an old client.
 */
export function validateIgnoreRules(rules: readonly IgnoreRule[]): string | null {
  if (!Array.isArray(rules)) return 'ignore: must be a list of rules';
  if (rules.length > PRIVACY_LIMITS.maxRules) {
    return `ignore: at most ${PRIVACY_LIMITS.maxRules} rules are allowed (got ${rules.length})`;
  }
  for (const [index, rule] of rules.entries()) {
    const problem = ruleProblem(rule);
    if (problem !== null) return `ignore[${index}]${problem}`;
  }
  return null;
}

/** The problem with one rule, as a suffix of `ignore[i]`, or null. */
function ruleProblem(rule: unknown): string | null {
  if (typeof rule !== 'object' || rule === null) return ': must be an object with field, match and pattern';
  const { field, match, pattern } = rule as Record<string, unknown>;
  if (!IGNORE_FIELDS.includes(field as IgnoreField)) return `.field: must be one of ${IGNORE_FIELDS.join(', ')}`;
  if (!MATCH_KINDS.includes(match as MatchKind)) return `.match: must be one of ${MATCH_KINDS.join(', ')}`;
  if (typeof pattern !== 'string') return '.pattern: must be a string';
  if (pattern.trim() === '') return '.pattern: must not be empty';
  const length = [...pattern].length;
  if (length > PRIVACY_LIMITS.maxPatternLength) {
    const what = match === 'glob' ? 'glob' : 'pattern';
    return `.pattern: ${what} is too long (${length} characters, at most ${PRIVACY_LIMITS.maxPatternLength})`;
  }
  if (match === 'regex') {
    const source = regexSource(pattern);
    const invalid = regexSyntaxError(source);
    if (invalid !== null) return `.pattern: invalid regular expression: ${invalid}`;
    const unsafe = checkRegexSafety(source);
    if (unsafe !== null) return `.pattern: ${unsafe}`;
  }
  if (field === 'domain' && match === 'exact' && !isHostPattern(pattern)) {
    return '.pattern: must be a host name such as example.com (no scheme, port, path or spaces)';
  }
  return null;
}

/** The pattern without a leading "(?i)", which the "i" flag makes redundant. */
function regexSource(pattern: string): string {
  return pattern.startsWith('(?i)') ? pattern.slice(4) : pattern;
}

function regexSyntaxError(source: string): string | null {
  try {
    new RegExp(source, 'iu');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // V8 says "Invalid regular expression: /<source>/iu: <reason>"; the reason is enough.
    return /^Invalid regular expression: \/.*\/[a-z]*: (.+)$/s.exec(message)?.[1] ?? message;
  }
  try {
    RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
    return null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `not supported by the linear-time matcher (${message.replace(/^error parsing regexp: /, '')})`;
  }
}

function isHostPattern(pattern: string): boolean {
  return !/[\s/?#@]|:\d*$/.test(pattern) && normaliseDomain(pattern) !== '';
}

/** The matcher for a rule that validateIgnoreRules accepted. */
export function compileIgnoreRule(rule: IgnoreRule): RuleMatcher {
  const { field, match, pattern } = rule;
  switch (match) {
    case 'exact':
      return { field, test: exactMatcher(field, pattern) };
    case 'glob': {
      const glob = [...pattern.toLowerCase()];
      return { field, test: (value) => globMatches(glob, [...value.toLowerCase()]) };
    }
    case 'regex': {
      const regex = RE2JS.compile(regexSource(pattern), RE2JS.CASE_INSENSITIVE);
      return { field, test: (value) => regex.matcher(value).find() };
    }
    default:
      return unreachable(match);
  }
}

function exactMatcher(field: IgnoreField, pattern: string): (value: string) => boolean {
  switch (field) {
    case 'app': {
      const lower = pattern.toLowerCase();
      return (value) => value.toLowerCase() === lower;
    }
    case 'domain': {
      const site = normaliseDomain(pattern);
      return (value) => {
        const domain = normaliseDomain(value);
        return domain === site || domain.endsWith(`.${site}`);
      };
    }
    case 'title':
    case 'url':
      return (value) => value === pattern;
    default:
      return unreachable(field);
  }
}

/**
 * Whole-string wildcard match over characters (code points). Greedy with
 * backtracking to the last "*" only, so at worst O(pattern × value) — a glob
 * is never compiled to a RegExp, where "*a*a*a…b" would backtrack
 * polynomially deep.
 */
export function globMatches(pattern: readonly string[], value: readonly string[]): boolean {
  let p = 0;
  let v = 0;
  let star = -1;
  let starValue = 0;
  while (v < value.length) {
    const c = pattern[p];
    if (c === '*') {
      star = p;
      starValue = v;
      p += 1;
    } else if (c !== undefined && (c === '?' || c === value[v])) {
      p += 1;
      v += 1;
    } else if (star >= 0) {
      p = star + 1;
      starValue += 1;
      v = starValue;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p += 1;
  return p === pattern.length;
}

export function unreachable(value: never): never {
  throw new TypeError(`unexpected value: ${String(value)}`);
}
