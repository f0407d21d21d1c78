/**
 * A static screen for user regexes that JavaScript's backtracking engine
 * could run for exponential time.
 *
 * Category rules, query2's filter_keyvals_regex and privacy rules take
 * regexes from users and run them on every event. ActivityWatch uses Rust
 * engines that cannot blow up; JS RegExp can, and one catastrophic match
 * blocks the whole process (no deadline can interrupt a running `exec`). So
 * patterns are screened before they are compiled. The screen is deliberately
 * conservative and rejects:
 *
 * - patterns longer than MAX_REGEX_LENGTH;
 * - backreferences (`\1`, `\k<name>`), which make matching NP-hard;
 * - nested quantifiers: a group repeated more than once (`*`, `+`, `{2,}`,
 *   `{n,m}` with m ≥ 2) that itself contains such a quantifier, e.g. `(a+)+`,
 *   `(?:\w*\.)*`, `((a+)b){2,}`;
 * - overlapping alternatives in a repeated group: alternatives that can
 *   start with the same character (case-insensitively, as rules match), so
 *   the engine may try each at every repetition: `(ab|ab)*`, `(\w|\d)+`,
 *   `(a|.)*`, `(a|aa)*`, `(x|xy)+`; an alternative whose first character is
 *   not a plain single-character atom (a group, an anchor, an optional
 *   atom, an empty alternative) counts as able to start with anything.
 *   `(?:foo|bar)+` passes: each repetition has one way in.
 *
 * Ambiguity in unrepeated groups (`(\w+|\d)`) and polynomial cases
 * (`\d+\d+x`) pass; the screen is a guard against the classic exponential
 * shapes, not a proof of linearity.
 */

export const MAX_REGEX_LENGTH = 1000;

const EXPONENTIAL = 'regex may take exponential time';

interface Group {
  /** Contains a repeating quantifier, directly or in a nested group. */
  quantified: boolean;
  /** Contains overlapping alternatives, directly or in a nested group. */
  ambiguous: boolean;
  /** Where the current alternative of this group starts. */
  altStart: number;
  readonly alternatives: string[];
}

/** Why the pattern is unsafe to run, or null when it passes the screen. */
export function checkRegexSafety(pattern: string): string | null {
  if (pattern.length > MAX_REGEX_LENGTH) return `regex is longer than ${String(MAX_REGEX_LENGTH)} characters`;
  const root: Group = { quantified: false, ambiguous: false, altStart: 0, alternatives: [] };
  const stack: Group[] = [root];
  // What a following quantifier would repeat: null after `(`, `|` or a quantifier.
  let atomRisk: string | null | undefined;
  let i = 0;
  while (i < pattern.length) {
    const current = stack[stack.length - 1] ?? root;
    const ch = pattern.charAt(i);
    if (ch === '\\') {
      const next = pattern.charAt(i + 1);
      if (/[1-9]/.test(next) || (next === 'k' && pattern.charAt(i + 2) === '<')) {
        return `${EXPONENTIAL} (backreference)`;
      }
      atomRisk = null;
      i += 2;
    } else if (ch === '[') {
      atomRisk = null;
      i = classEnd(pattern, i);
    } else if (ch === '(') {
      i += groupPrefixLength(pattern, i);
      stack.push({ quantified: false, ambiguous: false, altStart: i, alternatives: [] });
      atomRisk = undefined;
    } else if (ch === ')' && stack.length > 1) {
      stack.pop();
      current.alternatives.push(pattern.slice(current.altStart, i));
      if (hasOverlap(current.alternatives)) current.ambiguous = true;
      const parent = stack[stack.length - 1] ?? root;
      parent.quantified ||= current.quantified;
      parent.ambiguous ||= current.ambiguous;
      atomRisk = current.quantified ? 'nested quantifiers' : current.ambiguous ? 'overlapping alternatives' : null;
      i += 1;
    } else if (ch === '|') {
      current.alternatives.push(pattern.slice(current.altStart, i));
      current.altStart = i + 1;
      atomRisk = undefined;
      i += 1;
    } else {
      const quantifier = readQuantifier(pattern, i);
      if (quantifier === null) {
        atomRisk = null;
        i += 1;
        continue;
      }
      if (quantifier.repeats && atomRisk !== undefined) {
        if (atomRisk !== null) return `${EXPONENTIAL} (${atomRisk})`;
        current.quantified = true;
      }
      atomRisk = undefined;
      i += quantifier.length;
      if (pattern.charAt(i) === '?') i += 1;
    }
  }
  return null;
}

