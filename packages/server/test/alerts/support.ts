/**
 * Shared by the alert suites: the calls of /api/v1/alerts on a person set up
 * by the activity suites' `setup` (settable clock, ingest and read token),
 * a second server process on the same database and the same clock, and
 * rollup cells written straight into the store for the dimensions ingest
 * does not produce in a test.
 */
import { expect } from 'vitest';
import type { RollupCell } from '@sundial/core';
import { openStore } from '@sundial/store';
import { buildApp, createLogger, createServices, openKeyring, type Services } from '../../src/index.js';
import type { TestApp } from '../helpers.js';
import { withBearer, withCookie, type Reply } from '../accounts/support.js';
import type { Clock } from '../activity/support.js';

export interface AlertView {
  id: string;
  name: string;
  target: Record<string, unknown>;
  comparison: string;
  minutes: number;
  days: string[];
  timeZone: string;
  enabled: boolean;
}

export interface FiringView {
  alertId: string;
  name: string;
  day: string;
  firedAt: string;
  seconds: number;
}

export const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** An alert body: 30 minutes or more of the app "Editor" today in UTC, every day; `changes` override. */
export function alertBody(changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Enough editing',
    target: { kind: 'app', name: 'Editor' },
    comparison: 'at-least',
    minutes: 30,
    days: EVERY_DAY,
    timeZone: 'UTC',
    ...changes,
  };
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
type Injector = Pick<TestApp, 'app'>;

export function write(t: Injector, cookie: string, method: Method, url: string, payload?: unknown): Promise<Reply> {
  return t.app.inject({
    method,
    url,
    ...(payload === undefined ? {} : { payload: payload as object }),
    ...withCookie(cookie),
  });
}

export function read(t: Injector, token: string, url: string): Promise<Reply> {
  return t.app.inject({ method: 'GET', url, ...withBearer(token) });
}

export async function createAlert(t: Injector, cookie: string, changes: Record<string, unknown> = {}) {
  const res = await write(t, cookie, 'POST', '/api/v1/alerts', alertBody(changes));
  expect(res.statusCode, res.body).toBe(201);
  return res.json<AlertView>();
}

/** The firings since `since` (default: ever), read with a read token. */
export async function firings(t: Injector, token: string, since = '1970-01-01T00:00:00Z'): Promise<FiringView[]> {
  const res = await read(t, token, `/api/v1/alerts/status?since=${encodeURIComponent(since)}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ firings: FiringView[] }>().firings;
}

/** Expects a 400 `input.invalid` whose message matches. */
export function expectInvalid(res: Reply, message: RegExp): void {
  expect(res.statusCode, res.body).toBe(400);
  const body = res.json<{ error: { code: string; message: string } }>();
  expect(body.error.code).toBe('input.invalid');
  expect(body.error.message).toMatch(message);
}

/** Writes the cells into the rollups table (as the writer would) and hands them to the alerts service. */
export async function observeCells(
  t: Pick<TestApp, 'store'> & { services: Pick<Services, 'alerts'> },
  userId: string,
  cells: readonly RollupCell[],
): Promise<void> {
  await t.store.events.addRollups(userId, cells);
  t.services.alerts.observe(userId, cells);
  await t.services.alerts.idle();
}

/** A second server process on the same database, on the same (test) clock. */
export interface SecondProcess {
  readonly app: TestApp['app'];
  readonly store: TestApp['store'];
  readonly services: Services;
  close(): Promise<void>;
}

export async function secondProcess(t: TestApp, clock: Clock): Promise<SecondProcess> {
  const store = await openStore(t.config.database);
  try {
    const keyring = await openKeyring({ repo: store.keyring, source: t.config.masterKey });
    const services = createServices(store, keyring, t.config, { now: clock.now });
    const { app } = await buildApp(t.config, { store, services, logger: createLogger('silent') });
    await app.ready();
    return { app, store, services, close: () => app.close() };
  } catch (error) {
    await store.close();
    throw error;
  }
}
