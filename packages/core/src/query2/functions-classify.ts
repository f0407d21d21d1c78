/**
 * query2 builtins that match user regexes: filter_keyvals_regex, categorize
 * and tag (aw-transform's classify.rs and filter_keyvals.rs).
 *
 * Regexes were written for ActivityWatch's Rust engine and run here on JS
 * RegExp, which backtracks, so each pattern is screened by checkRegexSafety
 * first. A leading `(?i)`, common in Rust and Python patterns but not valid
 * JS, is read as the ignore-case flag. Matching is an unanchored search, as
 * Rust's `is_match`.
 *
 * Category rules match the string values of data.app, data.title and
 * data.url (aw-server-rust tries every string value of the data; window and
 * web events carry their text in these three). Results are cached per
 * distinct (app, title, url), since a day has far fewer distinct windows than
 * events.
 */

import { checkRegexSafety } from '../regex-safety.js';
import { type Builtin, type CallContext, eventsArg, expectDict, expectList, stringArg } from './call.js';
import { type QueryEvent, type QueryValue, dataValue, describeValue, makeEvent } from './values.js';

const MATCHED_KEYS = ['app', 'title', 'url'] as const;

/** Compiles a user regex after the safety screen; failures are QueryErrors at the argument. */
export function compileUserRegex(ctx: CallContext, argIndex: number, pattern: string, ignoreCase: boolean): RegExp {
  let source = pattern;
  let flags = ignoreCase ? 'i' : '';
  if (source.startsWith('(?i)')) {
    source = source.slice(4);
    flags = 'i';
  }
  const shown = JSON.stringify(pattern.length > 60 ? `${pattern.slice(0, 60)}…` : pattern);
  const unsafe = checkRegexSafety(source);
  if (unsafe !== null) throw ctx.fail(`invalid regex ${shown}: ${unsafe}`, argIndex);
  try {
    return new RegExp(source, flags);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw ctx.fail(`invalid regex ${shown}: ${reason}`, argIndex);
  }
}

/** A compiled rule; `null` for `{"type": "none"}`, which never matches. */
type Rule = RegExp | null;

/** Reads `{"type": "regex", "regex": "…", "ignore_case": bool}` or `{"type": "none"}`. */
function readRule(ctx: CallContext, argIndex: number, value: QueryValue, what: string): Rule {
  const rule = expectDict(ctx, argIndex, value, what);
  const type = rule.type;
  if (type === 'none') return null;
  if (type !== 'regex') {
    const found =
      type === undefined ? 'no type' : typeof type === 'string' ? JSON.stringify(type) : describeValue(type);
    throw ctx.fail(`${what} must have "type": "regex" or "none", got ${found}`, argIndex);
  }
  const regex = rule.regex;
  if (typeof regex !== 'string') throw ctx.fail(`${what} needs a string "regex"`, argIndex);
  const ignoreCase = rule.ignore_case ?? false;
  if (typeof ignoreCase !== 'boolean') throw ctx.fail(`${what} has a non-boolean "ignore_case"`, argIndex);
  return compileUserRegex(ctx, argIndex, regex, ignoreCase);
}

/** Reads `[[label, rule], …]`, where the label is checked by `readLabel`. */
function readClasses<L>(
  ctx: CallContext,
  readLabel: (value: QueryValue, what: string) => L,
): { label: L; rule: Rule; index: number }[] {
  const classes = expectList(ctx, 1, ctx.args[1] ?? null, 'argument 2');
  ctx.charge(classes.length);
  return classes.map((entry, index) => {
    const what = `class ${String(index + 1)}`;
    const pair = expectList(ctx, 1, entry, what);
    const [label, rule] = pair;
    if (pair.length !== 2 || label === undefined || rule === undefined) {
      throw ctx.fail(`${what} must be a list of two items, [label, rule]`, 1);
    }
    return {
      label: readLabel(label, `the label of ${what}`),
      rule: readRule(ctx, 1, rule, `the rule of ${what}`),
      index,
    };
  });
}

