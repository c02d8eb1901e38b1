import { useState } from 'react';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { api } from '../../../api/client';
import type { Appointment, WaitlistEntry } from '../../../api/types';
import { PERIOD_LABEL, dayLabel, hhmm } from '../../../constants/labels';
import { useDialog } from '../../../components/dialog';
import { StatusView } from '../../../components/status-view';
import { AppointmentCard } from '../appointment-card';
import '../booking.css';

const WAIT_STATUS = { waiting: '候补中', granted: '已候补成功', cancelled: '已取消', expired: '已结束' } as const;

/** 我的预约: appointments, and waitlist entries with their place in line. */
export default function Appointments() {
  const [tab, setTab] = useState(useRouter().params.tab === 'waitlist' ? 'waitlist' : 'appointments');
  const [items, setItems] = useState<Appointment[]>();
  const [waits, setWaits] = useState<WaitlistEntry[]>();
  const { dialog, confirm } = useDialog();

  const load = () => {
    api.appointments.list().then(
      (p) => setItems(p.items),
      () => setItems([]),
    );
    api.waitlist.list().then(
      (p) => setWaits(p.items),
      () => setWaits([]),
    );
  };
  useDidShow(load);

  const leave = async (id: string) => {
    const sure = await confirm({
      title: '确认取消候补？',
      content: '取消后将失去当前的排队位置。',
      confirmText: '确认取消候补',
      cancelText: '再想想',
      destructive: true,
    });
    if (!sure) return;
    await api.waitlist.leave(id).catch(() => undefined);
    load();
  };

  return (
    <View className='page'>
      <View className='apt__tabs' role='tablist'>
        <Text
          className={`apt__tab ${tab === 'appointments' ? 'is-active' : ''}`}
          onClick={() => setTab('appointments')}
        >
          预约
        </Text>
        <Text className={`apt__tab ${tab === 'waitlist' ? 'is-active' : ''}`} onClick={() => setTab('waitlist')}>
          候补
        </Text>
      </View>
      {tab === 'appointments' && <StatusView loading={items === undefined} />}
      {tab === 'appointments' &&
        (items?.length === 0 ? (
          <Text className='empty'>还没有预约记录</Text>
        ) : (
          items?.map((a) => (
            <AppointmentCard
              key={a.id}
              a={a}
              onClick={() => void Taro.navigateTo({ url: `/packages/booking/appointment/index?id=${a.id}` })}
            />
          ))
        ))}
      {tab === 'waitlist' && <StatusView loading={waits === undefined} />}
      {tab === 'waitlist' &&
        (waits?.length === 0 ? (
          <Text className='empty'>没有候补记录</Text>
        ) : (
          waits?.map((w) => (
            <View key={w.id} className='card'>
              <Text className={`badge ${w.status === 'waiting' ? '' : 'badge--muted'}`}>{WAIT_STATUS[w.status]}</Text>
              <Text className='line apt__when'>
                {dayLabel(w.slot.date)} {PERIOD_LABEL[w.slot.period]} {hhmm(w.slot.startAt)}-{hhmm(w.slot.endAt)}
              </Text>
              {w.status === 'waiting' && (
                <View>
                  <Text className='line'>当前排第 {w.position} 位</Text>
                  <Text className='link-action link-action--danger' onClick={() => void leave(w.id)}>
                    取消候补
                  </Text>
                </View>
              )}
            </View>
          ))
        ))}
      {dialog}
    </View>
  );
}
