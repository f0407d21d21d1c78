import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { WEB_ROUTE_URLS } from '../src/routes/web.js';
import { createTestApp, type TestApp } from './helpers.js';

const checkedIn = fileURLToPath(new URL('../../../docs/api/openapi.json', import.meta.url));

describe('OpenAPI document', () => {
  let t: TestApp;
  let document: Record<string, unknown> & { paths: Record<string, Record<string, unknown>> };
  beforeAll(async () => {
    t = await createTestApp();
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    document = res.json();
  });
  afterAll(async () => t.close());

  it('is valid OpenAPI 3', async () => {
    const result = await new Validator().validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(String(document['openapi'])).toMatch(/^3\./);
  });

  it('lists every route of the app', () => {
    const documented = Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const served = t.routes
      // The dashboard's pages are not API operations.
      .filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/api/docs'))
      .filter((r) => !(WEB_ROUTE_URLS as readonly string[]).includes(r.url))
      .map((r) => `${r.method} ${r.url.replace(/:([A-Za-z_]+)/g, '{$1}')}`);
    expect(served.length).toBeGreaterThan(0);
    expect(documented.sort()).toEqual([...new Set(served)].sort());
  });

  it('is checked in up to date as docs/api/openapi.json (npm run openapi)', () => {
    expect(JSON.parse(readFileSync(checkedIn, 'utf8'))).toEqual(document);
  });

  it('serves the browsable docs under /api/docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });
});
