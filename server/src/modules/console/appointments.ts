import { maskName } from '../../../../common/mask';
import type { Db } from '../../db';
import { asDate, type SqlValue } from '../../db/sql';
import { conflict } from '../../http/errors';
import type { StaffCaller } from '../../http/route';
import type { Page } from '../../http/schemas';
import { shanghaiDate, toShanghaiIso } from '../../lib/time';
import { recordAudit, type Actor, type AuditLog } from '../audit/service';
import type { AppointmentStatus } from '../booking/models';
import type { DoctorTitle } from '../hospitals/schemas';
import { scopeOf } from '../staff/access';
import { markCheckedIn } from '../visit/service';
import type { ConsoleAppointmentDto } from './schemas';

export interface AppointmentSearch {
  hospitalId?: string;
  doctorId?: string;
  bookingCode?: string;
  date?: string;
  status?: AppointmentStatus;
  page: number;
  pageSize: number;
}

const SELECT = `SELECT a.id, a.booking_code AS "bookingCode", a.status, a.his_status AS "hisStatus",
  a.cancel_reason AS "cancelReason", a.date, a.from_waitlist AS "fromWaitlist", a.created_at AS "createdAt",
  s.period, s.start_at AS "startAt", s.end_at AS "endAt",
  h.id AS "hospitalId", h.name AS "hospitalName", dep.id AS "departmentId", dep.name AS "departmentName",
  d.id AS "doctorId", d.name AS "doctorName", d.title AS "doctorTitle",
  p.name AS "patientName", p.id_number_masked AS "patientIdNumber", p.phone_masked AS "patientPhone"
  FROM appointments a JOIN slots s ON s.id = a.slot_id JOIN hospitals h ON h.id = a.hospital_id
  JOIN doctors d ON d.id = a.doctor_id JOIN departments dep ON dep.id = s.department_id
  JOIN patients p ON p.id = a.patient_id`;

/** What the console may change an appointment to, from which status, and when. */
const MARKS: Record<'checked_in' | 'completed' | 'no_show', { from: AppointmentStatus[]; label: string }> = {
  checked_in: { from: ['booked'], label: '签到' },
  completed: { from: ['checked_in'], label: '完成就诊' },
  no_show: { from: ['booked'], label: '爽约' },
};

/**
 * 预约管理: search appointments of the caller's hospitals (patients masked:
 * 张*, masked ID and phone; every search is audited as a read of patient
 * data) and mark them checked in, completed or no-show. A no-show is what the
 * no-show policy (booking/suspension.ts) counts.
 */
export class ConsoleAppointments {
  constructor(private readonly d: { db: Db; audit: AuditLog }) {}

  async search(staff: StaffCaller, q: AppointmentSearch, actor: Actor): Promise<Page<ConsoleAppointmentDto>> {
    const clauses: string[] = [];
    const params: SqlValue[] = [];
    const add = (clause: string, ...values: SqlValue[]) => {
      clauses.push(clause);
      params.push(...values);
    };
    const scope = scopeOf(staff);
    if (scope) add(`a.hospital_id IN (${scope.map(() => '?').join(', ') || 'NULL'})`, ...scope);
    if (q.hospitalId) add('a.hospital_id = ?', q.hospitalId);
    if (q.doctorId) add('a.doctor_id = ?', q.doctorId);
    if (q.bookingCode) add('a.booking_code = ?', q.bookingCode);
    if (q.date) add('a.date = ?', q.date);
    if (q.status) add('a.status = ?', q.status);
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    const rows = await this.d.db.sql.all<Record<string, unknown>>(
      `${SELECT} ${where} ORDER BY s.start_at DESC, a.id LIMIT ? OFFSET ?`,
      [...params, q.pageSize, (q.page - 1) * q.pageSize],
    );
    const count = await this.d.db.sql.one<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM appointments a ${where}`,
      params,
    );
    const filters = Object.keys(q).filter((k) => k !== 'page' && k !== 'pageSize' && q[k as keyof AppointmentSearch]);
    await this.d.audit.record(actor, {
      action: 'appointment.search',
      targetType: 'appointment',
      hospitalId: q.hospitalId ?? null,
      details: { filters, results: rows.length },
    });
    return { items: rows.map(toDto), total: Number(count?.n ?? 0), page: q.page, pageSize: q.pageSize };
  }

  async mark(id: string, status: keyof typeof MARKS, actor: Actor): Promise<ConsoleAppointmentDto> {
    const rule = MARKS[status];
    await this.d.db.writeSql(async (sql) => {
      const apt = (await sql.one<Record<string, unknown>>(`${SELECT} WHERE a.id = ?`, [id]))!;
      if (!rule.from.includes(apt.status as AppointmentStatus)) {
        throw conflict('STATUS_NOT_ALLOWED', `当前状态的预约不能标记为${rule.label}`);
      }
      if (status === 'checked_in' && apt.date !== shanghaiDate()) {
        throw conflict('NOT_TODAY', '只能为当天的预约签到');
      }
      if (status === 'no_show' && asDate(apt.startAt) > new Date()) {
        throw conflict('TOO_EARLY', '就诊时段开始后才能标记爽约');
      }
      // A desk check-in is the patient's own check-in: the same change and the same queue-number job.
      const changed =
        status === 'checked_in'
          ? await markCheckedIn(sql, id, new Date())
          : await sql.run('UPDATE appointments SET status = ?, updated_at = ? WHERE id = ? AND status = ?', [
              status,
              new Date(),
              id,
              apt.status as string,
            ]);
      if (!changed) throw conflict('STATUS_NOT_ALLOWED', '预约状态已变化，请刷新后重试');
      await recordAudit(sql, actor, {
        action: 'appointment.mark',
        targetType: 'appointment',
        targetId: id,
        hospitalId: apt.hospitalId as string,
        details: { from: apt.status, to: status },
      });
    });
    return toDto((await this.d.db.sql.one<Record<string, unknown>>(`${SELECT} WHERE a.id = ?`, [id]))!);
  }
}

function toDto(r: Record<string, unknown>): ConsoleAppointmentDto {
  return {
    id: r.id as string,
    bookingCode: r.bookingCode as string,
    status: r.status as AppointmentStatus,
    hospitalConfirmation: r.hisStatus as ConsoleAppointmentDto['hospitalConfirmation'],
    cancelReason: (r.cancelReason as string | null) ?? null,
    date: r.date as string,
    period: r.period as 'am' | 'pm',
    startAt: toShanghaiIso(asDate(r.startAt)),
    endAt: toShanghaiIso(asDate(r.endAt)),
    hospital: { id: r.hospitalId as string, name: r.hospitalName as string },
    department: { id: r.departmentId as string, name: r.departmentName as string },
    doctor: { id: r.doctorId as string, name: r.doctorName as string, title: r.doctorTitle as DoctorTitle },
    patient: {
      name: maskName(r.patientName as string),
      idNumber: (r.patientIdNumber as string) || '',
      phone: (r.patientPhone as string) || '',
    },
    fromWaitlist: Boolean(r.fromWaitlist),
    createdAt: toShanghaiIso(asDate(r.createdAt)),
  };
}
