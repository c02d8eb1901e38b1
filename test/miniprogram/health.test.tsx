import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Current } from '@tarojs/runtime';
import ToolsPage from '../../miniprogram/packages/health/tools/index';
import TrendPage from '../../miniprogram/packages/health/trend/index';
import { api } from '../../miniprogram/api/client';

jest.mock('../../miniprogram/api/client', () => {
  const actual = jest.requireActual('../../miniprogram/api/client');
  return { ...actual, api: { health: { summary: jest.fn() } } };
});
const mocked = api as unknown as { health: { summary: jest.Mock } };

/** Types into the n-th number field (the real <input> inside Taro's element, there once it has rendered). */
async function type(n: number, value: string) {
  const input = await waitFor(() => {
    const el = document.querySelectorAll<HTMLInputElement>('input[placeholder="请输入"]')[n];
    if (!el) throw new Error(`no input ${n} yet`);
    return el;
  });
  fireEvent.input(input, { target: { value } });
}

describe('健康工具', () => {
  it('computes BMI, ideal weight, daily energy and waist-to-height ratio from what is typed', async () => {
    render(<ToolsPage />);
    expect(screen.getByText('填写身高和体重后显示')).toBeTruthy();
    fireEvent.click(screen.getByText('男'));
    await type(0, '175'); // 身高
    await type(1, '70'); // 体重
    await type(2, '30'); // 年龄
    await type(3, '88'); // 腰围
    // 70 / 1.75² = 22.86 -> 22.9; 18.5 x 3.0625 = 56.7, 23.9 x 3.0625 = 73.2; BMR 1649 x 1.375 = 2267.4.
    expect(await screen.findByText('BMI 22.9 · 体重正常')).toBeTruthy();
    expect(screen.getByText(/理想体重 56\.7–73\.2 kg/)).toBeTruthy();
    expect(screen.getByText('约 2267 千卡/天')).toBeTruthy();
    // 88 / 175 = 0.503.
    expect(screen.getByText('0.50 · ≥0.5，提示中心型肥胖风险')).toBeTruthy();
  });
});

describe('健康趋势', () => {
  beforeEach(() => {
    (Current as { router: unknown }).router = {
      params: { patientId: 'pat_1' },
      path: '/packages/health/trend/index',
    };
    mocked.health.summary.mockReset();
  });

  it('shows the averages, the share of each guideline class and the trend, and asks again for 7 days', async () => {
    mocked.health.summary.mockResolvedValue({
      patientId: 'pat_1',
      type: 'blood_pressure',
      days: 30,
      from: '2026-11-07T08:00:00.000+08:00',
      to: '2026-12-07T08:00:00.000+08:00',
      count: 10,
      metrics: { systolic: { avg: 142, min: 128, max: 160 }, diastolic: { avg: 91, min: 82, max: 100 } },
      classes: [
        { code: 'grade_1_hypertension', label: '1级高血压（轻度）', level: 'high', count: 6, share: 0.6 },
        { code: 'high_normal', label: '正常高值', level: 'elevated', count: 4, share: 0.4 },
        { code: 'normal', label: '正常血压', level: 'normal', count: 0, share: 0 },
      ],
      trend: { metric: 'systolic', direction: 'rising', change: 8 },
      daily: [
        { date: '2026-12-01', values: { systolic: 136, diastolic: 86 } },
        { date: '2026-12-03', values: { systolic: 150, diastolic: 96 } },
      ],
      bands: [{ metric: 'systolic', label: '收缩压 高血压', low: 140, high: null, level: 'high' }],
      source: '中国高血压防治指南（2018年修订版）',
    });
    render(<TrendPage />);
    expect(await screen.findByText('近30天 10 次记录 · 近期呈上升趋势')).toBeTruthy();
    expect(screen.getByText('142')).toBeTruthy();
    expect(screen.getByText('6 次 · 60%')).toBeTruthy();
    expect(screen.getByText('1级高血压（轻度）')).toBeTruthy();
    expect(screen.queryByText('正常血压')).toBeNull();
    expect(mocked.health.summary).toHaveBeenLastCalledWith({ patientId: 'pat_1', type: 'blood_pressure', days: 30 });
    // One chart per value, from the daily averages, the guideline band drawn on the systolic one.
    const charts = document.querySelectorAll('.trend-chart__image');
    expect(charts).toHaveLength(2);
    const svg = Buffer.from(charts[0].getAttribute('src')!.split(',')[1], 'base64').toString('utf8');
    expect(svg).toContain('&#x9ad8;&#x8840;&#x538b;'); // 高血压, as character references
    fireEvent.click(screen.getByText('7天'));
    expect(mocked.health.summary).toHaveBeenLastCalledWith({ patientId: 'pat_1', type: 'blood_pressure', days: 7 });
  });
});
