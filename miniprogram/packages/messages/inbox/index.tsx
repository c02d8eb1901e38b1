import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { api } from '../../../api/client';
import type { Inbox, Notification } from '../../../api/types';
import { StatusView } from '../../../components/status-view';
import { refreshUnreadBadge } from '../../../lib/notify';
import { useSingleFlight } from '../../../lib/use-single-flight';
import '../messages.css';

/** `2026-11-30T08:05:00.000+08:00` -> `11月30日 08:05` */
const when = (iso: string) => `${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日 ${iso.slice(11, 16)}`;

const TAB_PAGES = ['/pages/index/index', '/pages/health/index', '/pages/mine/index'];

/** 消息: every notice the platform sent, newest first; tapping one marks it read and opens what it is about. */
export default function InboxPage() {
  const [data, setData] = useState<Inbox>();
  const [failed, setFailed] = useState(false);
  const load = () =>
    api.notifications.list().then(
      (d) => {
        setData(d);
        setFailed(false);
      },
      () => setFailed(true),
    );
  useDidShow(() => {
    void load();
    void refreshUnreadBadge();
  });

  const open = async (n: Notification) => {
    if (!n.read) {
      await api.notifications.read(n.id).catch(() => undefined);
      void load();
      void refreshUnreadBadge();
    }
    if (!n.page) return;
    // A tab page (a reminder to measure opens 健康) is switched to; tabs take no query.
    const path = n.page.split('?')[0];
    if (TAB_PAGES.includes(path)) void Taro.switchTab({ url: path });
    else void Taro.navigateTo({ url: n.page });
  };
  const [readAll, marking] = useSingleFlight(async () => {
    await api.notifications.readAll();
    await load();
    await refreshUnreadBadge();
  });

  return (
    <View className='page messages'>
      <StatusView
        loading={!data && !failed}
        empty={data?.items.length === 0}
        emptyText='还没有消息。预约成功、停诊、就诊提醒等通知会出现在这里。'
      />
      {failed && !data && <Text className='empty'>消息加载失败，请稍后重试</Text>}
      {data && data.unread > 0 && (
        <View className='messages__bar'>
          <Text className='muted'>{data.unread} 条未读</Text>
          <Button size='small' loading={marking} onClick={() => void readAll()}>
            全部已读
          </Button>
        </View>
      )}
      {data?.items.map((n) => (
        <View
          key={n.id}
          className={`card card--tap messages__item ${n.read ? 'is-read' : ''} ${n.urgent ? 'is-urgent' : ''}`}
          onClick={() => void open(n)}
          role='button'
        >
          <View className='name-row'>
            {!n.read && <View className='messages__dot' aria-label='未读' />}
            <Text className='name'>{n.title}</Text>
            {n.urgent && <Text className='badge badge--danger'>紧急</Text>}
          </View>
          <Text className='messages__body'>{n.body}</Text>
          <Text className='muted messages__time'>{when(n.createdAt)}</Text>
        </View>
      ))}
      <View className='actions'>
        <Text
          className='link-action'
          onClick={() => void Taro.navigateTo({ url: '/packages/messages/settings/index' })}
        >
          提醒方式设置
        </Text>
      </View>
    </View>
  );
}
