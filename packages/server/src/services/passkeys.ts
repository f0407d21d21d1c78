/**
 * Passkeys (WebAuthn, via @simplewebauthn/server): register, list, remove,
 * and log in with a passkey alone. Attestation `none`; user verification is
 * preferred at registration and required for a passwordless log-in, where
 * the passkey then stands for both factors (something you have, unlocked by
 * something you know or are). Challenges are stored server-side, single use,
 * valid five minutes, bound to their purpose and person.
 */
import { randomBytes } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { decryptField, encryptField } from '@sundial/crypto';
import { uuidv7 } from '@sundial/core';
import type { Store } from '@sundial/store';
import type { AuditLog } from '../audit/index.js';
import type { ClientInfo, Principal } from '../auth/principal.js';
import { AppError, invalidInput, notFound } from '../errors.js';
import type { Keyring } from '../keys/keyring.js';
import type { People } from './people.js';

const CHALLENGE_TTL_MS = 5 * 60_000;
const NAME = { table: 'passkeys', column: 'name' };

export interface PasskeyView {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}

export interface PasskeyAssertion {
  readonly challengeId: string;
  readonly response: AuthenticationResponseJSON;
}

export interface PasskeysDeps {
  readonly store: Store;
  readonly people: People;
  readonly keyring: Keyring;
  readonly audit: AuditLog['record'];
  /** Where people reach Sundial: its host is the relying party id, its origin the expected origin. */
  readonly publicUrl: string;
  readonly now?: () => number;
}

export function passkeys(deps: PasskeysDeps) {
  const { store, keyring } = deps;
  const now = deps.now ?? Date.now;
  const origin = new URL(deps.publicUrl).origin;
  const rpID = new URL(deps.publicUrl).hostname;
  const refused = () => new AppError('auth.invalid_credentials', 'The passkey was not accepted');

  async function challenge(purpose: 'register' | 'login', userId: string | null, value: string): Promise<string> {
    const id = uuidv7(now(), randomBytes(10));
    await store.passkeys.putChallenge({ id, userId, purpose, challenge: value, expiresAt: now() + CHALLENGE_TTL_MS });
    return id;
  }

  return {
    async registrationOptions(
      principal: Principal,
    ): Promise<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
      const person = await deps.people.get(principal.userId);
      if (!person) throw notFound();
      const existing = await store.passkeys.list(principal.userId);
      const options = await generateRegistrationOptions({
        rpName: 'Sundial',
        rpID,
        userName: person.email,
        userID: Buffer.from(principal.userId, 'utf8'),
        attestationType: 'none',
        excludeCredentials: existing.map((p) => ({
          id: p.id,
          transports: p.transports as AuthenticatorTransportFuture[],
        })),
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      });
      return { challengeId: await challenge('register', principal.userId, options.challenge), options };
    },

    async register(
      principal: Principal,
      input: { challengeId: string; name: string; response: RegistrationResponseJSON },
      client: ClientInfo,
    ): Promise<PasskeyView> {
      const expected = await store.passkeys.takeChallenge(input.challengeId, 'register', principal.userId, now());
      if (!expected) throw invalidInput('The registration has expired or was already used: start again');
      let verification;
      try {
        verification = await verifyRegistrationResponse({
          response: input.response,
          expectedChallenge: expected,
          expectedOrigin: origin,
          expectedRPID: rpID,
          requireUserVerification: false,
        });
      } catch (error) {
        throw invalidInput(
          `The passkey could not be registered: ${error instanceof Error ? error.message : 'invalid response'}`,
        );
      }
      if (!verification.verified) throw invalidInput('The passkey could not be registered');
      const { credential } = verification.registrationInfo;
      const key = await keyring.dataKey(principal.userId);
      const at = now();
      const inserted = await store.passkeys.insert({
        userId: principal.userId,
        id: credential.id,
        publicKey: Buffer.from(credential.publicKey),
        counter: credential.counter,
        transports: credential.transports ?? [],
        nameCiphertext: encryptField(key, NAME, input.name),
        createdAt: at,
        lastUsedAt: null,
      });
      if (!inserted) throw new AppError('conflict', 'This passkey is already registered');
      await deps.audit({
        action: 'mfa.enrol',
        actorId: principal.userId,
        subjectId: principal.userId,
        ip: client.ip,
        details: { method: 'passkey' },
        private: { ...client },
      });
      return { id: credential.id, name: input.name, createdAt: at, lastUsedAt: null };
    },

    async list(principal: Principal): Promise<PasskeyView[]> {
      const key = await keyring.existingDataKey(principal.userId);
      if (!key) return [];
      return (await store.passkeys.list(principal.userId)).map((p) => ({
        id: p.id,
        name: decryptField(key, NAME, p.nameCiphertext),
        createdAt: p.createdAt,
        lastUsedAt: p.lastUsedAt,
      }));
    },

    async remove(principal: Principal, id: string, client: ClientInfo): Promise<void> {
      if (!(await store.passkeys.remove(principal.userId, id))) throw notFound('No such passkey');
      await deps.audit({
        action: 'mfa.disable',
        actorId: principal.userId,
        subjectId: principal.userId,
        ip: client.ip,
        details: { method: 'passkey' },
      });
    },

    async loginOptions(): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
      // No allowCredentials: the authenticator offers its discoverable passkeys, and nothing reveals which accounts exist.
      const options = await generateAuthenticationOptions({ rpID, userVerification: 'required' });
      return { challengeId: await challenge('login', null, options.challenge), options };
    },

    /** Verifies a passwordless log-in; answers the person. User verification is required. */
    verifyLogin(input: PasskeyAssertion): Promise<string> {
      return verifyAssertion(input, { userId: null, requireUserVerification: true });
    },

    /** Verifies a passkey used as the second factor of a password log-in: it must be this person's. */
    async verifySecondFactor(userId: string, input: PasskeyAssertion): Promise<void> {
      await verifyAssertion(input, { userId, requireUserVerification: false });
    },
  };

  async function verifyAssertion(
    input: PasskeyAssertion,
    rule: { userId: string | null; requireUserVerification: boolean },
  ): Promise<string> {
    const expected = await store.passkeys.takeChallenge(input.challengeId, 'login', null, now());
    if (!expected) throw invalidInput('The passkey challenge has expired or was already used: start again');
    const passkey = await store.passkeys.byId(input.response.id);
    if (!passkey || (rule.userId !== null && passkey.userId !== rule.userId)) throw refused();
    let verification;
    try {
      verification = await verifyAuthenticationResponse({
        response: input.response,
        expectedChallenge: expected,
        expectedOrigin: origin,
        expectedRPID: rpID,
        credential: {
          id: passkey.id,
          publicKey: new Uint8Array(passkey.publicKey),
          counter: passkey.counter,
          transports: passkey.transports as AuthenticatorTransportFuture[],
        },
        requireUserVerification: rule.requireUserVerification,
      });
    } catch {
      throw refused();
    }
    if (!verification.verified) throw refused();
    await store.passkeys.used(passkey.userId, passkey.id, verification.authenticationInfo.newCounter, now());
    return passkey.userId;
  }
}

export type Passkeys = ReturnType<typeof passkeys>;
