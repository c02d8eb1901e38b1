import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { Current } from '@tarojs/runtime';
import ReportList from '../../miniprogram/packages/reports/list/index';
import ReportDetailPage from '../../miniprogram/packages/reports/detail/index';
import SharesPage from '../../miniprogram/packages/reports/shares/index';
import { SharedView } from '../../miniprogram/packages/reports/shared-view';
import { tokenFromFragment } from '../../miniprogram/pages/shared/index';
import { api } from '../../miniprogram/api/client';

jest.mock('../../miniprogram/api/session', () => ({
  ...jest.requireActual('../../miniprogram/api/session'),
  isSignedIn: () => true,
}));
jest.mock('../../miniprogram/api/client', () => {
  const actual = jest.requireActual('../../miniprogram/api/client');
  return {
    ...actual,
    api: {
      patients: { list: jest.fn() },
      hospitals: { get: jest.fn() },
      reports: { list: jest.fn(), get: jest.fn(), observations: jest.fn(), share: jest.fn(), shares: jest.fn() },
      shares: { list: jest.fn(), revoke: jest.fn(), view: jest.fn() },
    },
  };
});

const m = api as unknown as {
  patients: { list: jest.Mock };
  hospitals: { get: jest.Mock };
  reports: Record<'list' | 'get' | 'observations' | 'share' | 'shares', jest.Mock>;
  shares: Record<'list' | 'revoke' | 'view', jest.Mock>;
};
const { ApiError } = jest.requireActual('../../miniprogram/api/client');

/** The real <input> inside Taro's input element (there once the element has rendered itself). */
const input = (placeholder: string) =>
  waitFor(() => {
    const el = document.querySelector<HTMLInputElement>(`input[placeholder="${placeholder}"]`);
    if (!el) throw new Error(`no input "${placeholder}" yet`);
    return el;
  });

const summary = (i: number, patch: object = {}) => ({
  id: `rpt_${i}`,
  patientId: 'pat_1',
  hospitalId: 'hsp_1',
  hospitalName: '仁和医院',
  type: 'lab',
  title: `血常规${i}`,
  // 17:30 UTC is the next morning in Shanghai.
  reportedAt: '2026-11-19T17:30:00.000Z',
  abnormalCount: 0,
  criticalCount: 0,
  amended: false,
  ...patch,
});
const page = (items: object[], patch: object = {}) => ({
  items,
  total: items.length,
  page: 1,
  pageSize: 20,
  unavailableHospitalIds: [],
  ...patch,
});
const range = (low: number, high: number) => ({ low, high, text: null, source: 'hospital' });
const item = (code: string, name: string, value: string, flag: string | null, patch: object = {}) => ({
  code,
  name,
  value,
  unit: 'mmol/L',
  referenceRange: range(3.9, 6.1),
  flag,
  critical: false,
  analyte: code,
  ...patch,
});
const detail = {
  id: 'rpt_1',
  patient: { id: 'pat_1', name: '王*国', sex: 'male', age: 46, idNumber: '110***********1234' },
  hospital: { id: 'hsp_1', name: '仁和医院' },
  type: 'lab',
  title: '生化检验',
  status: 'amended',
  amended: true,
  reportedAt: '2026-11-20T01:30:00.000Z',
  department: '内科',
  orderedBy: '陈明',
  specimen: '血清',
  summary: { total: 4, high: 1, low: 1, critical: 1, abnormal: 3, text: '共 4 项，1 项偏高，1 项偏低，1 项危急值' },
  items: [
    item('GLU', '葡萄糖', '5.0', 'N'),
    item('TG', '甘油三酯', '2.9', 'H', {
      referenceRange: range(0.45, 1.7),
      explanation: { what: '血液中的一种脂肪。', reasons: '饮食油腻、饮酒。', next: '少油饮食，复查血脂。' },
    }),
    item('K', '钾', '2.4', 'LL', { critical: true, referenceRange: range(3.5, 5.3) }),
    item('ALB', '白蛋白', '30', 'L', { unit: 'g/L', referenceRange: range(40, 55) }),
  ],
  findings: null,
  impression: null,
  advice: '请立即联系医院或就近就医。',
  disclaimer: '本解读仅供参考，不构成医疗建议。',
  fetchedAt: null,
};

