/**
 * Sign-up and log-in over HTTP (SECURITY.md, "Passwords and login"): roles,
 * the password policy, strict input, no enumeration, the session cookie's
 * attributes, nothing secret at rest, and re-hashing of older argon2 hashes.
 */
import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { eachDatabase } from '../../../../test/support/databases.js';
import { createTestApp, type TestApp } from '../helpers.js';
import {
  countRows,
  login,
  newEmail,
  person,
  raw,
  rowsContain,
  sessionCookie,
  setCookieLines,
  sha256,
  signup,
  strongPassword,
} from './support.js';

const SIGNUP = '/api/v1/auth/signup';

eachDatabase('sign-up and log-in', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ kind });
  });
  afterEach(async () => t.close());

  const role = async (cookie: string): Promise<unknown> =>
    (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `sundial_session=${cookie}` } })).json<{
      role: unknown;
    }>().role;

  it('makes the first account the administrator and the second a member', async () => {
    const first = await person(t, 'first');
    const second = await person(t, 'second');
    expect(await role(first.cookie)).toBe('admin');
    expect(await role(second.cookie)).toBe('member');
  });

  it('makes only one administrator when the first two sign-ups arrive together', async () => {
    const bodies = [0, 1].map(() => ({ email: newEmail(), password: strongPassword() }));
    const answers = await Promise.all(bodies.map((body) => signup(t, body)));
    expect(answers.map((a) => a.statusCode)).toEqual([202, 202]);
    const roles = await raw(t, (db) => db.selectFrom('users').select('role').execute());
    expect(roles.map((r) => r.role).sort()).toEqual(['admin', 'member']);
  });

  it('refuses common, too short and too long passwords with 400 input.invalid, creating nothing', async () => {
    for (const password of ['password1234', 'PassWord1234', 'x7Kq!mz', randomBytes(65).toString('hex').slice(0, 129)]) {
      const res = await signup(t, { email: newEmail(), password });
      expect(res.statusCode, password).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('input.invalid');
    }
    expect(await countRows(t, 'users')).toBe(0);
    // The boundaries themselves are allowed: 8 and 128 characters.
    for (const password of ['zq8#Lw2v', randomBytes(64).toString('hex')]) {
      expect((await signup(t, { email: newEmail(), password })).statusCode, password).toBe(202);
    }
    expect(await countRows(t, 'users')).toBe(2);
  });

  it('refuses an email over 254 characters and accepts one of exactly 254', async () => {
    const email = (length: number): string => {
      const domain = `${'d'.repeat(60)}.${'e'.repeat(60)}.${'f'.repeat(60)}.org`;
      return `${'a'.repeat(length - domain.length - 1)}@${domain}`;
    };
    expect(email(255)).toHaveLength(255);
    const long = await signup(t, { email: email(255), password: strongPassword() });
    expect(long.statusCode).toBe(400);
    expect(long.json<{ error: { message: string } }>().error.message).toContain('email');
    expect(await countRows(t, 'users')).toBe(0);
    expect((await signup(t, { email: email(254), password: strongPassword() })).statusCode).toBe(202);
    expect(await countRows(t, 'users')).toBe(1);
  });

  it('answers 400 to bodies that are not JSON, lack fields, have wrong types or unknown fields, creating nothing', async () => {
    const email = newEmail();
    const password = strongPassword();
    const json = { 'content-type': 'application/json' };
    const cases: Array<Pick<InjectOptions, 'payload' | 'headers'>> = [
      { payload: 'not json at all', headers: json },
      { payload: `{"email":"${email}","password":"${password}"`, headers: json },
      { payload: '', headers: json },
      {
        payload: `email=${email}&password=${password}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      { payload: `{"email":"${email}","password":"${password}","__proto__":{"role":"admin"}}`, headers: json },
      { payload: [] },
      { payload: { email } },
      { payload: { password } },
      { payload: { email: 5, password } },
      { payload: { email, password: 12345678901 } },
      { payload: { email: [email], password } },
      { payload: { email: 'not-an-email', password } },
      { payload: { email, password, name: '' } },
      { payload: { email, password, role: 'admin' } },
    ];
    for (const [i, c] of cases.entries()) {
      const res = await t.app.inject({ method: 'POST', url: SIGNUP, ...c });
      expect(res.statusCode, `case ${i}`).toBe(400);
      expect(res.json<{ error: { code: string } }>().error.code, `case ${i}`).toBe('input.invalid');
    }
    expect(await countRows(t, 'users')).toBe(0);
  });

  it('answers a taken email (in another case) exactly as a new one, and creates nothing', async () => {
    const owner = await person(t, 'Owner');
    const fresh = await signup(t, { email: newEmail(), password: strongPassword() });
    expect(await countRows(t, 'users')).toBe(2);
    const intruderPassword = strongPassword();
    const taken = await signup(t, { email: owner.email.toUpperCase(), password: intruderPassword });
    expect(taken.statusCode).toBe(fresh.statusCode);
    expect(taken.json()).toEqual(fresh.json());
    expect(await countRows(t, 'users')).toBe(2);
    // The existing account is untouched: its password still works, the newcomer's does not.
    expect((await login(t, owner.email, owner.password)).statusCode).toBe(200);
    expect((await login(t, owner.email.toUpperCase(), owner.password)).statusCode).toBe(200);
    expect((await login(t, owner.email, intruderPassword)).statusCode).toBe(401);
  });

  it('with SUNDIAL_SIGNUP=closed allows the first sign-up and refuses the second with 403', async () => {
    const closed = await createTestApp({ kind, env: { SUNDIAL_SIGNUP: 'closed' } });
    try {
      expect((await signup(closed, { email: newEmail(), password: strongPassword() })).statusCode).toBe(202);
      const second = await signup(closed, { email: newEmail(), password: strongPassword() });
      expect(second.statusCode).toBe(403);
      expect(second.json<{ error: { code: string } }>().error.code).toBe('auth.forbidden');
      expect(await countRows(closed, 'users')).toBe(1);
    } finally {
      await closed.close();
    }
  });

  it('answers an unknown email and a wrong password with the same status, code and message', async () => {
    const someone = await person(t);
    const unknown = await login(t, newEmail('nobody'), someone.password);
    const wrong = await login(t, someone.email, strongPassword());
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(unknown.statusCode);
    const error = (res: typeof unknown): unknown => res.json<{ error: unknown }>().error;
    expect(error(wrong)).toEqual(error(unknown));
    expect(error(wrong)).toMatchObject({ code: 'auth.invalid_credentials' });
    expect(setCookieLines(unknown)).toEqual([]);
    expect(setCookieLines(wrong)).toEqual([]);
  });

  it('sets an HttpOnly, SameSite=Strict, Path=/ session cookie holding at least 256 bits', async () => {
    const email = newEmail();
    const password = strongPassword();
    await signup(t, { email, password });
    const res = await login(t, email, password);
    expect(res.statusCode).toBe(200);
    const lines = setCookieLines(res);
    expect(lines).toHaveLength(1);
    const attributes = (lines[0] ?? '').split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/']));
    expect(attributes).toContain(`max-age=${30 * 86_400}`);
    expect(sessionCookie(res)).toMatch(/^[A-Za-z0-9_-]{43,}$/);
  });

  it('stores neither the password nor the session token: only the SHA-256 of the token', async () => {
    const someone = await person(t);
    const { users, sessions } = await raw(t, async (db) => ({
      users: await db.selectFrom('users').selectAll().execute(),
      sessions: await db.selectFrom('sessions').selectAll().execute(),
    }));
    expect(users).toHaveLength(1);
    expect(sessions).toHaveLength(1);
    for (const secret of [someone.password, someone.cookie]) {
      expect(rowsContain(users, secret)).toBe(false);
      expect(rowsContain(sessions, secret)).toBe(false);
    }
    expect(rowsContain(sessions, Buffer.from(someone.cookie, 'base64url').toString('hex'))).toBe(false);
    expect(users[0]?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const tokenHash = Buffer.from(sessions[0]?.token_hash ?? []);
    expect(tokenHash).toHaveLength(32);
    expect(tokenHash.equals(sha256(someone.cookie))).toBe(true);
  });

  it('re-hashes a password stored with weaker argon2 parameters at log-in', async () => {
    const someone = await person(t);
    const weak = await hash(someone.password, { memoryCost: 4096, timeCost: 1, parallelism: 1 });
    expect(weak).toMatch(/^\$argon2id\$v=19\$m=4096,t=1,p=1\$/);
    const storedHash = () =>
      raw(
        t,
        async (db) =>
          (await db.selectFrom('users').select('password_hash').where('id', '=', someone.id).executeTakeFirstOrThrow())
            .password_hash,
      );
    await raw(t, (db) => db.updateTable('users').set({ password_hash: weak }).where('id', '=', someone.id).execute());
    expect(await storedHash()).toBe(weak);
    expect((await login(t, someone.email, someone.password)).statusCode).toBe(200);
    const upgraded = await storedHash();
    expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await login(t, someone.email, someone.password)).statusCode).toBe(200);
  });
});