function readPath(ctx: CallContext, value: QueryValue, what: string): string[] {
  const path = expectList(ctx, 1, value, what);
  return path.map((part) => {
    if (typeof part !== 'string') throw ctx.fail(`${what} must be a list of strings`, 1);
    return part;
  });
}

/** The strings rules are matched against, and a cache key for them. */
function matchedValues(e: QueryEvent): { values: string[]; key: string } {
  const values = MATCHED_KEYS.map((k) => dataValue(e.data, k)).map((v) => (typeof v === 'string' ? v : null));
  return { values: values.filter((v) => v !== null), key: JSON.stringify(values) };
}

function ruleMatches(ctx: CallContext, rule: Rule, values: readonly string[]): boolean {
  if (rule === null) return false;
  ctx.charge(values.length);
  return values.some((v) => rule.test(v));
}

/** Events with data[field] set from the label(s) the rules pick for them. */
function classify<L>(
  ctx: CallContext,
  events: readonly QueryEvent[],
  field: string,
  pick: (values: readonly string[]) => L,
): QueryEvent[] {
  const cache = new Map<string, L>();
  return events.map((e) => {
    const { values, key } = matchedValues(e);
    let label = cache.get(key);
    if (label === undefined) {
      label = pick(values);
      cache.set(key, label);
    }
    return makeEvent({ ...e, data: { ...e.data, [field]: label } });
  });
}

function categorize(ctx: CallContext): QueryValue {
  const events = eventsArg(ctx, 0);
  // Deepest path wins; among equal depths the later class wins (aw-transform). Trying classes in that
  // order makes the first match the answer. Empty paths never beat the default and are dropped.
  const classes = readClasses(ctx, (value, what) => readPath(ctx, value, what))
    .filter((c) => c.label.length > 0 && c.rule !== null)
    .sort((a, b) => b.label.length - a.label.length || b.index - a.index);
  return classify(ctx, events, '$category', (values) => {
    const match = classes.find((c) => ruleMatches(ctx, c.rule, values));
    return match === undefined ? ['Uncategorized'] : [...match.label];
  });
}

type Tag = string | string[];

/** Orders tags as aw-transform sorts its string tags; a path compares part by part. */
function compareTags(a: Tag, b: Tag): number {
  const [pa, pb] = [typeof a === 'string' ? [a] : a, typeof b === 'string' ? [b] : b];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const [x, y] = [pa[i] ?? '', pb[i] ?? ''];
    if (x !== y) return x < y ? -1 : 1;
  }
  return pa.length - pb.length || (typeof a === 'string' ? 0 : 1) - (typeof b === 'string' ? 0 : 1);
}

function tag(ctx: CallContext): QueryValue {
  const events = eventsArg(ctx, 0);
  // aw-transform's tags are strings; a category path (list of strings) is accepted as well.
  const classes = readClasses<Tag>(ctx, (value, what) =>
    typeof value === 'string' ? value : readPath(ctx, value, what),
  );
  return classify(ctx, events, '$tags', (values) => {
    const tags = new Map<string, Tag>();
    for (const c of classes) if (ruleMatches(ctx, c.rule, values)) tags.set(JSON.stringify(c.label), c.label);
    return [...tags.values()].sort(compareTags);
  });
}

export const CLASSIFY_FUNCTIONS: Readonly<Record<string, Builtin>> = {
  filter_keyvals_regex: {
    signature: 'filter_keyvals_regex(events, key, regex)',
    minArgs: 3,
    maxArgs: 3,
    run: (ctx) => {
      const [events, key] = [eventsArg(ctx, 0), stringArg(ctx, 1)];
      const regex = compileUserRegex(ctx, 2, stringArg(ctx, 2), false);
      // Only string values can match (aw-transform would panic on others).
      return events.filter((e) => {
        const value = dataValue(e.data, key);
        if (typeof value !== 'string') return false;
        ctx.charge(1);
        return regex.test(value);
      });
    },
  },
  categorize: { signature: 'categorize(events, classes)', minArgs: 2, maxArgs: 2, run: categorize },
  tag: { signature: 'tag(events, classes)', minArgs: 2, maxArgs: 2, run: tag },
};
