import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { renderHook } from '@testing-library/react';
import { Current } from '@tarojs/runtime';
import { withCheckChar } from '../../common/id-card';
import Login from '../../miniprogram/pages/login/index';
import PatientEdit from '../../miniprogram/pages/patient-edit/index';
import { api } from '../../miniprogram/api/client';
import { digitsOnly, idNumberChars } from '../../miniprogram/lib/input';
import { useSingleFlight } from '../../miniprogram/lib/use-single-flight';

jest.mock('../../miniprogram/api/client', () => {
  const actual = jest.requireActual('../../miniprogram/api/client');
  return {
    ...actual,
    api: {
      auth: { sendSmsCode: jest.fn(), signInWithPhone: jest.fn() },
      me: { get: jest.fn(), grantConsent: jest.fn() },
      patients: { list: jest.fn(), get: jest.fn(), create: jest.fn(), update: jest.fn(), remove: jest.fn() },
    },
  };
});

const mocked = api as unknown as {
  auth: { sendSmsCode: jest.Mock; signInWithPhone: jest.Mock };
  me: { get: jest.Mock; grantConsent: jest.Mock };
  patients: { list: jest.Mock; create: jest.Mock };
};

/** The real <input> inside Taro's input element (there once the element has rendered itself). */
const input = (placeholder: string) =>
  waitFor(() => {
    const el = document.querySelector<HTMLInputElement>(`input[placeholder="${placeholder}"]`);
    if (!el) throw new Error(`no input "${placeholder}" yet`);
    return el;
  });
const type = async (placeholder: string, value: string) =>
  fireEvent.input(await input(placeholder), { target: { value } });
const never = () => new Promise<never>(() => undefined);

beforeEach(() => {
  jest.clearAllMocks();
  (Current as { router: unknown }).router = { params: {}, path: '/pages/login/index' };
});

describe('what fields accept', () => {
  it('keeps digits only in phone and code fields, up to their length', () => {
    expect(digitsOnly(11)('138 0013-8000abc9')).toBe('13800138000');
    expect(digitsOnly(6)('12a34')).toBe('1234');
  });

  it('keeps 17 digits and a final digit or X in the ID field', () => {
    expect(idNumberChars('11010519491231002x')).toBe('11010519491231002X');
    expect(idNumberChars('1101X05abc')).toBe('110105');
    expect(idNumberChars('1101051949123100211')).toBe('110105194912310021');
    expect(idNumberChars('11010519491231002X1')).toBe('11010519491231002X');
  });
});

describe('login form', () => {
  it('shows a phone error when leaving the field and clears it as soon as the number is valid', async () => {
    render(<Login />);
    await type('请输入手机号', '1380013');
    expect(screen.queryByText('请输入正确的11位手机号')).toBeNull(); // not while typing
    fireEvent.blur(await input('请输入手机号'));
    expect(await screen.findByText('请输入正确的11位手机号')).toBeTruthy();
    await type('请输入手机号', '13800138000');
    await waitFor(() => expect(screen.queryByText('请输入正确的11位手机号')).toBeNull());
  });

  it('drops letters typed into the phone field', async () => {
    render(<Login />);
    await type('请输入手机号', '138abc');
    await waitFor(() =>
      expect(document.querySelector<HTMLInputElement>('input[placeholder="请输入手机号"]')!.value).toBe('138'),
    );
  });

  it('shows every error on submit and sends nothing', async () => {
    render(<Login />);
    fireEvent.click(screen.getByText('登录'));
    expect(await screen.findByText('请输入正确的11位手机号')).toBeTruthy();
    expect(screen.getByText('请输入6位数字验证码')).toBeTruthy();
    expect(mocked.auth.signInWithPhone).not.toHaveBeenCalled();
  });

  it('signs in once however often 登录 is tapped while it is busy', async () => {
    mocked.auth.signInWithPhone.mockImplementation(never);
    render(<Login />);
    await type('请输入手机号', '13800138000');
    await type('6位验证码', '123456');
    fireEvent.click(screen.getByText('登录'));
    fireEvent.click(screen.getByText('登录'));
    fireEvent.click(screen.getByText('登录'));
    await waitFor(() => expect(mocked.auth.signInWithPhone).toHaveBeenCalledTimes(1));
    expect(mocked.auth.signInWithPhone).toHaveBeenCalledWith('13800138000', '123456');
  });

  it('asks for a valid phone before sending a code, then sends it once', async () => {
    mocked.auth.sendSmsCode.mockImplementation(never);
    render(<Login />);
    fireEvent.click(screen.getByText('获取验证码'));
    expect(await screen.findByText('请输入正确的11位手机号')).toBeTruthy();
    await type('请输入手机号', '13800138000');
    await waitFor(() => expect(screen.queryByText('请输入正确的11位手机号')).toBeNull());
    fireEvent.click(screen.getByText('获取验证码'));
    fireEvent.click(screen.getByText('获取验证码'));
    await waitFor(() => expect(mocked.auth.sendSmsCode).toHaveBeenCalledTimes(1));
  });
});

