/**
 * Export: everything a person has, decrypted, as one JSON document
 * (ExportDocument in @sundial/contracts) or their events as CSV.
 *
 * The small sections (profile, settings, categories, rules, devices,
 * buckets) are read at once; events are read a page at a time in (start,
 * id) order and each page becomes one chunk of text, so no export — however
 * long the history — is ever held whole. Sections are listed in an order
 * that does not depend on ids an import renews (see docs/export.md), so an
 * export of an imported account reads like the original.
 */
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportDocument, type ExportEvent } from '@sundial/contracts';
import { categoryPath, DEFAULT_CATEGORIES, formatIsoTimestamp, type Category, type CategoryRule } from '@sundial/core';
import type { EventRow, Store } from '@sundial/store';
import type { Accounts } from './accounts.js';
import type { Activity, Bucket } from './activity/index.js';
import type { Content } from './activity/content.js';
import type { CategoriesService } from './categories.js';
import { csvCell } from '../csv.js';

/** Events read (and decrypted) per page. */
export const EXPORT_PAGE_SIZE = 2000;

/**
 * Everything but the events. Each later section (alerts) is one more
 * property of ExportDocument and one more line in `head` below.
 */
export type ExportHead = Omit<ExportDocument, 'events'>;

export interface ExportDeps {
  readonly store: Pick<Store, 'events'>;
  readonly activity: Pick<Activity, 'codec' | 'sources' | 'privacy' | 'awSettings'>;
  readonly categories: Pick<CategoriesService, 'tree' | 'rules'>;
  readonly accounts: Pick<Accounts, 'me'>;
  readonly now?: () => number;
  readonly pageSize?: number;
}

export interface Exporter {
  head(userId: string): Promise<ExportHead>;
  /** The person's events, oldest first, one page at a time (read as the consumer asks). */
  events(userId: string): AsyncGenerator<ExportEvent[]>;
  /** How many events an export holds now (for the audit record). */
  count(userId: string): Promise<number>;
}

const iso = (ms: number | null): string | null => (ms === null ? null : formatIsoTimestamp(ms));
/** Code-unit order: the same on every machine, unlike localeCompare. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const DEFAULT_RANK: ReadonlyMap<string, number> = new Map(DEFAULT_CATEGORIES.map((c, i) => [c.id, i]));

/**
 * The tree depth first, parents before children; siblings in the default
 * tree's order, then by name (unique among siblings ignoring case), so the
 * order does not depend on the ids of the person's own categories.
 */
export function treeOrder(tree: readonly Category[]): Category[] {
  const rank = (c: Category) => DEFAULT_RANK.get(c.id) ?? DEFAULT_RANK.size;
  const siblings = (parentId: string | null) =>
    tree
      .filter((c) => c.parentId === parentId)
      .sort((a, b) => rank(a) - rank(b) || compareText(a.name.trim().toLowerCase(), b.name.trim().toLowerCase()));
  const ordered: Category[] = [];
  const visit = (parentId: string | null, depth: number) => {
    if (depth > 64) return; // a checked tree is at most 6 deep; never loop on one that was not
    for (const c of siblings(parentId)) {
      ordered.push(c);
      visit(c.id, depth + 1);
    }
  };
  visit(null, 0);
  return ordered;
}

/** Rules by what they say (field, match, pattern, category path, level), not by their ids. */
function ruleOrder(tree: readonly Category[], rules: readonly CategoryRule[]): CategoryRule[] {
  const key = (r: CategoryRule) =>
    JSON.stringify([
      r.field,
      r.match,
      r.pattern,
      r.categoryId === null ? [] : categoryPath(tree, r.categoryId),
      r.level ?? null,
    ]);
  return [...rules].sort((a, b) => compareText(key(a), key(b)) || compareText(a.id, b.id));
}

/** One stored event as the export writes it: its stored fields, absent ones left out. */
export function exportEvent(row: EventRow, content: Content, bucketKey: string): ExportEvent {
  return {
    id: row.uid,
    device: row.deviceId,
    bucket: bucketKey,
    kind: row.kind,
    start: formatIsoTimestamp(row.start),
    end: formatIsoTimestamp(row.end),
    ...(content.app === undefined ? {} : { app: content.app }),
    ...(content.title === undefined ? {} : { title: content.title }),
    ...(content.url === undefined ? {} : { url: content.url }),
    ...(content.domain === undefined ? {} : { domain: content.domain }),
    ...(content.away === undefined ? {} : { away: content.away }),
    ...(content.extra === undefined ? {} : { extra: { ...content.extra } }),
  };
}

