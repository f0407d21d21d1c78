/**
 * Shared by the activity suites: a person with device tokens on a real app
 * (createTestApp) under a settable clock, builders for wire events, the
 * native API's calls, raw reads of the activity tables, a whole-database
 * scan for a string, and an independent recomputation of rollups from raw
 * events (elementary-interval sweep, nothing shared with core/rollup.ts).
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { sql } from 'kysely';
import type { DatabaseKind } from '@sundial/store';
import { createTestApp, type TestApp } from '../helpers.js';
import {
  createToken,
  person,
  raw,
  secondApp,
  sessionCookie,
  withBearer,
  withCookie,
  type Person,
  type Reply,
} from '../accounts/support.js';
import type { SundialApp } from '../../src/index.js';
import { categoryKey, isBrowserApp } from '@sundial/core';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const SLOT = 15 * MINUTE;

/** The services' clock in every activity test: fixed (a past instant), moved only by the test. */
export const T0 = Date.UTC(2025, 5, 1, 12, 0, 0, 0);

export interface Clock {
  now(): number;
  set(ms: number): void;
  advance(ms: number): void;
}

export function settableClock(start = T0): Clock {
  let current = start;
  return {
    now: () => current,
    set: (ms) => {
      current = ms;
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

export type Kind = 'window' | 'web' | 'away';

/** One event as the native API takes it (duration in seconds). */
export interface WireEvent {
  id: string;
  kind: Kind;
  start: string;
  duration: number;
  data: Record<string, unknown>;
}

/** One event as the native API answers it. */
export interface EventView {
  id: string;
  kind: string;
  device: string;
  start: string;
  duration: number;
  data: Record<string, unknown>;
}

export interface PrivacySettings {
  detail: 'app' | 'domain' | 'full';
  ignore: { field: 'app' | 'title' | 'domain' | 'url'; match: 'exact' | 'glob' | 'regex'; pattern: string }[];
  paused: boolean;
  retentionDays: number | null;
}

export const iso = (ms: number): string => new Date(ms).toISOString();

/** Milliseconds as the seconds the wire carries (exact for whole milliseconds after the server's rounding). */
export const seconds = (ms: number): number => ms / 1000;

export function windowEvent(
  start: number,
  durationMs: number,
  app: string,
  title?: string,
  extra: Record<string, unknown> = {},
): WireEvent {
  const data: Record<string, unknown> = { app, ...extra };
  if (title !== undefined) data.title = title;
  return { id: randomUUID(), kind: 'window', start: iso(start), duration: seconds(durationMs), data };
}

export function webEvent(
  start: number,
  durationMs: number,
  url: string,
  title?: string,
  extra: Record<string, unknown> = {},
): WireEvent {
  const data: Record<string, unknown> = { url, ...extra };
  if (title !== undefined) data.title = title;
  return { id: randomUUID(), kind: 'web', start: iso(start), duration: seconds(durationMs), data };
}

export function awayEvent(start: number, durationMs: number, away = true): WireEvent {
  return {
    id: randomUUID(),
    kind: 'away',
    start: iso(start),
    duration: seconds(durationMs),
    data: { status: away ? 'afk' : 'not-afk' },
  };
}

/** A person with one device token (scopes ingest and read) on a fresh app. */
export interface Ctx {
  readonly t: TestApp;
  readonly clock: Clock;
  readonly me: Person;
  readonly token: string;
  readonly tokenId: string;
}

export async function newToken(
  t: TestApp,
  someone: Person,
  scopes: readonly string[] = ['ingest', 'read'],
  name = 'laptop',
): Promise<{ token: string; id: string }> {
  const created = await createToken(t, someone.cookie, { name, scopes });
  if (created.status !== 201 || created.token === '') throw new Error(`token creation answered ${created.status}`);
  return { token: created.token, id: created.id };
}

let addresses = 0;

/**
 * Signs up and logs in someone new, each from an address of their own
 * (sign-ups are rate-limited per address, and suites create many people).
 */
export function newPerson(t: TestApp, label = 'person'): Promise<Person> {
  addresses += 1;
  return person(t, label, { ip: `198.18.${Math.floor(addresses / 250) % 250}.${(addresses % 250) + 1}` });
}

export async function setup(kind: DatabaseKind, clock: Clock = settableClock()): Promise<Ctx> {
  const t = await createTestApp({ kind, now: clock.now });
  try {
    const me = await newPerson(t, 'me');
    const { token, id } = await newToken(t, me);
    return { t, clock, me, token, tokenId: id };
  } catch (error) {
    await t.close();
    throw error;
  }
}

/** A second server process on the same database, and a session of the person there. */
export interface OtherProcess {
  readonly app: SundialApp['app'];
  /** The person's session cookie in that process (it runs on the real clock, not the test's). */
  readonly cookie: string;
  close(): Promise<void>;
}

export async function otherProcess(t: TestApp, someone: Person): Promise<OtherProcess> {
  const other = await secondApp(t);
  const login = await other.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: someone.email, password: someone.password },
  });
  const cookie = sessionCookie(login);
  if (cookie === null) {
    await other.app.close();
    throw new Error(`log-in in the second process answered ${login.statusCode}`);
  }
  return { app: other.app, cookie, close: () => other.app.close() };
}

