/**
 * Password reset: a single-use link valid 30 minutes, sent by email (or
 * handed over by an administrator), that sets a new password, ends every
 * session and reopens a locked account. Requests answer the same whether or
 * not the email has an account.
 */
import { randomBytes } from 'node:crypto';
import { uuidv7 } from '@sundial/core';
import { hashPassword, passwordProblem } from '../auth/passwords.js';
import type { ClientInfo } from '../auth/principal.js';
import { newSessionToken, secretHash } from '../auth/secrets.js';
import { ADDRESS_RULE } from '../auth/throttle.js';
import { invalidInput } from '../errors.js';
import type { AccountsDeps } from './accounts.js';
import type { CredentialChecks } from './credential-checks.js';

/** A reset link is good for 30 minutes, once. */
export const RESET_TOKEN_TTL_MS = 30 * 60_000;

export function passwordResetOperations(deps: AccountsDeps, checks: CredentialChecks) {
  const { store, people, limiter, audit } = deps;
  const { now, guard, auditSelf } = checks;

  /** Makes a reset token for the person; answers the link that carries it. */
  async function newResetLink(userId: string): Promise<string> {
    const token = newSessionToken();
    const at = now();
    await store.passwordResets.insert({
      userId,
      id: uuidv7(at, randomBytes(10)),
      tokenHash: secretHash(token),
      createdAt: at,
      expiresAt: at + RESET_TOKEN_TTL_MS,
    });
    // In the fragment, so the token never reaches a server log or a Referer header.
    return `${deps.publicUrl}/reset-password#token=${token}`;
  }

  return {
    /**
     * Asks for a reset link by email. Always the same answer and about the
     * same time, whether or not the email has an account: the mail is sent
     * in the background.
     */
    async requestPasswordReset(email: string, client: ClientInfo): Promise<void> {
      await guard([`reset-ip:${client.ip}`]);
      await limiter.fail(`reset-ip:${client.ip}`, ADDRESS_RULE); // every request counts: this route sends mail
      const userId = await people.idByEmail(email);
      if (!userId || !deps.mailer) return;
      const person = await people.get(userId);
      if (!person || person.status !== 'active') return;
      const link = await newResetLink(userId);
      const mailer = deps.mailer;
      void mailer
        .send({
          to: person.email,
          subject: 'Reset your Sundial password',
          text:
            `Someone (hopefully you) asked to reset the password of your Sundial account.\n\n` +
            `Open this link within 30 minutes to choose a new password:\n${link}\n\n` +
            'If it was not you, ignore this email: your password stays as it is.\n',
        })
        .catch((error: unknown) => deps.warn('password reset email could not be sent', error));
      await audit({
        action: 'password.reset',
        subjectId: userId,
        ip: client.ip,
        details: { step: 'requested' },
        private: { ...client },
      });
    },

    /** A reset link an administrator hands over when no mail is configured. */
    async issueResetLink(email: string): Promise<string | null> {
      const userId = await people.idByEmail(email);
      if (!userId) return null;
      const link = await newResetLink(userId);
      await audit({ action: 'password.reset', subjectId: userId, details: { step: 'link_issued_by_admin' } });
      return link;
    },

    /** Sets a new password with a reset token: ends every session and reopens a locked account. */
    async confirmPasswordReset(token: string, newPassword: string, client: ClientInfo): Promise<void> {
      await guard([`reset-ip:${client.ip}`]);
      const tokenHash = secretHash(token);
      const invalidLink = async () => {
        await limiter.fail(`reset-ip:${client.ip}`, ADDRESS_RULE);
        return invalidInput(
          'The reset link is not valid: it may have expired or been used already. Ask for a new one.',
        );
      };
      const holder = await store.passwordResets.peek(tokenHash, now());
      if (!holder) throw await invalidLink();
      // The password is checked before the link is used up, so a refused password does not cost the link.
      const person = await people.get(holder);
      const problem = passwordProblem(newPassword, { email: person?.email });
      if (problem) throw invalidInput(`newPassword ${problem}`);
      const userId = await store.passwordResets.consume(tokenHash, now());
      if (userId !== holder) throw await invalidLink();
      await store.users.setPasswordHash(userId, await hashPassword(newPassword), now());
      await store.users.setNeedsReset(userId, false, now());
      await store.passwordResets.invalidateAll(userId, now());
      await store.sessions.revokeAllExcept(userId, null, now());
      await limiter.succeed(`account:${userId}`);
      await auditSelf('password.reset', userId, client, { step: 'completed' });
    },
  };
}
