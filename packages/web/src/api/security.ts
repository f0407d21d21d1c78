/** Two-factor sign-in, passkeys, sessions, API tokens, password and email, the security log. */
import type { Static } from 'typebox';
import type * as C from '@sundial/contracts';
import { api } from './client';
import type { CredentialJson } from './webauthn';

export type Session = Static<typeof C.SessionsResponse>['sessions'][number];
export type Token = Static<typeof C.TokensResponse>['tokens'][number];
export type TokenInput = Static<typeof C.TokenCreateBody>;
export type CreatedToken = Static<typeof C.TokenCreatedResponse>;
export type Passkey = Static<typeof C.PasskeyView>;
export type SecurityLogEntry = Static<typeof C.SecurityLogResponse>['entries'][number];
export type TotpEnrolment = Static<typeof C.TotpEnrolResponse>;

/** Password, plus a code when two-factor sign-in is on. */
export interface Reauth {
  readonly password: string;
  readonly code?: string;
}

const one = (path: string, id: string) => `${path}/${encodeURIComponent(id)}`;

export const securityApi = {
  startTotp: () => api.post<TotpEnrolment>('/api/v1/me/totp'),
  confirmTotp: (code: string) =>
    api.post<Static<typeof C.RecoveryCodesResponse>>('/api/v1/me/totp/confirm', { body: { code } }),
  disableTotp: (body: Reauth) => api.delete<null>('/api/v1/me/totp', { body }),
  passkeys: async (signal?: AbortSignal) =>
    (await api.get<Static<typeof C.PasskeysResponse>>('/api/v1/me/passkeys', { signal })).passkeys,
  passkeyOptions: () => api.post<Static<typeof C.PasskeyOptionsResponse>>('/api/v1/me/passkeys/options'),
  registerPasskey: (body: { challengeId: string; name: string; response: CredentialJson }) =>
    api.post<Passkey>('/api/v1/me/passkeys', { body }),
  removePasskey: (id: string) => api.delete<null>(one('/api/v1/me/passkeys', id)),
  sessions: async (signal?: AbortSignal) =>
    (await api.get<Static<typeof C.SessionsResponse>>('/api/v1/me/sessions', { signal })).sessions,
  endSession: (id: string) => api.delete<null>(one('/api/v1/me/sessions', id)),
  tokens: async (signal?: AbortSignal) =>
    (await api.get<Static<typeof C.TokensResponse>>('/api/v1/tokens', { signal })).tokens,
  createToken: (body: TokenInput) => api.post<CreatedToken>('/api/v1/tokens', { body }),
  revokeToken: (id: string) => api.delete<null>(one('/api/v1/tokens', id)),
  changePassword: (currentPassword: string, newPassword: string) =>
    api.post<null>('/api/v1/me/password', { body: { currentPassword, newPassword } }),
  changeEmail: (email: string, reauth: Reauth) => api.post<null>('/api/v1/me/email', { body: { email, ...reauth } }),
  securityLog: async (before?: number, signal?: AbortSignal) =>
    (
      await api.get<Static<typeof C.SecurityLogResponse>>('/api/v1/me/security-log', {
        query: { limit: 50, before },
        signal,
      })
    ).entries,
};
