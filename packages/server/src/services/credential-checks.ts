/**
 * The checks every account operation is built from: throttling, the
 * password, the second factor, starting a session, and auditing what a person
 * does to their own account. Shared by the account, password-reset and TOTP
 * operations so each decides once, here, what "proved who they are" means.
 */
import { randomBytes } from 'node:crypto';
import { decryptField, encryptField } from '@sundial/crypto';
import { uuidv7 } from '@sundial/core';
import type { UserRow } from '@sundial/store';
import { verifyPassword } from '../auth/passwords.js';
import type { ClientInfo } from '../auth/principal.js';
import { newSessionToken, secretHash } from '../auth/secrets.js';
import { looksLikeRecoveryCode, normaliseRecoveryCode, totpStep } from '../auth/totp.js';
import { ACCOUNT_RULE, ADDRESS_RULE, LOCKOUT_FAILURES } from '../auth/throttle.js';
import { AppError } from '../errors.js';
import type { AuditAction, AuditDetails } from '../audit/index.js';
import type { PasskeyAssertion } from './passkeys.js';
import type { AccountsDeps, NewSession } from './accounts.js';

const SESSIONS = { table: 'sessions', column: 'client' };

export function credentialChecks(deps: AccountsDeps) {
  const { store, keyring, limiter, audit } = deps;
  const now = deps.now ?? Date.now;
  const invalidCredentials = () =>
    new AppError(
      'auth.invalid_credentials',
      'The email or password is not right (an account locked after many failed attempts needs a password reset)',
    );
  const throttled = (ms: number) =>
    new AppError('rate_limited', 'Too many failed attempts; try again later', {
      'retry-after': String(Math.ceil(ms / 1000)),
    });

  async function guard(subjects: string[]): Promise<void> {
    const waits = await Promise.all(subjects.map((s) => limiter.retryAfter(s)));
    const wait = Math.max(0, ...waits);
    if (wait > 0) throw throttled(wait);
  }

  /** Checks a person's password (throttled per account and address); answers the user row. */
  async function checkPassword(userId: string, password: string, client: ClientInfo) {
    const subjects = [`account:${userId}`, `ip:${client.ip}`];
    await guard(subjects);
    const user = await store.users.byId(userId);
    const ok = user?.passwordHash ? await verifyPassword(user.passwordHash, password) : false;
    // A locked account (100 failures) fails like a wrong password, even with the right one: the
    // answer must never tell someone still guessing that a guess was right. A reset opens it.
    if (!user || !ok || user.needsReset) {
      const failures = await limiter.fail(subjects[0] ?? '', ACCOUNT_RULE);
      await limiter.fail(subjects[1] ?? '', ADDRESS_RULE);
      if (user && failures >= LOCKOUT_FAILURES && !user.needsReset)
        await store.users.setNeedsReset(userId, true, now());
      throw invalidCredentials();
    }
    return user;
  }

  const TOTP_FIELD = { table: 'users', column: 'totp_secret' };
  const invalidCode = () => new AppError('auth.invalid_credentials', 'The code is not right');

  /** Checks an authenticator code (current or previous step, never a replay) or a single-use recovery code. */
  async function checkSecondFactor(
    user: UserRow,
    code: string | undefined,
    client: ClientInfo,
    passkey?: PasskeyAssertion,
  ): Promise<void> {
    const subject = `account:${user.id}`;
    if (passkey && deps.passkeys) {
      await guard([subject]);
      try {
        await deps.passkeys.verifySecondFactor(user.id, passkey);
        return;
      } catch (error) {
        await limiter.fail(subject, ACCOUNT_RULE);
        throw error;
      }
    }
    if (!code) {
      throw new AppError(
        'auth.mfa_required',
        'Enter the code from your authenticator app, a recovery code, or use a passkey',
      );
    }
    await guard([subject]);
    const key = await keyring.existingDataKey(user.id);
    let ok = false;
    if (/^\d{6}$/.test(code)) {
      const secret = key && user.totpSecretCiphertext ? decryptField(key, TOTP_FIELD, user.totpSecretCiphertext) : null;
      const step = secret ? totpStep(secret, code, now()) : null;
      ok = step !== null && (await store.users.advanceTotpStep(user.id, step));
    } else if (looksLikeRecoveryCode(code)) {
      const candidate = normaliseRecoveryCode(code);
      for (const row of await store.recoveryCodes.unused(user.id)) {
        if (
          (await verifyPassword(row.codeHash, candidate)) &&
          (await store.recoveryCodes.use(user.id, row.id, now()))
        ) {
          ok = true;
          await auditSelf('mfa.recovery_code_used', user.id, client);
          break;
        }
      }
    }
    if (!ok) {
      await limiter.fail(subject, ACCOUNT_RULE);
      throw invalidCode();
    }
  }

  /** Records something a person did to their own account, with the client details only they can read. */
  function auditSelf(
    action: AuditAction,
    userId: string,
    client: ClientInfo,
    details?: AuditDetails,
  ): Promise<unknown> {
    return audit({ action, actorId: userId, subjectId: userId, ip: client.ip, details, private: { ...client } });
  }

  async function startSession(userId: string, client: ClientInfo): Promise<NewSession> {
    const token = newSessionToken();
    const at = now();
    const key = await keyring.dataKey(userId);
    const sessionId = uuidv7(at, randomBytes(10));
    await store.sessions.insert({
      userId,
      id: sessionId,
      tokenHash: secretHash(token),
      createdAt: at,
      lastSeenAt: at,
      expiresAt: at + deps.sessionMaxMs,
      clientCiphertext: encryptField(key, SESSIONS, JSON.stringify({ ip: client.ip, userAgent: client.userAgent })),
      revokedAt: null,
    });
    return { token, userId, sessionId, maxAgeSeconds: Math.floor(deps.sessionMaxMs / 1000) };
  }

  return {
    now,
    invalidCredentials,
    invalidCode,
    guard,
    checkPassword,
    checkSecondFactor,
    auditSelf,
    startSession,
    TOTP_FIELD,
  };
}

export type CredentialChecks = ReturnType<typeof credentialChecks>;
