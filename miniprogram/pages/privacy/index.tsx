import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api } from '../../api/client';
import { isSignedIn } from '../../api/session';
import type { Me, PrivacyPolicy } from '../../api/types';
import { useDialog } from '../../components/dialog';
import { useSingleFlight } from '../../lib/use-single-flight';
import './index.css';

/** The privacy policy, and the separate consent to processing health data (give or withdraw). */
export default function Privacy() {
  const [policy, setPolicy] = useState<PrivacyPolicy>();
  const [me, setMe] = useState<Me>();

  const load = () => {
    api.me.policy().then(setPolicy, () => undefined);
    if (isSignedIn()) api.me.get().then(setMe, () => undefined);
  };
  useDidShow(load);

  const { dialog, confirm } = useDialog();

  const [grant, granting] = useSingleFlight(async () => {
    if (!policy) return;
    await api.me.grantConsent(policy.version).catch(() => undefined);
    void Taro.showToast({ title: '已同意', icon: 'none' });
    load();
  });

  const [withdrawNow, withdrawing] = useSingleFlight(async () => {
    await api.me.withdrawConsent().catch(() => undefined);
    load();
  });
  const withdraw = async () => {
    const sure = await confirm({
      title: '确认撤回授权？',
      content: '撤回后将无法添加就诊人、预约挂号和查询报告，直到您再次同意。',
      confirmText: '确认撤回授权',
      cancelText: '再想想',
      destructive: true,
    });
    if (sure) await withdrawNow();
  };

  return (
    <View className='page privacy'>
      {policy && (
        <View className='card'>
          <Text className='title'>{policy.title}</Text>
          <Text className='muted privacy__version'>版本 {policy.version}</Text>
          {policy.sections.map((s) => (
            <View key={s.heading} className='privacy__section'>
              <Text className='privacy__heading'>{s.heading}</Text>
              <Text className='privacy__body'>{s.body}</Text>
            </View>
          ))}
        </View>
      )}
      {me && (
        <View className='privacy__actions'>
          <Text className='privacy__status'>健康信息处理授权：{me.healthDataConsent ? '已同意' : '未同意'}</Text>
          {me.healthDataConsent ? (
            <Button
              size='large'
              block
              type='danger'
              fill='outline'
              loading={withdrawing}
              onClick={() => void withdraw()}
            >
              撤回授权
            </Button>
          ) : (
            <Button type='primary' size='large' block loading={granting} onClick={() => void grant()}>
              同意并授权
            </Button>
          )}
        </View>
      )}
      {dialog}
    </View>
  );
}
