import { maskName } from '../../../../common/mask';
import type { Sql } from '../../db/sql';
import { shanghaiClock, shanghaiDate } from '../../lib/time';
import { findAppointmentView, type AppointmentView } from '../booking/views';
import type { NoticeFacts } from './catalog';

const PERIOD = { am: '上午', pm: '下午' } as const;

/** `11月30日 上午 09:00` */
export function whenOf(date: string, period: 'am' | 'pm', startAt: Date): string {
  return `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日 ${PERIOD[period]} ${shanghaiClock(startAt)}`;
}

/** What a notice about an appointment says, with the patient's name masked. */
export function appointmentFacts(apt: AppointmentView, reason?: string): NoticeFacts {
  const s = apt.slot;
  return {
    patientName: maskName(apt.patient.name),
    hospital: s.hospital.name,
    department: s.department.name,
    location: s.department.location,
    doctor: s.doctor.name,
    when: whenOf(s.date, s.period, s.startAt),
    reason,
    bookingCode: apt.bookingCode,
  };
}

export async function loadAppointment(sql: Sql, userId: string, appointmentId: string) {
  return findAppointmentView(sql, userId, { id: appointmentId });
}

/** A 停诊 or refusal is urgent when the visit is today: the patient may already be on the way. */
export const sameDay = (apt: AppointmentView, now = new Date()) => apt.slot.date === shanghaiDate(now);

export const appointmentPage = (id: string) => `/packages/booking/appointment/index?id=${id}`;
