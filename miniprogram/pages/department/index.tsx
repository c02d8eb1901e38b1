import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, ScrollView } from '@tarojs/components';
import { Avatar } from '@nutui/nutui-react-taro';
import { api } from '../../api/client';
import { useRequest } from '../../api/use-request';
import { PERIOD_LABEL, TITLE_LABEL, dayLabel, yuan } from '../../constants/labels';
import { StatusView } from '../../components/status-view';
import './index.css';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const openDoctor = (id: string) => void Taro.navigateTo({ url: `/packages/booking/doctor/index?id=${id}` });

/** A department: dates across the booking window, who sits on the chosen date with seats left, and all its doctors. */
export default function DepartmentPage() {
  const { id = '', name = '', hospital = '' } = useRouter().params;
  const depName = decodeURIComponent(name);
  const [date, setDate] = useState(today());
  const schedule = useRequest(() => api.departments.schedule(id, date), [id, date]);
  const doctors = useRequest(() => api.departments.doctors(id), [id]);

  useEffect(() => {
    if (depName) void Taro.setNavigationBarTitle({ title: depName });
  }, [depName]);

  return (
    <View className='page department'>
      <View className='card'>
        <Text className='title'>{depName}</Text>
        <Text className='department__hospital muted'>{decodeURIComponent(hospital)}</Text>
      </View>
      <ScrollView scrollX className='department__dates'>
        {(schedule.data?.dates ?? [date]).map((d) => (
          <Text key={d} className={`department__date ${d === date ? 'is-active' : ''}`} onClick={() => setDate(d)}>
            {dayLabel(d)}
          </Text>
        ))}
      </ScrollView>
      <StatusView loading={schedule.loading} error={schedule.error} onRetry={schedule.reload} />
      {schedule.data?.doctors.length === 0 && <Text className='empty'>当日无医生出诊，请选择其他日期</Text>}
      {schedule.data?.doctors.map(({ doctor, sessions }) => (
        <View key={doctor.id} className='card department__session' onClick={() => openDoctor(doctor.id)}>
          <View>
            <Text className='department__name'>{doctor.name}</Text>
            <Text className='badge'>{TITLE_LABEL[doctor.title]}</Text>
          </View>
          {sessions.map((s) => (
            <Text key={s.period} className={`department__remaining is-${s.status}`}>
              {PERIOD_LABEL[s.period]} {yuan(s.feeFen)} ·{' '}
              {s.status === 'open'
                ? `余号 ${s.remaining}`
                : s.status === 'full'
                  ? '已约满'
                  : s.status === 'not_released'
                    ? '未放号'
                    : '停约'}
            </Text>
          ))}
        </View>
      ))}
      <Text className='section-title'>全部医生</Text>
      <StatusView
        loading={doctors.loading}
        error={doctors.error}
        empty={doctors.data?.items.length === 0}
        emptyText='该科室暂无出诊医生'
        onRetry={doctors.reload}
      />
      {doctors.data?.items.map((d) => (
        <View key={d.id} className='card department__doctor' onClick={() => openDoctor(d.id)}>
          <Avatar size='large' className='department__avatar'>
            {d.name.slice(0, 1)}
          </Avatar>
          <View className='department__info'>
            <View>
              <Text className='department__name'>{d.name}</Text>
              <Text className='badge'>{TITLE_LABEL[d.title]}</Text>
            </View>
            <Text className='department__specialty'>擅长：{d.specialty}</Text>
            <Text className='muted'>{d.intro}</Text>
          </View>
        </View>
      ))}
    </View>
  );
}
