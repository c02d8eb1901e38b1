import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Current } from '@tarojs/runtime';
import RemindersPage from '../../miniprogram/packages/health/reminders/index';
import { api } from '../../miniprogram/api/client';

jest.mock('../../miniprogram/api/client', () => {
  const actual = jest.requireActual('../../miniprogram/api/client');
  return { ...actual, api: { health: { reminders: jest.fn(), saveReminders: jest.fn() } } };
});
const mocked = api as unknown as { health: { reminders: jest.Mock; saveReminders: jest.Mock } };

const stored = {
  patientId: 'pat_1',
  items: [{ id: 'hrm_1', type: 'blood_pressure', time: '07:30', enabled: true }],
  updatedAt: '2026-12-07T08:00:00.000+08:00',
};

describe('测量提醒', () => {
  beforeEach(() => {
    (Current as { router: unknown }).router = {
      params: { patientId: 'pat_1' },
      path: '/packages/health/reminders/index',
    };
    mocked.health.reminders.mockReset().mockResolvedValue(stored);
    mocked.health.saveReminders.mockReset();
  });

  it('lists the reminders, adds one in time order, refuses a duplicate, and saves the whole list', async () => {
    mocked.health.saveReminders.mockImplementation(async (body: { items: unknown[] }) => ({
      ...stored,
      items: body.items.map((r, i) => ({ id: `hrm_${i}`, ...(r as object) })),
    }));
    render(<RemindersPage />);
    expect(await screen.findByText('07:30')).toBeTruthy();
    expect(screen.getByText('测量血压')).toBeTruthy();
    expect(mocked.health.reminders).toHaveBeenCalledWith('pat_1');

    fireEvent.click(screen.getByText('体重'));
    fireEvent.click(screen.getByText('添加'));
    expect(await screen.findByText('测量体重')).toBeTruthy();
    fireEvent.click(screen.getByText('添加'));
    expect(await screen.findByText('已有相同的提醒')).toBeTruthy();

    fireEvent.click(screen.getByText('保存提醒'));
    await waitFor(() => expect(mocked.health.saveReminders).toHaveBeenCalledTimes(1));
    expect(mocked.health.saveReminders).toHaveBeenCalledWith({
      patientId: 'pat_1',
      items: [
        { type: 'blood_pressure', time: '07:30', enabled: true },
        { type: 'weight', time: '08:00', enabled: true },
      ],
    });
  });

  it('shows the server\u2019s message when saving fails', async () => {
    const { ApiError } = jest.requireActual('../../miniprogram/api/client');
    mocked.health.saveReminders.mockRejectedValue(
      new ApiError(422, 'VALIDATION_FAILED', '最多设置6个测量提醒', undefined),
    );
    render(<RemindersPage />);
    await screen.findByText('07:30');
    fireEvent.click(screen.getByText('保存提醒'));
    expect(await screen.findByText('最多设置6个测量提醒')).toBeTruthy();
  });
});
