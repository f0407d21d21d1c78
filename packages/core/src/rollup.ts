/**
 * Rollups: active milliseconds per 15-minute UTC slot, dimension and key.
 *
 * Active time is window time minus the device's away periods
 * (ARCHITECTURE.md, "Time tracking semantics"): a span counts unless an
 * `away` event of the same device says the person was away then. A device
 * without an away watcher therefore counts all its window time.
 *
 * Dimensions:
 * - `app`: active window time by app (key: the app name's id);
 * - `domain`: web time minus away, by domain (key: the domain's id);
 * - `category` and `level`: active window time by the category it is filed
 *   under (key: categoryKey, 0 when uncategorised) and by its productivity
 *   level (key: −2…2). Where the window is a browser, the part of its time a
 *   web event of the same device covers is classified with that site (its
 *   domain, URL and page title) — time in a browser is time on the site;
 * - `away`: the device's away time (key 0).
 *
 * Rollups are kept up to date by deltas: when events change, the caller
 * takes the time ranges the change touches (the old and new extents of the
 * changed events), computes the contributions of the device's events inside
 * those ranges before and after, and adds the difference. Any contribution
 * outside the touched ranges is unchanged by construction, so the stored sums
 * stay equal to a recomputation from raw events. (A window's classification
 * depends on the web events over it, and a web event's change touches its
 * own extent, so that holds for `category` and `level` too.)
 */

import { ROLLUP_SLOT_MS, rollupSlot } from './time.js';

export type RollupDimension = 'app' | 'domain' | 'category' | 'level' | 'away';

/** What the rollup arithmetic needs of an event (all of one device). */
export interface RollupSource {
  readonly start: number;
  readonly end: number;
  readonly kind: 'window' | 'web' | 'away' | 'other';
  /** For `away` events: true when the person was away (afk). */
  readonly away: boolean;
  readonly appId: number | null;
  readonly titleId: number | null;
  readonly domainId: number | null;
  readonly urlId: number | null;
}

/** What a piece of window time is classified by: the window, and the site shown in it if any. */
export interface ActivityRef {
  readonly appId: number;
  readonly titleId: number | null;
  readonly domainId: number | null;
  readonly urlId: number | null;
}

export interface Classification {
  /** categoryKey of the category, 0 for uncategorised. */
  readonly category: number;
  readonly level: number;
}

/** Classifies activity for the `category` and `level` dimensions. */
export interface Classifier {
  /** Whether the app is a web browser (its time is attributed to the sites it shows). */
  isBrowser(appId: number): boolean;
  classify(activity: ActivityRef): Classification;
}

export interface ContributionOptions {
  /** Without one, `category` and `level` are not computed. */
  readonly classifier?: Classifier;
  /** Only these dimensions (default: all that can be computed). */
  readonly dimensions?: ReadonlySet<RollupDimension>;
}

export interface Range {
  readonly start: number;
  readonly end: number;
}

export interface RollupCell {
  readonly dimension: RollupDimension;
  readonly slot: number;
  readonly key: number;
  readonly ms: number;
}

/** Merges ranges into sorted, disjoint, non-empty ranges (touching ranges join). */
export function mergeRanges(ranges: readonly Range[]): Range[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ start: r.start, end: r.end });
  }
  return out;
}

/** The parts of `range` not covered by any of `holes` (sorted, disjoint). */
function subtract(range: Range, holes: readonly Range[]): Range[] {
  const out: Range[] = [];
  let cursor = range.start;
  for (const hole of holes) {
    if (hole.end <= cursor) continue;
    if (hole.start >= range.end) break;
    if (hole.start > cursor) out.push({ start: cursor, end: hole.start });
    cursor = Math.max(cursor, hole.end);
    if (cursor >= range.end) break;
  }
  if (cursor < range.end) out.push({ start: cursor, end: range.end });
  return out;
}

const cellKey = (dimension: RollupDimension, slot: number, key: number) => `${dimension}\u0000${slot}\u0000${key}`;

function addSpan(cells: Map<string, RollupCell>, dimension: RollupDimension, key: number, span: Range): void {
  let start = span.start;
  while (start < span.end) {
    const slot = rollupSlot(start);
    const stop = Math.min(span.end, slot + ROLLUP_SLOT_MS);
    const id = cellKey(dimension, slot, key);
    const ms = (cells.get(id)?.ms ?? 0) + (stop - start);
    cells.set(id, { dimension, slot, key, ms });
    start = stop;
  }
}

/** Web events sorted by start, with the running maximum of their ends, for overlap search. */
interface SiteIndex {
  readonly sites: readonly RollupSource[];
  readonly maxEnd: readonly number[];
}

function siteIndex(events: readonly RollupSource[]): SiteIndex {
  const sites = events.filter((e) => e.kind === 'web' && e.end > e.start).sort((a, b) => a.start - b.start);
  const maxEnd: number[] = [];
  for (const site of sites) maxEnd.push(Math.max(maxEnd[maxEnd.length - 1] ?? -Infinity, site.end));
  return { sites, maxEnd };
}

/** The web events overlapping `span`. */
function sitesOver(index: SiteIndex, span: Range): RollupSource[] {
  const { sites, maxEnd } = index;
  let lo = 0;
  let hi = sites.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sites[mid] as RollupSource).start < span.end) lo = mid + 1;
    else hi = mid;
  }
  const out: RollupSource[] = [];
  for (let i = lo - 1; i >= 0 && (maxEnd[i] as number) > span.start; i -= 1) {
    const site = sites[i] as RollupSource;
    if (site.end > span.start) out.push(site);
  }
  return out;
}

/**
 * Which of two overlapping sites a moment belongs to: the one that started
 * later (the tab switched to), then a total order on the rest, so the answer
 * never depends on the order events were read in.
 */
