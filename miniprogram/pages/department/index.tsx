import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text } from '@tarojs/components';
import { api } from '../../api/client';
import { useRequest } from '../../api/use-request';
import type { DepartmentSchedule } from '../../api/types';
import { PERIOD_LABEL, SLOT_LEVEL_LABEL, TITLE_LABEL, dayLabel, yuan } from '../../constants/labels';
import { DateStrip, type Day } from '../../components/date-strip';
import { DoctorAvatar } from '../../components/doctor-avatar';
import { StatusView } from '../../components/status-view';
import './index.css';

type Session = DepartmentSchedule['doctors'][number]['sessions'][number];

const openDoctor = (id: string, date?: string) =>
  void Taro.navigateTo({ url: `/packages/booking/doctor/index?id=${id}${date ? `&date=${date}` : ''}` });

const SESSION_TEXT: Record<Session['status'], (s: Session) => string> = {
  open: (s) => `余号 ${s.remaining}`,
  full: () => '已约满，可候补',
  not_released: () => '未放号',
  closed: () => '停约',
};

const NO_DOCTOR_TEXT: Record<Day['status'], string> = {
  open: '这天暂无医生出诊',
  full: '这天的号已约满，可进入医生主页候补',
  not_released: '这天的号源尚未放出，请稍后再来',
  closed: '这天已停止预约',
  none: '这天没有医生出诊，请选择标有「有号」的日期',
};

/** A department: the booking window's dates with their availability, who sits on the chosen date, all doctors. */
export default function DepartmentPage() {
  const { id = '', name = '', hospital = '' } = useRouter().params;
  const depName = decodeURIComponent(name);
  // No date at first: the server opens on the first date with seats left.
  const [date, setDate] = useState<string>();
  const [days, setDays] = useState<Day[]>([]);
  const schedule = useRequest(() => api.departments.schedule(id, date), [id, date]);
  const doctors = useRequest(() => api.departments.doctors(id), [id]);
  const shown = schedule.data?.date ?? date;
  const dayStatus = days.find((d) => d.date === shown)?.status ?? 'none';

  useEffect(() => {
    if (schedule.data) setDays(schedule.data.days);
  }, [schedule.data]);
  useEffect(() => {
    if (depName) void Taro.setNavigationBarTitle({ title: depName });
  }, [depName]);

  return (
    <View className='page department'>
      <View className='department__head'>
        <Text className='title'>{depName}</Text>
        <Text className='department__hospital muted'>{decodeURIComponent(hospital)}</Text>
      </View>
      {days.length > 0 && <DateStrip days={days} value={shown} onChange={setDate} />}
      {shown && <Text className='section-title'>{dayLabel(shown)} 出诊医生</Text>}
      <StatusView loading={schedule.loading} error={schedule.error} onRetry={schedule.reload} />
      {!schedule.loading && schedule.data?.doctors.length === 0 && (
        <Text className='empty'>{NO_DOCTOR_TEXT[dayStatus]}</Text>
      )}
      {!schedule.loading &&
        schedule.data?.doctors.map(({ doctor, sessions }) => (
          <View
            key={doctor.id}
            className='card card--tap department__session'
            onClick={() => openDoctor(doctor.id, shown)}
            role='button'
          >
            <View className='name-row'>
              <Text className='name'>{doctor.name}</Text>
              <Text className='badge'>{TITLE_LABEL[doctor.title]}</Text>
            </View>
            <Text className='department__specialty muted'>擅长：{doctor.specialty}</Text>
            {sessions.map((s) => (
              <View key={s.period} className={`department__remaining is-${s.status}`}>
                <Text className='department__period'>{PERIOD_LABEL[s.period]}</Text>
                <Text className='department__fee'>
                  {SLOT_LEVEL_LABEL[s.level]} {yuan(s.feeFen)}
                </Text>
                <Text className='department__seats'>{SESSION_TEXT[s.status](s)}</Text>
              </View>
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
        <View key={d.id} className='card card--tap department__doctor' onClick={() => openDoctor(d.id)} role='button'>
          <DoctorAvatar name={d.name} gender={d.gender} photo={d.photoUrl ?? undefined} />
          <View className='department__info'>
            <View className='name-row'>
              <Text className='name'>{d.name}</Text>
              <Text className='badge'>{TITLE_LABEL[d.title]}</Text>
            </View>
            <Text className='department__specialty'>擅长：{d.specialty}</Text>
            <Text className='muted department__intro'>{d.intro}</Text>
          </View>
        </View>
      ))}
    </View>
  );
}
