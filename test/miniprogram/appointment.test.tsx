import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Current } from '@tarojs/runtime';
import AppointmentPage from '../../miniprogram/packages/booking/appointment/index';
import { api } from '../../miniprogram/api/client';

jest.mock('../../miniprogram/api/client', () => {
  const actual = jest.requireActual('../../miniprogram/api/client');
  return {
    ...actual,
    api: { appointments: { get: jest.fn(), cancel: jest.fn() }, hospitals: { get: jest.fn() } },
  };
});

const mocked = api as unknown as {
  appointments: { get: jest.Mock; cancel: jest.Mock };
  hospitals: { get: jest.Mock };
};

const appointment = {
  id: 'apt_1',
  status: 'booked',
  bookingCode: 'K7M2Q9XA',
  hospitalConfirmation: 'confirmed',
  cancelReason: null,
  feeFen: 5000,
  slot: {
    id: 'slt_1',
    doctorId: 'doc_1',
    date: '2031-03-03',
    period: 'am',
    startAt: '2031-03-03T08:00:00.000+08:00',
    endAt: '2031-03-03T08:30:00.000+08:00',
    level: 'expert',
    feeFen: 5000,
  },
  doctor: { id: 'doc_1', name: '李明', title: 'chief_physician' },
  department: { id: 'dep_1', name: '心内科', location: '门诊楼4楼A区' },
  hospital: { id: 'hsp_1', name: '仁和医院', address: '上海市徐汇区某路1号' },
  patient: { id: 'pat_1', name: '陈静', idNumber: '310***********0034' },
  cancellable: true,
  cancelDeadline: '2031-03-03T06:00:00.000+08:00',
  fromWaitlist: false,
  createdAt: '2031-02-20T10:00:00.000+08:00',
};

beforeEach(() => {
  jest.clearAllMocks();
  (Current as { router: unknown }).router = { params: { id: 'apt_1' }, path: '/packages/booking/appointment/index' };
  mocked.appointments.get.mockResolvedValue(appointment);
  mocked.hospitals.get.mockResolvedValue({ id: 'hsp_1', phone: '021-64041990' });
});

describe('appointment detail', () => {
  it('shows where to go, whom to call, the cut-off, what to bring and the code as text and QR', async () => {
    const { container } = render(<AppointmentPage />);
    expect(await screen.findByText('K7M2Q9XA')).toBeTruthy();
    expect(screen.getByText('仁和医院 门诊楼4楼A区')).toBeTruthy();
    expect(screen.getByText('上海市徐汇区某路1号')).toBeTruthy();
    expect(await screen.findByText('021-64041990')).toBeTruthy();
    expect(screen.getByText('3月3日 周一 06:00，之后不能在线取消')).toBeTruthy();
    expect(screen.getByText(/身份证、医保卡/)).toBeTruthy();
    const qr = container.querySelector('.apt__qr');
    expect(qr?.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
  });

  it('asks 「确认取消预约」 or 「再想想」 and cancels only when the patient confirms', async () => {
    mocked.appointments.cancel.mockResolvedValue({ ...appointment, status: 'cancelled' });
    render(<AppointmentPage />);
    fireEvent.click(await screen.findByText('取消预约'));
    expect(await screen.findByText('确认取消预约？')).toBeTruthy();
    fireEvent.click(screen.getByText('再想想'));
    await waitFor(() => expect(screen.queryByText('确认取消预约？')).toBeNull());
    expect(mocked.appointments.cancel).not.toHaveBeenCalled();

    fireEvent.click(screen.getByText('取消预约'));
    const confirm = await screen.findByText('确认取消预约');
    expect(confirm.closest('.nut-button')!.className).toContain('nut-button-danger');
    fireEvent.click(confirm);
    await waitFor(() => expect(mocked.appointments.cancel).toHaveBeenCalledWith('apt_1'));
  });
});
