/**
 * Accounts: sign-up, log-in, sessions, password change, API tokens, email
 * change and account deletion, plus the password-reset and TOTP operations
 * (password-reset.ts, totp-operations.ts), all built on the checks in
 * credential-checks.ts. Every decision about who may do what to which account
 * is made here; routes only translate.
 *
 * No enumeration: sign-up answers the same whether or not the email is taken
 * (and costs the same argon2 work), and log-in answers "invalid credentials"
 * for an unknown email after verifying against a dummy hash.
 */
import { randomBytes } from 'node:crypto';
import { decryptField, encryptField } from '@sundial/crypto';
import { uuidv7 } from '@sundial/core';
import type { Store } from '@sundial/store';
import { TOKEN_SCOPES, type TokenScope } from '../access.js';
import { dummyHash, hashPassword, needsRehash, passwordProblem, verifyPassword } from '../auth/passwords.js';
import type { ClientInfo, Principal } from '../auth/principal.js';
import { newApiToken, secretHash } from '../auth/secrets.js';
import { ADDRESS_RULE, type Limiter } from '../auth/throttle.js';
import type { SignupMode } from '../config.js';
import { AppError, invalidInput, notFound } from '../errors.js';
import type { AuditLog } from '../audit/index.js';
import type { Keyring } from '../keys/keyring.js';
import type { Mailer } from '../mail/mailer.js';
import type { PasskeyAssertion, Passkeys } from './passkeys.js';
import type { People } from './people.js';
import { credentialChecks } from './credential-checks.js';
import { passwordResetOperations } from './password-reset.js';
import { totpOperations } from './totp-operations.js';

export type AuditRecorder = AuditLog['record'];

export interface AccountsDeps {
  readonly store: Store;
  readonly people: People;
  readonly keyring: Keyring;
  readonly limiter: Limiter;
  readonly audit: AuditRecorder;
  readonly signup: SignupMode;
  readonly sessionIdleMs: number;
  readonly sessionMaxMs: number;
  /** Null when no SMTP server is configured: reset links then come from `sundial admin reset-link`. */
  readonly mailer: Mailer | null;
  /** Passkeys as a second factor of a password log-in (optional: absent, only codes count). */
  readonly passkeys?: Pick<Passkeys, 'verifySecondFactor'>;
  readonly publicUrl: string;
  /** Where failures of background work (sending mail) are reported; never with personal data. */
  readonly warn: (message: string, error: unknown) => void;
  readonly now?: () => number;
}

/** Instance fact naming the account that was created first (the administrator). */
const FIRST_ACCOUNT = 'accounts.first';

export { RESET_TOKEN_TTL_MS } from './password-reset.js';

export interface NewSession {
  readonly token: string;
  readonly userId: string;
  readonly sessionId: string;
  readonly maxAgeSeconds: number;
}

export interface SessionView {
  readonly id: string;
  readonly current: boolean;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly expiresAt: number;
  readonly userAgent: string | null;
  readonly ip: string | null;
}

export interface TokenView {
  readonly id: string;
  readonly name: string;
  readonly scopes: TokenScope[];
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  readonly expiresAt: number | null;
}

/** Last-seen times are written at most this often, so reads stay reads. */
const TOUCH_EVERY_MS = 60_000;
const SESSIONS = { table: 'sessions', column: 'client' };
/** Where a token's name is encrypted (also written by device pairing). */
export const TOKEN_NAME_FIELD = { table: 'api_tokens', column: 'name' } as const;

