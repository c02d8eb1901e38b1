import Taro from '@tarojs/taro';
import type { ApiErrorBody } from './types';
import { acrossTabs, getSession, saveSession } from './session';

/** The H5 site is served by the API server itself; weapp calls the configured origin. */
export const API_BASE = process.env.TARO_ENV === 'h5' ? '' : (process.env.TARO_APP_API_BASE ?? '');

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Query = Record<string, string | number | undefined>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  /** Show the server's message as a toast on failure (default true). */
  toast?: boolean;
}

function queryString(query?: Query): string {
  if (!query) return '';
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

async function send(method: Method, path: string, o: RequestOptions, token = getSession()?.accessToken) {
  try {
    return await Taro.request<string | Record<string, unknown>>({
      url: `${API_BASE}/api/v1${path}${queryString(o.query)}`,
      method,
      data: o.body as never,
      header: {
        'Content-Type': 'application/json',
        ...o.headers,
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      timeout: 15000,
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', '网络连接失败，请检查网络后重试');
  }
}

function toError(res: { statusCode: number; data: unknown }): ApiError {
  const e = (res.data as Partial<ApiErrorBody> | undefined)?.error;
  return new ApiError(res.statusCode, e?.code ?? 'HTTP_ERROR', e?.message ?? '服务暂时不可用，请稍后再试', e?.details);
}

let refreshing: Promise<boolean> | undefined;

/** 401s about the session itself; others (a shared report's ACCESS_CODE_REQUIRED/WRONG) leave the session alone. */
const SESSION_CODES = new Set(['UNAUTHENTICATED', 'TOKEN_INVALID', 'TOKEN_EXPIRED', 'SESSION_REVOKED']);

/**
 * Gets a fresh access token after `expired` was refused, once for all the
 * requests that found it expired. Another tab may have refreshed already:
 * then its new pair is in storage and is used as is. Otherwise one tab at a
 * time (acrossTabs) rotates the refresh token.
 */
function refreshSession(expired: string | undefined): Promise<boolean> {
  refreshing ??= acrossTabs('yl.session.refresh', async () => {
    const session = getSession();
    if (!session) return false;
    if (session.accessToken !== expired) return true; // refreshed by another tab meanwhile
    const res = await send('POST', '/auth/refresh', { body: { refreshToken: session.refreshToken } }, '');
    if (res.statusCode !== 200) {
      // A tab that rotated the token at the same moment wins; only a session that is really gone is forgotten.
      if (getSession()?.refreshToken === session.refreshToken) saveSession(null);
      return getSession() !== null;
    }
    const data = res.data as { accessToken: string; refreshToken: string };
    saveSession({ accessToken: data.accessToken, refreshToken: data.refreshToken });
    return true;
  })
    .catch(() => false)
    .finally(() => {
      refreshing = undefined;
    });
  return refreshing;
}

/** The one way pages reach the server: JSON, auth header and refresh, errors as ApiError with a Chinese message. */
export async function request<T>(method: Method, path: string, o: RequestOptions = {}): Promise<T> {
  try {
    const token = getSession()?.accessToken;
    let res = await send(method, path, o, token);
    if (res.statusCode === 401 && token && !path.startsWith('/auth/')) {
      const code = (res.data as Partial<ApiErrorBody>)?.error?.code;
      if (code === 'TOKEN_EXPIRED' && (await refreshSession(token))) res = await send(method, path, o);
      else if (SESSION_CODES.has(code ?? '') && getSession()?.accessToken === token) saveSession(null); // not if another tab signed in again
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return res.data as T;
    throw toError(res);
  } catch (err) {
    const error = err instanceof ApiError ? err : new ApiError(0, 'CLIENT_ERROR', '请求失败，请稍后重试');
    if (o.toast !== false) void Taro.showToast({ title: error.message, icon: 'none', duration: 3000 });
    throw error;
  }
}
