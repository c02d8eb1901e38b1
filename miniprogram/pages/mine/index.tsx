import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Button, Cell } from '@nutui/nutui-react-taro';
import { api } from '../../api/client';
import { isSignedIn } from '../../api/session';
import type { Me } from '../../api/types';
import './index.css';

const SERVICE_PHONE = '021-12320';
const go = (url: string) => void Taro.navigateTo({ url });

export default function Mine() {
  const [me, setMe] = useState<Me | null>(null);

  useDidShow(() => {
    if (!isSignedIn()) {
      setMe(null);
      return;
    }
    api.me.get().then(setMe, () => setMe(null));
  });

  const logout = async () => {
    await api.auth.logout();
    setMe(null);
  };

  const deleteAccount = async () => {
    const { confirm } = await Taro.showModal({
      title: '注销账号',
      content: '注销后，您的就诊人、身份证号和手机号将被删除或匿名化，且无法恢复。确定注销吗？',
      confirmText: '确定注销',
      confirmColor: '#b42318',
    });
    if (!confirm) return;
    await api.me.remove();
    setMe(null);
    void Taro.showToast({ title: '账号已注销', icon: 'none' });
  };

  if (!me) {
    return (
      <View className='page mine'>
        <View className='card mine__head'>
          <Text className='title'>您还没有登录</Text>
          <Text className='muted mine__sub'>登录后可管理就诊人、预约挂号</Text>
          <Button type='primary' size='large' block onClick={() => go('/pages/login/index')}>
            登录 / 注册
          </Button>
        </View>
        <Cell.Group>
          <Cell title='隐私政策' clickable onClick={() => go('/pages/privacy/index')} />
          <Cell title='客服热线' extra={SERVICE_PHONE} />
        </Cell.Group>
      </View>
    );
  }

  return (
    <View className='page mine'>
      <View className='card mine__head'>
        <Text className='title'>{me.phone ?? '微信用户'}</Text>
        <Text className='muted mine__sub'>{me.wechatBound ? '已绑定微信' : '手机号登录'}</Text>
      </View>
      <Cell.Group>
        <Cell title='我的预约' clickable onClick={() => go('/packages/booking/appointments/index')} />
        <Cell title='就诊人管理' clickable onClick={() => go('/pages/patients/index')} />
        <Cell
          title='隐私与授权'
          extra={me.healthDataConsent ? '已授权' : '未授权'}
          clickable
          onClick={() => go('/pages/privacy/index')}
        />
        <Cell
          title='客服热线'
          extra={SERVICE_PHONE}
          clickable
          onClick={() => void Taro.makePhoneCall({ phoneNumber: SERVICE_PHONE.replace('-', '') })}
        />
      </Cell.Group>
      <View className='mine__actions'>
        <Button size='large' block onClick={logout}>
          退出登录
        </Button>
        <Text className='mine__delete' onClick={deleteAccount}>
          注销账号
        </Text>
      </View>
    </View>
  );
}