describe('patient form', () => {
  const validId = withCheckChar('31010419900307002');

  beforeEach(() => {
    (Current as { router: unknown }).router = { params: {}, path: '/pages/patient-edit/index' };
    mocked.me.get.mockResolvedValue({ healthDataConsent: true, policyVersion: '2026-11-01' });
    mocked.patients.list.mockResolvedValue({ items: [], total: 0, page: 1, pageSize: 20 });
  });

  it('clears the name and ID errors as soon as they are fixed, without pressing 保存 again', async () => {
    render(<PatientEdit />);
    await screen.findByText('请先添加本人信息');
    await type('与身份证一致', 'A');
    await type('18位居民身份证号', '110105194912310021');
    fireEvent.click(screen.getByText('保存'));
    expect(await screen.findByText('姓名应为2-30个汉字或字母')).toBeTruthy();
    expect(screen.getByText('身份证号校验位不正确，请核对')).toBeTruthy();
    await type('与身份证一致', '王芳');
    await waitFor(() => expect(screen.queryByText('姓名应为2-30个汉字或字母')).toBeNull());
    expect(screen.getByText('身份证号校验位不正确，请核对')).toBeTruthy();
    await type('18位居民身份证号', validId);
    await waitFor(() => expect(screen.queryByText('身份证号校验位不正确，请核对')).toBeNull());
    expect(mocked.patients.create).not.toHaveBeenCalled();
  });

  it('accepts only digits and a final X in the ID field', async () => {
    render(<PatientEdit />);
    await type('18位居民身份证号', '3101a04x');
    await waitFor(() =>
      expect(document.querySelector<HTMLInputElement>('input[placeholder="18位居民身份证号"]')!.value).toBe('310104'),
    );
    await type('18位居民身份证号', '31010419900307002x');
    await waitFor(() =>
      expect(document.querySelector<HTMLInputElement>('input[placeholder="18位居民身份证号"]')!.value).toBe(
        '31010419900307002X',
      ),
    );
  });

  it('saves once however often 保存 is tapped while it is busy', async () => {
    mocked.patients.create.mockImplementation(never);
    render(<PatientEdit />);
    await screen.findByText('请先添加本人信息');
    await type('与身份证一致', '王芳');
    await type('18位居民身份证号', validId);
    await type('用于接收就诊通知', '13800138000');
    fireEvent.click(screen.getByText('保存'));
    fireEvent.click(screen.getByText('保存'));
    await waitFor(() => expect(mocked.patients.create).toHaveBeenCalledTimes(1));
    expect(mocked.patients.create).toHaveBeenCalledWith({
      name: '王芳',
      idNumber: validId,
      phone: '13800138000',
      relation: 'self',
    });
  });
});

describe('useSingleFlight', () => {
  it('runs an action once for taps in the same instant and again after it finished', async () => {
    let finish: () => void = () => undefined;
    const action = jest.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const { result } = renderHook(() => useSingleFlight(action));
    let first: Promise<void> = Promise.resolve();
    act(() => {
      first = result.current[0]();
      void result.current[0]();
    });
    expect(action).toHaveBeenCalledTimes(1);
    expect(result.current[1]).toBe(true);
    await act(async () => {
      finish();
      await first;
    });
    expect(result.current[1]).toBe(false);
    act(() => void result.current[0]());
    expect(action).toHaveBeenCalledTimes(2);
  });
});
