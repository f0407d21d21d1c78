/**
 * Sessions (SECURITY.md, "Passwords and login"): logout and password change
 * revoke at once, the person's own session list and revocation (another
 * person's session id is a 404), and idle and absolute expiry — times are
 * moved into the past in the database rather than waited for.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { createTestApp, type TestApp } from '../helpers.js';
import {
  DAY_MS,
  login,
  meStatus,
  newEmail,
  person,
  raw,
  sessionCookie,
  setCookieLines,
  sha256,
  signup,
  strongPassword,
  withCookie,
  type Person,
} from './support.js';

interface ListedSession {
  id: string;
  current: boolean;
  userAgent: string | null;
  ip: string | null;
}

eachDatabase('sessions', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ kind });
  });
  afterEach(async () => t.close());

  const sessions = async (cookie: string): Promise<ListedSession[]> => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me/sessions', ...withCookie(cookie) });
    expect(res.statusCode).toBe(200);
    return res.json<{ sessions: ListedSession[] }>().sessions;
  };
  const anotherSession = async (p: Person, userAgent?: string): Promise<string> => {
    const cookie = sessionCookie(await login(t, p.email, p.password, { userAgent }));
    if (cookie === null) throw new Error('no cookie');
    return cookie;
  };
  const sessionRow = (cookie: string) =>
    raw(t, (db) =>
      db.selectFrom('sessions').selectAll().where('token_hash', '=', sha256(cookie)).executeTakeFirstOrThrow(),
    );
  const setTimes = (cookie: string, times: { last_seen_at?: number; expires_at?: number }) =>
    raw(t, (db) => db.updateTable('sessions').set(times).where('token_hash', '=', sha256(cookie)).execute());
  const revoke = (cookie: string, id: string) =>
    t.app.inject({ method: 'DELETE', url: `/api/v1/me/sessions/${id}`, ...withCookie(cookie) });

  it('logout ends the session at once, clears the cookie and sends Clear-Site-Data', async () => {
    const someone = await person(t);
    expect(await meStatus(t, withCookie(someone.cookie))).toBe(200);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', ...withCookie(someone.cookie) });
    expect(res.statusCode).toBe(204);
    expect(res.headers['clear-site-data']).toContain('"cookies"');
    expect(setCookieLines(res).join()).toMatch(/^sundial_session=;.*Max-Age=0/);
    expect(await meStatus(t, withCookie(someone.cookie))).toBe(401);
    expect((await sessionRow(someone.cookie)).revoked_at).not.toBeNull();
  });

  it('lists my sessions with this one marked current and each user agent', async () => {
    const someone = await person(t, 'lister', { userAgent: 'Agent-One/1.0' });
    const second = await anotherSession(someone, 'Agent-Two/2.0');
    const listed = await sessions(second);
    expect(listed).toHaveLength(2);
    expect(listed.filter((s) => s.current).map((s) => s.userAgent)).toEqual(['Agent-Two/2.0']);
    expect(listed.filter((s) => !s.current).map((s) => s.userAgent)).toEqual(['Agent-One/1.0']);
    expect(listed.every((s) => s.ip === '127.0.0.1')).toBe(true);
    expect(JSON.stringify(listed)).not.toContain(second);
  });

  it('revoking another of my sessions ends it and leaves this one working', async () => {
    const someone = await person(t);
    const second = await anotherSession(someone);
    const other = (await sessions(second)).find((s) => !s.current);
    if (!other) throw new Error('the first session is not listed');
    expect((await revoke(second, other.id)).statusCode).toBe(204);
    expect(await meStatus(t, withCookie(someone.cookie))).toBe(401);
    expect(await meStatus(t, withCookie(second))).toBe(200);
    expect((await sessions(second)).map((s) => s.current)).toEqual([true]);
    expect((await revoke(second, other.id)).statusCode).toBe(404);
  });

  it("answers 404 to revoking another person's session, exactly as for an unknown id, and it keeps working", async () => {
    const alice = await person(t, 'alice');
    const bob = await person(t, 'bob');
    const [aliceSession] = await sessions(alice.cookie);
    if (!aliceSession) throw new Error('no session listed');
    const foreign = await revoke(bob.cookie, aliceSession.id);
    const unknown = await revoke(bob.cookie, randomUUID());
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json<{ error: unknown }>().error).toEqual(unknown.json<{ error: unknown }>().error);
    expect(await meStatus(t, withCookie(alice.cookie))).toBe(200);
    expect((await sessionRow(alice.cookie)).revoked_at).toBeNull();
    expect((await revoke(bob.cookie, 'not-a-uuid')).statusCode).toBe(400);
  });

  it('ends a session unused for longer than the idle limit (7 days by default)', async () => {
    const someone = await person(t);
    const recent = await anotherSession(someone);
    const now = Date.now();
    await setTimes(someone.cookie, { last_seen_at: now - 7 * DAY_MS - 60_000 });
    await setTimes(recent, { last_seen_at: now - 6 * DAY_MS });
    expect(await meStatus(t, withCookie(someone.cookie))).toBe(401);
    expect(await meStatus(t, withCookie(recent))).toBe(200);
    // Using a session moves its idle deadline on.
    expect((await sessionRow(recent)).last_seen_at).toBeGreaterThanOrEqual(now);
    expect((await sessions(recent)).map((s) => s.current)).toEqual([true]);
  });

  it('ends a session past its absolute expiry however recently it was used', async () => {
    const someone = await person(t);
    const before = await sessionRow(someone.cookie);
    expect(before.expires_at - before.created_at).toBe(30 * DAY_MS);
    await setTimes(someone.cookie, { last_seen_at: Date.now() - 120_000, expires_at: Date.now() + 60_000 });
    expect(await meStatus(t, withCookie(someone.cookie))).toBe(200);
    // Use does not push the absolute expiry back.
    expect((await sessionRow(someone.cookie)).expires_at).toBeLessThanOrEqual(Date.now() + 60_000);
    await setTimes(someone.cookie, { expires_at: Date.now() - 1_000 });
    expect(await meStatus(t, withCookie(someone.cookie))).toBe(401);
  });

  it('takes its limits from SUNDIAL_SESSION_IDLE_DAYS and SUNDIAL_SESSION_MAX_DAYS', async () => {
    const short = await createTestApp({ kind, env: { SUNDIAL_SESSION_IDLE_DAYS: '1', SUNDIAL_SESSION_MAX_DAYS: '2' } });
    try {
      const someone = await person(short);
      const res = await login(short, someone.email, someone.password);
      expect(setCookieLines(res).join()).toContain(`Max-Age=${2 * 86_400}`);
      const row = await raw(short, (db) =>
        db
          .selectFrom('sessions')
          .selectAll()
          .where('token_hash', '=', sha256(someone.cookie))
          .executeTakeFirstOrThrow(),
      );
      expect(row.expires_at - row.created_at).toBe(2 * DAY_MS);
      await raw(short, (db) =>
        db
          .updateTable('sessions')
          .set({ last_seen_at: Date.now() - DAY_MS - 60_000 })
          .where('id', '=', row.id)
          .execute(),
      );
      expect(await meStatus(short, withCookie(someone.cookie))).toBe(401);
    } finally {
      await short.close();
    }
  });

  it('behind a trusted TLS proxy names the cookie __Host-sundial_session and marks it Secure', async () => {
    const proxied = await createTestApp({ kind, env: { SUNDIAL_TRUST_PROXY: '127.0.0.1' } });
    try {
      const email = newEmail();
      const password = strongPassword();
      expect((await signup(proxied, { email, password })).statusCode).toBe(202);
      const res = await proxied.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password },
        headers: { 'x-forwarded-proto': 'https' },
      });
      const [line = ''] = setCookieLines(res);
      expect(line).toMatch(/^__Host-sundial_session=[A-Za-z0-9_-]{43,};/);
      const attributes = line.split(';').map((a) => a.trim().toLowerCase());
      expect(attributes).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=strict', 'path=/']));
      expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
      const value = line.slice(line.indexOf('=') + 1, line.indexOf(';'));
      expect(await meStatus(proxied, { headers: { cookie: `__Host-sundial_session=${value}` } })).toBe(200);
      expect(await meStatus(proxied, withCookie(value))).toBe(401);
    } finally {
      await proxied.close();
    }
  });

  it('password change needs the current password: a wrong one is 401 and changes nothing', async () => {
    const someone = await person(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      payload: { currentPassword: strongPassword(), newPassword: strongPassword() },
      ...withCookie(someone.cookie),
    });
    expect(res.statusCode).toBe(401);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('auth.invalid_credentials');
    expect(setCookieLines(res)).toEqual([]);
    expect(await meStatus(t, withCookie(someone.cookie))).toBe(200);
    expect((await login(t, someone.email, someone.password)).statusCode).toBe(200);
  });

  it('password change refuses a common new password with 400 and changes nothing', async () => {
    const someone = await person(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      payload: { currentPassword: someone.password, newPassword: 'password1234' },
      ...withCookie(someone.cookie),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('input.invalid');
    expect(await meStatus(t, withCookie(someone.cookie))).toBe(200);
    expect((await login(t, someone.email, 'password1234')).statusCode).toBe(401);
  });

  it('password change ends every session and answers a new working cookie', async () => {
    const someone = await person(t);
    const other = await anotherSession(someone);
    const newPassword = strongPassword();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      payload: { currentPassword: someone.password, newPassword },
      ...withCookie(someone.cookie),
    });
    expect(res.statusCode).toBe(204);
    const fresh = sessionCookie(res);
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(fresh).not.toBe(someone.cookie);
    expect(await meStatus(t, withCookie(someone.cookie))).toBe(401);
    expect(await meStatus(t, withCookie(other))).toBe(401);
    expect(await meStatus(t, withCookie(fresh ?? ''))).toBe(200);
    expect((await sessions(fresh ?? '')).map((s) => s.current)).toEqual([true]);
    expect((await login(t, someone.email, someone.password)).statusCode).toBe(401);
    expect((await login(t, someone.email, newPassword)).statusCode).toBe(200);
  });
});