export function postEvents(t: TestApp, token: string, events: readonly unknown[]): Promise<Reply> {
  return t.app.inject({ method: 'POST', url: '/api/v1/events', payload: { events }, ...withBearer(token) });
}

/** Posts a batch that must succeed; answers the counts. */
export async function ingest(
  t: TestApp,
  token: string,
  events: readonly WireEvent[],
): Promise<{ accepted: number; replaced: number; dropped: number }> {
  const res = await postEvents(t, token, events);
  if (res.statusCode !== 200) throw new Error(`POST /api/v1/events answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

export interface HeartbeatBody {
  kind: Kind;
  start: string;
  duration?: number;
  data: Record<string, unknown>;
}

export function postHeartbeat(t: TestApp, token: string, body: HeartbeatBody, pulsetime: number): Promise<Reply> {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/heartbeats?pulsetime=${pulsetime}`,
    payload: body,
    ...withBearer(token),
  });
}

/** Sends a heartbeat that must succeed; answers the resulting event and whether it merged. */
export async function heartbeat(
  t: TestApp,
  token: string,
  body: HeartbeatBody,
  pulsetime: number,
): Promise<{ event: EventView | null; merged: boolean }> {
  const res = await postHeartbeat(t, token, body, pulsetime);
  if (res.statusCode !== 200) throw new Error(`POST /api/v1/heartbeats answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

/** GET /api/v1/events with a bearer token; must succeed. */
export async function readEvents(t: TestApp, token: string, query: Record<string, string | number> = {}) {
  const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/events${qs ? `?${qs}` : ''}`,
    ...withBearer(token),
  });
  if (res.statusCode !== 200) throw new Error(`GET /api/v1/events answered ${res.statusCode}: ${res.body}`);
  return res.json<{ events: EventView[] }>().events;
}

export function eraseRequest(t: TestApp, cookie: string, body: Record<string, unknown>): Promise<Reply> {
  return t.app.inject({ method: 'DELETE', url: '/api/v1/activity', payload: body, ...withCookie(cookie) });
}

/** Erases through the API; must succeed; answers `erased`. */
export async function erase(t: TestApp, cookie: string, body: Record<string, unknown>): Promise<number> {
  const res = await eraseRequest(t, cookie, body);
  if (res.statusCode !== 200) throw new Error(`DELETE /api/v1/activity answered ${res.statusCode}: ${res.body}`);
  return res.json<{ erased: number }>().erased;
}

export function putPrivacyRequest(t: TestApp, cookie: string, body: unknown): Promise<Reply> {
  return t.app.inject({
    method: 'PUT',
    url: '/api/v1/settings/privacy',
    payload: body as Record<string, unknown>,
    ...withCookie(cookie),
  });
}

