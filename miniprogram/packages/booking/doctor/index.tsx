import { useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { api } from '../../../api/client';
import { useRequest } from '../../../api/use-request';
import type { Slot } from '../../../api/types';
import { PERIOD_LABEL, SLOT_LEVEL_LABEL, TITLE_LABEL, dayLabel, hhmm, yuan } from '../../../constants/labels';
import { slotDays } from '../../../lib/availability';
import { DateStrip } from '../../../components/date-strip';
import { DoctorAvatar } from '../../../components/doctor-avatar';
import { StatusView } from '../../../components/status-view';
import './index.css';

const STATUS_TEXT: Record<Slot['status'], (s: Slot) => string> = {
  open: (s) => `余${s.remaining}`,
  full: () => '约满 可候补',
  not_released: () => '未放号',
  closed: () => '停约',
};

/** A doctor's bio and, one date at a time, the timed slots; an open slot leads to the confirm page. */
export default function DoctorPage() {
  const { id: doctorId = '', date: asked } = useRouter().params;
  const doctor = useRequest(() => api.doctors.get(doctorId), [doctorId]);
  const slots = useRequest(() => api.doctors.slots(doctorId), [doctorId]);
  const [picked, setPicked] = useState<string>();
  const days = slotDays(slots.data?.items ?? []);
  const date =
    picked ?? days.find((d) => d.date === asked)?.date ?? days.find((d) => d.status === 'open')?.date ?? days[0]?.date;
  const day = days.find((d) => d.date === date);

  const pick = (s: Slot) => {
    if (s.status !== 'open' && s.status !== 'full') return;
    void Taro.navigateTo({
      url: `/packages/booking/confirm/index?slotId=${s.id}&doctorId=${doctorId}${s.status === 'full' ? '&waitlist=1' : ''}`,
    });
  };

  const d = doctor.data;
  return (
    <View className='page doctor'>
      {d && (
        <View className='card doctor__head'>
          <DoctorAvatar name={d.name} gender={d.gender} photo={d.photoUrl ?? undefined} size='lg' />
          <View className='doctor__info'>
            <View className='name-row'>
              <Text className='title'>{d.name}</Text>
              <Text className='badge'>{TITLE_LABEL[d.title]}</Text>
            </View>
            <Text className='muted line'>
              {d.hospital.name} · {d.department.name}
            </Text>
            <Text className='line'>擅长：{d.specialty}</Text>
            <Text className='line muted'>{d.intro}</Text>
          </View>
        </View>
      )}
      <Text className='section-title'>选择就诊日期</Text>
      <StatusView
        loading={slots.loading}
        error={slots.error}
        empty={days.length === 0}
        emptyText='近期暂无出诊安排'
        onRetry={slots.reload}
      />
      {days.length > 0 && <DateStrip days={days} value={date} onChange={setPicked} />}
      {day && (
        <View className='card doctor__day'>
          <Text className='doctor__date'>{dayLabel(day.date)}</Text>
          <Text className='muted'>
            {SLOT_LEVEL_LABEL[day.slots[0].level]} · 挂号费 {yuan(day.slots[0].feeFen)}（到院支付）
          </Text>
          {(['am', 'pm'] as const).map((period) => {
            const list = day.slots.filter((s) => s.period === period);
            if (!list.length) return null;
            return (
              <View key={period}>
                <Text className='doctor__period'>{PERIOD_LABEL[period]}</Text>
                <View className='doctor__slots'>
                  {list.map((s) => (
                    <View key={s.id} className={`doctor__slot is-${s.status}`} onClick={() => pick(s)} role='button'>
                      <Text className='doctor__time'>
                        {hhmm(s.startAt)}-{hhmm(s.endAt)}
                      </Text>
                      <Text className='doctor__left'>{STATUS_TEXT[s.status](s)}</Text>
                    </View>
                  ))}
                </View>
              </View>
            );
          })}
        </View>
      )}
    </View>
  );
}
