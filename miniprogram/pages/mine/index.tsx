import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Button, Cell } from '@nutui/nutui-react-taro';
import { api } from '../../api/client';
import { isSignedIn } from '../../api/session';
import type { Me } from '../../api/types';
import { useDialog } from '../../components/dialog';
import { Icon, type IconName } from '../../components/icon';
import { refreshUnreadBadge } from '../../lib/notify';
import { useSingleFlight } from '../../lib/use-single-flight';
import './index.css';

const SERVICE_PHONE = '021-12320';
const go = (url: string) => void Taro.navigateTo({ url });
const call = () => void Taro.makePhoneCall({ phoneNumber: SERVICE_PHONE.replace('-', '') });

function Row({ icon, title, extra, onClick }: { icon: IconName; title: string; extra?: string; onClick?: () => void }) {
  return (
    <Cell
      className='mine__row'
      clickable={Boolean(onClick)}
      onClick={onClick}
      title={
        <View className='mine__row-title'>
          <Icon name={icon} size='md' className='mine__row-icon' />
          <Text>{title}</Text>
        </View>
      }
      extra={
        <View className='mine__row-extra'>
          {extra && <Text>{extra}</Text>}
          {onClick && <Icon name='more' size='sm' className='mine__chevron' />}
        </View>
      }
    />
  );
}

export default function Mine() {
  const [me, setMe] = useState<Me | null>(null);
  const [unread, setUnread] = useState(0);
  const { dialog, confirm } = useDialog();

  useDidShow(() => {
    void refreshUnreadBadge().then(setUnread);
    if (!isSignedIn()) {
      setMe(null);
      return;
    }
    api.me.get().then(setMe, () => setMe(null));
  });

  const [logout, leaving] = useSingleFlight(async () => {
    await api.auth.logout();
    setMe(null);
    void refreshUnreadBadge();
  });

  const [deleteNow] = useSingleFlight(async () => {
    await api.me.remove().catch(() => undefined);
    setMe(null);
    void Taro.showToast({ title: '账号已注销', icon: 'none' });
  });
  const deleteAccount = async () => {
    const sure = await confirm({
      title: '确认注销账号？',
      content: '注销后，您的就诊人、身份证号和手机号将被删除或匿名化，且无法恢复。',
      confirmText: '确认注销账号',
      cancelText: '再想想',
      destructive: true,
    });
    if (sure) await deleteNow();
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
        <View className='mine__group'>
          <Cell.Group>
            <Row icon='privacy' title='隐私政策' onClick={() => go('/pages/privacy/index')} />
            <Row icon='service' title='客服热线' extra={SERVICE_PHONE} onClick={call} />
          </Cell.Group>
        </View>
      </View>
    );
  }

  return (
    <View className='page mine'>
      <View className='card mine__head'>
        <Text className='title'>{me.phone ?? '微信用户'}</Text>
        <Text className='muted mine__sub'>{me.wechatBound ? '已绑定微信' : '手机号登录'}</Text>
      </View>
      <View className='mine__group'>
        <Cell.Group>
          <Row
            icon='messages'
            title='消息'
            extra={unread ? `${unread} 条未读` : undefined}
            onClick={() => go('/packages/messages/inbox/index')}
          />
          <Row icon='appointments' title='我的预约' onClick={() => go('/packages/booking/appointments/index')} />
          <Row icon='report' title='我的报告' onClick={() => go('/packages/reports/list/index')} />
          <Row icon='share' title='我的分享' onClick={() => go('/packages/reports/shares/index')} />
          <Row icon='patients' title='就诊人管理' onClick={() => go('/pages/patients/index')} />
          <Row
            icon='privacy'
            title='隐私与授权'
            extra={me.healthDataConsent ? '已授权' : '未授权'}
            onClick={() => go('/pages/privacy/index')}
          />
          <Row icon='settings' title='消息设置' onClick={() => go('/packages/messages/settings/index')} />
          <Row icon='service' title='客服热线' extra={SERVICE_PHONE} onClick={call} />
        </Cell.Group>
      </View>
      <View className='actions'>
        <Button size='large' block loading={leaving} onClick={() => void logout()}>
          退出登录
        </Button>
        <Text className='link-action link-action--danger mine__delete' onClick={() => void deleteAccount()}>
          注销账号
        </Text>
      </View>
      {dialog}
    </View>
  );
}