beforeEach(() => {
  for (const group of Object.values(m)) for (const fn of Object.values(group)) fn.mockReset();
  m.patients.list.mockResolvedValue({
    items: [
      { id: 'pat_1', name: '王建国' },
      { id: 'pat_2', name: '王小明' },
    ],
    total: 2,
  });
});

describe('report list', () => {
  beforeEach(() => {
    (Current as { router: unknown }).router = { params: {}, path: '/packages/reports/list/index' };
  });

  it('shows each report with its hospital, Shanghai date and badges in words, and names unreachable hospitals', async () => {
    m.reports.list
      .mockResolvedValueOnce(
        page(
          [
            summary(1, { abnormalCount: 3, criticalCount: 1, amended: true }),
            summary(2, { hospitalId: 'hsp_2', hospitalName: '华山医院' }),
          ],
          { unavailableHospitalIds: ['hsp_2', 'hsp_9'] },
        ),
      )
      .mockResolvedValue(page([summary(3, { type: 'exam', title: '胸部CT' })]));
    m.hospitals.get.mockResolvedValue({ id: 'hsp_9', name: '瑞金医院' });
    render(<ReportList />);
    const card = (await screen.findByText('血常规1')).closest('.reports__item') as HTMLElement;
    expect(within(card).getByText('异常 3')).toBeTruthy();
    expect(within(card).getByText('危急值 1')).toBeTruthy();
    expect(within(card).getByText('已更正')).toBeTruthy();
    expect(within(card).getByText('2026年11月20日')).toBeTruthy();
    expect(within(card).getByText('仁和医院')).toBeTruthy();
    const other = screen.getByText('血常规2').closest('.reports__item') as HTMLElement;
    expect(within(other).getByText('未见异常')).toBeTruthy();
    expect(await screen.findByText(/华山医院、瑞金医院暂时无法连接/)).toBeTruthy();
    expect(m.hospitals.get).toHaveBeenCalledTimes(1);
    expect(m.reports.list).toHaveBeenCalledWith({ patientId: 'pat_1', page: 1, pageSize: 20 });

    fireEvent.click(screen.getByText('检查报告'));
    expect(await screen.findByText('胸部CT')).toBeTruthy();
    expect(m.reports.list).toHaveBeenLastCalledWith(
      expect.objectContaining({ patientId: 'pat_1', type: 'exam', page: 1 }),
    );
    fireEvent.click(screen.getByText('王小明'));
    await waitFor(() =>
      expect(m.reports.list).toHaveBeenLastCalledWith(expect.objectContaining({ patientId: 'pat_2', type: 'exam' })),
    );
    fireEvent.click(screen.getByText('华山医院'));
    await waitFor(() =>
      expect(m.reports.list).toHaveBeenLastCalledWith(
        expect.objectContaining({ patientId: 'pat_2', hospitalId: 'hsp_2' }),
      ),
    );
  });

  it('loads the next page on request and appends it', async () => {
    const first = Array.from({ length: 20 }, (_, i) => summary(i + 1));
    m.reports.list
      .mockResolvedValueOnce(page(first, { total: 22 }))
      .mockResolvedValueOnce(page([summary(21), summary(22)], { total: 22, page: 2 }));
    render(<ReportList />);
    fireEvent.click(await screen.findByText('加载更多（已显示 20 / 22 份）'));
    expect(await screen.findByText('血常规22')).toBeTruthy();
    expect(screen.getByText('血常规1')).toBeTruthy();
    expect(m.reports.list).toHaveBeenLastCalledWith(expect.objectContaining({ page: 2 }));
    expect(screen.getByText('已显示全部报告')).toBeTruthy();
    expect(screen.queryByText(/加载更多/)).toBeNull();
  });

  it('says when there are no reports, and offers the consent page when consent is missing', async () => {
    m.reports.list.mockResolvedValueOnce(page([]));
    const { unmount } = render(<ReportList />);
    expect(await screen.findByText('暂时没有报告。报告出来后会显示在这里。')).toBeTruthy();
    unmount();
    m.reports.list.mockRejectedValueOnce(new ApiError(403, 'CONSENT_REQUIRED', '请先同意健康数据授权'));
    render(<ReportList />);
    expect(await screen.findByText('前往隐私与授权')).toBeTruthy();
  });

  it('shows the error with a retry that loads again', async () => {
    m.reports.list
      .mockRejectedValueOnce(new ApiError(0, 'NETWORK_ERROR', '网络连接失败，请检查网络后重试'))
      .mockResolvedValueOnce(page([summary(5)]));
    render(<ReportList />);
    fireEvent.click(await screen.findByText('重新加载'));
    expect(await screen.findByText('血常规5')).toBeTruthy();
  });
});

