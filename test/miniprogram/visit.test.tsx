import { render, screen } from '@testing-library/react';
import { Current } from '@tarojs/runtime';
import BillPage from '../../miniprogram/packages/visit/bill/index';
import QueuePage from '../../miniprogram/packages/visit/queue/index';
import { api, ApiError } from '../../miniprogram/api/client';

jest.mock('../../miniprogram/api/client', () => {
  const actual = jest.requireActual('../../miniprogram/api/client');
  return { ...actual, api: { bills: { get: jest.fn() }, visit: { queue: jest.fn() } } };
});

const mocked = api as unknown as { bills: { get: jest.Mock }; visit: { queue: jest.Mock } };

const item = (category: string, name: string, quantity: number, unitPriceFen: number, amountFen: number) => ({
  category,
  name,
  quantity,
  unitPriceFen,
  amountFen,
});

const bill = {
  id: 'bil_1',
  patientId: 'pat_1',
  hospitalId: 'hsp_1',
  hospitalName: '仁和医院',
  code: 'B1',
  visitCode: 'V1',
  visitDate: '2026-12-01',
  department: '心内科',
  status: 'unpaid',
  totalFen: 6160,
  insuranceFen: 3000,
  selfPayFen: 3160,
  itemCount: 2,
  inconsistent: false,
  problems: [],
  items: [item('西药费', '阿司匹林肠溶片', 2, 1830, 3660), item('化验费', '血常规', 1, 2500, 2500)],
  groups: [
    { category: '西药费', amountFen: 3660, items: [item('西药费', '阿司匹林肠溶片', 2, 1830, 3660)] },
    { category: '化验费', amountFen: 2500, items: [item('化验费', '血常规', 1, 2500, 2500)] },
  ],
};

const queue = {
  appointmentId: 'apt_1',
  state: 'waiting',
  room: { code: 'R1', name: '心内科 3 诊室' },
  calling: 12,
  myNumber: 15,
  ahead: 2,
  estimatedWaitMinutes: 12,
  updatedAt: '2026-12-07T09:05:00.000+08:00',
  stale: false,
  near: true,
};

beforeEach(() => {
  jest.clearAllMocks();
  (Current as { router: unknown }).router = { params: { id: 'x' }, path: '/packages/visit/x/index' };
});

describe('bill detail', () => {
  it('shows totals, the insurance split and items grouped by category, as ¥12.30', async () => {
    mocked.bills.get.mockResolvedValue(bill);
    render(<BillPage />);
    expect(await screen.findByText('¥61.60')).toBeTruthy();
    expect(screen.getByText('¥30.00')).toBeTruthy();
    expect(screen.getByText('¥31.60')).toBeTruthy();
    expect(screen.getByText('待缴费')).toBeTruthy();
    expect(screen.getByText('西药费')).toBeTruthy();
    expect(screen.getAllByText('¥36.60')).toHaveLength(2); // the group and its one line
    expect(screen.queryByText('这张账单的金额对不上')).toBeNull();
  });

  it('says what does not add up on an inconsistent bill', async () => {
    mocked.bills.get.mockResolvedValue({
      ...bill,
      inconsistent: true,
      problems: [{ kind: 'total', message: '各项金额合计¥60.60，与总金额¥61.60不符' }],
    });
    render(<BillPage />);
    expect(await screen.findByText('这张账单的金额对不上')).toBeTruthy();
    expect(screen.getByText(/各项金额合计¥60.60，与总金额¥61.60不符/)).toBeTruthy();
  });
});

describe('queue page', () => {
  it('shows my number, the one being called, how many ahead, the estimate and the 即将叫号 banner', async () => {
    mocked.visit.queue.mockResolvedValue(queue);
    render(<QueuePage />);
    expect(await screen.findByText('15')).toBeTruthy();
    expect(screen.getByText('12')).toBeTruthy();
    expect(screen.getByText('心内科 3 诊室')).toBeTruthy();
    expect(screen.getByText(/预计等待约 12 分钟/)).toBeTruthy();
    expect(screen.getByText('即将叫号')).toBeTruthy();
    expect(screen.queryByText('医院系统暂时无法连接')).toBeNull();
  });

  it('says clearly when the hospital cannot be reached', async () => {
    mocked.visit.queue.mockRejectedValue(new ApiError(503, 'HIS_UNAVAILABLE', '仁和医院的医院系统暂时无法连接'));
    render(<QueuePage />);
    expect(await screen.findByText('医院系统暂时无法连接')).toBeTruthy();
    expect(screen.getByText(/暂时无法获取排队信息/)).toBeTruthy();
  });

  it('marks stale figures with their time', async () => {
    mocked.visit.queue.mockResolvedValue({ ...queue, stale: true, near: false });
    render(<QueuePage />);
    expect(await screen.findByText('医院系统暂时无法连接')).toBeTruthy();
    expect(screen.getByText(/以下为 09:05 的排队信息/)).toBeTruthy();
  });
});