export function exporter(deps: ExportDeps): Exporter {
  const now = deps.now ?? Date.now;
  const pageSize = deps.pageSize ?? EXPORT_PAGE_SIZE;
  const { activity } = deps;

  function bucketView(b: Bucket) {
    return {
      key: b.key,
      device: b.deviceId,
      kind: b.kind,
      type: b.type,
      client: b.client,
      hostname: b.hostname,
      data: { ...b.data },
      createdAt: formatIsoTimestamp(b.createdAt),
      lastUpdatedAt: iso(b.lastUpdatedAt),
    };
  }

  return {
    async head(userId) {
      const me = await deps.accounts.me(userId);
      const privacy = await activity.privacy.get(userId);
      const { categories: tree, customised } = await deps.categories.tree(userId);
      const rules = await deps.categories.rules(userId, false);
      const devices = await activity.sources.devices(userId);
      const buckets = await activity.sources.buckets(userId);
      return {
        format: EXPORT_FORMAT,
        version: EXPORT_VERSION,
        exportedAt: formatIsoTimestamp(now()),
        profile: {
          id: me.id,
          email: me.email,
          displayName: me.displayName,
          role: me.role,
          mfa: { totp: me.totp },
          createdAt: formatIsoTimestamp(me.createdAt),
        },
        settings: {
          privacy: {
            detail: privacy.detail,
            ignore: privacy.ignore.map(({ field, match, pattern }) => ({ field, match, pattern })),
            paused: privacy.paused,
            retentionDays: privacy.retentionDays,
            workingHours: privacy.workingHours
              ? { ...privacy.workingHours, days: [...privacy.workingHours.days] }
              : null,
          },
          activitywatch: await activity.awSettings.all(userId),
        },
        categories: {
          customised,
          tree: treeOrder(tree).map(({ id, parentId, name, level, color }) => ({ id, parentId, name, level, color })),
        },
        rules: ruleOrder(tree, rules).map((r) => ({
          id: r.id,
          field: r.field,
          match: r.match,
          pattern: r.pattern,
          categoryId: r.categoryId,
          level: r.level ?? null,
        })),
        devices: [...devices]
          .sort((a, b) => compareText(a.id, b.id))
          .map((d) => ({
            id: d.id,
            name: d.name,
            platform: d.platform,
            createdAt: formatIsoTimestamp(d.createdAt),
            lastSeenAt: iso(d.lastSeenAt),
          })),
        buckets: [...buckets].sort((a, b) => compareText(a.key, b.key)).map(bucketView),
      };
    },

    async *events(userId) {
      let keys = new Map<string, string>();
      const keyOf = async (bucketId: string) => {
        // Read again when a bucket appears during the export.
        if (!keys.has(bucketId)) keys = new Map((await activity.sources.buckets(userId)).map((b) => [b.id, b.key]));
        const key = keys.get(bucketId);
        if (key === undefined) throw new Error('export: an event belongs to no bucket (erased meanwhile?)');
        return key;
      };
      let after: { start: number; uid: string } | null = null;
      for (;;) {
        const rows = await deps.store.events.page(userId, after, pageSize);
        if (rows.length === 0) return;
        const contents = await activity.codec.decode(userId, rows);
        const page: ExportEvent[] = [];
        for (const [i, row] of rows.entries()) {
          page.push(exportEvent(row, contents[i] ?? {}, await keyOf(row.bucketId)));
        }
        yield page;
        if (rows.length < pageSize) return;
        const last = rows[rows.length - 1] as EventRow;
        after = { start: last.start, uid: last.uid };
      }
    },

    count(userId) {
      return deps.store.events.count(userId, {});
    },
  };
}

/**
 * The JSON document as text chunks: the head, then one chunk per page of
 * events (one event a line), then the closing brackets.
 */
export async function* jsonChunks(head: ExportHead, pages: AsyncIterable<readonly ExportEvent[]>) {
  const opening = JSON.stringify(head);
  yield `${opening.slice(0, -1)},"events":[`;
  let first = true;
  for await (const page of pages) {
    if (page.length === 0) continue;
    yield `${first ? '\n' : ',\n'}${page.map((e) => JSON.stringify(e)).join(',\n')}`;
    first = false;
  }
  yield first ? ']}\n' : '\n]}\n';
}

export const CSV_COLUMNS = [
  'id',
  'device',
  'bucket',
  'kind',
  'start',
  'end',
  'duration_seconds',
  'app',
  'title',
  'domain',
  'url',
  'away',
] as const;

export function csvRow(e: ExportEvent): string {
  const seconds = (Date.parse(e.end) - Date.parse(e.start)) / 1000;
  const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
    id: e.id,
    device: e.device,
    bucket: e.bucket,
    kind: e.kind,
    start: e.start,
    end: e.end,
    duration_seconds: String(seconds),
    app: e.app ?? '',
    title: e.title ?? '',
    domain: e.domain ?? '',
    url: e.url ?? '',
    away: e.away === undefined ? '' : String(e.away),
  };
  return CSV_COLUMNS.map((column) => csvCell(cells[column])).join(',');
}

/** The events as CSV text chunks: the header row, then one chunk per page; lines end in CRLF (RFC 4180). */
export async function* csvChunks(pages: AsyncIterable<readonly ExportEvent[]>) {
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  for await (const page of pages) {
    if (page.length > 0) yield `${page.map(csvRow).join('\r\n')}\r\n`;
  }
}

/** `sundial-export-2025-06-01.json`: the day (UTC) of the export. */
export function exportFilename(format: 'json' | 'csv', at: number): string {
  return `sundial-export-${formatIsoTimestamp(at).slice(0, 10)}.${format}`;
}
