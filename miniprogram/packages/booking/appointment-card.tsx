import { View, Text } from '@tarojs/components';
import type { Appointment } from '../../api/types';
import { APPOINTMENT_STATUS_LABEL, PERIOD_LABEL, TITLE_LABEL, dayLabel, hhmm, yuan } from '../../constants/labels';

const CONFIRMATION = { pending: '医院确认中', confirmed: '医院已确认', rejected: '医院未确认' } as const;

/** The facts of one appointment, as shown on the result, list and detail pages. */
export function AppointmentCard({ a, onClick }: { a: Appointment; onClick?: () => void }) {
  const active = a.status === 'booked';
  return (
    <View className={`card ${onClick ? 'card--tap' : ''}`} onClick={onClick} role={onClick ? 'button' : undefined}>
      <View className='name-row'>
        <Text className='name'>{a.hospital.name}</Text>
        <Text className={`badge ${active ? '' : 'badge--muted'}`}>{APPOINTMENT_STATUS_LABEL[a.status]}</Text>
      </View>
      <Text className='line'>
        {a.department.name} · {a.doctor.name} {TITLE_LABEL[a.doctor.title]}
      </Text>
      <Text className='line apt__when'>
        {dayLabel(a.slot.date)} {PERIOD_LABEL[a.slot.period]} {hhmm(a.slot.startAt)}-{hhmm(a.slot.endAt)}
      </Text>
      <Text className='line muted'>
        就诊人 {a.patient.name} · 挂号费 {yuan(a.feeFen)}（到院支付）
      </Text>
      {active && <Text className='line muted'>{CONFIRMATION[a.hospitalConfirmation]}</Text>}
      {a.cancelReason && <Text className='apt__reason'>取消原因：{a.cancelReason}</Text>}
    </View>
  );
}