export const DEFAULT_PRIVACY: PrivacySettings = { detail: 'full', ignore: [], paused: false, retentionDays: null };

/** Changes the person's privacy settings; must succeed. */
export async function putPrivacy(t: TestApp, cookie: string, changes: Partial<PrivacySettings>): Promise<void> {
  const res = await putPrivacyRequest(t, cookie, { ...DEFAULT_PRIVACY, ...changes });
  if (res.statusCode !== 200) throw new Error(`PUT /api/v1/settings/privacy answered ${res.statusCode}: ${res.body}`);
}

/** The error body every failure answers with. */
export function errorOf(res: Reply): { code: string; message: string } {
  return res.json<{ error: { code: string; message: string } }>().error;
}

/**
 * Expects a 400 whose message names the event (`events[i]` or the schema's
 * `events/i`) and the field (`data.url`, or its last part as the schema says it).
 */
export function expectFieldError(res: Reply, index: number, field: string): string {
  expect(res.statusCode, res.body).toBe(400);
  const { code, message } = errorOf(res);
  expect(code).toBe('input.invalid');
  const path = field.split('.');
  const handler = `events[${index}].${field}`;
  const schema = `events/${index}/${path.join('/')}`;
  const schemaRequired = new RegExp(`events/${index} must have required property '${path[path.length - 1]}'`);
  const named = message.includes(handler) || message.includes(schema) || schemaRequired.test(message);
  expect(named, `message should name ${handler}: ${message}`).toBe(true);
  return message;
}

/** A stored event row as the database holds it (read around the repositories). */
export interface RawEvent {
  seq: number;
  uid: string;
  deviceId: string;
  bucketId: string;
  kind: string;
  start: number;
  end: number;
  appId: number | null;
  titleId: number | null;
  domainId: number | null;
  urlId: number | null;
  away: boolean | null;
}

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export async function rawEvents(t: TestApp, userId: string): Promise<RawEvent[]> {
  const rows = await raw(t, (db) =>
    db.selectFrom('events').selectAll().where('user_id', '=', userId).orderBy('start_ms').orderBy('seq').execute(),
  );
  return rows.map((r) => ({
    seq: num(r.seq),
    uid: r.uid,
    deviceId: r.device_id,
    bucketId: r.bucket_id,
    kind: r.kind,
    start: num(r.start_ms),
    end: num(r.end_ms),
    appId: numOrNull(r.app_id),
    titleId: numOrNull(r.title_id),
    domainId: numOrNull(r.domain_id),
    urlId: numOrNull(r.url_id),
    away: r.away === null ? null : Number(r.away) === 1,
  }));
}

export type PersonTable = 'events' | 'rollups' | 'names' | 'buckets' | 'devices' | 'privacy_settings';

export async function count(t: TestApp, table: PersonTable, userId: string): Promise<number> {
  return raw(t, async (db) => {
    const r = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  });
}

/** Row counts of the person's activity tables. */
export async function footprint(t: TestApp, userId: string): Promise<Record<'events' | 'rollups' | 'names', number>> {
  return {
    events: await count(t, 'events', userId),
    rollups: await count(t, 'rollups', userId),
    names: await count(t, 'names', userId),
  };
}

export interface Cell {
  dimension: string;
  slot: number;
  key: number;
  ms: number;
}

const byCell = (a: Cell, b: Cell) =>
  a.dimension.localeCompare(b.dimension) || a.slot - b.slot || a.key - b.key || a.ms - b.ms;

/** Every rollup dimension. */
export const ALL_DIMENSIONS = ['app', 'domain', 'category', 'level', 'away'] as const;

/** The stored rollups of a person, sorted: by default the name dimensions (app, domain) only. */
export async function storedRollups(
  t: TestApp,
  userId: string,
  dimensions: readonly string[] = ['app', 'domain'],
): Promise<Cell[]> {
  return (await t.store.events.allRollups(userId))
    .filter((c) => dimensions.includes(c.dimension))
    .map((c) => ({ ...c }))
    .sort(byCell);
}

