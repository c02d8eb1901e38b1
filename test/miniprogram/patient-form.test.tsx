import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Current } from '@tarojs/runtime';
import { withCheckChar } from '../../common/id-card';
import PatientEdit from '../../miniprogram/pages/patient-edit/index';
import { validatePatient } from '../../miniprogram/pages/patient-edit/validate';
import { api } from '../../miniprogram/api/client';

jest.mock('../../miniprogram/api/client', () => {
  const actual = jest.requireActual('../../miniprogram/api/client');
  return {
    ...actual,
    api: {
      me: { get: jest.fn(), grantConsent: jest.fn() },
      patients: { list: jest.fn(), get: jest.fn(), create: jest.fn(), update: jest.fn(), remove: jest.fn() },
    },
  };
});

const mocked = api as unknown as {
  me: { get: jest.Mock; grantConsent: jest.Mock };
  patients: { list: jest.Mock; create: jest.Mock };
};

describe('patient form validation', () => {
  const valid = { name: '王芳', idNumber: withCheckChar('31010419900307002'), phone: '13812341234' };

  it('accepts a complete, valid form', () => {
    expect(validatePatient(valid, false)).toEqual({});
  });

  it('explains each problem in Chinese', () => {
    expect(validatePatient({ name: 'A', idNumber: '110105194912310021', phone: '123' }, false)).toEqual({
      name: '姓名应为2-30个汉字或字母',
      idNumber: '身份证号校验位不正确，请核对',
      phone: '请输入正确的11位手机号',
    });
    const future = withCheckChar(`310104${new Date().getFullYear() + 1}0101001`);
    expect(validatePatient({ ...valid, idNumber: future }, false).idNumber).toBe('身份证号中的出生日期晚于今天');
  });

  it('lets an edit leave ID number and phone blank', () => {
    expect(validatePatient({ name: '王芳', idNumber: '', phone: '' }, true)).toEqual({});
  });
});

describe('add patient page', () => {
  beforeEach(() => {
    (Current as { router: unknown }).router = { params: {}, path: '/pages/patient-edit/index' };
    mocked.me.get.mockResolvedValue({ healthDataConsent: false, policyVersion: '2026-11-01' });
    mocked.patients.list.mockResolvedValue({ items: [], total: 0, page: 1, pageSize: 20 });
  });

  it('asks for 本人 first and for separate consent before saving', async () => {
    render(<PatientEdit />);
    expect(await screen.findByText('请先添加本人信息')).toBeTruthy();
    expect(await screen.findByText(/单独同意处理就诊人的身份证号与健康信息/)).toBeTruthy();
    fireEvent.click(screen.getByText('保存'));
    expect(await screen.findByText('请先阅读并同意个人信息保护政策')).toBeTruthy();
    expect(screen.getByText('姓名应为2-30个汉字或字母')).toBeTruthy();
    expect(mocked.patients.create).not.toHaveBeenCalled();
  });

  it('offers only 本人 before 本人 exists', async () => {
    render(<PatientEdit />);
    await waitFor(() => expect(mocked.patients.list).toHaveBeenCalled());
    expect(screen.getByText('本人')).toBeTruthy();
    expect(screen.queryByText('子女')).toBeNull();
  });
});