function laterSite(a: RollupSource, b: RollupSource): RollupSource {
  const order: (keyof RollupSource)[] = ['start', 'end', 'domainId', 'urlId', 'titleId'];
  for (const field of order) {
    const x = (a[field] as number | null) ?? -1;
    const y = (b[field] as number | null) ?? -1;
    if (x !== y) return x > y ? a : b;
  }
  return a;
}

/** `span` cut into pieces, each with the site shown then (null: none). */
function bySite(span: Range, sites: readonly RollupSource[]): { span: Range; site: RollupSource | null }[] {
  if (sites.length === 0) return [{ span, site: null }];
  const cuts = new Set([span.start, span.end]);
  for (const site of sites) {
    if (site.start > span.start) cuts.add(site.start);
    if (site.end < span.end) cuts.add(site.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: { span: Range; site: RollupSource | null }[] = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const piece = { start: points[i] as number, end: points[i + 1] as number };
    let shown: RollupSource | null = null;
    for (const site of sites) {
      if (site.start <= piece.start && site.end >= piece.end) shown = shown ? laterSite(shown, site) : site;
    }
    const last = out[out.length - 1];
    if (last && last.site === shown && last.span.end === piece.start)
      last.span = { start: last.span.start, end: piece.end };
    else out.push({ span: piece, site: shown });
  }
  return out;
}

/** What a segment is classified by: the window, with the site's domain, URL and page title when one is shown. */
export function activityOf(window: RollupSource & { appId: number }, site: RollupSource | null): ActivityRef {
  if (site === null) return { appId: window.appId, titleId: window.titleId, domainId: null, urlId: null };
  return {
    appId: window.appId,
    titleId: site.titleId ?? window.titleId,
    domainId: site.domainId,
    urlId: site.urlId,
  };
}

/** A stretch of active window time, with the site its browser showed (if any). */
export interface WindowSegment {
  readonly start: number;
  readonly end: number;
  readonly window: RollupSource & { readonly appId: number };
  readonly site: RollupSource | null;
}

function* clippedTo(within: readonly Range[], e: Range): Generator<Range> {
  for (const r of within) {
    if (r.end <= e.start) continue;
    if (r.start >= e.end) break;
    yield { start: Math.max(r.start, e.start), end: Math.min(r.end, e.end) };
  }
}

/**
 * One device's active window time inside `ranges`, in window order: each
 * window event clipped to the ranges, minus the device's away periods, and
 * (where `isBrowser` says the app is a browser) cut where the site shown
 * changes. Rollups and the day timeline are both made of these.
 */
export function* windowSegments(
  events: readonly RollupSource[],
  ranges: readonly Range[],
  isBrowser?: (appId: number) => boolean,
): Generator<WindowSegment> {
  const within = mergeRanges(ranges);
  const away = mergeRanges(events.filter((e) => e.kind === 'away' && e.away));
  const sites = isBrowser ? siteIndex(events) : null;
  for (const e of events) {
    if (e.kind !== 'window' || e.appId === null || e.end <= e.start) continue;
    const window = e as RollupSource & { appId: number };
    const browser = sites !== null && isBrowser !== undefined && isBrowser(window.appId);
    for (const part of clippedTo(within, e)) {
      for (const span of subtract(part, away)) {
        if (!browser) {
          yield { ...span, window, site: null };
          continue;
        }
        for (const piece of bySite(span, sitesOver(sites, span))) yield { ...piece.span, window, site: piece.site };
      }
    }
  }
}

/**
 * The rollup contributions of one device's events that fall inside `ranges`.
 * The events must include every away and web event overlapping the ranges.
 */
export function rollupContributions(
  events: readonly RollupSource[],
  ranges: readonly Range[],
  options: ContributionOptions = {},
): Map<string, RollupCell> {
  const within = mergeRanges(ranges);
  const wanted = (dimension: RollupDimension) => options.dimensions?.has(dimension) ?? true;
  const classifier = wanted('category') || wanted('level') ? options.classifier : undefined;
  const cells = new Map<string, RollupCell>();

  if (wanted('away')) {
    const away = mergeRanges(events.filter((e) => e.kind === 'away' && e.away));
    for (const period of away) for (const span of clippedTo(within, period)) addSpan(cells, 'away', 0, span);
  }
  if (wanted('domain')) {
    const away = mergeRanges(events.filter((e) => e.kind === 'away' && e.away));
    for (const e of events) {
      if (e.kind !== 'web' || e.domainId === null || e.end <= e.start) continue;
      for (const part of clippedTo(within, e)) {
        for (const span of subtract(part, away)) addSpan(cells, 'domain', e.domainId, span);
      }
    }
  }
  if (!wanted('app') && !classifier) return cells;
  const isBrowser = classifier ? (appId: number) => classifier.isBrowser(appId) : undefined;
  for (const segment of windowSegments(events, within, isBrowser)) {
    if (wanted('app')) addSpan(cells, 'app', segment.window.appId, segment);
    if (!classifier) continue;
    const { category, level } = classifier.classify(activityOf(segment.window, segment.site));
    if (wanted('category')) addSpan(cells, 'category', category, segment);
    if (wanted('level')) addSpan(cells, 'level', level, segment);
  }
  return cells;
}

/** after − before, cell by cell, leaving out cells that did not change. */
export function rollupDelta(before: Map<string, RollupCell>, after: Map<string, RollupCell>): RollupCell[] {
  const out: RollupCell[] = [];
  for (const [id, cell] of after) {
    const ms = cell.ms - (before.get(id)?.ms ?? 0);
    if (ms !== 0) out.push({ ...cell, ms });
  }
  for (const [id, cell] of before) if (!after.has(id)) out.push({ ...cell, ms: -cell.ms });
  return out;
}
