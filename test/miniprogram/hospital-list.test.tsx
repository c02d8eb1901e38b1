import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Current } from '@tarojs/runtime';
import HospitalList from '../../miniprogram/pages/hospital-list/index';
import { api } from '../../miniprogram/api/client';

jest.mock('../../miniprogram/api/client', () => {
  const actual = jest.requireActual('../../miniprogram/api/client');
  return { ...actual, api: { hospitals: { list: jest.fn() } } };
});

const list = api.hospitals.list as jest.Mock;
const hospital = (i: number, district = '徐汇区') => ({
  id: `hsp_${i}`,
  name: `上海测试${i}医院`,
  level: 'tertiary_a' as const,
  district,
  address: `上海市${district}某路${i}号`,
});

beforeEach(() => {
  (Current as { router: unknown }).router = { params: {}, path: '/pages/hospital-list/index' };
  list.mockReset();
});

describe('hospital list page', () => {
  it('shows the hospitals with their level and address', async () => {
    list.mockResolvedValue({ items: [hospital(1), hospital(2)], total: 2, page: 1, pageSize: 20 });
    render(<HospitalList />);
    expect(await screen.findByText('上海测试1医院')).toBeTruthy();
    expect(screen.getByText('共 2 家医院')).toBeTruthy();
    expect(screen.getAllByText('三级甲等')).toHaveLength(2);
    expect(list).toHaveBeenCalledWith({ q: '', district: undefined, page: 1, pageSize: 20 });
  });

  it('filters by district when a district is tapped', async () => {
    list.mockResolvedValue({ items: [hospital(1)], total: 1, page: 1, pageSize: 20 });
    render(<HospitalList />);
    await screen.findByText('上海测试1医院');
    fireEvent.click(screen.getByText('浦东新区'));
    await waitFor(() =>
      expect(list).toHaveBeenLastCalledWith(expect.objectContaining({ district: '浦东新区', page: 1 })),
    );
  });

  it('says so when nothing matches', async () => {
    list.mockResolvedValue({ items: [], total: 0, page: 1, pageSize: 20 });
    render(<HospitalList />);
    expect(await screen.findByText('没有找到相关医院，换个关键词试试')).toBeTruthy();
  });

  it('shows the error with a retry button that loads again', async () => {
    const { ApiError } = jest.requireActual('../../miniprogram/api/client');
    list.mockRejectedValueOnce(new ApiError(0, 'NETWORK_ERROR', '网络连接失败，请检查网络后重试'));
    list.mockResolvedValueOnce({ items: [hospital(3)], total: 1, page: 1, pageSize: 20 });
    render(<HospitalList />);
    expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeTruthy();
    fireEvent.click(screen.getByText('重新加载'));
    expect(await screen.findByText('上海测试3医院')).toBeTruthy();
  });
});
