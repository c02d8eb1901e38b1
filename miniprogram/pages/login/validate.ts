import { PHONE_PATTERN } from '../../../common/mask';

export interface LoginForm {
  phone: string;
  code: string;
}

export function validateLogin(v: LoginForm): Partial<Record<keyof LoginForm, string>> {
  return {
    ...(PHONE_PATTERN.test(v.phone) ? {} : { phone: '请输入正确的11位手机号' }),
    ...(/^\d{6}$/.test(v.code) ? {} : { code: '请输入6位数字验证码' }),
  };
}
