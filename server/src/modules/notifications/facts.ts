import { maskName } from '../../../../common/mask';
import { asDate, type Sql } from '../../db/sql';
import { shanghaiClock, shanghaiDate } from '../../lib/time';
import { findAppointmentView, type AppointmentView } from '../booking/views';
import type { NoticeFacts } from './catalog';

const PERIOD = { am: '上午', pm: '下午' } as const;

const monthDay = (date: string) => `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;

/** `11月30日 上午 09:00` */
export function whenOf(date: string, period: 'am' | 'pm', startAt: Date): string {
  return `${monthDay(date)} ${PERIOD[period]} ${shanghaiClock(startAt)}`;
}

/** `11月30日 14:05` */
const dayAndClock = (at: Date) => `${monthDay(shanghaiDate(at))} ${shanghaiClock(at)}`;

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

/**
 * What a notice about a report says: the patient's masked name, the hospital
 * and the kind of report, never its title or results (SMS and lock screens
 * are not private). Null when the report or its patient is gone.
 */
export async function reportFacts(sql: Sql, userId: string, reportId: string) {
  const row = await sql.one<{ name: string; hospital: string; type: string; reportedAt: unknown }>(
    `SELECT p.name, h.name AS hospital, r.type, r.reported_at AS "reportedAt" FROM reports r
     JOIN patients p ON p.id = r.patient_id JOIN hospitals h ON h.id = r.hospital_id
     WHERE r.id = ? AND p.user_id = ? AND p.deleted_at IS NULL`,
    [reportId, userId],
  );
  if (!row) return null;
  const facts: NoticeFacts = {
    patientName: maskName(row.name),
    hospital: row.hospital,
    title: row.type === 'exam' ? '检查报告' : '检验报告',
    when: dayAndClock(asDate(row.reportedAt)),
  };
  return facts;
}

export const reportPage = (id: string) => `/packages/reports/detail/index?id=${id}`;
