/** Accounts on the wire: sign-up, log-in (password, code, passkey), log-out, password reset, the instance's state. */
import { api } from './client';
import type { Accepted, LoginBody, Me, PasskeyLoginBody, PasskeyOptions, SignupBody } from './types';

export interface InstanceStatus {
  readonly hasAccounts: boolean;
  readonly signup: 'open' | 'invite' | 'closed';
}

export const authApi = {
  me: () => api.get<Me>('/api/v1/me'),
  instance: () => api.get<InstanceStatus>('/api/v1/auth/instance'),
  signup: (body: SignupBody) => api.post<Accepted>('/api/v1/auth/signup', { body }),
  login: (body: LoginBody) => api.post<Me>('/api/v1/auth/login', { body }),
  logout: () => api.post<null>('/api/v1/auth/logout'),
  passkeyOptions: () => api.post<PasskeyOptions>('/api/v1/auth/passkey/options'),
  passkeyLogin: (body: PasskeyLoginBody) => api.post<Me>('/api/v1/auth/passkey', { body }),
  requestReset: (email: string) => api.post<Accepted>('/api/v1/auth/password-reset', { body: { email } }),
  confirmReset: (token: string, newPassword: string) =>
    api.post<null>('/api/v1/auth/password-reset/confirm', { body: { token, newPassword } }),
};
