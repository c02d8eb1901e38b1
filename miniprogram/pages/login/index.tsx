import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Input } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api, ApiError } from '../../api/client';
import { FormField } from '../../components/form-field';
import { digitsOnly, inputProps } from '../../lib/input';
import { useForm } from '../../lib/use-form';
import { useSingleFlight } from '../../lib/use-single-flight';
import { validateLogin, type LoginForm } from './validate';
import './index.css';

const IS_WEAPP = process.env.TARO_ENV === 'weapp';
const phoneDigits = digitsOnly(11);
const codeDigits = digitsOnly(6);

function done() {
  void Taro.switchTab({ url: '/pages/mine/index' });
}

/** WeChat one-tap sign-in in the mini-program; phone and SMS code on the H5 site. */
export default function Login() {
  const form = useForm<LoginForm>({ phone: '', code: '' }, validateLogin);
  const { values, errors } = form;
  const [countdown, setCountdown] = useState(0);

  useEffect(() => {
    if (countdown <= 0) return;
    const t = setTimeout(() => setCountdown((c) => c - 1), 1000);
    return () => clearTimeout(t);
  }, [countdown]);

  const [sendCode, sending] = useSingleFlight(async () => {
    if (countdown > 0 || !form.check('phone')) return;
    try {
      const r = await api.auth.sendSmsCode(values.phone);
      setCountdown(r.resendAfter);
      void Taro.showToast({ title: '验证码已发送', icon: 'none' });
    } catch {
      /* the client already showed the message */
    }
  });

  const [submit, busy] = useSingleFlight(async () => {
    if (!form.check()) return;
    try {
      await api.auth.signInWithPhone(values.phone, values.code);
      done();
    } catch (err) {
      if (err instanceof ApiError && err.code.startsWith('SMS_CODE')) form.setServerErrors({ code: err.message });
    }
  });

  const [wechat, signingIn] = useSingleFlight(async () => {
    try {
      const { code: wxCode } = await Taro.login();
      await api.auth.signInWithWechat(wxCode);
      done();
    } catch {
      /* shown by the client */
    }
  });

  return (
    <View className='page login'>
      <View className='login__head'>
        <Text className='title'>登录医联云健康</Text>
        <Text className='muted login__sub'>登录后可添加就诊人、预约挂号</Text>
      </View>
      {IS_WEAPP ? (
        <View className='actions'>
          <Button type='primary' size='large' block loading={signingIn} onClick={() => void wechat()}>
            微信一键登录
          </Button>
        </View>
      ) : (
        <View className='login__form'>
          <FormField label='手机号' error={errors.phone}>
            <Input
              {...inputProps('phone')}
              className='login__input'
              maxlength={11}
              placeholder='请输入手机号'
              value={values.phone}
              onInput={(e) => form.set('phone', e.detail.value, phoneDigits)}
              onBlur={() => form.touch('phone')}
            />
          </FormField>
          <FormField label='验证码' error={errors.code}>
            <Input
              {...inputProps('code')}
              className='login__input login__code'
              maxlength={6}
              placeholder='6位验证码'
              value={values.code}
              onInput={(e) => form.set('code', e.detail.value, codeDigits)}
              onBlur={() => form.touch('code')}
            />
            <Button
              className='login__send'
              size='small'
              fill='outline'
              type='primary'
              disabled={countdown > 0}
              loading={sending}
              onClick={() => void sendCode()}
            >
              {countdown > 0 ? `${countdown}秒后重发` : '获取验证码'}
            </Button>
          </FormField>
          <View className='actions'>
            <Button type='primary' size='large' block loading={busy} onClick={() => void submit()}>
              登录
            </Button>
          </View>
        </View>
      )}
      <Text className='muted login__note'>
        登录即表示您已阅读《个人信息保护政策》。处理健康信息前，我们会再单独征得您的同意。
      </Text>
    </View>
  );
}
