/**
 * Shared by the passkey tests: an app whose public URL is
 * https://sundial.example (so the relying party id is `sundial.example`),
 * people who sign up and log in over HTTP, and the two WebAuthn ceremonies
 * driven through the API by a SoftAuthenticator.
 */
import type { LightMyRequestResponse } from 'fastify';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import type { DatabaseKind } from '@sundial/store';
import { createTestApp, type TestApp } from '../helpers.js';
import type { SoftAuthenticator } from './soft-authenticator.js';

export const ORIGIN = 'https://sundial.example';
export const PASSWORD = 'a long unusual passphrase';

export type Reply = LightMyRequestResponse;

export interface Member {
  readonly id: string;
  readonly email: string;
  /** `sundial_session=…`, ready for a Cookie header. */
  readonly cookie: string;
}

export function passkeyApp(kind: DatabaseKind, now?: () => number): Promise<TestApp> {
  return createTestApp({ kind, now, env: { SUNDIAL_PUBLIC_URL: ORIGIN } });
}

/** The `name=value` part of the answer's session cookie, or null. */
export function cookieOf(res: Reply): string | null {
  const header = res.headers['set-cookie'];
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header];
  const line = lines.find((l) => l.startsWith('sundial_session='));
  return line === undefined ? null : (line.split(';')[0] ?? null);
}

/** Signs up and logs in with a password; fails loudly when either step does not. */
export async function member(t: TestApp, label: string): Promise<Member> {
  const email = `${label}-${Math.random().toString(36).slice(2, 10)}@example.org`;
  const signup = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/signup',
    payload: { email, password: PASSWORD },
  });
  if (signup.statusCode !== 202) throw new Error(`sign-up answered ${signup.statusCode}: ${signup.body}`);
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password: PASSWORD },
  });
  const cookie = cookieOf(login);
  const id: unknown = login.json<{ id?: unknown }>().id;
  if (login.statusCode !== 200 || cookie === null || typeof id !== 'string')
    throw new Error(`log-in answered ${login.statusCode}: ${login.body}`);
  return { id, email, cookie };
}

export function as(
  t: TestApp,
  cookie: string | null,
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  payload?: object,
) {
  return t.app.inject({
    method,
    url,
    ...(cookie === null ? {} : { headers: { cookie } }),
    ...(payload === undefined ? {} : { payload }),
  });
}

export async function registrationOptions(
  t: TestApp,
  cookie: string,
): Promise<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }> {
  const res = await as(t, cookie, 'POST', '/api/v1/me/passkeys/options');
  if (res.statusCode !== 200) throw new Error(`registration options answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

export async function loginOptions(
  t: TestApp,
): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const res = await as(t, null, 'POST', '/api/v1/auth/passkey/options');
  if (res.statusCode !== 200) throw new Error(`log-in options answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

/** The whole registration ceremony; answers the final reply. */
export async function register(
  t: TestApp,
  who: Member,
  authenticator: SoftAuthenticator,
  opts: { name?: string; origin?: string; userVerified?: boolean } = {},
): Promise<Reply> {
  const { challengeId, options } = await registrationOptions(t, who.cookie);
  const response = authenticator.create(options, { origin: opts.origin ?? ORIGIN, userVerified: opts.userVerified });
  return as(t, who.cookie, 'POST', '/api/v1/me/passkeys', { challengeId, name: opts.name ?? 'Laptop', response });
}

/** Registers and insists on 201. */
export async function registered(t: TestApp, who: Member, authenticator: SoftAuthenticator): Promise<void> {
  const res = await register(t, who, authenticator);
  if (res.statusCode !== 201) throw new Error(`registration answered ${res.statusCode}: ${res.body}`);
}

/** The whole passwordless log-in ceremony; answers the final reply. */
export async function passkeyLogin(
  t: TestApp,
  authenticator: SoftAuthenticator,
  opts: { origin?: string; userVerified?: boolean; counter?: number } = {},
): Promise<Reply> {
  const { challengeId, options } = await loginOptions(t);
  const response = authenticator.get(options, { ...opts, origin: opts.origin ?? ORIGIN });
  return as(t, null, 'POST', '/api/v1/auth/passkey', { challengeId, response });
}
