import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { StaffRole } from '@common/console/roles';
import { ApiError, get, post, setCsrf, whenSignedOut } from './api';
import type { ConsoleSession } from './types';

interface SessionState {
  /** undefined while loading; null when signed out. */
  session: ConsoleSession | null | undefined;
  /** Why the last session ended (timeout, revoked), for the sign-in page. */
  endedBecause: string | null;
  set(session: ConsoleSession | null): void;
  /** Recovery codes just issued at sign-in: the sign-in page shows them before the console opens. */
  recoveryCodes: string[] | null;
  setRecoveryCodes(codes: string[] | null): void;
  logout(): Promise<void>;
}

const Ctx = createContext<SessionState>(null as never);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<ConsoleSession | null | undefined>(undefined);
  const [endedBecause, setEnded] = useState<string | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const set = useCallback((s: ConsoleSession | null) => {
    if (s) {
      setCsrf(s.csrfToken);
      setEnded(null);
    }
    setSession(s);
  }, []);

  useEffect(() => {
    whenSignedOut((err) => {
      // A first visit without a session is no news; a session that ended is.
      if (err.code !== 'UNAUTHENTICATED') setEnded(err.message);
      setSession(null);
    });
    get<ConsoleSession>('/auth/session').then(set, (err: unknown) => {
      if (!(err instanceof ApiError) || err.status !== 401) setEnded((err as Error).message);
      setSession(null);
    });
  }, [set]);

  const logout = useCallback(async () => {
    await post('/auth/logout').catch(() => undefined);
    setSession(null);
  }, []);

  return (
    <Ctx.Provider value={{ session, endedBecause, set, logout, recoveryCodes, setRecoveryCodes }}>
      {children}
    </Ctx.Provider>
  );
}

export const useSession = () => useContext(Ctx);

/** The signed-in staff member (inside the signed-in layout only). */
export function useStaff() {
  const { session } = useSession();
  return session!.staff;
}

export const isAdmin = (role: StaffRole) => role === 'platform_admin' || role === 'hospital_admin';
