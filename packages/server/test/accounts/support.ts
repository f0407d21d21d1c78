/**
 * Shared by the account tests: people who sign up and log in through HTTP
 * on a real app (createTestApp), the session cookie picked out of
 * Set-Cookie, and typed SQL on the data database from a connection of its
 * own — for what the API never shows (hashes, throttle counters) and for
 * moving times into the past instead of sleeping.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { openStore } from '@sundial/store';
import type { Database } from '../../../store/src/schema.js';
import { withConnection } from '../../../store/test/helpers.js';
import { buildApp, createLogger, createServices, openKeyring, type SundialApp } from '../../src/index.js';
import type { TestApp } from '../helpers.js';

export const COOKIE = 'sundial_session';
export const DAY_MS = 86_400_000;

export type Reply = LightMyRequestResponse;
/** The method type `inject` takes (light-my-request's, not Fastify's route type). */
export type Method = NonNullable<InjectOptions['method']>;
export type Payload = InjectOptions['payload'];

export interface Person {
  readonly id: string;
  readonly email: string;
  readonly password: string;
  /** The session cookie's value (the bearer secret itself). */
  readonly cookie: string;
}

export interface Client {
  readonly ip?: string;
  readonly userAgent?: string;
}

/** A password no list holds, different at every call. */
export function strongPassword(): string {
  return `tidal ochre lantern ${randomBytes(6).toString('hex')}`;
}

export function newEmail(label = 'person'): string {
  return `${label}-${randomBytes(4).toString('hex')}@example.org`;
}

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function clientOptions(client: Client): Pick<InjectOptions, 'remoteAddress' | 'headers'> {
  return {
    ...(client.ip === undefined ? {} : { remoteAddress: client.ip }),
    headers: client.userAgent === undefined ? {} : { 'user-agent': client.userAgent },
  };
}

export function signup(t: TestApp, body: Record<string, unknown>, client: Client = {}): Promise<Reply> {
  return t.app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: body, ...clientOptions(client) });
}

export function login(t: TestApp, email: string, password: string, client: Client = {}): Promise<Reply> {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
    ...clientOptions(client),
  });
}

/** Every Set-Cookie line of an answer. */
export function setCookieLines(res: Reply): string[] {
  const header = res.headers['set-cookie'];
  if (header === undefined) return [];
  return Array.isArray(header) ? header : [header];
}

/** The session cookie's value from an answer's Set-Cookie, or null. */
export function sessionCookie(res: Reply): string | null {
  for (const line of setCookieLines(res)) {
    const [pair = ''] = line.split(';');
    const at = pair.indexOf('=');
    if (pair.slice(0, at).trim() === COOKIE) return pair.slice(at + 1);
  }
  return null;
}

/** Request options carrying a session cookie. */
export function withCookie(cookie: string, extra: Record<string, string> = {}): { headers: Record<string, string> } {
  return { headers: { cookie: `${COOKIE}=${cookie}`, ...extra } };
}

export function withBearer(token: string): { headers: Record<string, string> } {
  return { headers: { authorization: `Bearer ${token}` } };
}

/** Signs up and logs in; fails loudly if either step does not answer as it should. */
export async function person(t: TestApp, label = 'person', client: Client = {}): Promise<Person> {
  const email = newEmail(label);
  const password = strongPassword();
  const created = await signup(t, { email, password }, client);
  if (created.statusCode !== 202) throw new Error(`sign-up answered ${created.statusCode}: ${created.body}`);
  const session = await login(t, email, password, client);
  const cookie = sessionCookie(session);
  if (session.statusCode !== 200 || cookie === null) throw new Error(`log-in answered ${session.statusCode}`);
  const id: unknown = session.json<{ id: unknown }>().id;
  if (typeof id !== 'string') throw new Error('log-in answered no id');
  return { id, email, password, cookie };
}

/** Creates a token from a session; answers the whole 201 body. */
export async function createToken(
  t: TestApp,
  cookie: string,
  body: Record<string, unknown>,
): Promise<{ id: string; token: string; status: number }> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/tokens', payload: body, ...withCookie(cookie) });
  const json = res.json<{ id?: string; token?: string }>();
  return { id: json.id ?? '', token: json.token ?? '', status: res.statusCode };
}

/** `GET /api/v1/me` with the given credentials; answers the status. */
export async function meStatus(t: TestApp, options: { headers: Record<string, string> }): Promise<number> {
  return (await t.app.inject({ method: 'GET', url: '/api/v1/me', ...options })).statusCode;
}

/** Runs `use` on a connection of its own to the app's data database. */
export function raw<T>(t: TestApp, use: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  return withConnection(t.config.database, (conn) => use(conn.db));
}

export async function countRows(
  t: TestApp,
  table: 'users' | 'sessions' | 'api_tokens',
  userId?: string,
): Promise<number> {
  return raw(t, async (db) => {
    let query = db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
    if (userId !== undefined) query = query.where(table === 'users' ? 'id' : 'user_id', '=', userId);
    return Number((await query.executeTakeFirstOrThrow()).n);
  });
}

/** True when `needle` appears, as text, in any column of any row (strings and bytes alike). */
export function rowsContain(rows: ReadonlyArray<Record<string, unknown>>, needle: string): boolean {
  const bytes = Buffer.from(needle, 'utf8');
  return rows.some((row) =>
    Object.values(row).some((value) => {
      if (value instanceof Uint8Array) return Buffer.from(value).includes(bytes);
      return value !== null && String(value).includes(needle);
    }),
  );
}

/**
 * A second server process on the same database: its own store connection,
 * keyring and services, wired as helpers.ts wires the first. Closing it
 * closes its store only; the database stays for the first app.
 */
export async function secondApp(t: TestApp): Promise<SundialApp> {
  const store = await openStore(t.config.database);
  try {
    const keyring = await openKeyring({ repo: store.keyring, source: t.config.masterKey });
    const services = createServices(store, keyring, t.config);
    const built = await buildApp(t.config, { store, services, logger: createLogger('silent') });
    await built.app.ready();
    return built;
  } catch (error) {
    await store.close();
    throw error;
  }
}
