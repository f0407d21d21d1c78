/**
 * Goals and alerts: "when time in <target> today is more than / at least
 * <minutes>, on these weekdays, tell me once". What an alert is, how it is
 * checked, which rollup keys its target counts, which local day it is in the
 * alert's time zone, and whether an observed total meets it.
 *
 * Rollup dimensions an alert reads: `app` and `domain` (names-dictionary ids,
 * resolved by the caller), `category` (categoryKey of each category of the
 * target's subtree: time filed under "Entertainment › Video" counts for an
 * alert on "Entertainment") and `level` (the productivity levels −2..2 the
 * target's `op` admits; uncategorised time has level 0).
 */
import { dayRanges, isValidTimeZone, localDate, type LocalDate } from './calendar.js';
import { isProductivityLevel, type ProductivityLevel } from './categories/tree.js';
import { normaliseDomain } from './url.js';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const ALERT_COMPARISONS = ['more-than', 'at-least'] as const;
export type AlertComparison = (typeof ALERT_COMPARISONS)[number];

export type LevelOp = '>=' | '<=';

export type AlertTarget =
  | { readonly kind: 'category'; readonly categoryId: string }
  | { readonly kind: 'level'; readonly op: LevelOp; readonly level: ProductivityLevel }
  | { readonly kind: 'app'; readonly name: string }
  | { readonly kind: 'domain'; readonly name: string };

/** The rollup dimension an alert target reads. */
export type AlertDimension = AlertTarget['kind'];

/** An alert as the person writes it (the id and times are the store's). */
export interface AlertSpec {
  readonly name: string;
  readonly target: AlertTarget;
  readonly comparison: AlertComparison;
  /** Whole minutes, ALERT_LIMITS.minMinutes..maxMinutes. */
  readonly minutes: number;
  /** The weekdays it applies on, in week order, without repeats. */
  readonly days: readonly Weekday[];
  /** The IANA zone whose local day "today" means. */
  readonly timeZone: string;
  readonly enabled: boolean;
}

/** Lengths count characters (code points). */
export const ALERT_LIMITS = {
  maxAlerts: 100,
  maxNameLength: 100,
  maxValueLength: 500,
  maxCategoryIdLength: 100,
  minMinutes: 1,
  maxMinutes: 1440,
} as const;

/** One local day of an alert: its date, weekday and UTC range [start, end). */
export interface AlertDay {
  readonly date: string;
  readonly weekday: Weekday;
  readonly start: number;
  readonly end: number;
}

const MINUTE_MS = 60_000;

function textProblem(field: string, value: unknown, max: number): string | null {
  if (typeof value !== 'string' || value.trim() === '') return `${field}: must be a non-empty string`;
  const length = [...value].length;
  if (length > max) return `${field}: is too long (${length} characters, at most ${max})`;
  return null;
}

const TARGET_FIELDS: Readonly<Record<AlertDimension, readonly string[]>> = {
  category: ['kind', 'categoryId'],
  level: ['kind', 'op', 'level'],
  app: ['kind', 'name'],
  domain: ['kind', 'name'],
};

function targetProblem(target: unknown): string | null {
  if (typeof target !== 'object' || target === null) return 'target: must be an object with a kind';
  const t = target as Record<string, unknown>;
  const kind = t['kind'];
  if (typeof kind === 'string' && Object.hasOwn(TARGET_FIELDS, kind)) {
    const fields = TARGET_FIELDS[kind as AlertDimension];
    const stray = Object.keys(t).find((field) => !fields.includes(field));
    if (stray !== undefined) return `target.${stray}: does not belong to a target of kind ${kind}`;
  }
  switch (kind) {
    case 'category':
      return textProblem('target.categoryId', t['categoryId'], ALERT_LIMITS.maxCategoryIdLength);
    case 'level':
      if (t['op'] !== '>=' && t['op'] !== '<=') return "target.op: must be '>=' or '<='";
      return isProductivityLevel(t['level']) ? null : 'target.level: must be one of -2, -1, 0, 1, 2';
    case 'app':
    case 'domain':
      return textProblem('target.name', t['name'], ALERT_LIMITS.maxValueLength);
    default:
      return "target.kind: must be 'category', 'level', 'app' or 'domain'";
  }
}

/**
 * Why the alert cannot be kept, naming the field (`target.level: …`), or
 * null. Runtime values are checked too: the alert may come from storage or
 * an old client.
 */
