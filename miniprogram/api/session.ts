import Taro from '@tarojs/taro';

/** Tokens kept on the device; the refresh token is the only long-lived secret here. */
export interface StoredSession {
  accessToken: string;
  refreshToken: string;
}

const KEY = 'yl.session';

/**
 * Read from storage every time, never from a copy in memory: on H5 several
 * tabs share one localStorage, and a tab that rotated the refresh token
 * leaves the new pair there for the others (a stale copy would present the
 * rotated token and end the session for every tab).
 */
export function getSession(): StoredSession | null {
  try {
    return (Taro.getStorageSync(KEY) as StoredSession) || null;
  } catch {
    return null;
  }
}

export function saveSession(session: StoredSession | null): void {
  if (session) Taro.setStorageSync(KEY, session);
  else Taro.removeStorageSync(KEY);
}

export const isSignedIn = () => Boolean(getSession());

interface LockManager {
  request<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * Runs `fn` while holding a lock shared by every tab of the site (the Web
 * Locks API), so only one tab refreshes at a time; in weapp (one page stack)
 * and where the API is missing, the caller's in-process guard is enough.
 */
export function acrossTabs<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  return process.env.TARO_ENV === 'h5' && locks ? locks.request(name, fn) : fn();
}
