import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Button, Switch } from '@nutui/nutui-react-taro';
import { api, ApiError } from '../../../api/client';
import type { NotificationSettings } from '../../../api/types';
import { StatusView } from '../../../components/status-view';
import { useRequest } from '../../../api/use-request';
import { useSingleFlight } from '../../../lib/use-single-flight';
import '../messages.css';

type Topic = NotificationSettings['topics'][number];
type Channel = keyof Topic['channels'];

const CHANNELS: Array<{ key: Channel; label: string; hint: string }> = [
  { key: 'wechat', label: '微信消息', hint: '需在预约等操作时允许订阅' },
  { key: 'sms', label: '短信', hint: '22:00 至次日 08:00 不发送，紧急通知除外' },
  { key: 'voice', label: '语音电话', hint: '适合不方便看手机的老人' },
];

/** 消息设置: per kind of notice, which channels remind the patient. The inbox always keeps everything. */
export default function SettingsPage() {
  const loaded = useRequest(() => api.notifications.settings(), []);
  const [topics, setTopics] = useState<Topic[]>();
  const [error, setError] = useState<string>();
  useEffect(() => setTopics(loaded.data?.topics), [loaded.data]);

  const toggle = (topic: Topic['topic'], channel: Channel, on: boolean) => {
    setError(undefined);
    setTopics((list) =>
      list?.map((t) => (t.topic === topic ? { ...t, channels: { ...t.channels, [channel]: on } } : t)),
    );
  };
  const [save, saving] = useSingleFlight(async () => {
    if (!topics) return;
    try {
      const saved = await api.notifications.saveSettings(topics.map(({ topic, channels }) => ({ topic, channels })));
      setTopics(saved.topics);
      void Taro.showToast({ title: '已保存', icon: 'success' });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : '保存失败，请稍后再试');
    }
  });

  return (
    <View className='page messages'>
      <StatusView loading={loaded.loading} error={loaded.error} onRetry={loaded.reload} />
      <Text className='muted messages__intro'>所有通知都会保存在“消息”中。下面选择还要通过哪些方式提醒您。</Text>
      {topics?.map((t) => (
        <View key={t.topic} className='card messages__topic'>
          <View className='name-row'>
            <Text className='name'>{t.label}</Text>
            {t.urgent && <Text className='badge badge--warning'>至少保留一种</Text>}
          </View>
          {CHANNELS.map((c) => (
            <View key={c.key} className='messages__channel'>
              <View className='messages__channel-text'>
                <Text>{c.label}</Text>
                <Text className='muted messages__hint'>{c.hint}</Text>
              </View>
              <Switch
                checked={t.channels[c.key]}
                onChange={(on: boolean) => toggle(t.topic, c.key, on)}
                aria-label={`${t.label}：${c.label}`}
              />
            </View>
          ))}
        </View>
      ))}
      <Text className='messages__error' aria-live='polite'>
        {error ?? ''}
      </Text>
      {topics && (
        <View className='actions'>
          <Button type='primary' size='large' block loading={saving} onClick={() => void save()}>
            保存设置
          </Button>
        </View>
      )}
    </View>
  );
}