export function validateAlert(alert: AlertSpec): string | null {
  if (typeof alert !== 'object' || alert === null) return 'alert: must be an object';
  const { name, target, comparison, minutes, days, timeZone, enabled } = alert;
  const problem = textProblem('name', name, ALERT_LIMITS.maxNameLength) ?? targetProblem(target);
  if (problem !== null) return problem;
  if (!ALERT_COMPARISONS.includes(comparison)) return "comparison: must be 'more-than' or 'at-least'";
  if (!Number.isInteger(minutes) || minutes < ALERT_LIMITS.minMinutes || minutes > ALERT_LIMITS.maxMinutes) {
    return `minutes: must be a whole number from ${ALERT_LIMITS.minMinutes} to ${ALERT_LIMITS.maxMinutes}`;
  }
  if (!Array.isArray(days) || days.length === 0) return 'days: must list at least one weekday';
  const unknown = days.find((day) => !WEEKDAYS.includes(day));
  if (unknown !== undefined) {
    return `days: ${JSON.stringify(String(unknown).slice(0, 20))} is not one of ${WEEKDAYS.join(', ')}`;
  }
  if (new Set(days).size !== days.length) return 'days: a weekday is listed twice';
  if (typeof timeZone !== 'string' || !isValidTimeZone(timeZone)) {
    return 'timeZone: must be an IANA time zone name such as Europe/Berlin';
  }
  if (typeof enabled !== 'boolean') return 'enabled: must be true or false';
  return null;
}

/**
 * The alert as it is kept: names trimmed, a domain in its canonical form
 * (as activity stores it: "WWW.Example.com" → "example.com"), weekdays in
 * week order. Call on a valid alert.
 */
export function normaliseAlert(alert: AlertSpec): AlertSpec {
  const { target } = alert;
  const normalised: AlertTarget =
    target.kind === 'domain'
      ? { kind: 'domain', name: normaliseDomain(target.name.trim()) }
      : target.kind === 'app'
        ? { kind: 'app', name: target.name.trim() }
        : target;
  return {
    ...alert,
    name: alert.name.trim(),
    target: normalised,
    days: WEEKDAYS.filter((day) => alert.days.includes(day)),
  };
}

/** ISO weekday of a date, as a name (1970-01-01 was a Thursday). */
export function weekdayOf(date: LocalDate): Weekday {
  const days = Math.floor(Date.UTC(date.year, date.month - 1, date.day) / 86_400_000);
  const index = (((days + 3) % 7) + 7) % 7;
  return WEEKDAYS[index] as Weekday;
}

/** The local day in `timeZone` that contains the instant. */
export function alertDay(now: number, timeZone: string): AlertDay {
  const date = localDate(now, timeZone);
  const range = dayRanges(date, date, timeZone)[0];
  // The instant lies in its own date, so that date cannot be one the zone skipped.
  if (range === undefined) throw new RangeError('alertDay: the current date has no time in this zone');
  return { date: range.date, weekday: weekdayOf(date), start: range.start, end: range.end };
}

/** Whether the observed active time meets the alert: strictly above for `more-than`. */
export function thresholdMet(comparison: AlertComparison, minutes: number, observedMs: number): boolean {
  const threshold = minutes * MINUTE_MS;
  switch (comparison) {
    case 'more-than':
      return observedMs > threshold;
    case 'at-least':
      return observedMs >= threshold;
    default: {
      const unknown: never = comparison;
      throw new RangeError(`thresholdMet: unknown comparison ${String(unknown)}`);
    }
  }
}

/** The productivity levels (rollup keys of the `level` dimension) that `op level` admits. */
export function levelKeys(op: LevelOp, level: ProductivityLevel): ProductivityLevel[] {
  return ([-2, -1, 0, 1, 2] as const).filter((l) => (op === '>=' ? l >= level : l <= level));
}

/**
 * The id and every descendant's id of a category in a tree given as parent
 * links; empty when the id is not in the tree. Stops on a cycle.
 */
export function categorySubtree(
  links: readonly { readonly id: string; readonly parentId: string | null }[],
  id: string,
): string[] {
  if (!links.some((link) => link.id === id)) return [];
  const children = new Map<string, string[]>();
  for (const link of links) {
    if (link.parentId === null) continue;
    children.set(link.parentId, [...(children.get(link.parentId) ?? []), link.id]);
  }
  const found = new Set<string>([id]);
  const queue = [id];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const child of children.get(next) ?? []) {
      if (found.has(child)) continue;
      found.add(child);
      queue.push(child);
    }
  }
  return [...found];
}
