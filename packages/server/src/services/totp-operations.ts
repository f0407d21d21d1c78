/**
 * Two-factor sign-in with an authenticator app: enrolment (a secret shown
 * once, on only after one valid code), recovery codes, and turning it off
 * with the password and a code.
 */
import { decryptField, encryptField } from '@sundial/crypto';
import { hashPassword } from '../auth/passwords.js';
import type { ClientInfo, Principal } from '../auth/principal.js';
import { newRecoveryCodes, newTotpSecret, normaliseRecoveryCode, totpQrSvg, totpStep, totpUri } from '../auth/totp.js';
import { AppError, notFound } from '../errors.js';
import type { AccountsDeps } from './accounts.js';
import type { CredentialChecks } from './credential-checks.js';

export function totpOperations(deps: AccountsDeps, checks: CredentialChecks) {
  const { store, people, keyring } = deps;
  const { now, invalidCode, checkPassword, checkSecondFactor, auditSelf, TOTP_FIELD } = checks;

  return {
    /** Starts (or restarts) authenticator enrolment: a new secret, not yet required at log-in. */
    async startTotp(principal: Principal): Promise<{ secret: string; uri: string; qrSvg: string }> {
      const user = await store.users.byId(principal.userId);
      const person = await people.get(principal.userId);
      if (!user || !person) throw notFound();
      if (user.totpEnabled)
        throw new AppError('conflict', 'Two-factor sign-in is already on; turn it off first to enrol again');
      const secret = newTotpSecret();
      const key = await keyring.dataKey(principal.userId);
      await store.users.setTotp(
        principal.userId,
        { secretCiphertext: encryptField(key, TOTP_FIELD, secret), enabled: false, lastStep: null },
        now(),
      );
      const uri = totpUri(secret, person.email);
      return { secret, uri, qrSvg: await totpQrSvg(uri) };
    },

    /** Turns two-factor sign-in on after one valid code; answers the recovery codes (shown once). */
    async confirmTotp(principal: Principal, code: string, client: ClientInfo): Promise<string[]> {
      const user = await store.users.byId(principal.userId);
      if (!user?.totpSecretCiphertext) throw new AppError('conflict', 'Start enrolment first (POST /api/v1/me/totp)');
      if (user.totpEnabled) throw new AppError('conflict', 'Two-factor sign-in is already on');
      const key = await keyring.dataKey(principal.userId);
      const step = totpStep(decryptField(key, TOTP_FIELD, user.totpSecretCiphertext), code, now());
      if (step === null) throw invalidCode();
      const codes = newRecoveryCodes();
      await store.recoveryCodes.replace(
        principal.userId,
        await Promise.all(codes.map((c) => hashPassword(normaliseRecoveryCode(c)))),
      );
      await store.users.setTotp(
        principal.userId,
        { secretCiphertext: user.totpSecretCiphertext, enabled: true, lastStep: step },
        now(),
      );
      await auditSelf('mfa.enrol', principal.userId, client, { method: 'totp' });
      return codes;
    },

    /** Turns two-factor sign-in off: needs the password and a current code (or a recovery code). */
    async disableTotp(
      principal: Principal,
      password: string,
      code: string | undefined,
      client: ClientInfo,
    ): Promise<void> {
      const user = await checkPassword(principal.userId, password, client);
      if (!user.totpEnabled) throw new AppError('conflict', 'Two-factor sign-in is not on');
      await checkSecondFactor(user, code, client);
      await store.users.setTotp(principal.userId, { secretCiphertext: null, enabled: false, lastStep: null }, now());
      await store.recoveryCodes.deleteAll(principal.userId);
      await auditSelf('mfa.disable', principal.userId, client, { method: 'totp' });
    },
  };
}
