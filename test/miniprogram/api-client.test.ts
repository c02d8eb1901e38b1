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