export interface Classified {
  category: number;
  level: number;
}

/** How the reference classifies window time: resolved names through the person's categoriser. */
export interface ReferenceClassifier {
  isBrowser(appId: number): boolean;
  classify(appId: number, titleId: number | null, domainId: number | null, urlId: number | null): Classified;
}

export async function referenceClassifier(
  t: TestApp,
  userId: string,
  events: readonly RawEvent[],
): Promise<ReferenceClassifier> {
  const ids = new Set<number>();
  for (const e of events) for (const id of [e.appId, e.titleId, e.domainId, e.urlId]) if (id !== null) ids.add(id);
  const names = await t.services.names.resolve(userId, [...ids]);
  const categoriser = await t.services.categories.categoriser(userId);
  const value = (id: number | null) => (id === null ? undefined : names.get(id)?.value);
  return {
    isBrowser: (appId) => isBrowserApp(value(appId) ?? ''),
    classify(appId, titleId, domainId, urlId) {
      const input = { app: value(appId), title: value(titleId), domain: value(domainId), url: value(urlId) };
      const present = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
      const verdict = categoriser.categorise(present);
      return { category: verdict.categoryId === null ? 0 : categoryKey(verdict.categoryId), level: verdict.level };
    },
  };
}

/** The site a browser window shows at `mid`: the covering web event that started last (then a fixed order). */
export function siteAt(webs: readonly RawEvent[], mid: number): RawEvent | null {
  const rank = (e: RawEvent) => [e.start, e.end, e.domainId ?? -1, e.urlId ?? -1, e.titleId ?? -1];
  let best: RawEvent | null = null;
  for (const e of webs) {
    if (!(e.start <= mid && mid < e.end)) continue;
    if (best === null) {
      best = e;
      continue;
    }
    const [x, y] = [rank(e), rank(best)];
    const i = x.findIndex((v, k) => v !== y[k]);
    if (i !== -1 && (x[i] as number) > (y[i] as number)) best = e;
  }
  return best;
}

/**
 * Rollups recomputed from raw events, the slow obvious way: per device, cut
 * the time line at every event edge and every 15-minute slot edge. Each
 * elementary segment an `afk` away event of the device covers counts as
 * away; any other counts for every window event (app, and with a classifier
 * its category and level: by the site shown when the app is a browser) and
 * web event (domain) covering it.
 */
export function recomputeRollups(events: readonly RawEvent[], classifier?: ReferenceClassifier): Cell[] {
  const sums = new Map<string, Cell>();
  const add = (dimension: string, slot: number, key: number, ms: number) => {
    const id = `${dimension}/${slot}/${key}`;
    const cell = sums.get(id) ?? { dimension, slot, key, ms: 0 };
    cell.ms += ms;
    sums.set(id, cell);
  };
  const devices = new Set(events.map((e) => e.deviceId));
  for (const device of devices) {
    const mine = events.filter((e) => e.deviceId === device && e.end > e.start);
    const away = mine.filter((e) => e.kind === 'away' && e.away === true);
    const webs = mine.filter((e) => e.kind === 'web');
    const counted = mine.filter(
      (e) => (e.kind === 'window' && e.appId !== null) || (e.kind === 'web' && e.domainId !== null),
    );
    const timed = [...counted, ...away];
    if (timed.length === 0) continue;
    const points = new Set<number>();
    for (const e of mine) {
      points.add(e.start);
      points.add(e.end);
    }
    const lo = Math.min(...timed.map((e) => e.start));
    const hi = Math.max(...timed.map((e) => e.end));
    for (let s = Math.floor(lo / SLOT) * SLOT; s <= hi; s += SLOT) points.add(s);
    const cuts = [...points].sort((a, b) => a - b);
    for (let i = 0; i + 1 < cuts.length; i++) {
      const a = cuts[i] as number;
      const b = cuts[i + 1] as number;
      const mid = (a + b) / 2;
      const slot = Math.floor(a / SLOT) * SLOT;
      if (away.some((e) => e.start <= mid && mid < e.end)) {
        add('away', slot, 0, b - a);
        continue;
      }
      for (const e of counted) {
        if (!(e.start <= mid && mid < e.end)) continue;
        if (e.kind === 'web') {
          add('domain', slot, e.domainId as number, b - a);
          continue;
        }
        const appId = e.appId as number;
        add('app', slot, appId, b - a);
        if (!classifier) continue;
        const site = classifier.isBrowser(appId) ? siteAt(webs, mid) : null;
        const { category, level } = site
          ? classifier.classify(appId, site.titleId ?? e.titleId, site.domainId, site.urlId)
          : classifier.classify(appId, e.titleId, null, null);
        add('category', slot, category, b - a);
        add('level', slot, level, b - a);
      }
    }
  }
  return [...sums.values()].filter((c) => c.ms !== 0).sort(byCell);
}

