import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { api } from '../../api/client';
import { isSignedIn } from '../../api/session';
import type { Appointment, QueueStatus } from '../../api/types';
import { hhmm, shanghaiToday } from '../../constants/labels';

/**
 * 今日就诊: today's appointment with its queue once checked in, on the home
 * page. Small on purpose (main package): the full view is the queue page.
 * Refreshed when the home page shows; the queue page is the one that polls.
 */
export function QueueCard() {
  const [apt, setApt] = useState<Appointment>();
  const [q, setQ] = useState<QueueStatus>();
  const [down, setDown] = useState(false);
  useDidShow(() => {
    if (!isSignedIn()) return;
    void api.appointments
      .list()
      .then(async (page) => {
        const today = page.items.find(
          (a) => a.slot.date === shanghaiToday() && (a.status === 'checked_in' || a.status === 'booked'),
        );
        setApt(today);
        if (today?.status !== 'checked_in') return setQ(undefined);
        await api.visit.queue(today.id).then(
          (s) => {
            setQ(s);
            setDown(false);
          },
          () => setDown(true),
        );
      })
      .catch(() => undefined);
  });
  if (!apt) return null;
  const checkedIn = apt.status === 'checked_in';
  const url = checkedIn
    ? `/packages/visit/queue/index?id=${apt.id}`
    : `/packages/booking/appointment/index?id=${apt.id}`;
  const stale = down || q?.stale;
  return (
    <View className='card card--tap home__queue' role='button' onClick={() => void Taro.navigateTo({ url })}>
      <View className='name-row'>
        <Text className='name'>今日就诊</Text>
        {q?.near && <Text className='badge badge--success'>即将叫号</Text>}
        {stale && <Text className='badge badge--warning'>医院系统暂时无法连接</Text>}
      </View>
      <Text className='muted'>
        {hhmm(apt.slot.startAt)} {apt.department.name} · {apt.doctor.name}
      </Text>
      {!checkedIn && <Text className='home__queue-line'>到院后可在预约详情中签到 ›</Text>}
      {checkedIn && q?.state === 'waiting' && (
        <Text className='home__queue-line'>
          {q.room?.name} · 我的号 {q.myNumber} · 前面还有 {q.ahead} 人
          {q.estimatedWaitMinutes ? ` · 约 ${q.estimatedWaitMinutes} 分钟` : ''}
        </Text>
      )}
      {checkedIn && q?.state === 'called' && <Text className='home__queue-line'>正在叫您的号，请立即进入诊室</Text>}
      {checkedIn && q?.state === 'passed' && <Text className='home__queue-line'>您的号已过，请到分诊台</Text>}
      {checkedIn && (!q || q.state === 'checking_in') && !down && (
        <Text className='home__queue-line'>已签到，正在取号…</Text>
      )}
      {stale && q?.updatedAt && <Text className='muted'>排队信息更新于 {hhmm(q.updatedAt)}</Text>}
    </View>
  );
}