/** Index after the character class starting at `start` (JS rules: the first unescaped `]` closes it). */
function classEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern.charAt(i) === '^') i += 1;
  while (i < pattern.length) {
    const ch = pattern.charAt(i);
    if (ch === '\\') i += 2;
    else if (ch === ']') return i + 1;
    else i += 1;
  }
  return pattern.length;
}

/** Length of `(`, `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!` or `(?<name>`. */
function groupPrefixLength(pattern: string, start: number): number {
  if (pattern.charAt(start + 1) !== '?') return 1;
  const kind = pattern.charAt(start + 2);
  if (kind === ':' || kind === '=' || kind === '!') return 3;
  if (kind !== '<') return 2;
  const after = pattern.charAt(start + 3);
  if (after === '=' || after === '!') return 4;
  const close = pattern.indexOf('>', start + 3);
  return close === -1 ? 2 : close - start + 1;
}

const BRACES = /\{(\d+)(,(\d*))?\}/y;

/** The quantifier at `start`, if any; `repeats` when it allows more than one repetition. */
function readQuantifier(pattern: string, start: number): { length: number; repeats: boolean } | null {
  const ch = pattern.charAt(start);
  if (ch === '*' || ch === '+') return { length: 1, repeats: true };
  if (ch === '?') return { length: 1, repeats: false };
  if (ch !== '{') return null;
  BRACES.lastIndex = start;
  const match = BRACES.exec(pattern);
  if (match === null) return null;
  const [text, min, comma, max] = match;
  const upper = comma === undefined ? Number(min) : max === '' || max === undefined ? Infinity : Number(max);
  return { length: text.length, repeats: upper >= 2 };
}

const FIRST_ATOM = /^(?:\\[dDwWsS]|\\[^A-Za-z0-9]|[^\\()[\]{}|*+?^$]|\.|\[(?:\\.|[^\]\\])*\])/;
const PROBES = Array.from({ length: 128 }, (_, code) => String.fromCharCode(code));

/**
 * The characters an alternative can start with, as probe keys (ASCII codes,
 * or the lower-cased character itself beyond ASCII); null when that cannot
 * be told (it may start with anything).
 */
function firstCharacters(alternative: string): Set<string> | null {
  const atom = FIRST_ATOM.exec(alternative)?.[0];
  if (atom === undefined) return null;
  const after = alternative.charAt(atom.length);
  if (after === '?' || after === '*' || alternative.startsWith('{0', atom.length)) return null;
  let single: RegExp;
  try {
    single = new RegExp(`^(?:${atom})$`, 'i');
  } catch {
    return null;
  }
  const out = new Set<string>();
  for (const probe of PROBES) if (single.test(probe)) out.add(probe);
  // A literal beyond ASCII stands for itself (and its other case).
  if (atom.length === 1 && atom.charCodeAt(0) >= 128) out.add(atom.toLowerCase());
  return out;
}

/** Whether two alternatives can start with the same character (see the header). */
function hasOverlap(alternatives: readonly string[]): boolean {
  if (alternatives.length < 2) return false;
  const seen = new Set<string>();
  for (const alternative of alternatives) {
    const first = firstCharacters(alternative);
    if (first === null) return true;
    for (const key of first) {
      if (seen.has(key)) return true;
      seen.add(key);
    }
  }
  return false;
}
