/**
 * Shared by the export and import suites: a person with varied data (three
 * devices, native and ActivityWatch buckets, events stored at every detail
 * level, their own categories and rules, privacy and ActivityWatch
 * settings), the calls of /api/v1/export and /api/v1/import, a small RFC
 * 4180 reader, and the normalisation docs/export.md promises: an export of
 * an imported account equals the original apart from the fields listed there.
 */
import { expect } from 'vitest';
import { DEFAULT_CATEGORIES } from '@sundial/core';
import type { TestApp } from '../helpers.js';
import { raw, withBearer, withCookie, type Person, type Reply } from '../accounts/support.js';
import {
  awayEvent,
  HOUR,
  ingest,
  MINUTE,
  newToken,
  putPrivacy,
  T0,
  webEvent,
  windowEvent,
} from '../activity/support.js';
import { createCategory, createRule, write } from '../categories/support.js';

/** The export document as the tests read it (shape checked against the contract separately). */
export interface Doc {
  format: string;
  version: number;
  exportedAt: string;
  profile: Record<string, unknown>;
  settings: { privacy: Record<string, unknown>; activitywatch: Record<string, unknown> };
  categories: { customised: boolean; tree: { id: string; parentId: string | null; name: string }[] };
  rules: { id: string; categoryId: string | null; pattern: string }[];
  devices: { id: string; name: string; createdAt: string; lastSeenAt: string | null }[];
  buckets: { key: string; device: string; createdAt: string; lastUpdatedAt: string | null }[];
  events: Record<string, unknown>[];
}

export function exportRequest(t: TestApp, cookie: string, format?: 'json' | 'csv'): Promise<Reply> {
  const url = format === undefined ? '/api/v1/export' : `/api/v1/export?format=${format}`;
  return t.app.inject({ method: 'GET', url, ...withCookie(cookie) });
}

export async function exportJson(t: TestApp, cookie: string): Promise<Doc> {
  const res = await exportRequest(t, cookie, 'json');
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Doc>();
}

export function importRequest(t: TestApp, cookie: string, doc: unknown): Promise<Reply> {
  return t.app.inject({ method: 'POST', url: '/api/v1/import', payload: doc as object, ...withCookie(cookie) });
}

export const bearer = withBearer;

/** Tricky text for CSV and formulas. */
export const FORMULA_TITLE = '=HYPERLINK("http://evil.example","click")';
export const QUOTED_TITLE = 'Report, "final"\nsecond line';

/**
 * Fills the person's account: the token device "laptop" (the one `setup`
 * made) and a second token device; events at full, then domain, then app
 * detail; an ActivityWatch window bucket and an "other" bucket; their own
 * categories (a renamed default, a deleted default, nested new ones) and
 * rules; ActivityWatch settings; and last their privacy settings.
 */
