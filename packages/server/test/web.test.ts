/**
 * The dashboard served by the server: index.html for client-side routes,
 * long caching only for hashed assets, no escape from the build directory,
 * API paths keep their JSON 404s, the strict CSP stays, and a clear page
 * when the dashboard has not been built.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers.js';

describe('the web dashboard', () => {
  let dir: string;
  let t: TestApp;
  let bare: TestApp;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sundial-web-'));
    const root = join(dir, 'dist');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>app</title><div id="root"></div>');
    await writeFile(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
    await writeFile(join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await writeFile(join(dir, 'secret.txt'), 'outside the build');
    t = await createTestApp({ webRoot: root });
    bare = await createTestApp({ webRoot: join(dir, 'missing') });
  });
  afterAll(async () => {
    await t.close();
    await bare.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers index.html at / and at client-side routes, revalidated, with the strict CSP', async () => {
    for (const url of ['/', '/settings/privacy', '/devices/pair?code=ABCD-1234', '/login']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('<div id="root">');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("style-src 'self'");
      expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    }
  });

  it('caches hashed assets for a year and other files for a day', async () => {
    const asset = await t.app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await t.app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('public, max-age=86400');
  });

  it('answers 404 for a missing asset instead of the app', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/assets/index-old999.js' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/missing.png' })).statusCode).toBe(404);
  });

  it('never serves a file outside the build directory', async () => {
    for (const url of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.body, url).not.toContain('outside the build');
    }
  });

  it('leaves API paths to the API: unknown ones are JSON 404s', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/no-such-thing' });
    expect(res.statusCode).toBe(404);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('not_found');
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toMatchObject({ status: 'ok' });
  });

  it('answers each request once (no reply sent twice behind the scenes)', async () => {
    for (const url of ['/', '/login', '/assets/index-abc123.js', '/favicon.svg', '/assets/gone.js', '/api/v1/x']) {
      await t.app.inject({ method: 'GET', url });
    }
    expect(t.logText()).not.toContain('already sent');
  });

  it('says how to build the dashboard when there is no build', async () => {
    const res = await bare.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('npm run build');
    expect((await bare.app.inject({ method: 'GET', url: '/api/v1/reports/summary' })).statusCode).toBe(401);
  });
});
