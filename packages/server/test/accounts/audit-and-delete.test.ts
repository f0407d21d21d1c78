/**
 * The account events in the audit log and the person's own security log
 * (SECURITY.md, "Audit log"), no secret in the log table or the server's
 * log lines, and account deletion after re-authentication: final, and the
 * email free again.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { createTestApp, type TestApp } from '../helpers.js';
import {
  countRows,
  createToken,
  login,
  meStatus,
  person,
  raw,
  rowsContain,
  sessionCookie,
  setCookieLines,
  signup,
  strongPassword,
  withBearer,
  withCookie,
  type Client,
  type Method,
  type Payload,
  type Person,
} from './support.js';

const CLIENT = { ip: '203.0.113.77', userAgent: 'Audit-Agent/1.0 (test)' } satisfies Client;

interface LogEntry {
  seq: number;
  action: string;
  ip: string | null;
  userAgent: string | null;
}

/** What one person did, in order, and every secret that passed by. */
interface History {
  readonly someone: Person;
  readonly secrets: string[];
  /** A session that is still open at the end. */
  readonly cookie: string;
}

eachDatabase('audit log and account deletion', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ kind });
  });
  afterEach(async () => t.close());

  const send = (method: Method, url: string, cookie: string, payload?: Payload) =>
    t.app.inject({
      method,
      url,
      remoteAddress: CLIENT.ip,
      ...withCookie(cookie, { 'user-agent': CLIENT.userAgent }),
      ...(payload === undefined ? {} : { payload }),
    });
  const cookieOf = (res: Parameters<typeof sessionCookie>[0]): string => {
    const cookie = sessionCookie(res);
    if (cookie === null) throw new Error(`no session cookie (status ${res.statusCode})`);
    return cookie;
  };

  /** Sign-up, log-in, a failed log-in, token create/revoke, session revoke, password change, logout, log-in. */
  async function history(): Promise<History> {
    const someone = await person(t, 'audited', CLIENT);
    expect((await login(t, someone.email, strongPassword(), CLIENT)).statusCode).toBe(401);
    const second = cookieOf(await login(t, someone.email, someone.password, CLIENT));
    const created = await send('POST', '/api/v1/tokens', someone.cookie, { name: 'audited token', scopes: ['read'] });
    const token = created.json<{ id: string; token: string }>();
    expect((await send('DELETE', `/api/v1/tokens/${token.id}`, someone.cookie)).statusCode).toBe(204);
    const listed = await send('GET', '/api/v1/me/sessions', someone.cookie);
    const other = listed.json<{ sessions: Array<{ id: string; current: boolean }> }>().sessions.find((s) => !s.current);
    expect((await send('DELETE', `/api/v1/me/sessions/${other?.id ?? ''}`, someone.cookie)).statusCode).toBe(204);
    const newPassword = strongPassword();
    const changed = await send('POST', '/api/v1/me/password', someone.cookie, {
      currentPassword: someone.password,
      newPassword,
    });
    expect(changed.statusCode).toBe(204);
    expect((await send('POST', '/api/v1/auth/logout', cookieOf(changed))).statusCode).toBe(204);
    const last = cookieOf(await login(t, someone.email, newPassword, CLIENT));
    return {
      someone,
      cookie: last,
      secrets: [someone.password, newPassword, someone.cookie, second, cookieOf(changed), last, token.token.slice(4)],
    };
  }

  const securityLog = async (cookie: string): Promise<LogEntry[]> => {
    const res = await send('GET', '/api/v1/me/security-log', cookie);
    expect(res.statusCode).toBe(200);
    return res.json<{ entries: LogEntry[] }>().entries;
  };

  it('shows every account event in the security log, newest first, and the chain verifies', async () => {
    const { cookie } = await history();
    const entries = await securityLog(cookie);
    expect(entries.map((e) => e.action)).toEqual([
      'auth.login.success',
      'auth.logout',
      'password.change',
      'session.revoke',
      'token.revoke',
      'token.create',
      'auth.login.success',
      'auth.login.failure',
      'auth.login.success',
      'auth.signup',
    ]);
    const seqs = entries.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(await t.services.audit.verify()).toEqual({ ok: true, entries: 10 });
  });

  it('shows the person the full address and user agent of their sign-up, log-ins and password change', async () => {
    const { cookie } = await history();
    const personal = new Set(['auth.signup', 'auth.login.success', 'auth.login.failure', 'password.change']);
    const entries = (await securityLog(cookie)).filter((e) => personal.has(e.action));
    expect(entries).toHaveLength(6);
    for (const entry of entries)
      expect(entry, entry.action).toMatchObject({ ip: CLIENT.ip, userAgent: CLIENT.userAgent });
  });

  it('shows the full address and user agent for logout, token and session events too', async () => {
    const { cookie } = await history();
    const entries = await securityLog(cookie);
    expect(entries).toHaveLength(10);
    for (const entry of entries)
      expect(entry, entry.action).toMatchObject({ ip: CLIENT.ip, userAgent: CLIENT.userAgent });
  });

  it('keeps no email, password, token, cookie or full address in the audit table or the log lines', async () => {
    const { someone, secrets } = await history();
    const rows = await raw(t, (db) => db.selectFrom('audit_log').selectAll().execute());
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.ip === null || r.ip === '203.0.113.0')).toBe(true);
    for (const needle of [someone.email, someone.email.split('@')[0] ?? '', CLIENT.ip, CLIENT.userAgent, ...secrets]) {
      expect(rowsContain(rows, needle), needle).toBe(false);
      expect(t.logText().includes(needle), `log lines: ${needle}`).toBe(false);
    }
  });

  it('DELETE /api/v1/me with a wrong password is 401 and deletes nothing', async () => {
    const someone = await person(t);
    const token = await createToken(t, someone.cookie, { name: 'kept', scopes: ['read'] });
    const res = await send('DELETE', '/api/v1/me', someone.cookie, { password: strongPassword() });
    expect(res.statusCode).toBe(401);
    expect(setCookieLines(res)).toEqual([]);
    for (const table of ['users', 'sessions', 'api_tokens'] as const) {
      expect(await countRows(t, table, someone.id), table).toBe(1);
    }
    expect(await meStatus(t, withCookie(someone.cookie))).toBe(200);
    expect(await meStatus(t, withBearer(token.token))).toBe(200);
  });

  it('DELETE /api/v1/me with the right password deletes the person for good; the email can sign up again', async () => {
    const bystander = await person(t, 'bystander');
    const someone = await person(t, 'leaving');
    const token = await createToken(t, someone.cookie, { name: 'doomed', scopes: ['read'] });
    const res = await send('DELETE', '/api/v1/me', someone.cookie, { password: someone.password });
    expect(res.statusCode).toBe(204);
    expect(setCookieLines(res).join()).toMatch(/^sundial_session=;.*Max-Age=0/);
    expect(res.headers['clear-site-data']).toContain('"cookies"');
    for (const table of ['users', 'sessions', 'api_tokens'] as const) {
      expect(await countRows(t, table, someone.id), table).toBe(0);
    }
    expect(await t.services.keyring.existingDataKey(someone.id)).toBeNull();
    expect(await meStatus(t, withCookie(someone.cookie))).toBe(401);
    expect(await meStatus(t, withBearer(token.token))).toBe(401);
    expect((await login(t, someone.email, someone.password)).statusCode).toBe(401);
    expect(await meStatus(t, withCookie(bystander.cookie))).toBe(200);

    const password = strongPassword();
    expect((await signup(t, { email: someone.email, password })).statusCode).toBe(202);
    const again = await login(t, someone.email, password);
    expect(again.statusCode).toBe(200);
    expect(again.json<{ id: string; role: string }>()).toMatchObject({ role: 'member' });
    expect(again.json<{ id: string }>().id).not.toBe(someone.id);
    expect(await t.services.audit.verify()).toMatchObject({ ok: true });
  });
});
