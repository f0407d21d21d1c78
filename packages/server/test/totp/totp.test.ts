/**
 * Two-factor sign-in with an authenticator app (SECURITY.md, "Second
 * factor"), through the HTTP API with a controlled clock: enrolment needs one
 * valid code; log-in then needs a code; the previous step is accepted, a
 * future one and a replay are not; recovery codes work once each; turning it
 * off needs the password and a code.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Secret, TOTP } from 'otpauth';
import { eachDatabase } from '../../../../test/support/databases.js';
import { createTestApp, type TestApp } from '../helpers.js';

const EMAIL = 'grace@example.org';
const PASSWORD = 'a long and unusual passphrase';
const STEP = 30_000;

eachDatabase('TOTP two-factor sign-in', (kind) => {
  let t: TestApp;
  let clock: number;
  let cookie: string;

  const codeAt = (secret: string, at: number) =>
    new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({
      timestamp: at,
    });
  const login = (code?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: EMAIL, password: PASSWORD, ...(code ? { code } : {}) },
    });
  const asMe = (method: 'POST' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

  async function enrol(): Promise<{ secret: string; recoveryCodes: string[] }> {
    const started = await asMe('POST', '/api/v1/me/totp');
    expect(started.statusCode).toBe(200);
    const { secret, uri, qrSvg } = started.json() as { secret: string; uri: string; qrSvg: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/); // 160 bits
    expect(uri).toMatch(/^otpauth:\/\/totp\/Sundial:.*secret=.*algorithm=SHA1&digits=6&period=30/);
    expect(qrSvg).toMatch(/^<svg/);
    const confirmed = await asMe('POST', '/api/v1/me/totp/confirm', { code: codeAt(secret, clock) });
    expect(confirmed.statusCode).toBe(200);
    return { secret, recoveryCodes: (confirmed.json() as { recoveryCodes: string[] }).recoveryCodes };
  }

  beforeEach(async () => {
    clock = Date.UTC(2026, 10, 22, 12, 0, 5);
    t = await createTestApp({ kind, now: () => clock });
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/signup',
          payload: { email: EMAIL, password: PASSWORD },
        })
      ).statusCode,
    ).toBe(202);
    const res = await login();
    cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
  });
  afterEach(async () => t.close());

  it('is off until a valid code confirms the enrolment', async () => {
    const started = await asMe('POST', '/api/v1/me/totp');
    const { secret } = started.json() as { secret: string };
    expect(
      (
        await asMe('POST', '/api/v1/me/totp/confirm', {
          code: '000000' === codeAt(secret, clock) ? '111111' : '000000',
        })
      ).statusCode,
    ).toBe(401);
    expect((await login()).statusCode).toBe(200); // still one factor
    expect((await asMe('POST', '/api/v1/me/totp/confirm', { code: codeAt(secret, clock) })).statusCode).toBe(200);
    expect((await login()).json().error.code).toBe('auth.mfa_required');
  });

  it('keeps the secret encrypted at rest', async () => {
    const { secret } = await enrol();
    const row = await t.store.users.byId((await t.services.people.idByEmail(EMAIL)) ?? '');
    expect(row?.totpSecretCiphertext?.includes(Buffer.from(secret))).toBe(false);
    expect(row?.totpEnabled).toBe(true);
  });

  it('accepts the current and the previous step, refuses a future step and any replay', async () => {
    const { secret } = await enrol(); // used the step of `clock`
    expect((await login(codeAt(secret, clock))).statusCode).toBe(401); // replay of the confirming step
    clock += STEP;
    expect((await login(codeAt(secret, clock + STEP))).statusCode).toBe(401); // next step: not yet
    clock += STEP;
    expect((await login(codeAt(secret, clock - STEP))).statusCode).toBe(200); // previous step, not used before
    expect((await login(codeAt(secret, clock - STEP))).statusCode).toBe(401); // replay
    expect((await login(codeAt(secret, clock - 2 * STEP))).statusCode).toBe(401); // older than the last accepted
    clock += STEP;
    expect((await login(codeAt(secret, clock))).statusCode).toBe(200);
  });

  it('gives 10 recovery codes of 60 bits, each usable once, stored hashed', async () => {
    const { recoveryCodes } = await enrol();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    const [first = '', second = ''] = recoveryCodes;
    expect((await login(first.toLowerCase())).statusCode).toBe(200);
    expect((await login(first)).statusCode).toBe(401);
    expect((await login(second.replaceAll('-', ''))).statusCode).toBe(200);
    const userId = (await t.services.people.idByEmail(EMAIL)) ?? '';
    const stored = await t.store.recoveryCodes.unused(userId);
    expect(stored).toHaveLength(8);
    for (const row of stored) {
      expect(row.codeHash).toMatch(/^\$argon2id\$/);
      for (const code of recoveryCodes) expect(row.codeHash).not.toContain(code.replaceAll('-', ''));
    }
    const log = await t.app.inject({ method: 'GET', url: '/api/v1/me/security-log', headers: { cookie } });
    expect((log.json() as { entries: { action: string }[] }).entries.map((e) => e.action)).toContain(
      'mfa.recovery_code_used',
    );
  });

  it('turns off only with the password and a code', async () => {
    const { secret } = await enrol();
    clock += STEP;
    expect((await asMe('DELETE', '/api/v1/me/totp', { password: PASSWORD })).json().error.code).toBe(
      'auth.mfa_required',
    );
    expect(
      (await asMe('DELETE', '/api/v1/me/totp', { password: 'wrong password!!', code: codeAt(secret, clock) }))
        .statusCode,
    ).toBe(401);
    expect(
      (await asMe('DELETE', '/api/v1/me/totp', { password: PASSWORD, code: codeAt(secret, clock) })).statusCode,
    ).toBe(204);
    expect((await login()).statusCode).toBe(200);
    expect(await t.store.recoveryCodes.unused((await t.services.people.idByEmail(EMAIL)) ?? '')).toHaveLength(0);
  });

  it('refuses a code with letters or the wrong length as bad input', async () => {
    await enrol();
    for (const code of ['12345a', '1234567', '12 456']) {
      const res = await login(code);
      expect(res.statusCode, code).toBe(400);
      expect(res.json().error.code).toBe('input.invalid');
    }
  });
});
