/**
 * Shared by the ActivityWatch API tests: a person with a token that may
 * ingest and read, and requests to /api/0 through `inject` as that token.
 */
import type { InjectOptions } from 'fastify';
import { createToken, person, withBearer, type Person, type Reply } from '../accounts/support.js';
import type { TestApp } from '../helpers.js';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;

/** A whole minute a few hours ago: far enough back that no event is in the future. */
export function baseTime(): number {
  return Math.floor(Date.now() / MINUTE) * MINUTE - 6 * HOUR;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export interface AwCaller {
  readonly person: Person;
  readonly token: string;
  get(url: string): Promise<Reply>;
  post(url: string, payload?: unknown): Promise<Reply>;
  delete(url: string): Promise<Reply>;
  /** Any request, with the bearer token. */
  send(options: InjectOptions): Promise<Reply>;
}

export async function awCaller(t: TestApp, label = 'me', scopes = ['ingest', 'read']): Promise<AwCaller> {
  const me = await person(t, label);
  const created = await createToken(t, me.cookie, { name: `${label} laptop`, scopes });
  if (created.status !== 201) throw new Error(`token creation answered ${created.status}`);
  const auth = withBearer(created.token);
  const send = (options: InjectOptions) =>
    t.app.inject({ ...options, headers: { ...auth.headers, ...options.headers } });
  return {
    person: me,
    token: created.token,
    send,
    get: (url) => send({ method: 'GET', url }),
    // Always JSON, as clients send it (a bare string too).
    post: (url, payload) =>
      send({
        method: 'POST',
        url,
        ...(payload === undefined
          ? {}
          : { payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } }),
      }),
    delete: (url) => send({ method: 'DELETE', url }),
  };
}

export const WINDOW_BUCKET = 'aw-watcher-window_testhost';

export async function createBucket(
  caller: AwCaller,
  id = WINDOW_BUCKET,
  type = 'currentwindow',
  hostname = 'testhost',
): Promise<Reply> {
  return caller.post(`/api/0/buckets/${encodeURIComponent(id)}`, { client: 'aw-watcher-test', type, hostname });
}

export function windowEvent(start: number, seconds: number, app: string, title = `${app} window`) {
  return { timestamp: iso(start), duration: seconds, data: { app, title } };
}