export function accounts(deps: AccountsDeps) {
  const { store, people, keyring, limiter, audit } = deps;
  const checks = credentialChecks(deps);
  const { now, invalidCredentials, guard, checkPassword, checkSecondFactor, auditSelf, startSession } = checks;

  return {
    ...passwordResetOperations(deps, checks),
    ...totpOperations(deps, checks),

    async signup(input: { email: string; password: string; name?: string }, client: ClientInfo): Promise<void> {
      const problem = passwordProblem(input.password, { email: input.email });
      if (problem) throw invalidInput(`password ${problem}`);
      await guard([`signup-ip:${client.ip}`]);
      await limiter.fail(`signup-ip:${client.ip}`, ADDRESS_RULE); // every sign-up counts against the address
      const id = uuidv7(now(), randomBytes(10));
      // Who is first is decided by one insert-if-absent, so two sign-ups racing on a new instance
      // cannot both become administrator (nor both pass a closed sign-up).
      const first = (await store.instanceMeta.setIfAbsent(FIRST_ACCOUNT, id, now())) === id;
      if (!first && deps.signup !== 'open') {
        throw new AppError(
          'auth.forbidden',
          'Sign-up is not open on this instance; ask an administrator for an invitation',
        );
      }
      const passwordHash = await hashPassword(input.password);
      const created = await people.create({
        id,
        email: input.email,
        displayName: input.name ?? null,
        passwordHash,
        role: first ? 'admin' : 'member',
      });
      if (created === 'email_taken') return; // same answer, same cost: nothing reveals the account exists
      await auditSelf('auth.signup', created.id, client, { role: first ? 'admin' : 'member' });
    },

    /**
     * What the first screen needs to know: whether any account exists yet (a new instance shows
     * its first-run page) and whether a visitor may sign up now (the first account always may).
     */
    async instanceStatus(): Promise<{ hasAccounts: boolean; signup: SignupMode }> {
      const hasAccounts = (await store.users.count()) > 0;
      const firstTaken = (await store.instanceMeta.get(FIRST_ACCOUNT)) !== null;
      return { hasAccounts, signup: firstTaken ? deps.signup : 'open' };
    },

    async login(
      input: { email: string; password: string; code?: string; passkey?: PasskeyAssertion },
      client: ClientInfo,
    ): Promise<NewSession> {
      const userId = await people.idByEmail(input.email);
      if (!userId) {
        await guard([`ip:${client.ip}`]);
        await verifyPassword(await dummyHash(), input.password);
        await limiter.fail(`ip:${client.ip}`, ADDRESS_RULE);
        // No subject: the address is kept truncated, and nothing says which email was tried.
        await audit({ action: 'auth.login.failure', ip: client.ip, details: { reason: 'unknown_account' } });
        throw invalidCredentials();
      }
      let user;
      try {
        user = await checkPassword(userId, input.password, client);
      } catch (error) {
        if (error instanceof AppError && error.code === 'auth.invalid_credentials') {
          await audit({ action: 'auth.login.failure', subjectId: userId, ip: client.ip, private: { ...client } });
        }
        throw error;
      }
      if (user.status !== 'active') throw invalidCredentials();
      if (user.totpEnabled) await checkSecondFactor(user, input.code, client, input.passkey);
      await limiter.succeed(`account:${userId}`);
      if (user.passwordHash && needsRehash(user.passwordHash)) {
        await store.users.setPasswordHash(userId, await hashPassword(input.password), now());
      }
      const session = await startSession(userId, client);
      await auditSelf('auth.login.success', userId, client);
      return session;
    },

    /** Starts a session for a person whose passkey (with user verification) was just verified. */
    async passkeyLogin(userId: string, client: ClientInfo): Promise<NewSession> {
      const user = await store.users.byId(userId);
      if (!user || user.status !== 'active') throw invalidCredentials();
      const session = await startSession(userId, client);
      await auditSelf('auth.login.success', userId, client, { method: 'passkey' });
      return session;
    },

    /** The principal for a session cookie, or null (unknown, revoked, idle or past its absolute expiry). */
    async sessionPrincipal(token: string): Promise<Principal | null> {
      const session = await store.sessions.byTokenHash(secretHash(token));
      const at = now();
      if (
        !session ||
        session.revokedAt !== null ||
        session.expiresAt <= at ||
        session.lastSeenAt + deps.sessionIdleMs <= at
      )
        return null;
      const user = await store.users.byId(session.userId);
      if (!user || user.status !== 'active') return null;
      if (at - session.lastSeenAt > TOUCH_EVERY_MS) await store.sessions.touch(session.userId, session.id, at);
      return {
        userId: user.id,
        role: user.role,
        via: 'session',
        sessionId: session.id,
        tokenId: null,
        scopes: [...TOKEN_SCOPES],
      };
    },

    /** The principal for an API token, or null (unknown, revoked or expired). */
    async tokenPrincipal(token: string): Promise<Principal | null> {
      const row = await store.apiTokens.byTokenHash(secretHash(token));
      const at = now();
      if (!row || row.revokedAt !== null || (row.expiresAt !== null && row.expiresAt <= at)) return null;
      const user = await store.users.byId(row.userId);
      if (!user || user.status !== 'active') return null;
      if (row.lastUsedAt === null || at - row.lastUsedAt > TOUCH_EVERY_MS)
        await store.apiTokens.touch(row.userId, row.id, at);
      const scopes = row.scopes.filter((s): s is TokenScope => (TOKEN_SCOPES as readonly string[]).includes(s));
      return { userId: user.id, role: user.role, via: 'token', sessionId: null, tokenId: row.id, scopes };
    },

    async logout(principal: Principal, client: ClientInfo): Promise<void> {
      if (principal.sessionId) await store.sessions.revoke(principal.userId, principal.sessionId, now());
      await auditSelf('auth.logout', principal.userId, client);
    },

    async me(userId: string) {
      const person = await people.get(userId);
      const user = await store.users.byId(userId);
      if (!person || !user) throw notFound();
      return {
        id: person.id,
        email: person.email,
        displayName: person.displayName,
        role: user.role,
        totp: user.totpEnabled,
        createdAt: person.createdAt,
      };
    },

    async listSessions(principal: Principal): Promise<SessionView[]> {
      const key = await keyring.existingDataKey(principal.userId);
      const rows = await store.sessions.active(principal.userId, now());
      return rows
        .filter((r) => r.lastSeenAt + deps.sessionIdleMs > now())
        .map((r) => {
          const client =
            key && r.clientCiphertext
              ? (JSON.parse(decryptField(key, SESSIONS, r.clientCiphertext)) as Partial<ClientInfo>)
              : {};
          return {
            id: r.id,
            current: r.id === principal.sessionId,
            createdAt: r.createdAt,
            lastSeenAt: r.lastSeenAt,
            expiresAt: Math.min(r.expiresAt, r.lastSeenAt + deps.sessionIdleMs),
            userAgent: client.userAgent ?? null,
            ip: client.ip ?? null,
          };
        });
    },

    async revokeSession(principal: Principal, sessionId: string, client: ClientInfo): Promise<void> {
      if (!(await store.sessions.revoke(principal.userId, sessionId, now()))) throw notFound('No such session');
      await auditSelf('session.revoke', principal.userId, client);
    },

    /** Changes the password after re-authentication, ends every other session, and starts a fresh one. */
    async changePassword(principal: Principal, current: string, next: string, client: ClientInfo): Promise<NewSession> {
      await checkPassword(principal.userId, current, client);
      const person = await people.get(principal.userId);
      const problem = passwordProblem(next, { email: person?.email });
      if (problem) throw invalidInput(`newPassword ${problem}`);
      await store.users.setPasswordHash(principal.userId, await hashPassword(next), now());
      await store.sessions.revokeAllExcept(principal.userId, null, now());
      await auditSelf('password.change', principal.userId, client);
      return startSession(principal.userId, client);
    },

    async createToken(
      principal: Principal,
      input: { name: string; scopes: TokenScope[]; expiresInDays?: number; password?: string },
      client: ClientInfo,
    ): Promise<TokenView & { token: string }> {
      if (principal.via !== 'session')
        throw new AppError('auth.forbidden', 'Tokens are created from a signed-in session');
      if (input.scopes.includes('admin')) {
        if (principal.role !== 'admin')
          throw new AppError('auth.forbidden', 'Only administrators can create admin tokens');
        if (!input.password) throw invalidInput('creating an admin token needs your password (password)');
        await checkPassword(principal.userId, input.password, client);
      }
      const at = now();
      const token = newApiToken();
      const id = uuidv7(at, randomBytes(10));
      const expiresAt = input.expiresInDays ? at + input.expiresInDays * 86_400_000 : null;
      const key = await keyring.dataKey(principal.userId);
      await store.apiTokens.insert({
        userId: principal.userId,
        id,
        nameCiphertext: encryptField(key, TOKEN_NAME_FIELD, input.name),
        tokenHash: secretHash(token),
        scopes: input.scopes,
        createdAt: at,
        lastUsedAt: null,
        expiresAt,
        revokedAt: null,
      });
      await auditSelf('token.create', principal.userId, client, { tokenId: id, scopes: input.scopes });
      return { id, name: input.name, scopes: input.scopes, createdAt: at, lastUsedAt: null, expiresAt, token };
    },

    async listTokens(principal: Principal): Promise<TokenView[]> {
      const key = await keyring.existingDataKey(principal.userId);
      if (!key) return [];
      const rows = await store.apiTokens.list(principal.userId);
      return rows.map((r) => ({
        id: r.id,
        name: decryptField(key, TOKEN_NAME_FIELD, r.nameCiphertext),
        scopes: r.scopes.filter((s): s is TokenScope => (TOKEN_SCOPES as readonly string[]).includes(s)),
        createdAt: r.createdAt,
        lastUsedAt: r.lastUsedAt,
        expiresAt: r.expiresAt,
      }));
    },

    async revokeToken(principal: Principal, tokenId: string, client: ClientInfo): Promise<void> {
      if (!(await store.apiTokens.revoke(principal.userId, tokenId, now()))) throw notFound('No such token');
      await auditSelf('token.revoke', principal.userId, client, { tokenId });
    },

    /** Changes the email after re-authentication (password, and code when 2FA is on). */
    async changeEmail(
      principal: Principal,
      input: { password: string; code?: string; email: string },
      client: ClientInfo,
    ): Promise<void> {
      if (principal.via !== 'session')
        throw new AppError('auth.forbidden', 'The email is changed from a signed-in session');
      const user = await checkPassword(principal.userId, input.password, client);
      if (user.totpEnabled) await checkSecondFactor(user, input.code, client);
      if ((await people.changeEmail(principal.userId, input.email)) === 'email_taken') {
        throw new AppError('conflict', 'Another account uses that email');
      }
      await auditSelf('email.change', principal.userId, client);
    },

    /** Deletes the account for good after re-authentication (crypto-shredding). */
    async deleteAccount(
      principal: Principal,
      password: string,
      code: string | undefined,
      client: ClientInfo,
    ): Promise<void> {
      if (principal.via !== 'session')
        throw new AppError('auth.forbidden', 'An account is deleted from a signed-in session');
      const user = await checkPassword(principal.userId, password, client);
      if (user.totpEnabled) await checkSecondFactor(user, code, client);
      await audit({ action: 'account.delete', actorId: principal.userId, subjectId: principal.userId, ip: client.ip });
      await people.delete(principal.userId);
    },
  };
}

export type Accounts = ReturnType<typeof accounts>;
