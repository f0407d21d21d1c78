/**
 * A passkey as the second factor of a password log-in: with two-factor
 * sign-in on, a password alone is not enough, and one of the person's own
 * passkeys (user verification not needed here: the password is the other
 * factor) stands in for the authenticator code. Someone else's passkey does not.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Secret, TOTP } from 'otpauth';
import { eachDatabase } from '../../../../test/support/databases.js';
import type { TestApp } from '../helpers.js';
import { SoftAuthenticator } from './soft-authenticator.js';
import { as, loginOptions, member, ORIGIN, passkeyApp, PASSWORD, registered, type Member } from './support.js';

eachDatabase('passkey as the second factor', (kind) => {
  let t: TestApp;
  let ada: Member;
  const key = new SoftAuthenticator();

  beforeEach(async () => {
    t = await passkeyApp(kind);
    ada = await member(t, 'ada');
    await registered(t, ada, key);
    const { secret } = (await as(t, ada.cookie, 'POST', '/api/v1/me/totp')).json() as { secret: string };
    const code = new TOTP({ secret: Secret.fromBase32(secret) }).generate();
    expect((await as(t, ada.cookie, 'POST', '/api/v1/me/totp/confirm', { code })).statusCode).toBe(200);
  });
  afterEach(async () => t.close());

  async function passwordLogin(email: string, authenticator: SoftAuthenticator | null) {
    let passkey: object | undefined;
    if (authenticator) {
      const { challengeId, options } = await loginOptions(t);
      passkey = { challengeId, response: authenticator.get(options, { origin: ORIGIN, userVerified: false }) };
    }
    return as(t, null, 'POST', '/api/v1/auth/login', { email, password: PASSWORD, ...(passkey ? { passkey } : {}) });
  }

  it('a password alone asks for the second factor', async () => {
    const res = await passwordLogin(ada.email, null);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('auth.mfa_required');
  });

  it('the password and one of her passkeys log in', async () => {
    const res = await passwordLogin(ada.email, key);
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie']).toBeDefined();
  });

  it("someone else's passkey is refused", async () => {
    const bob = await member(t, 'bob');
    const bobsKey = new SoftAuthenticator();
    await registered(t, bob, bobsKey);
    const res = await passwordLogin(ada.email, bobsKey);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('auth.invalid_credentials');
  });
});
