/**
 * Deny by default (SECURITY.md, "Access control" and "Headers"), checked by
 * walking the live route table, so a route added later is covered without
 * editing this file: every route declares a rule, every non-public route
 * refuses a caller without credentials, a state-changing request from
 * another origin is refused, and every answer says `Cache-Control: no-store`.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RouteRecord } from '../../src/index.js';
import { eachDatabase } from '../../../../test/support/databases.js';
import { WEB_ROUTE_URLS } from '../../src/routes/web.js';
import { createTestApp, type TestApp } from '../helpers.js';
import { createToken, meStatus, person, withCookie, type Method, type Payload, type Reply } from './support.js';

const RULES = ['public', 'session', 'admin', 'token:ingest', 'token:read', 'token:admin'];
const DOCS = '/api/docs';
/**
 * Where a public route may live: the sign-in family (sign-up, log-in, password
 * reset, passkey log-in…), health, the API description, and the two steps of
 * device pairing an agent takes before it has a token. A public route
 * anywhere else fails the test, so making one public is a deliberate edit here.
 */
const PUBLIC_PREFIX = '/api/v1/auth/';
const PUBLIC_ELSEWHERE = new Set([
  'GET /healthz',
  'GET /readyz',
  'GET /api/openapi.json',
  'GET /.well-known/security.txt',
  'GET /.well-known/security-policy.txt',
  'POST /api/v1/devices/pairings',
  'POST /api/v1/devices/pairings/claim',
  // The dashboard (its data comes from guarded API routes).
  'GET /',
]);
const MUST_BE_GUARDED = [
  'POST /api/v1/auth/logout',
  'GET /api/v1/me',
  'POST /api/v1/tokens',
  'DELETE /api/v1/me',
  'POST /api/v1/devices/approve',
  'DELETE /api/v1/devices/:id',
];
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A concrete URL for a route pattern: a fresh UUID for each parameter, a file name for a wildcard. */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z]+/g, () => randomUUID()).replace(/\*$/, 'file.css');
}

function request(t: TestApp, route: RouteRecord, headers: Record<string, string> = {}): Promise<Reply> {
  return t.app.inject({
    method: route.method as Method,
    url: concrete(route.url),
    headers,
    ...(STATE_CHANGING.has(route.method) ? { payload: {} } : {}),
  });
}

eachDatabase('access control over the route table', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ kind });
  });
  afterAll(async () => t.close());

  const guarded = (): RouteRecord[] => t.routes.filter((r) => r.access !== 'public');

  it('every route declares a known access rule, and only the intended ones are public', () => {
    expect(t.routes.length).toBeGreaterThan(20);
    for (const route of t.routes) expect(RULES, `${route.method} ${route.url}`).toContain(route.access);
    const publicRoutes = t.routes
      .filter((r) => r.access === 'public' && r.method !== 'HEAD' && !r.url.startsWith(DOCS))
      .map((r) => `${r.method} ${r.url}`);
    for (const route of publicRoutes) {
      expect(PUBLIC_ELSEWHERE.has(route) || route.split(' ')[1]?.startsWith(PUBLIC_PREFIX), route).toBe(true);
    }
    expect(publicRoutes).toEqual(expect.arrayContaining(['POST /api/v1/auth/signup', 'POST /api/v1/auth/login']));
    expect(guarded().map((r) => `${r.method} ${r.url}`)).toEqual(expect.arrayContaining(MUST_BE_GUARDED));
  });

  it('every non-public route answers 401 to a caller without credentials or with a bogus cookie', async () => {
    for (const route of guarded()) {
      const bogus = { cookie: `sundial_session=${'A'.repeat(43)}` };
      for (const headers of [{}, bogus] as Array<Record<string, string>>) {
        const res = await request(t, route, headers);
        const label = `${route.method} ${route.url} ${JSON.stringify(headers)}`;
        expect(res.statusCode, label).toBe(401);
        if (route.method !== 'HEAD')
          expect(res.json<{ error: { code: string } }>().error.code, label).toBe('auth.required');
      }
    }
  });

  it('refuses a state-changing request from another origin with 403, and it changes nothing', async () => {
    const someone = await person(t, 'csrf');
    const host = 'sundial.test:8600';
    const foreign = [
      'https://evil.example',
      'null',
      `https://${host}`,
      'http://sundial.test:9999',
      `http://${host}.evil`,
    ];
    const attempts: Array<[Method, string, Payload]> = [
      ['POST', '/api/v1/tokens', { name: 'forged', scopes: ['read'] }],
      ['POST', '/api/v1/me/password', { currentPassword: someone.password, newPassword: 'forged ' + someone.password }],
      ['DELETE', '/api/v1/me', { password: someone.password }],
      ['POST', '/api/v1/auth/logout', undefined],
      ['POST', '/api/v1/auth/login', { email: someone.email, password: someone.password }],
    ];
    for (const origin of foreign) {
      for (const [method, url, payload] of attempts) {
        const res = await t.app.inject({
          method,
          url,
          ...withCookie(someone.cookie, { host, origin }),
          ...(payload === undefined ? {} : { payload }),
        });
        expect(res.statusCode, `${origin} ${method} ${url}`).toBe(403);
        expect(res.json<{ error: { code: string } }>().error.code).toBe('auth.forbidden');
        expect(res.headers['set-cookie']).toBeUndefined();
      }
    }
    expect(await meStatus(t, withCookie(someone.cookie))).toBe(200);
    const tokens = await t.app.inject({ method: 'GET', url: '/api/v1/tokens', ...withCookie(someone.cookie) });
    expect(tokens.json<{ tokens: unknown[] }>().tokens).toEqual([]);
  });

  it('accepts a state-changing request from its own origin or without an Origin header', async () => {
    const someone = await person(t, 'same-origin');
    const host = 'sundial.test:8600';
    const body = { name: 'ok', scopes: ['read'] };
    const same = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: body,
      ...withCookie(someone.cookie, { host, origin: `http://${host}` }),
    });
    expect(same.statusCode).toBe(201);
    // light-my-request's default Host is localhost:80, so that is this server's own origin here.
    const injected = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: body,
      ...withCookie(someone.cookie, { origin: 'http://localhost:80' }),
    });
    expect(injected.statusCode).toBe(201);
    expect((await createToken(t, someone.cookie, body)).status).toBe(201);
  });

  it('every API answer carries Cache-Control: no-store, signed in or not, success or error', async () => {
    const someone = await person(t, 'headers');
    const answers: Array<[string, Reply]> = [];
    // The dashboard's files have their own caching (test/web.test.ts).
    for (const route of t.routes.filter((r) => !(WEB_ROUTE_URLS as readonly string[]).includes(r.url))) {
      answers.push([`${route.method} ${route.url}`, await request(t, route)]);
      // Safe methods only with the cookie: a POST to logout would end the session midway.
      if (route.access !== 'public' && !STATE_CHANGING.has(route.method)) {
        answers.push([
          `${route.method} ${route.url} (cookie)`,
          await request(t, route, withCookie(someone.cookie).headers),
        ]);
      }
    }
    answers.push(['GET /api/no/such/route', await t.app.inject({ method: 'GET', url: '/api/no/such/route' })]);
    const signedIn = answers.find(([label]) => label === 'GET /api/v1/me (cookie)');
    expect(signedIn?.[1].statusCode).toBe(200);
    for (const [label, res] of answers) expect(res.headers['cache-control'], label).toBe('no-store');
  });
});
