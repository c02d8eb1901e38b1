import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text, Input } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { PHONE_PATTERN } from '../../../common/mask';
import { api, ApiError } from '../../api/client';
import { FormField } from '../../components/form-field';
import './index.css';

const IS_WEAPP = process.env.TARO_ENV === 'weapp';

function done() {
  void Taro.switchTab({ url: '/pages/mine/index' });
}

/** WeChat one-tap sign-in in the mini-program; phone and SMS code on the H5 site. */
export default function Login() {
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<{ phone?: string; code?: string }>({});
  const [countdown, setCountdown] = useState(0);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (countdown <= 0) return;
    const t = setTimeout(() => setCountdown((c) => c - 1), 1000);
    return () => clearTimeout(t);
  }, [countdown]);

  const checkPhone = () => {
    const ok = PHONE_PATTERN.test(phone);
    setErrors((e) => ({ ...e, phone: ok ? undefined : '请输入正确的11位手机号' }));
    return ok;
  };

  const sendCode = async () => {
    if (!checkPhone() || countdown > 0) return;
    try {
      const r = await api.auth.sendSmsCode(phone);
      setCountdown(r.resendAfter);
      void Taro.showToast({ title: '验证码已发送', icon: 'none' });
    } catch {
      /* the client already showed the message */
    }
  };

  const submit = async () => {
    const codeOk = /^\d{6}$/.test(code);
    setErrors({
      phone: PHONE_PATTERN.test(phone) ? undefined : '请输入正确的11位手机号',
      code: codeOk ? undefined : '请输入6位数字验证码',
    });
    if (!PHONE_PATTERN.test(phone) || !codeOk) return;
    setBusy(true);
    try {
      await api.auth.signInWithPhone(phone, code);
      done();
    } catch (err) {
      if (err instanceof ApiError && err.code.startsWith('SMS_CODE')) setErrors({ code: err.message });
    } finally {
      setBusy(false);
    }
  };

  const wechat = async () => {
    setBusy(true);
    try {
      const { code: wxCode } = await Taro.login();
      await api.auth.signInWithWechat(wxCode);
      done();
    } catch {
      /* shown by the client */
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className='page login'>
      <View className='login__head'>
        <Text className='title'>登录医联云健康</Text>
        <Text className='muted login__sub'>登录后可添加就诊人、预约挂号</Text>
      </View>
      {IS_WEAPP ? (
        <View className='login__actions'>
          <Button type='primary' size='large' block loading={busy} onClick={wechat}>
            微信一键登录
          </Button>
        </View>
      ) : (
        <View>
          <FormField label='手机号' error={errors.phone}>
            <Input
              className='login__input'
              type='number'
              maxlength={11}
              placeholder='请输入手机号'
              value={phone}
              onInput={(e) => setPhone(e.detail.value)}
              onBlur={() => phone && checkPhone()}
            />
          </FormField>
          <FormField label='验证码' error={errors.code}>
            <View className='login__code-row'>
              <Input
                className='login__input login__code'
                type='number'
                maxlength={6}
                placeholder='6位验证码'
                value={code}
                onInput={(e) => setCode(e.detail.value)}
              />
              <Text className={`login__send ${countdown > 0 ? 'is-disabled' : ''}`} onClick={sendCode}>
                {countdown > 0 ? `${countdown}秒后重发` : '获取验证码'}
              </Text>
            </View>
          </FormField>
          <View className='login__actions'>
            <Button type='primary' size='large' block loading={busy} onClick={submit}>
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
