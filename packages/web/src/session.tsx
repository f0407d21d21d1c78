/**
 * Who is signed in. Loaded once from `GET /api/v1/me`; pages call
 * `refresh()` after logging in and `logout()` to end the session. A 401 from
 * any later call is handled by the page that made it (it shows the log-in
 * link); the shell only needs to know whether someone is here.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError } from './api/client';
import { authApi } from './api/auth';
import type { Me } from './api/types';

export type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'anonymous' }
  | { readonly status: 'signed-in'; readonly me: Me }
  | { readonly status: 'error'; readonly message: string };

interface SessionValue {
  readonly state: SessionState;
  readonly refresh: () => Promise<void>;
  readonly signedIn: (me: Me) => void;
  readonly logout: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

export function SessionProvider({ children }: { readonly children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(async () => {
    try {
      setState({ status: 'signed-in', me: await authApi.me() });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setState({ status: 'anonymous' });
      else setState({ status: 'error', message: error instanceof Error ? error.message : 'Could not load' });
    }
  }, []);

  const logout = useCallback(async () => {
    try {
      await authApi.logout();
    } finally {
      setState({ status: 'anonymous' });
    }
  }, []);

  const signedIn = useCallback((me: Me) => setState({ status: 'signed-in', me }), []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const value = useMemo(() => ({ state, refresh, signedIn, logout }), [state, refresh, signedIn, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in person; only for pages behind the `auth: 'session'` routes. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe on a page that does not require a session');
  return state.me;
}
