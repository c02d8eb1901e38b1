import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Current } from '@tarojs/runtime';
import TriageCheck from '../../miniprogram/packages/triage/check/index';
import TriageBook from '../../miniprogram/packages/triage/book/index';
import { api } from '../../miniprogram/api/client';

jest.mock('../../miniprogram/api/client', () => {
  const actual = jest.requireActual('../../miniprogram/api/client');
  return {
    ...actual,
    api: {
      triage: { knowledge: jest.fn(), assess: jest.fn(), department: jest.fn() },
      hospitals: { list: jest.fn() },
    },
  };
});

const triage = api.triage as unknown as Record<'knowledge' | 'assess' | 'department', jest.Mock>;
const knowledge = {
  areas: [
    { code: 'chest', name: '胸部' },
    { code: 'urogenital', name: '泌尿与生殖' },
  ],
  symptoms: [
    { code: 'chest_pain', name: '胸痛', area: 'chest' },
    { code: 'urinary', name: '尿频尿急尿痛', area: 'urogenital' },
    { code: 'vaginal_bleeding', name: '阴道出血', area: 'urogenital', sex: 'female' },
  ],
  departments: ['急诊科', '心血管内科'],
  reviewed: false,
  disclaimer: '智能分诊仅根据您描述的症状推荐就诊科室，不作诊断，不能替代医生面诊。',
};

/** Fills in who: age and sex, then goes on to the body areas. */
async function who(age: string, sex: '男' | '女') {
  render(<TriageCheck />);
  // The real <input> inside Taro's input element, once it has rendered itself.
  const input = await waitFor(() => {
    const el = document.querySelector<HTMLInputElement>('input[placeholder="请输入年龄"]');
    if (!el) throw new Error('no age input yet');
    return el;
  });
  fireEvent.input(input, { target: { value: age } });
  fireEvent.click(screen.getByText(sex));
  fireEvent.click(screen.getByText('下一步'));
  await screen.findByText('哪里不舒服？');
}

beforeEach(() => {
  (Current as { router: unknown }).router = { params: {}, path: '/packages/triage/check/index' };
  for (const m of Object.values(triage)) m.mockReset();
  triage.knowledge.mockResolvedValue(knowledge);
});

describe('智能分诊 page', () => {
  it('offers only the symptoms that can apply to the person (no 阴道出血 for a man)', async () => {
    await who('40', '男');
    fireEvent.click(screen.getByText('泌尿与生殖'));
    expect(await screen.findByText('尿频尿急尿痛')).toBeTruthy();
    expect(screen.queryByText('阴道出血')).toBeNull();
  });

  it('shows an emergency with 拨打 120 and no booking for 急诊科, and always the disclaimer', async () => {
    triage.assess.mockResolvedValue({
      urgency: 'emergency',
      advice: '胸痛伴大汗可能是急性心肌梗死等危急情况。请立即拨打120。',
      departments: [
        { name: '急诊科', reason: '胸痛伴出汗需立即排除急性心肌梗死' },
        { name: '心血管内科', reason: '急诊评估后继续诊治' },
      ],
      redFlags: ['胸痛伴大汗'],
      recognized: [{ code: 'chest_pain', name: '胸痛' }],
      negated: [],
      disclaimer: knowledge.disclaimer,
    });
    await who('60', '男');
    fireEvent.click(screen.getByText('胸部'));
    fireEvent.click(await screen.findByText('胸痛'));
    fireEvent.click(screen.getByText('下一步'));
    expect(await screen.findByText('紧急：请立即就医')).toBeTruthy();
    expect(screen.getByText('拨打 120')).toBeTruthy();
    expect(screen.queryByText('预约急诊科')).toBeNull();
    expect(screen.getByText('预约心血管内科')).toBeTruthy();
    expect(screen.getByText(/不作诊断/)).toBeTruthy();
    expect(triage.assess).toHaveBeenCalledWith({
      age: 60,
      sex: 'male',
      symptoms: ['chest_pain'],
      answers: {},
      text: undefined,
    });
  });
});

describe('choosing the hospital to book the advised department', () => {
  it('says so when the hospital has no such department', async () => {
    (Current as { router: unknown }).router = {
      params: { department: encodeURIComponent('眼科') },
      path: '/packages/triage/book/index',
    };
    (api.hospitals.list as jest.Mock).mockResolvedValue({
      items: [{ id: 'hsp_1', name: '上海测试医院', level: 'tertiary_a', district: '徐汇区', address: '' }],
      total: 1,
      page: 1,
      pageSize: 50,
    });
    const { ApiError } = jest.requireActual('../../miniprogram/api/client');
    triage.department.mockRejectedValue(
      new ApiError(404, 'DEPARTMENT_NOT_OFFERED', '该医院暂未开设眼科，请选择其他医院'),
    );
    render(<TriageBook />);
    fireEvent.click(await screen.findByText('上海测试医院'));
    await waitFor(() => expect(screen.getByText('该医院暂未开设眼科，请选择其他医院')).toBeTruthy());
    expect(triage.department).toHaveBeenCalledWith('hsp_1', '眼科');
  });
});
