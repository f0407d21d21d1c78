/**
 * Passkeys through the HTTP API, with a software authenticator: registration
 * (name encrypted at rest), passwordless log-in (user verification
 * required, a session, a security-log entry), and removal (only by the
 * owner). Refusals and malformed input live in refusals.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatIsoTimestamp } from '@sundial/core';
import { eachDatabase } from '../../../../test/support/databases.js';
import type { TestApp } from '../helpers.js';
import { SoftAuthenticator } from './soft-authenticator.js';
import { as, cookieOf, member, passkeyApp, passkeyLogin, register, registered, type Member } from './support.js';

interface ListedPasskey {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

eachDatabase('passkeys', (kind) => {
  let t: TestApp;
  let clock: number;
  let alice: Member;

  const listOf = async (who: Member): Promise<ListedPasskey[]> => {
    const res = await as(t, who.cookie, 'GET', '/api/v1/me/passkeys');
    expect(res.statusCode).toBe(200);
    return res.json<{ passkeys: ListedPasskey[] }>().passkeys;
  };

  beforeEach(async () => {
    clock = Date.UTC(2026, 10, 23, 9, 0, 0);
    t = await passkeyApp(kind, () => clock);
    alice = await member(t, 'alice');
  });
  afterEach(async () => t.close());

  describe('registration', () => {
    it('answers 201 with the name, and lists the passkey', async () => {
      const authenticator = new SoftAuthenticator();
      const res = await register(t, alice, authenticator, { name: 'Work laptop' });
      expect(res.statusCode, res.body).toBe(201);
      const created = res.json<ListedPasskey>();
      expect(created).toEqual({
        id: authenticator.id,
        name: 'Work laptop',
        createdAt: formatIsoTimestamp(clock),
        lastUsedAt: null,
      });
      expect(await listOf(alice)).toEqual([created]);
    });

    it('offers options for this relying party, and excludes passkeys already registered', async () => {
      const first = new SoftAuthenticator();
      await registered(t, alice, first);
      const res = await as(t, alice.cookie, 'POST', '/api/v1/me/passkeys/options');
      const { options } = res.json<{ options: Record<string, unknown> }>();
      expect(options).toMatchObject({
        rp: { id: 'sundial.example', name: 'Sundial' },
        user: { id: Buffer.from(alice.id, 'utf8').toString('base64url'), name: alice.email },
        attestation: 'none',
        authenticatorSelection: { userVerification: 'preferred' },
        excludeCredentials: [{ id: first.id, type: 'public-key' }],
      });
    });

    it('stores the name encrypted: not in the name_ct bytes', async () => {
      const name = 'Grandmother’s blue phone';
      await registered(t, alice, new SoftAuthenticator());
      clock += 1_000;
      const res = await register(t, alice, new SoftAuthenticator(), { name });
      expect(res.statusCode).toBe(201);
      const rows = await t.store.passkeys.list(alice.id);
      expect(rows).toHaveLength(2);
      const row = rows.find((r) => r.id === res.json<ListedPasskey>().id);
      expect(row?.nameCiphertext.length ?? 0).toBeGreaterThan(0);
      expect(row?.nameCiphertext.includes(Buffer.from(name, 'utf8'))).toBe(false);
      expect(row?.nameCiphertext.includes(Buffer.from('blue phone', 'utf8'))).toBe(false);
      expect((await listOf(alice)).map((p) => p.name)).toEqual(['Laptop', name]);
    });
  });

  describe('passwordless log-in', () => {
    it('answers 200 with a working session, records the use and logs it', async () => {
      const authenticator = new SoftAuthenticator();
      await registered(t, alice, authenticator);
      clock += 60_000;
      const res = await passkeyLogin(t, authenticator);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<{ id: string }>().id).toBe(alice.id);
      const cookie = cookieOf(res);
      expect(cookie).not.toBeNull();
      expect(cookie).not.toBe(alice.cookie);
      const me = await as(t, cookie, 'GET', '/api/v1/me');
      expect(me.statusCode).toBe(200);
      expect(me.json<{ email: string }>().email).toBe(alice.email);

      expect((await listOf(alice))[0]?.lastUsedAt).toBe(formatIsoTimestamp(clock));

      const log = await as(t, cookie, 'GET', '/api/v1/me/security-log');
      expect(log.statusCode).toBe(200);
      const entries = log.json<{ entries: { action: string; details: Record<string, unknown> }[] }>().entries;
      expect(entries).toContainEqual(
        expect.objectContaining({ action: 'auth.login.success', details: { method: 'passkey' } }),
      );
    });

    it('asks for user verification and names no credentials', async () => {
      const res = await as(t, null, 'POST', '/api/v1/auth/passkey/options');
      expect(res.statusCode).toBe(200);
      const { challengeId, options } = res.json<{ challengeId: string; options: Record<string, unknown> }>();
      expect(challengeId).toMatch(/^[0-9a-f-]{36}$/);
      expect(options).toMatchObject({ rpId: 'sundial.example', userVerification: 'required' });
      expect(options['allowCredentials'] ?? []).toEqual([]);
    });

    it('keeps working with a counter that moves forward', async () => {
      const authenticator = new SoftAuthenticator();
      await registered(t, alice, authenticator);
      expect((await passkeyLogin(t, authenticator, { counter: 1 })).statusCode).toBe(200);
      expect((await passkeyLogin(t, authenticator, { counter: 2 })).statusCode).toBe(200);
      expect((await t.store.passkeys.byId(authenticator.id))?.counter).toBe(2);
    });
  });

  describe('removal', () => {
    it('answers 204, and the passkey no longer logs in', async () => {
      const authenticator = new SoftAuthenticator();
      await registered(t, alice, authenticator);
      const res = await as(t, alice.cookie, 'DELETE', `/api/v1/me/passkeys/${authenticator.id}`);
      expect(res.statusCode, res.body).toBe(204);
      expect(await listOf(alice)).toEqual([]);
      const login = await passkeyLogin(t, authenticator);
      expect(login.statusCode).toBe(401);
      expect(login.json<{ error: { code: string } }>().error.code).toBe('auth.invalid_credentials');
      expect(cookieOf(login)).toBeNull();
    });

    it("answers 404 when another person removes it, and the owner's passkey still works", async () => {
      const authenticator = new SoftAuthenticator();
      await registered(t, alice, authenticator);
      const bob = await member(t, 'bob');
      const res = await as(t, bob.cookie, 'DELETE', `/api/v1/me/passkeys/${authenticator.id}`);
      expect(res.statusCode).toBe(404);
      expect(await listOf(alice)).toHaveLength(1);
      const login = await passkeyLogin(t, authenticator);
      expect(login.statusCode).toBe(200);
      expect(login.json<{ id: string }>().id).toBe(alice.id);
    });

    it('answers 404 for an id nobody has', async () => {
      const res = await as(t, alice.cookie, 'DELETE', `/api/v1/me/passkeys/${new SoftAuthenticator().id}`);
      expect(res.statusCode).toBe(404);
    });
  });
});
