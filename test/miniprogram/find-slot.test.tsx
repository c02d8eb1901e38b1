import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { Current } from '@tarojs/runtime';
import DepartmentPage from '../../miniprogram/pages/department/index';
import DoctorPage from '../../miniprogram/packages/booking/doctor/index';
import { api } from '../../miniprogram/api/client';

jest.mock('../../miniprogram/api/client', () => {
  const actual = jest.requireActual('../../miniprogram/api/client');
  return {
    ...actual,
    api: {
      departments: { schedule: jest.fn(), doctors: jest.fn() },
      doctors: { get: jest.fn(), slots: jest.fn() },
    },
  };
});

const mocked = api as unknown as {
  departments: { schedule: jest.Mock; doctors: jest.Mock };
  doctors: { get: jest.Mock; slots: jest.Mock };
};

const doctor = {
  id: 'doc_1',
  name: '李明',
  title: 'chief_physician',
  specialty: '冠心病',
  gender: 'male',
  intro: '从医30年',
};
const days = [
  { date: '2031-03-01', status: 'none' },
  { date: '2031-03-02', status: 'full' },
  { date: '2031-03-03', status: 'open' },
  { date: '2031-03-04', status: 'not_released' },
];
const session = { period: 'am', level: 'expert', feeFen: 5000, remaining: 7, status: 'open' };
const schedule = (date: string, sessions = [session]) => ({
  date,
  dates: days.map((d) => d.date),
  days,
  doctors: [{ doctor, sessions }],
});

const slot = (id: string, date: string, time: string, status = 'open', remaining = 3) => ({
  id,
  doctorId: 'doc_1',
  date,
  period: Number(time.slice(0, 2)) < 12 ? 'am' : 'pm',
  startAt: `${date}T${time}:00.000+08:00`,
  endAt: `${date}T${time.slice(0, 3)}30:00.000+08:00`,
  level: 'expert',
  feeFen: 5000,
  capacity: 10,
  remaining,
  status,
});

beforeEach(() => jest.clearAllMocks());

describe('department page', () => {
  beforeEach(() => {
    (Current as { router: unknown }).router = {
      params: { id: 'dep_1', name: '心内科', hospital: '仁和医院' },
      path: '/pages/department/index',
    };
    mocked.departments.doctors.mockResolvedValue({ items: [doctor], total: 1, page: 1, pageSize: 100 });
  });

  it('opens on the date the server picks (the first with seats) and marks every date', async () => {
    mocked.departments.schedule.mockResolvedValue(schedule('2031-03-03'));
    const { container } = render(<DepartmentPage />);
    expect(mocked.departments.schedule).toHaveBeenCalledWith('dep_1', undefined);
    await screen.findByText('3月3日 周一 出诊医生');
    // The strip is a Taro ScrollView, which can render a turn after the heading on a busy machine.
    const strip = (await screen.findByText('3/3')).closest('.date-strip') as HTMLElement;
    for (const label of ['无排班', '约满', '有号', '未放号']) expect(within(strip).getByText(label)).toBeTruthy();
    expect(container.querySelector('.date-strip__day.is-active')!.textContent).toContain('3/3');
    expect(screen.getByText('余号 7')).toBeTruthy();
  });

  it('loads another date when it is tapped and says why nobody sits on it', async () => {
    mocked.departments.schedule.mockResolvedValueOnce(schedule('2031-03-03'));
    mocked.departments.schedule.mockResolvedValueOnce({ ...schedule('2031-03-01'), doctors: [] });
    render(<DepartmentPage />);
    await screen.findByText('3月3日 周一 出诊医生');
    fireEvent.click(await screen.findByText('3/1'));
    await waitFor(() => expect(mocked.departments.schedule).toHaveBeenLastCalledWith('dep_1', '2031-03-01'));
    expect(await screen.findByText('这天没有医生出诊，请选择标有「有号」的日期')).toBeTruthy();
  });
});

describe('doctor page', () => {
  beforeEach(() => {
    (Current as { router: unknown }).router = { params: { id: 'doc_1' }, path: '/packages/booking/doctor/index' };
    mocked.doctors.get.mockResolvedValue({
      ...doctor,
      hospitalId: 'hsp_1',
      departmentId: 'dep_1',
      hospital: { id: 'hsp_1', name: '仁和医院' },
      department: { id: 'dep_1', name: '心内科', location: '门诊楼4楼A区' },
    });
    mocked.doctors.slots.mockResolvedValue({
      items: [
        slot('s1', '2031-03-02', '08:00', 'full', 0),
        slot('s2', '2031-03-03', '08:00'),
        slot('s3', '2031-03-03', '14:00'),
        slot('s4', '2031-03-05', '09:00'),
      ],
    });
  });

  it('shows one date at a time, opening on the first date with seats, grouped into 上午 and 下午', async () => {
    const { container } = render(<DoctorPage />);
    expect(await screen.findByText('3月3日 周一')).toBeTruthy();
    expect(screen.getByText('08:00-08:30')).toBeTruthy();
    expect(screen.getByText('14:00-14:30')).toBeTruthy();
    expect(screen.getByText('上午')).toBeTruthy();
    expect(screen.getByText('下午')).toBeTruthy();
    expect(container.querySelectorAll('.doctor__slot')).toHaveLength(2);
    expect(screen.queryByText('09:00-09:30')).toBeNull();

    fireEvent.click(screen.getByText('3/2'));
    expect(await screen.findByText('约满 可候补')).toBeTruthy();
    expect(container.querySelectorAll('.doctor__slot')).toHaveLength(1);
  });
});