export async function seed(t: TestApp, me: Person, token: string): Promise<void> {
  const desktop = await newToken(t, me, ['ingest', 'read'], 'desktop');
  const base = T0 - 3 * 24 * HOUR;
  await ingest(t, token, [
    windowEvent(base, 5 * MINUTE, 'Code', FORMULA_TITLE, { url: 'https://github.com/acme/app', file: 'main.ts' }),
    windowEvent(base + 5 * MINUTE, 2 * MINUTE, '+cmd', QUOTED_TITLE),
    windowEvent(base + 7 * MINUTE, MINUTE, '@SUM(A1)', '-2+3', { audible: true }),
    webEvent(base, 3 * MINUTE, 'https://www.example.org/a?b=c', 'Example', { audible: false, tabCount: 3 }),
    webEvent(base + 3 * MINUTE, MINUTE, 'https://news.example.com/', '\tTabbed'),
    awayEvent(base + 8 * MINUTE, 2 * MINUTE, true),
    awayEvent(base + 10 * MINUTE, MINUTE, false),
  ]);
  // Same start as another event: the order must not depend on seq.
  await ingest(t, desktop.token, [windowEvent(base, 4 * MINUTE, 'Terminal', 'zsh')]);
  await putPrivacy(t, me.cookie, { detail: 'domain' });
  await ingest(t, token, [
    webEvent(base + HOUR, 2 * MINUTE, 'https://docs.example.net/page', 'Docs', { incognito: false, note: 'dropped' }),
    windowEvent(base + HOUR, 2 * MINUTE, 'Firefox', 'Docs', { url: 'https://docs.example.net/page' }),
    webEvent(base + HOUR + 2 * MINUTE, MINUTE, 'about:blank', 'Blank'),
  ]);
  await putPrivacy(t, me.cookie, { detail: 'app' });
  await ingest(t, token, [
    webEvent(base + 2 * HOUR, MINUTE, 'https://private.example/', 'Private'),
    windowEvent(base + 2 * HOUR, MINUTE, 'Slack', 'General'),
  ]);
  await putPrivacy(t, me.cookie, { detail: 'full' });
  // A session writes as the "manual" device.
  const manual = await t.app.inject({
    method: 'POST',
    url: '/api/v1/events',
    payload: { events: [windowEvent(base + 3 * HOUR, 10 * MINUTE, 'Notes', 'Plan')] },
    ...withCookie(me.cookie),
  });
  expect(manual.statusCode, manual.body).toBe(200);

  const aw = async (method: 'POST', url: string, payload: unknown) => {
    const res = await t.app.inject({
      method,
      url,
      payload: JSON.stringify(payload),
      headers: { ...withBearer(token).headers, 'content-type': 'application/json' },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
  };
  await aw('POST', '/api/0/buckets/aw-watcher-window_myhost', {
    client: 'aw-watcher-window',
    type: 'currentwindow',
    hostname: 'myhost',
  });
  await aw('POST', '/api/0/buckets/aw-watcher-window_myhost/events', [
    { timestamp: new Date(base + 4 * HOUR).toISOString(), duration: 90, data: { app: 'vim', title: 'notes.md' } },
  ]);
  await aw('POST', '/api/0/buckets/editor_myhost', {
    client: 'aw-watcher-vim',
    type: 'app.editor.activity',
    hostname: 'myhost',
  });
  await aw('POST', '/api/0/buckets/editor_myhost/events', [
    { timestamp: new Date(base + 4 * HOUR).toISOString(), duration: 30, data: { file: '/home/me/x.ts', lines: 12 } },
  ]);
  await aw('POST', '/api/0/settings/classes', [{ name: ['Work'], rule: { type: 'regex', regex: 'vim' } }]);
  await aw('POST', '/api/0/settings/theme', 'dark');

  const work = DEFAULT_CATEGORIES.find((c) => c.parentId === null);
  if (!work) throw new Error('no default top-level category');
  const leaf = DEFAULT_CATEGORIES.find(
    (c) => c.parentId !== null && !DEFAULT_CATEGORIES.some((x) => x.parentId === c.id),
  );
  if (!leaf) throw new Error('no default leaf category');
  const renamed = await write(t, me.cookie, 'PUT', `/api/v1/categories/${work.id}`, {
    parentId: null,
    name: `${work.name} (mine)`,
    level: 1,
    color: '#abcdef',
  });
  expect(renamed.statusCode, renamed.body).toBe(200);
  expect((await write(t, me.cookie, 'DELETE', `/api/v1/categories/${leaf.id}`)).statusCode).toBe(204);
  const project = await createCategory(t, me.cookie, { name: 'Project Zephyr', parentId: work.id, level: 2 });
  const sub = await createCategory(t, me.cookie, { name: 'Zephyr docs', parentId: project.id, level: 1 });
  await createCategory(t, me.cookie, { name: 'Hobbies', level: -1, color: '#00ff00' });
  await createRule(t, me.cookie, { field: 'app', match: 'exact', pattern: 'vim', categoryId: project.id });
  await createRule(t, me.cookie, { field: 'title', match: 'glob', pattern: '*Zephyr*', categoryId: sub.id, level: 2 });
  await createRule(t, me.cookie, {
    field: 'domain',
    match: 'exact',
    pattern: 'example.org',
    categoryId: null,
    level: -1,
  });
  await createRule(t, me.cookie, { field: 'app', match: 'regex', pattern: '^Term', categoryId: work.id });

  await putPrivacy(t, me.cookie, {
    detail: 'domain',
    ignore: [{ field: 'app', match: 'exact', pattern: 'Secret Diary' }],
    retentionDays: 3650,
  });
}

const DEFAULT_IDS = new Set(DEFAULT_CATEGORIES.map((c) => c.id));

/**
 * The document without what docs/export.md says an import renews: when it
 * was made, the profile, the times devices and buckets were created and last
 * seen, the ids of the person's own categories (replaced by their place in
 * the tree, here and in rules) and the ids of rules.
 */
export function comparable(doc: Doc): unknown {
  const place = new Map(doc.categories.tree.map((c, i) => [c.id, DEFAULT_IDS.has(c.id) ? c.id : `own category #${i}`]));
  const id = (value: string | null) => (value === null ? null : (place.get(value) ?? `unknown ${value}`));
  return {
    ...doc,
    exportedAt: undefined,
    profile: undefined,
    categories: {
      ...doc.categories,
      tree: doc.categories.tree.map((c) => ({ ...c, id: id(c.id), parentId: id(c.parentId) })),
    },
    rules: doc.rules.map((r) => ({ ...r, id: undefined, categoryId: id(r.categoryId) })),
    devices: doc.devices.map((d) => ({ ...d, createdAt: undefined, lastSeenAt: undefined })),
    buckets: doc.buckets.map((b) => ({ ...b, createdAt: undefined, lastUpdatedAt: undefined })),
  };
}

/** A CSV text (RFC 4180) as rows of cells. */
export function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) throw new Error('CSV does not end with CRLF');
  return rows;
}

/** Row counts of everything an import writes, for "nothing was written". */
export async function holdings(t: TestApp, userId: string): Promise<Record<string, number>> {
  const tables = [
    'events',
    'rollups',
    'names',
    'devices',
    'buckets',
    'privacy_settings',
    'aw_settings',
    'categories',
    'category_rules',
  ] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    counts[table] = await raw(t, async (db) =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('user_id', '=', userId)
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );
  }
  return counts;
}
