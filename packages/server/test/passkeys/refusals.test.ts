/**
 * What the passkey routes refuse: replayed, expired, misdirected or foreign
 * challenges; assertions from another origin, without user verification,
 * signed by another key, with a counter going backwards, or for an unknown
 * credential; duplicate registrations; callers without a session; and
 * malformed bodies (400 `input.invalid`, never a 500).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import type { TestApp } from '../helpers.js';
import { SoftAuthenticator } from './soft-authenticator.js';
import {
  as,
  loginOptions,
  member,
  ORIGIN,
  passkeyApp,
  passkeyLogin,
  register,
  registered,
  registrationOptions,
  type Member,
  type Reply,
} from './support.js';

const codeOf = (res: Reply): string | undefined => res.json<{ error?: { code?: string } }>().error?.code;

eachDatabase('passkey refusals', (kind) => {
  let t: TestApp;
  let clock: number;
  let alice: Member;
  let key: SoftAuthenticator;

  beforeEach(async () => {
    clock = Date.UTC(2026, 10, 23, 9, 0, 0);
    t = await passkeyApp(kind, () => clock);
    alice = await member(t, 'alice');
    key = new SoftAuthenticator();
    await registered(t, alice, key);
  });
  afterEach(async () => t.close());

  const refused = (res: Reply) => {
    expect(res.statusCode, res.body).toBe(401);
    expect(codeOf(res)).toBe('auth.invalid_credentials');
    expect(res.headers['set-cookie']).toBeUndefined();
  };

  describe('log-in', () => {
    it('takes a challenge once: the same challengeId twice answers 400', async () => {
      const { challengeId, options } = await loginOptions(t);
      const body = { challengeId, response: key.get(options, { origin: ORIGIN, counter: 1 }) };
      expect((await as(t, null, 'POST', '/api/v1/auth/passkey', body)).statusCode).toBe(200);
      const again = await as(t, null, 'POST', '/api/v1/auth/passkey', {
        challengeId,
        response: key.get(options, { origin: ORIGIN, counter: 2 }),
      });
      expect(again.statusCode).toBe(400);
      expect(codeOf(again)).toBe('input.invalid');
    });

    it('refuses a challenge older than five minutes, or issued for a registration', async () => {
      const early = await loginOptions(t);
      clock += 5 * 60_000 - 1_000;
      const inTime = await as(t, null, 'POST', '/api/v1/auth/passkey', {
        challengeId: early.challengeId,
        response: key.get(early.options, { origin: ORIGIN }),
      });
      expect(inTime.statusCode).toBe(200);
      const { challengeId, options } = await loginOptions(t);
      clock += 5 * 60_000 + 1;
      const late = await as(t, null, 'POST', '/api/v1/auth/passkey', {
        challengeId,
        response: key.get(options, { origin: ORIGIN }),
      });
      expect(late.statusCode).toBe(400);
      const other = await registrationOptions(t, alice.cookie);
      const wrongPurpose = await as(t, null, 'POST', '/api/v1/auth/passkey', {
        challengeId: other.challengeId,
        response: key.get({ challenge: other.options.challenge, rpId: 'sundial.example' }, { origin: ORIGIN }),
      });
      expect(wrongPurpose.statusCode).toBe(400);
    });

    it('refuses an assertion made for another origin', async () => {
      refused(await passkeyLogin(t, key, { origin: 'https://evil.example' }));
      expect((await passkeyLogin(t, key)).statusCode).toBe(200);
    });

    it('refuses an assertion without user verification', async () => {
      refused(await passkeyLogin(t, key, { userVerified: false }));
      expect((await passkeyLogin(t, key)).statusCode).toBe(200);
    });

    it('refuses a signature by another key under the same credential id', async () => {
      refused(await passkeyLogin(t, key.impostor()));
      expect((await passkeyLogin(t, key)).statusCode).toBe(200);
    });

    it('refuses a signature counter that goes backwards after a use with counter 5', async () => {
      expect((await passkeyLogin(t, key, { counter: 5 })).statusCode).toBe(200);
      refused(await passkeyLogin(t, key, { counter: 3 }));
      refused(await passkeyLogin(t, key, { counter: 5 }));
      expect((await t.store.passkeys.byId(key.id))?.counter).toBe(5);
    });

    // Two log-ins racing must not leave the lower counter stored: that would re-open counters to a clone.
    it('keeps the stored counter from moving backwards (repository)', async () => {
      expect((await passkeyLogin(t, key, { counter: 5 })).statusCode).toBe(200);
      await t.store.passkeys.used(alice.id, key.id, 3, clock);
      expect((await t.store.passkeys.byId(key.id))?.counter).toBe(5);
    });

    it('refuses an unknown credential id', async () => {
      refused(await passkeyLogin(t, new SoftAuthenticator()));
    });
  });

  describe('registration', () => {
    it('refuses a response to a challenge issued to another person', async () => {
      const bob = await member(t, 'bob');
      const { challengeId, options } = await registrationOptions(t, bob.cookie);
      const response = new SoftAuthenticator().create(options, { origin: ORIGIN });
      const res = await as(t, alice.cookie, 'POST', '/api/v1/me/passkeys', { challengeId, name: 'Stolen', response });
      expect(res.statusCode).toBe(400);
      expect(codeOf(res)).toBe('input.invalid');
      expect(await t.store.passkeys.list(alice.id)).toHaveLength(1);
      expect(await t.store.passkeys.list(bob.id)).toHaveLength(0);
    });

    it('refuses a registration from a wrong origin', async () => {
      const other = new SoftAuthenticator();
      const res = await register(t, alice, other, { origin: 'https://evil.example' });
      expect(res.statusCode).toBe(400);
      expect(codeOf(res)).toBe('input.invalid');
      expect(await t.store.passkeys.byId(other.id)).toBeNull();
      expect((await register(t, alice, other)).statusCode).toBe(201);
    });

    it('answers 409 when the same credential is registered again', async () => {
      const res = await register(t, alice, key, { name: 'Again' });
      expect(res.statusCode).toBe(409);
      expect(codeOf(res)).toBe('conflict');
      const bob = await member(t, 'bob');
      expect((await register(t, bob, key)).statusCode).toBe(409);
      expect((await t.store.passkeys.byId(key.id))?.userId).toBe(alice.id);
    });
  });

  describe('callers and bodies', () => {
    it('answers 401 without a session on every route that is not public', async () => {
      const routes: ['GET' | 'POST' | 'DELETE', string][] = [
        ['POST', '/api/v1/me/passkeys/options'],
        ['POST', '/api/v1/me/passkeys'],
        ['GET', '/api/v1/me/passkeys'],
        ['DELETE', `/api/v1/me/passkeys/${key.id}`],
      ];
      for (const [method, url] of routes) {
        for (const cookie of [null, 'sundial_session=not-a-session']) {
          const res = await as(t, cookie, method, url, method === 'POST' ? {} : undefined);
          expect(res.statusCode, `${method} ${url}`).toBe(401);
        }
      }
      expect(await t.store.passkeys.list(alice.id)).toHaveLength(1);
    });

    it('answers 400 input.invalid to malformed bodies, never 500', async () => {
      const reg = await registrationOptions(t, alice.cookie);
      const login = await loginOptions(t);
      const good = key.get(login.options, { origin: ORIGIN });
      const bads: Record<string, unknown>[] = [
        {},
        { response: { ...good, type: 'password' } },
        { response: { ...good, id: 'abc/def+ghi', rawId: 'abc/def+ghi' } },
        { response: { ...good, extra: true } },
        { response: good, challengeId: 'not-a-uuid' },
      ];
      for (const bad of bads) {
        const payloads = [
          ['/api/v1/me/passkeys', { challengeId: reg.challengeId, name: 'Phone', response: good, ...bad }],
          ['/api/v1/auth/passkey', { challengeId: login.challengeId, response: good, ...bad }],
        ] as const;
        for (const [url, payload] of payloads) {
          const cleaned = Object.keys(bad).length === 0 ? { ...payload, response: undefined } : payload;
          const res = await as(t, alice.cookie, 'POST', url, cleaned);
          expect(res.statusCode, `${url} ${JSON.stringify(bad)}: ${res.body}`).toBe(400);
          expect(codeOf(res)).toBe('input.invalid');
        }
      }
      const slash = await as(t, alice.cookie, 'DELETE', '/api/v1/me/passkeys/abc%2Fdef');
      expect(slash.statusCode).toBe(400);
      expect(codeOf(slash)).toBe('input.invalid');
    });

    it('refuses well-shaped credentials with nonsense inside, never 500', async () => {
      const reg = await registrationOptions(t, alice.cookie);
      const nonsense = { id: 'abc', rawId: 'abc', type: 'public-key', response: {}, clientExtensionResults: {} };
      const res = await as(t, alice.cookie, 'POST', '/api/v1/me/passkeys', {
        challengeId: reg.challengeId,
        name: 'Phone',
        response: nonsense,
      });
      expect(res.statusCode).toBe(400);
      const login = await loginOptions(t);
      refused(
        await as(t, null, 'POST', '/api/v1/auth/passkey', {
          challengeId: login.challengeId,
          response: { ...nonsense, id: key.id, rawId: key.id },
        }),
      );
    });
  });
});
