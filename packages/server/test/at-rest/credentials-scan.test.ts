/**
 * Credentials never reach the database in the clear (SECURITY.md; issue 4):
 * after signing up, logging in, creating a token, enrolling TOTP and reading
 * the recovery codes through the HTTP API of a running server, the SQLite
 * files (with their WAL) and a full pg_dump are scanned for the password,
 * the session cookie, the API token, the TOTP secret, the recovery codes and
 * the email.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { fullPgDump, marker, readFiles, scanBuffers, startAtRestServer, type AtRestServer } from './support.js';
import { Secret, TOTP } from 'otpauth';

eachDatabase('credentials at rest', (kind) => {
  let ctx: AtRestServer;
  const secrets: string[] = [];

  beforeAll(async () => {
    ctx = await startAtRestServer(kind);
    const app = ctx.server.app;
    const email = `${marker('mail')}@example.org`;
    const password = `${marker('pw')} long passphrase`;
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: { email, password } })).statusCode,
    ).toBe(202);
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    const session = cookie.split('=')[1] ?? '';
    const token = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { cookie },
        payload: { name: marker('tok'), scopes: ['read'] },
      })
    ).json().token as string;
    const enrol = (await app.inject({ method: 'POST', url: '/api/v1/me/totp', headers: { cookie } })).json() as {
      secret: string;
    };
    const code = new TOTP({ secret: Secret.fromBase32(enrol.secret) }).generate();
    const confirmed = await app.inject({
      method: 'POST',
      url: '/api/v1/me/totp/confirm',
      headers: { cookie },
      payload: { code },
    });
    const recoveryCodes = (confirmed.json() as { recoveryCodes: string[] }).recoveryCodes;
    expect(session.length).toBeGreaterThanOrEqual(43);
    expect(token).toMatch(/^sdl_/);
    expect(recoveryCodes).toHaveLength(10);
    secrets.push(
      email,
      password,
      session,
      token,
      token.slice(4),
      enrol.secret,
      ...recoveryCodes,
      ...recoveryCodes.map((c) => c.replaceAll('-', '')),
    );
  });
  afterAll(async () => ctx.dispose());

  it('holds none of them in any database file, WAL included, while the server runs', async () => {
    if (kind === 'sqlite') {
      const files = readdirSync(ctx.dataDir).map((name) => join(ctx.dataDir, name));
      expect(files.some((f) => f.endsWith('sundial.db-wal'))).toBe(true);
      expect(scanBuffers(readFiles(files), secrets)).toEqual([]);
    } else if (ctx.database.target.kind === 'postgres') {
      const dump = fullPgDump(ctx.database.target.url, join(ctx.scratch, 'full.sql'));
      expect(dump.includes(Buffer.from('sundial_keyring'))).toBe(true);
      expect(scanBuffers(new Map([['pg_dump', dump]]), secrets, ['utf8', 'hex-utf8'])).toEqual([]);
    }
  });

  it('can find a secret when one is there (the scan is not blind)', async () => {
    await ctx.server.store.instanceMeta.setIfAbsent('control', secrets[3] ?? '', Date.now());
    if (kind === 'sqlite') {
      const files = readdirSync(ctx.dataDir).map((name) => join(ctx.dataDir, name));
      expect(scanBuffers(readFiles(files), [secrets[3] ?? '']).length).toBeGreaterThan(0);
    } else if (ctx.database.target.kind === 'postgres') {
      const dump = fullPgDump(ctx.database.target.url, join(ctx.scratch, 'control.sql'));
      expect(scanBuffers(new Map([['pg_dump', dump]]), [secrets[3] ?? '']).length).toBeGreaterThan(0);
    }
  });
});
