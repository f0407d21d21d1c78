import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { CONTENT_SECURITY_POLICY, VERSION } from '../src/index.js';
import { eachDatabase } from '../../../test/support/databases.js';
import { createTestApp, type TestApp } from './helpers.js';

eachDatabase('health routes', (kind) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ kind });
  });
  afterEach(async () => t.close());

  it('GET /healthz answers ok and the version', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', version: VERSION });
  });

  it('GET /readyz answers ready with the database kind and schema', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', database: kind, schemaVersion: t.store.migration.latest });
  });

  it('GET /readyz answers 503 unavailable when the database does not answer', async () => {
    await t.store.close();
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('unavailable');
  });
});

describe('errors and headers', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({
      extend(app) {
        app.post(
          '/test/echo',
          {
            config: { access: 'public' },
            schema: {
              body: Type.Object(
                { count: Type.Integer({ minimum: 0 }), name: Type.String() },
                { additionalProperties: false },
              ),
              querystring: Type.Object({ n: Type.Optional(Type.Integer()) }),
            },
          },
          async (request) => ({ body: request.body, query: request.query }),
        );
        app.get('/test/boom', { config: { access: 'public' } }, async () => {
          throw new Error('secret internals at /srv/db: password=hunter2');
        });
      },
    });
  });
  afterEach(async () => t.close());

  it('answers unknown routes with the error shape and a request id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nowhere?x=1' });
    expect(res.statusCode).toBe(404);
    const body = res.json();
    expect(body).toEqual({
      error: { code: 'not_found', message: 'No route for GET /api/nowhere' },
      requestId: expect.any(String),
    });
    expect(res.headers['x-request-id']).toBe(body.requestId);
  });

  it('gives every request its own id and ignores one sent by the client', async () => {
    const a = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'forged' } });
    const b = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(a.headers['x-request-id']).not.toBe('forged');
    expect(a.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers['x-request-id']).not.toBe(b.headers['x-request-id']);
  });

  it.each([
    ['malformed JSON', 'application/json', '{"count": 1,'],
    ['a JSON string where an object is expected', 'application/json', '"hello"'],
    ['an empty JSON body', 'application/json', ''],
    ['a wrong content type', 'text/plain', 'count=1'],
    ['an unknown content type', 'application/x-evil', '<x/>'],
    ['prototype poisoning', 'application/json', '{"count": 1, "name": "a", "__proto__": {"admin": true}}'],
  ])('answers %s with 400 input.invalid', async (_what, type, payload) => {
    const res = await t.app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': type }, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('input.invalid');
    expect(res.json().error.message).not.toMatch(/at .*\.js:\d+/);
  });

  it('names the field that fails the schema', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/test/echo', payload: { count: -1, name: 'a' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({ code: 'input.invalid', message: expect.stringContaining('body/count') });
  });

  it('does not coerce body types and refuses unknown fields', async () => {
    const coerced = await t.app.inject({ method: 'POST', url: '/test/echo', payload: { count: '1', name: 'a' } });
    expect(coerced.statusCode).toBe(400);
    const extra = await t.app.inject({
      method: 'POST',
      url: '/test/echo',
      payload: { count: 1, name: 'a', admin: true },
    });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.message).toContain('additional');
  });

  it('coerces query strings, which arrive as text', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/test/echo?n=5', payload: { count: 1, name: 'a' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ body: { count: 1, name: 'a' }, query: { n: 5 } });
  });

  it('answers a body over the limit with 413 payload_too_large', async () => {
    const name = 'x'.repeat(1024 * 1024 + 10);
    const res = await t.app.inject({ method: 'POST', url: '/test/echo', payload: { count: 1, name } });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
  });

  it('turns an unexpected error into a generic 500 and keeps the details in the server log', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/test/boom' });
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body.error.code).toBe('internal');
    expect(res.body).not.toContain('hunter2');
    expect(res.body).not.toContain('/srv/db');
    expect(body.error.message).toContain(body.requestId);
    const logged = t.logs.find((l) => l['msg'] === 'unhandled error');
    expect(logged?.['requestId'] ?? logged?.['reqId']).toBe(body.requestId);
  });

  it('sends the security headers on every kind of answer', async () => {
    const answers = await Promise.all([
      t.app.inject({ method: 'GET', url: '/healthz' }),
      t.app.inject({ method: 'GET', url: '/api/missing' }),
      t.app.inject({ method: 'GET', url: '/test/boom' }),
      t.app.inject({
        method: 'POST',
        url: '/test/echo',
        payload: '{',
        headers: { 'content-type': 'application/json' },
      }),
    ]);
    for (const res of answers) {
      expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-frame-options']).toBe('DENY');
      // Plain HTTP on loopback: no HSTS (it would be ignored, and is wrong without TLS).
      expect(res.headers['strict-transport-security']).toBeUndefined();
      // CORS is off unless an origin is allow-listed.
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('uses exactly the CSP of SECURITY.md', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
  });

  it('answers CORS preflights without granting anything', async () => {
    const res = await t.app.inject({
      method: 'OPTIONS',
      url: '/healthz',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('behind a trusted TLS proxy', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ env: { SUNDIAL_TRUST_PROXY: '127.0.0.1', SUNDIAL_HOST: '0.0.0.0' } });
  });
  afterEach(async () => t.close());

  it('sends HSTS for two years including subdomains', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
  });
});

describe('access rules', () => {
  it('declares one for every route', async () => {
    const t = await createTestApp();
    try {
      expect(t.routes.length).toBeGreaterThan(4);
      for (const route of t.routes)
        expect(
          ['public', 'session', 'admin'].includes(route.access) || route.access.startsWith('token:'),
          `${route.method} ${route.url}`,
        ).toBe(true);
      expect(t.routes.map((r) => `${r.method} ${r.url}`)).toEqual(
        expect.arrayContaining(['GET /healthz', 'GET /readyz', 'GET /api/openapi.json']),
      );
    } finally {
      await t.close();
    }
  });

  it('refuses to register a route without one', async () => {
    await expect(
      createTestApp({
        extend(app) {
          app.get('/test/undeclared', async () => 'open?');
        },
      }),
    ).rejects.toThrow(/declares no access rule/);
  });
});