/** Stored rollups must equal the recomputation from the raw events read back. */
export async function expectRollupsConsistent(t: TestApp, userId: string): Promise<Cell[]> {
  const events = await rawEvents(t, userId);
  const expected = recomputeRollups(events, await referenceClassifier(t, userId, events));
  // The day tier ("<dimension>/day", UTC days) must add up to the slots.
  const days = new Map<string, Cell>();
  for (const c of expected) {
    const day = { dimension: `${c.dimension}/day`, slot: Math.floor(c.slot / DAY) * DAY, key: c.key };
    const id = `${day.dimension}/${day.slot}/${day.key}`;
    days.set(id, { ...day, ms: (days.get(id)?.ms ?? 0) + c.ms });
  }
  const expectedDays = [...days.values()].filter((c) => c.ms !== 0).sort(byCell);
  expect(
    await storedRollups(
      t,
      userId,
      ALL_DIMENSIONS.map((d) => `${d}/day`),
    ),
  ).toEqual(expectedDays);
  const stored = await storedRollups(t, userId, ALL_DIMENSIONS);
  expect(stored).toEqual(expected);
  return stored;
}

/** Sum of the stored rollups of one dimension and name. */
export async function rollupTotal(t: TestApp, userId: string, dimension: 'app' | 'domain', key: number | null) {
  if (key === null) return 0;
  return (await storedRollups(t, userId))
    .filter((c) => c.dimension === dimension && c.key === key)
    .reduce((sum, c) => sum + c.ms, 0);
}

/** The names-dictionary id of a stored value, or null (looked up by blind index; never stores). */
export function nameId(t: TestApp, userId: string, kind: 'app' | 'title' | 'domain' | 'url', value: string) {
  return t.services.names.find(userId, kind, value);
}

/**
 * Every place (table, or database file) where `needle` occurs as text in the
 * data database: every column of every row of every table, and for SQLite
 * the bytes of the database files (free pages and WAL included).
 */
export async function findInDatabase(t: TestApp, needle: string): Promise<string[]> {
  const found: string[] = [];
  const bytes = Buffer.from(needle, 'utf8');
  const sqlite = t.config.database.kind === 'sqlite';
  const tables = await raw(t, async (db) => {
    const listed = sqlite
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)
      : await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = 'public'`.execute(db);
    return listed.rows.map((r) => r.name);
  });
  for (const table of tables) {
    const rows = await raw(
      t,
      async (db) => (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)).rows,
    );
    const hit = rows.some((row) =>
      Object.values(row).some((value) =>
        value instanceof Uint8Array
          ? Buffer.from(value).includes(bytes)
          : value !== null && String(value).includes(needle),
      ),
    );
    if (hit) found.push(`table ${table}`);
  }
  if (t.config.database.kind === 'sqlite') {
    const file = t.config.database.file;
    const dir = join(file, '..');
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (readFileSync(path).includes(bytes)) found.push(`file ${entry}`);
    }
  }
  return found;
}
