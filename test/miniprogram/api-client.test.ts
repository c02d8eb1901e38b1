import Taro from '@tarojs/taro';
import { ApiError, api, request } from '../../miniprogram/api/client';

const requestSpy = jest.spyOn(Taro, 'request');
const toastSpy = jest.spyOn(Taro, 'showToast').mockImplementation(() => Promise.resolve({ errMsg: 'ok' }) as never);

afterEach(() => {
  requestSpy.mockReset();
  toastSpy.mockClear();
});

const answer = (statusCode: number, data: unknown) =>
  requestSpy.mockResolvedValueOnce({ statusCode, data, header: {}, errMsg: 'ok' } as never);

describe('api client', () => {
  it('calls the API under /api/v1 with the query string and returns the body', async () => {
    answer(200, { items: [], total: 0, page: 1, pageSize: 20 });
    const page = await api.hospitals.list({ q: '仁和 医院', district: undefined, page: 2 });
    expect(page.total).toBe(0);
    const call = requestSpy.mock.calls[0][0];
    expect(call.url).toBe(`/api/v1/hospitals?q=${encodeURIComponent('仁和 医院')}&page=2`);
    expect(call.method).toBe('GET');
  });

  it("turns an error answer into ApiError with the server's Chinese message and shows it", async () => {
    answer(503, { error: { code: 'HIS_UNAVAILABLE', message: '某医院的医院系统暂时无法连接，请稍后再试' } });
    const err = await request('GET', '/hospitals/x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 503, code: 'HIS_UNAVAILABLE' });
    expect(toastSpy).toHaveBeenCalledWith(
      expect.objectContaining({ title: '某医院的医院系统暂时无法连接，请稍后再试' }),
    );
  });

  it('maps a network failure to NETWORK_ERROR and can stay quiet', async () => {
    requestSpy.mockRejectedValueOnce(new Error('request:fail'));
    const err = await request('GET', '/hospitals', { toast: false }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 0, code: 'NETWORK_ERROR', message: '网络连接失败，请检查网络后重试' });
    expect(toastSpy).not.toHaveBeenCalled();
  });

  it('falls back to a generic message when the body is not our error shape', async () => {
    answer(502, '<html>Bad gateway</html>');
    const err = await request('GET', '/hospitals', { toast: false }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 502, code: 'HTTP_ERROR', message: '服务暂时不可用，请稍后再试' });
  });
});

describe('session handling', () => {
  const { saveSession, getSession } = jest.requireActual('../../miniprogram/api/session');

  afterEach(() => saveSession(null));

  it('sends the access token and stores new tokens after sign-in', async () => {
    answer(200, { accessToken: 'acc-1', refreshToken: 'ref-1', expiresIn: 900, user: { id: 'usr_1' } });
    await api.auth.signInWithPhone('13800001111', '123456');
    expect(getSession()).toEqual({ accessToken: 'acc-1', refreshToken: 'ref-1' });
    answer(200, { id: 'usr_1' });
    await api.me.get();
    expect(requestSpy.mock.calls[1][0].header).toMatchObject({ Authorization: 'Bearer acc-1' });
  });

  it('refreshes an expired access token once and retries the request', async () => {
    saveSession({ accessToken: 'old', refreshToken: 'ref-old' });
    answer(401, { error: { code: 'TOKEN_EXPIRED', message: '登录已过期' } });
    answer(200, { accessToken: 'new', refreshToken: 'ref-new', expiresIn: 900 });
    answer(200, { items: [], total: 0, page: 1, pageSize: 20 });
    const page = await api.patients.list();
    expect(page.total).toBe(0);
    expect(requestSpy.mock.calls[1][0]).toMatchObject({
      url: '/api/v1/auth/refresh',
      data: { refreshToken: 'ref-old' },
    });
    expect(requestSpy.mock.calls[2][0].header).toMatchObject({ Authorization: 'Bearer new' });
    expect(getSession()).toEqual({ accessToken: 'new', refreshToken: 'ref-new' });
  });

  it('uses the pair another tab already refreshed instead of rotating the refresh token again', async () => {
    saveSession({ accessToken: 'old', refreshToken: 'ref-old' });
    // While this tab's request was out with the old token, another tab refreshed (shared storage).
    requestSpy.mockImplementationOnce((async () => {
      saveSession({ accessToken: 'new', refreshToken: 'ref-new' });
      return { statusCode: 401, data: { error: { code: 'TOKEN_EXPIRED', message: '登录已过期' } }, header: {} };
    }) as never);
    answer(200, { items: [], total: 0, page: 1, pageSize: 20 });
    await api.patients.list();
    expect(requestSpy.mock.calls.map((c) => c[0].url)).toEqual([
      '/api/v1/patients?pageSize=20',
      '/api/v1/patients?pageSize=20',
    ]);
    expect(requestSpy.mock.calls[1][0].header).toMatchObject({ Authorization: 'Bearer new' });
    expect(getSession()).toEqual({ accessToken: 'new', refreshToken: 'ref-new' });
  });

  it('refreshes once for several requests that found the token expired together', async () => {
    saveSession({ accessToken: 'old', refreshToken: 'ref-old' });
    const expired = { statusCode: 401, data: { error: { code: 'TOKEN_EXPIRED', message: '登录已过期' } }, header: {} };
    requestSpy.mockImplementation((async (o: { url: string; header?: Record<string, string> }) => {
      if (o.url === '/api/v1/auth/refresh')
        return {
          statusCode: 200,
          data: { accessToken: 'new', refreshToken: 'ref-new', expiresIn: 900 },
          header: {},
        } as never;
      if (o.header?.Authorization === 'Bearer old') return expired as never;
      return { statusCode: 200, data: { id: 'usr_1' }, header: {} } as never;
    }) as never);
    await Promise.all([api.me.get(), api.me.get(), api.me.get()]);
    expect(requestSpy.mock.calls.filter((c) => c[0].url === '/api/v1/auth/refresh')).toHaveLength(1);
    expect(getSession()).toEqual({ accessToken: 'new', refreshToken: 'ref-new' });
  });

  it('forgets the session when the server says it was revoked', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r' });
    answer(401, { error: { code: 'SESSION_REVOKED', message: '登录已失效，请重新登录' } });
    await expect(api.patients.list()).rejects.toMatchObject({ code: 'SESSION_REVOKED' });
    expect(getSession()).toBeNull();
  });

  it('keeps the session when a shared report asks for its access code, sent in a header', async () => {
    saveSession({ accessToken: 'a', refreshToken: 'r' });
    answer(401, { error: { code: 'ACCESS_CODE_REQUIRED', message: '请输入提取码' } });
    await expect(api.shares.view('tok-1')).rejects.toMatchObject({ status: 401, code: 'ACCESS_CODE_REQUIRED' });
    expect(getSession()).toEqual({ accessToken: 'a', refreshToken: 'r' });
    expect(toastSpy).not.toHaveBeenCalled();
    answer(200, { title: '血常规' });
    await api.shares.view('tok-1', '2468');
    const call = requestSpy.mock.calls[1][0];
    expect(call.url).toBe('/api/v1/shared/tok-1');
    expect(call.header).toMatchObject({ 'X-Access-Code': '2468' });
  });
});
