import Taro from '@tarojs/taro';

/** Tokens kept on the device; the refresh token is the only long-lived secret here. */
export interface StoredSession {
  accessToken: string;
  refreshToken: string;
}

const KEY = 'yl.session';
let cached: StoredSession | null | undefined;

export function getSession(): StoredSession | null {
  if (cached === undefined) {
    try {
      cached = (Taro.getStorageSync(KEY) as StoredSession) || null;
    } catch {
      cached = null;
    }
  }
  return cached;
}

export function saveSession(session: StoredSession | null): void {
  cached = session;
  if (session) Taro.setStorageSync(KEY, session);
  else Taro.removeStorageSync(KEY);
}

export const isSignedIn = () => Boolean(getSession());
