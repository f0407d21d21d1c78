/**
 * Shared by the activity suites: a person with device tokens on a real app
 * (createTestApp) under a settable clock, builders for wire events, the
 * native API's calls, raw reads of the activity tables and a whole-database
 * scan for a string; the independent recomputation of rollups from raw
 * events is in rollup-reference.ts and re-exported here.
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
  /** Left out: as a client that predates working hours sends it. */
  workingHours?: { days: number[]; start: string; end: string; timeZone: string } | null;
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

export const DEFAULT_PRIVACY: PrivacySettings = {
  detail: 'full',
  ignore: [],
  paused: false,
  retentionDays: null,
  workingHours: null,
};

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

export * from './rollup-reference.js';

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
