/** Changing the email needs re-authentication, keeps it encrypted, moves the log-in, and refuses another account's email. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { createTestApp, type TestApp } from '../helpers.js';

const PASSWORD = 'a long unusual passphrase';

eachDatabase('changing the email', (kind) => {
  let t: TestApp;
  let cookie: string;
  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, payload, headers });

  beforeEach(async () => {
    t = await createTestApp({ kind });
    for (const email of ['ada@example.org', 'bob@example.org']) {
      expect((await post('/api/v1/auth/signup', { email, password: PASSWORD })).statusCode).toBe(202);
    }
    const login = await post('/api/v1/auth/login', { email: 'ada@example.org', password: PASSWORD });
    cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
  });
  afterEach(async () => t.close());

  it('moves the log-in to the new email after re-authentication, and audits it', async () => {
    expect(
      (await post('/api/v1/me/email', { email: 'ada@new.example', password: 'not the password' }, { cookie }))
        .statusCode,
    ).toBe(401);
    expect(
      (await post('/api/v1/me/email', { email: 'ada@new.example', password: PASSWORD }, { cookie })).statusCode,
    ).toBe(204);
    expect((await post('/api/v1/auth/login', { email: 'ada@example.org', password: PASSWORD })).statusCode).toBe(401);
    expect((await post('/api/v1/auth/login', { email: 'ADA@new.example', password: PASSWORD })).statusCode).toBe(200);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.json().email).toBe('ada@new.example');
    const id = (await t.services.people.idByEmail('ada@new.example')) ?? '';
    const row = await t.store.users.byId(id);
    expect(row?.emailCiphertext.includes(Buffer.from('ada@new.example'))).toBe(false);
    const log = await t.app.inject({ method: 'GET', url: '/api/v1/me/security-log', headers: { cookie } });
    expect((log.json() as { entries: { action: string }[] }).entries.map((e) => e.action)).toContain('email.change');
  });

  it("refuses another account's email and changes nothing", async () => {
    const res = await post('/api/v1/me/email', { email: 'Bob@example.org', password: PASSWORD }, { cookie });
    expect(res.statusCode).toBe(409);
    expect((await post('/api/v1/auth/login', { email: 'ada@example.org', password: PASSWORD })).statusCode).toBe(200);
    expect((await post('/api/v1/auth/login', { email: 'bob@example.org', password: PASSWORD })).statusCode).toBe(200);
  });

  it('is not open to tokens or to the signed-out', async () => {
    expect((await post('/api/v1/me/email', { email: 'x@example.org', password: PASSWORD })).statusCode).toBe(401);
    const token = await post('/api/v1/tokens', { name: 'cli', scopes: ['read'] }, { cookie });
    const bearer = { authorization: `Bearer ${token.json().token as string}` };
    expect((await post('/api/v1/me/email', { email: 'x@example.org', password: PASSWORD }, bearer)).statusCode).toBe(
      403,
    );
  });
});
