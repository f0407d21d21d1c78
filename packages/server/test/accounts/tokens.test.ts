/**
 * API tokens (SECURITY.md, "Tokens" and "Access control"): shown once,
 * stored as SHA-256, scoped, revocable, expiring, never a way into the
 * session-only routes, and never another person's to revoke.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { createTestApp, type TestApp } from '../helpers.js';
import {
  DAY_MS,
  createToken,
  meStatus,
  person,
  raw,
  rowsContain,
  sha256,
  strongPassword,
  withBearer,
  withCookie,
  type Method,
  type Payload,
  type Person,
} from './support.js';

interface ListedToken {
  id: string;
  name: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

eachDatabase('API tokens', (kind) => {
  let t: TestApp;
  let admin: Person;
  let member: Person;
  beforeEach(async () => {
    t = await createTestApp({ kind });
    admin = await person(t, 'admin');
    member = await person(t, 'member');
  });
  afterEach(async () => t.close());

  const listTokens = async (cookie: string): Promise<{ body: string; tokens: ListedToken[] }> => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/tokens', ...withCookie(cookie) });
    expect(res.statusCode).toBe(200);
    return { body: res.body, tokens: res.json<{ tokens: ListedToken[] }>().tokens };
  };
  const revoke = (cookie: string, id: string) =>
    t.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, ...withCookie(cookie) });
  const errorCode = (res: { json: () => unknown }): unknown =>
    (res.json() as { error?: { code?: unknown } }).error?.code;

  it('creates a token shown once: sdl_ and 256 bits, never listed, stored only as its SHA-256', async () => {
    const created = await createToken(t, member.cookie, { name: 'laptop agent', scopes: ['ingest', 'read'] });
    expect(created.status).toBe(201);
    expect(created.token).toMatch(/^sdl_[A-Za-z0-9_-]{43,}$/);
    const { body, tokens } = await listTokens(member.cookie);
    expect(tokens.map((x) => [x.id, x.name])).toEqual([[created.id, 'laptop agent']]);
    expect(body).not.toContain(created.token);
    expect(body).not.toContain(created.token.slice(4));
    const rows = await raw(t, (db) => db.selectFrom('api_tokens').selectAll().execute());
    expect(rows).toHaveLength(1);
    expect(rowsContain(rows, created.token.slice(4))).toBe(false);
    expect(rowsContain(rows, 'laptop agent')).toBe(false);
    expect(Buffer.from(rows[0]?.token_hash ?? []).equals(sha256(created.token))).toBe(true);
  });

  it('a read token works as a bearer on GET /api/v1/me and records when it was last used', async () => {
    const created = await createToken(t, member.cookie, { name: 'reader', scopes: ['read'] });
    expect((await listTokens(member.cookie)).tokens[0]?.lastUsedAt).toBeNull();
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', ...withBearer(created.token) });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ id: string }>().id).toBe(member.id);
    const used = (await listTokens(member.cookie)).tokens[0]?.lastUsedAt;
    expect(Date.parse(used ?? '')).toBeGreaterThan(Date.now() - 60_000);
  });

  it('a token without the read scope gets 403 on GET /api/v1/me', async () => {
    const created = await createToken(t, member.cookie, { name: 'agent', scopes: ['ingest'] });
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', ...withBearer(created.token) });
    expect(res.statusCode).toBe(403);
    expect(errorCode(res)).toBe('auth.forbidden');
  });

  it('no token, not even an admin one, reaches the session-only routes (403)', async () => {
    const all = await createToken(t, admin.cookie, {
      name: 'everything',
      scopes: ['ingest', 'read', 'admin'],
      password: admin.password,
    });
    expect(all.status).toBe(201);
    const routes: Array<[Method, string, Payload]> = [
      ['GET', '/api/v1/me/sessions', undefined],
      ['GET', '/api/v1/me/security-log', undefined],
      ['GET', '/api/v1/tokens', undefined],
      ['POST', '/api/v1/tokens', { name: 'minted by a token', scopes: ['read'] }],
      ['DELETE', `/api/v1/tokens/${all.id}`, undefined],
      ['POST', '/api/v1/me/password', { currentPassword: admin.password, newPassword: strongPassword() }],
      ['DELETE', '/api/v1/me', { password: admin.password }],
      ['POST', '/api/v1/auth/logout', undefined],
    ];
    for (const [method, url, payload] of routes) {
      const res = await t.app.inject({ method, url, ...withBearer(all.token), ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
    expect((await listTokens(admin.cookie)).tokens.map((x) => x.name)).toEqual(['everything']);
    expect(await meStatus(t, withBearer(all.token))).toBe(200);
    expect(await meStatus(t, withCookie(admin.cookie))).toBe(200);
  });

  it('a revoked token is refused with 401 and leaves the list', async () => {
    const created = await createToken(t, member.cookie, { name: 'old', scopes: ['read'] });
    expect(await meStatus(t, withBearer(created.token))).toBe(200);
    expect((await revoke(member.cookie, created.id)).statusCode).toBe(204);
    expect(await meStatus(t, withBearer(created.token))).toBe(401);
    expect((await listTokens(member.cookie)).tokens).toEqual([]);
    expect((await revoke(member.cookie, created.id)).statusCode).toBe(404);
  });

  it('an expired token is refused with 401', async () => {
    const created = await createToken(t, member.cookie, { name: 'short', scopes: ['read'], expiresInDays: 1 });
    const expiresAt = Date.parse((await listTokens(member.cookie)).tokens[0]?.expiresAt ?? '');
    expect(Math.abs(expiresAt - (Date.now() + DAY_MS))).toBeLessThan(60_000);
    expect(await meStatus(t, withBearer(created.token))).toBe(200);
    await raw(t, (db) =>
      db
        .updateTable('api_tokens')
        .set({ expires_at: Date.now() - 1_000 })
        .where('id', '=', created.id)
        .execute(),
    );
    expect(await meStatus(t, withBearer(created.token))).toBe(401);
  });

  it('a bad Authorization header is 401 and never falls back to the valid cookie sent with it', async () => {
    const created = await createToken(t, member.cookie, { name: 'real', scopes: ['read'] });
    for (const authorization of [
      'Bearer sdl_garbage',
      `Bearer ${created.token}x`,
      `Bearer ${created.token.slice(4)}`,
      'Bearer ',
      `Basic ${Buffer.from(`${member.email}:${member.password}`).toString('base64')}`,
    ]) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { authorization, cookie: `sundial_session=${member.cookie}` },
      });
      expect(res.statusCode, authorization).toBe(401);
      expect(errorCode(res)).toBe('auth.required');
    }
  });

  it('refuses unknown, missing or repeated scopes with 400', async () => {
    for (const scopes of [['read', 'superuser'], ['*'], [], ['read', 'read'], 'read']) {
      const created = await createToken(t, member.cookie, { name: 'odd', scopes });
      expect(created.status, JSON.stringify(scopes)).toBe(400);
    }
    expect((await listTokens(member.cookie)).tokens).toEqual([]);
  });

  it('an admin token: 403 for a member, 400 without the password, 401 with a wrong one, 201 with the right one', async () => {
    const body = { name: 'ops', scopes: ['read', 'admin'] };
    expect((await createToken(t, member.cookie, { ...body, password: member.password })).status).toBe(403);
    expect((await createToken(t, admin.cookie, body)).status).toBe(400);
    expect((await createToken(t, admin.cookie, { ...body, password: strongPassword() })).status).toBe(401);
    expect((await listTokens(admin.cookie)).tokens).toEqual([]);
    expect((await listTokens(member.cookie)).tokens).toEqual([]);
    const created = await createToken(t, admin.cookie, { ...body, password: admin.password });
    expect(created.status).toBe(201);
    expect(await meStatus(t, withBearer(created.token))).toBe(200);
  });

  it('answers 404 when another person revokes my token, and it keeps working', async () => {
    const mine = await createToken(t, member.cookie, { name: 'mine', scopes: ['read'] });
    const res = await revoke(admin.cookie, mine.id);
    expect(res.statusCode).toBe(404);
    expect(errorCode(res)).toBe('not_found');
    expect(await meStatus(t, withBearer(mine.token))).toBe(200);
    expect((await listTokens(member.cookie)).tokens.map((x) => x.id)).toEqual([mine.id]);
  });
});
