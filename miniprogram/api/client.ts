import Taro from '@tarojs/taro';
import type { ApiErrorBody, Department, Doctor, Hospital, HospitalSummary, Page } from './types';

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

interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Show the server's message as a toast on failure (default true). */
  toast?: boolean;
}

let authToken: string | undefined;
export const setAuthToken = (token: string | undefined) => {
  authToken = token;
};

function queryString(query?: Query): string {
  if (!query) return '';
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** The one way pages reach the server: JSON, auth header, errors as ApiError with a Chinese message. */
export async function request<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  o: RequestOptions = {},
): Promise<T> {
  let res: Taro.request.SuccessCallbackResult<string | Record<string, unknown>>;
  try {
    res = await Taro.request({
      url: `${API_BASE}/api/v1${path}${queryString(o.query)}`,
      method,
      data: o.body as never,
      header: { 'Content-Type': 'application/json', ...(authToken ? { Authorization: `Bearer ${authToken}` } : {}) },
      timeout: 15000,
    });
  } catch {
    throw fail(new ApiError(0, 'NETWORK_ERROR', '网络连接失败，请检查网络后重试'), o.toast);
  }
  if (res.statusCode >= 200 && res.statusCode < 300) return res.data as T;
  const body = res.data as Partial<ApiErrorBody> | undefined;
  const e = body?.error;
  throw fail(
    new ApiError(res.statusCode, e?.code ?? 'HTTP_ERROR', e?.message ?? '服务暂时不可用，请稍后再试', e?.details),
    o.toast,
  );
}

function fail(error: ApiError, toast = true): ApiError {
  if (toast) void Taro.showToast({ title: error.message, icon: 'none', duration: 3000 });
  return error;
}

export const api = {
  hospitals: {
    list: (q: { q?: string; district?: string; page?: number; pageSize?: number }) =>
      request<Page<HospitalSummary>>('GET', '/hospitals', { query: q }),
    get: (id: string) => request<Hospital>('GET', `/hospitals/${encodeURIComponent(id)}`),
    departments: (id: string) =>
      request<Page<Department>>('GET', `/hospitals/${encodeURIComponent(id)}/departments`, {
        query: { pageSize: 100 },
        toast: false,
      }),
  },
  departments: {
    doctors: (id: string) =>
      request<Page<Doctor>>('GET', `/departments/${encodeURIComponent(id)}/doctors`, {
        query: { pageSize: 100 },
        toast: false,
      }),
  },
};
