import { View, Text } from '@tarojs/components';
import type { Appointment } from '../../api/types';
import { APPOINTMENT_STATUS_LABEL, PERIOD_LABEL, TITLE_LABEL, dayLabel, hhmm, yuan } from '../../constants/labels';

const CONFIRMATION = { pending: '医院确认中', confirmed: '医院已确认', rejected: '医院未确认' } as const;

/** The facts of one appointment, as shown on the result, list and detail pages. */
export function AppointmentCard({ a, onClick }: { a: Appointment; onClick?: () => void }) {
  return (
    <View className='card' onClick={onClick}>
      <View>
        <Text className='title'>{a.hospital.name}</Text>
        <Text className={`badge ${a.status === 'booked' ? '' : 'badge--muted'}`}>
          {APPOINTMENT_STATUS_LABEL[a.status]}
        </Text>
      </View>
      <Text className='apt__line'>
        {a.department.name} · {a.doctor.name} {TITLE_LABEL[a.doctor.title]}
      </Text>
      <Text className='apt__line'>
        {dayLabel(a.slot.date)} {PERIOD_LABEL[a.slot.period]} {hhmm(a.slot.startAt)}-{hhmm(a.slot.endAt)}
      </Text>
      <Text className='apt__line'>
        就诊人 {a.patient.name} · 挂号费 {yuan(a.feeFen)}
      </Text>
      {a.status === 'booked' && <Text className='muted apt__line'>{CONFIRMATION[a.hospitalConfirmation]}</Text>}
      {a.cancelReason && <Text className='apt__reason'>取消原因：{a.cancelReason}</Text>}
    </View>
  );
}
