import Taro, { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { Avatar } from '@nutui/nutui-react-taro';
import { api } from '../../../api/client';
import { useRequest } from '../../../api/use-request';
import type { Slot } from '../../../api/types';
import { PERIOD_LABEL, SLOT_LEVEL_LABEL, TITLE_LABEL, dayLabel, hhmm, yuan } from '../../../constants/labels';
import { StatusView } from '../../../components/status-view';
import './index.css';

const STATUS_TEXT: Record<Slot['status'], string> = {
  open: '',
  full: '约满 可候补',
  not_released: '未放号',
  closed: '停约',
};

/** A doctor's bio and timed slots across the booking window; an open slot leads to the confirm page. */
export default function DoctorPage() {
  const doctorId = useRouter().params.id ?? '';
  const doctor = useRequest(() => api.doctors.get(doctorId), [doctorId]);
  const slots = useRequest(() => api.doctors.slots(doctorId), [doctorId]);
  const byDate = new Map<string, Slot[]>();
  for (const s of slots.data?.items ?? []) byDate.set(s.date, [...(byDate.get(s.date) ?? []), s]);

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
          <Avatar size='large'>{d.name.slice(0, 1)}</Avatar>
          <View className='doctor__info'>
            <Text className='title'>{d.name}</Text>
            <Text className='badge'>{TITLE_LABEL[d.title]}</Text>
            <Text className='muted doctor__line'>
              {d.hospital.name} · {d.department.name}
            </Text>
            <Text className='doctor__line'>擅长：{d.specialty}</Text>
          </View>
        </View>
      )}
      <StatusView
        loading={slots.loading}
        error={slots.error}
        empty={byDate.size === 0}
        emptyText='近期暂无出诊安排'
        onRetry={slots.reload}
      />
      {[...byDate.entries()].map(([date, list]) => (
        <View key={date} className='card'>
          <Text className='doctor__date'>{dayLabel(date)}</Text>
          <Text className='muted'>
            {SLOT_LEVEL_LABEL[list[0].level]} · 挂号费 {yuan(list[0].feeFen)}
          </Text>
          <View className='doctor__slots'>
            {list.map((s) => (
              <View key={s.id} className={`doctor__slot is-${s.status}`} onClick={() => pick(s)}>
                <Text className='doctor__time'>
                  {PERIOD_LABEL[s.period]} {hhmm(s.startAt)}-{hhmm(s.endAt)}
                </Text>
                <Text className='doctor__left'>{s.status === 'open' ? `余${s.remaining}` : STATUS_TEXT[s.status]}</Text>
              </View>
            ))}
          </View>
        </View>
      ))}
    </View>
  );
}
