/** The console's one way to the server: `/api/console/v1`, the session cookie, and the CSRF header on writes. */
export const API = '/api/console/v1';

export interface FieldProblem {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
  }
}

let csrfToken = '';
export const setCsrf = (token: string) => {
  csrfToken = token;
};

/** Called when the server says the session is gone (401): the app goes back to sign-in. */
let onSignedOut: (err: ApiError) => void = () => {};
export const whenSignedOut = (fn: (err: ApiError) => void) => {
  onSignedOut = fn;
};

export async function api<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(API + path, {
      method,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(method === 'GET' ? {} : { 'X-CSRF-Token': csrfToken }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', '网络连接失败，请检查网络后重试');
  }
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const e = data?.error ?? {};
    const err = new ApiError(res.status, e.code ?? 'ERROR', e.message ?? '请求失败，请稍后重试', e.details?.fields);
    const signedOut = ['UNAUTHENTICATED', 'SESSION_EXPIRED', 'SESSION_REVOKED', 'ACCOUNT_DISABLED'];
    if (res.status === 401 && signedOut.includes(err.code)) onSignedOut(err);
    throw err;
  }
  return data as T;
}

export const get = <T>(path: string, query?: Record<string, string | number | undefined | null>) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {}))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return api<T>('GET', qs ? `${path}?${qs}` : path);
};
export const post = <T>(path: string, body: unknown = undefined) => api<T>('POST', path, body);
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);
