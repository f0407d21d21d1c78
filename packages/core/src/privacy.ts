/**
 * The privacy filter: the person's settings applied to one activity before
 * anything is stored — on the device first, and again at ingest so a
 * modified or old agent cannot bypass them (docs/ARCHITECTURE.md).
 *
 * Order matters: pause first, then ignore rules on the original content,
 * then the detail reduction. Rules see the title even at detail "app", so an
 * ignored app's title never survives by being reduced away before matching.
 *
 * What each detail level keeps (only these four fields are ever copied;
 * anything else on the input object is left behind):
 *
 * | detail | window                  | web                     | away |
 * | ------ | ----------------------- | ----------------------- | ---- |
 * | full   | app, title, url, domain | app, title, url, domain | {}   |
 * | domain | app, domain             | app, domain             | {}   |
 * | app    | app                     | {} (nothing)            | {}   |
 *
 * At "app" a web event keeps no string at all: the site is exactly what that
 * level hides, and the browser's name is known from the window watcher. The
 * event (its time) still counts as web activity. At "full" and "domain",
 * a missing domain is derived from the url (domainOf) when it has one; a
 * domain that came with the content is kept as given.
 */

import {
  type IgnoreRule,
  type RuleMatcher,
  compileIgnoreRule,
  unreachable,
  validateIgnoreRules,
} from './privacy-rules.js';
import { domainOf, hostOf, normaliseDomain } from './url.js';
import { compileWorkingHours, validateWorkingHours, type TimeSpan, type WorkingHours } from './working-hours.js';

export type DetailLevel = 'app' | 'domain' | 'full';
export type ActivityKind = 'window' | 'web' | 'away';

export interface PrivacySettings {
  readonly detail: DetailLevel;
  readonly ignore: readonly IgnoreRule[];
  readonly paused: boolean;
  /** Days to keep activity, or null for forever; enforced by the retention job, not here. */
  readonly retentionDays: number | null;
  /** When activity is recorded at all; null or absent: always. */
  readonly workingHours?: WorkingHours | null;
}

export interface ActivityContent {
  readonly app?: string;
  readonly title?: string;
  readonly url?: string;
  readonly domain?: string;
}

export const DETAIL_LEVELS: readonly DetailLevel[] = ['app', 'domain', 'full'];

export const DEFAULT_PRIVACY: PrivacySettings = Object.freeze({
  detail: 'full',
  ignore: Object.freeze([]),
  paused: false,
  retentionDays: null,
  workingHours: null,
});

export interface CompiledPrivacy {
  readonly settings: PrivacySettings;
  /**
   * The content to store, reduced to the detail level, or null when the
   * activity must not be recorded at all (paused, or an ignore rule matched).
   * Away events are never matched by ignore rules, but are dropped while paused.
   */
  apply(kind: ActivityKind, content: ActivityContent): ActivityContent | null;
  /**
   * The part of [start, end) to record: the whole range without working
   * hours, else its first part inside them, or null when none of it is.
   * Applies to every kind, away time included: outside working hours
   * nothing is recorded, as while paused.
   */
  clip(start: number, end: number): TimeSpan | null;
}

/**
 * Compiles the settings once (they are cached per person and applied to
 * every event). Throws a RangeError when they are invalid: privacy settings
 * that cannot be enforced must stop ingest rather than let activity through.
 */
export function compilePrivacy(settings: PrivacySettings): CompiledPrivacy {
  if (!DETAIL_LEVELS.includes(settings.detail)) {
    throw new RangeError(`invalid privacy settings: detail: must be one of ${DETAIL_LEVELS.join(', ')}`);
  }
  const problem = validateIgnoreRules(settings.ignore);
  if (problem !== null) throw new RangeError(`invalid privacy settings: ${problem}`);
  const hoursProblem = settings.workingHours ? validateWorkingHours(settings.workingHours) : null;
  if (hoursProblem !== null) throw new RangeError(`invalid privacy settings: ${hoursProblem}`);
  const { detail, paused } = settings;
  const matchers = settings.ignore.map(compileIgnoreRule);
  const hours = settings.workingHours ? compileWorkingHours(settings.workingHours) : null;

  return {
    settings,
    clip(start, end) {
      if (hours === null) return end >= start ? { start, end } : null;
      return hours.firstPart(start, end);
    },
    apply(kind, content) {
      if (paused) return null;
      switch (kind) {
        case 'away':
          return {};
        case 'window':
        case 'web': {
          const fields = stringFields(content);
          if (isIgnored(matchers, fields)) return null;
          return reduce(detail, kind, fields);
        }
        default:
          return unreachable(kind);
      }
    },
  };
}

/** The four content fields that hold strings; anything else is not copied. */
function stringFields(content: ActivityContent): ActivityContent {
  const fields: { app?: string; title?: string; url?: string; domain?: string } = {};
  if (typeof content.app === 'string') fields.app = content.app;
  if (typeof content.title === 'string') fields.title = content.title;
  if (typeof content.url === 'string') fields.url = content.url;
  if (typeof content.domain === 'string') fields.domain = content.domain;
  return fields;
}

function isIgnored(matchers: readonly RuleMatcher[], content: ActivityContent): boolean {
  let hosts: readonly string[] | undefined;
  return matchers.some((matcher) => {
    if (matcher.field === 'domain') {
      hosts ??= hostForms(content);
      return hosts.some((host) => matcher.test(host));
    }
    const value = content[matcher.field];
    return value !== undefined && matcher.test(value);
  });
}

/**
 * Every form of the site a domain rule is tried on: the given domain and the
 * url's host, each as given (lowercased) and without "www.". Both sources
 * count, so a domain field that disagrees with the url cannot smuggle an
 * ignored site's url through.
 */
function hostForms(content: ActivityContent): string[] {
  const forms = new Set<string>();
  for (const host of [content.domain, content.url === undefined ? null : hostOf(content.url)]) {
    if (host === undefined || host === null || host === '') continue;
    const lower = host.toLowerCase().replace(/\.$/, '');
    forms.add(lower);
    forms.add(normaliseDomain(lower));
  }
  return [...forms];
}

function reduce(detail: DetailLevel, kind: 'window' | 'web', fields: ActivityContent): ActivityContent {
  switch (detail) {
    case 'full':
      return withDomain(fields, fields);
    case 'domain':
      return withDomain(fields, fields.app === undefined ? {} : { app: fields.app });
    case 'app':
      return kind === 'web' || fields.app === undefined ? {} : { app: fields.app };
    default:
      return unreachable(detail);
  }
}

/** `kept` plus the domain: the given one, else the url's, else none. */
function withDomain(fields: ActivityContent, kept: ActivityContent): ActivityContent {
  const given = fields.domain === undefined || fields.domain === '' ? undefined : fields.domain;
  const domain = given ?? (fields.url === undefined ? null : domainOf(fields.url));
  return domain === null ? kept : { ...kept, domain };
}