describe('report detail', () => {
  beforeEach(() => {
    (Current as { router: unknown }).router = { params: { id: 'rpt_1' }, path: '/packages/reports/detail/index' };
  });

  it('puts the summary on top, critical values first, and flags in words with arrows', async () => {
    m.reports.get.mockResolvedValue(detail);
    render(<ReportDetailPage />);
    expect(await screen.findByText('共 4 项，1 项偏高，1 项偏低，1 项危急值')).toBeTruthy();
    expect(screen.getByText('有 1 项危急值')).toBeTruthy();
    expect(screen.getByText('医院已更正此报告，以下为更正后的结果。')).toBeTruthy();
    const names = Array.from(document.querySelectorAll('.report-item__name'), (n) => n.textContent);
    expect(names).toEqual(['钾', '甘油三酯', '白蛋白', '葡萄糖']);
    const row = (name: string) => screen.getByText(name).closest('.report-item') as HTMLElement;
    expect(row('钾').className).toContain('is-critical');
    expect(within(row('钾')).getByText('↓↓ 危急')).toBeTruthy();
    expect(within(row('甘油三酯')).getByText('↑ 偏高')).toBeTruthy();
    expect(within(row('甘油三酯')).getByText('参考范围 0.45-1.7')).toBeTruthy();
    expect(within(row('白蛋白')).getByText('↓ 偏低')).toBeTruthy();
    expect(row('葡萄糖').querySelector('.report-flag')).toBeNull();
    expect(screen.getByText('本解读仅供参考，不构成医疗建议。')).toBeTruthy();
  });

  it('opens an item with its explanation and its trend chart', async () => {
    m.reports.get.mockResolvedValue(detail);
    m.reports.observations.mockResolvedValue({
      code: 'TG',
      name: '甘油三酯',
      unit: 'mmol/L',
      points: [
        { reportId: 'r0', reportedAt: '2026-05-01T01:00:00.000Z', value: 1.5, text: '1.5', flag: 'N', hospitalId: 'h' },
        {
          reportId: 'rpt_1',
          reportedAt: '2026-11-20T01:30:00.000Z',
          value: 2.9,
          text: '2.9',
          flag: 'H',
          hospitalId: 'h',
        },
      ],
      referenceRange: { low: 0.45, high: 1.7 },
      omittedOtherUnits: 0,
      direction: 'rising',
    });
    render(<ReportDetailPage />);
    fireEvent.click(await screen.findByText('甘油三酯'));
    expect(await screen.findByText('少油饮食，复查血脂。')).toBeTruthy();
    expect(await screen.findByText(/高于参考范围 0.45-1.7/)).toBeTruthy();
    expect(m.reports.observations).toHaveBeenCalledWith('pat_1', { code: 'TG' });
    const img = document.querySelector('.trend-chart__image');
    expect(img?.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
  });

  it('creates a share with the chosen expiry and code, and shows the link to copy', async () => {
    m.reports.get.mockResolvedValue(detail);
    m.reports.share.mockResolvedValue({
      id: 'shr_1',
      token: 'tok',
      url: 'http://h5.test/pages/shared/index#t=tok',
      expiresAt: '2026-11-27T01:30:00.000Z',
      hasAccessCode: true,
    });
    render(<ReportDetailPage />);
    fireEvent.click(await screen.findByText('分享给家人'));
    fireEvent.click(await screen.findByText('7 天'));
    const field = await input('4-6位数字，家人查看时需输入');
    fireEvent.input(field, { target: { value: '12' } });
    expect(await screen.findByText('提取码应为4-6位数字')).toBeTruthy();
    fireEvent.input(field, { target: { value: '1234' } });
    fireEvent.click(screen.getByText('生成分享链接'));
    expect(await screen.findByText('http://h5.test/pages/shared/index#t=tok')).toBeTruthy();
    expect(m.reports.share).toHaveBeenCalledWith('rpt_1', { expiresInHours: 168, accessCode: '1234' });
    expect(screen.getByText('复制链接')).toBeTruthy();
  });
});

describe('my shares', () => {
  it('shows views and revokes after confirmation', async () => {
    (Current as { router: unknown }).router = { params: {}, path: '/packages/reports/shares/index' };
    const share = {
      id: 'shr_1',
      reportId: 'rpt_1',
      reportTitle: '生化检验',
      patientName: '王*国',
      hospitalName: '仁和医院',
      status: 'active',
      hasAccessCode: true,
      expiresAt: '2026-11-23T01:30:00.000Z',
      revokedAt: null,
      createdAt: '2026-11-20T01:30:00.000Z',
      viewCount: 2,
      lastViewedAt: '2026-11-20T02:00:00.000Z',
      recentViews: [{ viewedAt: '2026-11-20T02:00:00.000Z', ip: '203.0.113.0/24', browser: 'wechat' }],
    };
    m.shares.list.mockResolvedValueOnce({ items: [share], total: 1, page: 1, pageSize: 20 });
    m.shares.list.mockResolvedValueOnce({
      items: [{ ...share, status: 'revoked', revokedAt: share.lastViewedAt }],
      total: 1,
      page: 1,
      pageSize: 20,
    });
    m.shares.revoke.mockResolvedValue(undefined);
    render(<SharesPage />);
    expect(await screen.findByText('查看 2 次')).toBeTruthy();
    expect(screen.getByText('最近查看 2026年11月20日 10:00')).toBeTruthy();
    expect(screen.getByText('有效期至 2026年11月23日 09:30')).toBeTruthy();
    fireEvent.click(screen.getByText('撤销分享'));
    fireEvent.click(await screen.findByText('确认撤销'));
    expect(await screen.findByText('已撤销')).toBeTruthy();
    expect(m.shares.revoke).toHaveBeenCalledWith('shr_1');
  });
});

describe('shared view', () => {
  it('reads the token from the fragment', () => {
    expect(tokenFromFragment('#t=abc_-1')).toBe('abc_-1');
    expect(tokenFromFragment('')).toBe('');
  });

  it('asks for the code, sends it, and shows the masked report', async () => {
    const { id: _id, patient, hospital, fetchedAt: _f, ...body } = detail;
    m.shares.view
      .mockRejectedValueOnce(new ApiError(401, 'ACCESS_CODE_REQUIRED', '请输入提取码'))
      .mockRejectedValueOnce(new ApiError(401, 'ACCESS_CODE_WRONG', '提取码错误，还可尝试4次'))
      .mockResolvedValueOnce({
        ...body,
        patient: { name: patient.name, sex: patient.sex, age: patient.age },
        hospital: { name: hospital.name },
        expiresAt: '2026-11-23T01:30:00.000Z',
      });
    render(<SharedView token='tok' />);
    const field = await input('4-6位数字');
    fireEvent.input(field, { target: { value: '0000' } });
    fireEvent.click(screen.getByText('查看报告'));
    expect(await screen.findByText('提取码错误，还可尝试4次')).toBeTruthy();
    fireEvent.input(field, { target: { value: '1234' } });
    fireEvent.click(screen.getByText('查看报告'));
    expect(await screen.findByText(/王\*国（男，46岁）/)).toBeTruthy();
    expect(m.shares.view).toHaveBeenNthCalledWith(1, 'tok', undefined);
    expect(m.shares.view).toHaveBeenLastCalledWith('tok', '1234');
    expect(screen.queryByText(/110\*/)).toBeNull();
  });

  it('says the link no longer works on 404, and that it is locked on 423', async () => {
    m.shares.view.mockRejectedValueOnce(new ApiError(404, 'SHARE_UNAVAILABLE', '链接已失效'));
    const { unmount } = render(<SharedView token='gone' />);
    expect(await screen.findByText('链接已失效')).toBeTruthy();
    expect(screen.getByText('打开医联云健康首页')).toBeTruthy();
    unmount();
    m.shares.view.mockRejectedValueOnce(new ApiError(423, 'SHARE_LOCKED', '提取码错误次数过多，请15分钟后再试'));
    render(<SharedView token='locked' />);
    expect(await screen.findByText('提取码错误次数过多，请15分钟后再试')).toBeTruthy();
  });
});
