import { createHash } from 'node:crypto';
import type { Db, Sql } from '../../db';
import { isUniqueViolation } from '../../db/sql';
import { AppError, conflict, notFound } from '../../http/errors';
import type { Limiter } from '../../http/rate-limit';
import type { Page } from '../../http/schemas';
import { toShanghaiIso } from '../../lib/time';
import { requireOwn } from '../../privacy/access';
import type { AccountService } from '../accounts/service';
import type { AppointmentStatus } from './models';
import { cancelDeadline, slotStatus, type Rules } from './rules';
import type { AppointmentDto } from './schemas';
import type { Seats } from './seat';
import { DUPLICATE_BOOKING, STATUS_ERRORS } from './seat-writes';
import { suspendedUntil } from './suspension';
import { slotSummary } from './slots';
import { findAppointmentView, findBookingContext, listAppointmentViews, type AppointmentView } from './views';
import type { BatchWriter } from './writer';

export interface BookingDeps {
  db: Db;
  writer: BatchWriter;
  seats: Seats;
  accounts: AccountService;
  limits: Limiter<'bookingPerAccount' | 'bookingPerIp'>;
}

const requestHash = (slotId: string, patientId: string) =>
  createHash('sha256').update(`${slotId}|${patientId}`).digest('hex');

/**
 * 医联挂号: book, cancel and list appointments. Booking is the release-time
 * hot path, so it runs on plain SQL (db/sql.ts) and reads each row once.
 */
export class BookingService {
  constructor(private readonly d: BookingDeps) {}

  async book(
    userId: string,
    input: { slotId: string; patientId: string },
    idempotencyKey: string,
    ip: string,
  ): Promise<{ appointment: AppointmentDto; replayed: boolean }> {
    await this.d.limits.consume('bookingPerIp', ip);
    await this.d.limits.consume('bookingPerAccount', userId);
    const hash = requestHash(input.slotId, input.patientId);
    const sql = this.d.db.sql;

    // Cheap checks before queueing for the writer, in one read; the writer repeats the ones that race.
    const ctx = await findBookingContext(sql, { userId, ...input, idempotencyKey });
    if (ctx.keyUsed) {
      const replay = await this.replay(sql, userId, idempotencyKey, hash);
      if (replay) return { appointment: toDto(replay), replayed: true };
    }
    this.d.accounts.checkConsent(ctx.consentVersion);
    const patient = requireOwn(ctx.patient);
    if (patient.verificationStatus !== 'verified') {
      throw new AppError(403, 'PATIENT_NOT_VERIFIED', '就诊人未通过实名认证，暂不能预约');
    }
    const { slot } = ctx;
    if (!slot) throw notFound('号源');
    const status = slotStatus(slot, slot.rules);
    if (status !== 'open') throw STATUS_ERRORS[status];
    if (ctx.hasNoShows) await this.assertNotSuspended(sql, patient.id, slot.rules);

    const seat = await this.d.writer
      .submit({ userId, patientId: patient.id, slot, rules: slot.rules, key: { idempotencyKey, hash } })
      .catch(async (err: unknown) => {
        // A racing request with the same key got there first (the duplicate check or a unique index saw it).
        const duplicate = err instanceof AppError && err.code === DUPLICATE_BOOKING.code;
        if (!duplicate && !isUniqueViolation(err)) throw err;
        const first = await this.replay(sql, userId, idempotencyKey, hash);
        if (!first) throw DUPLICATE_BOOKING;
        return first;
      });
    if ('slot' in seat) return { appointment: toDto(seat), replayed: true };
    const appointment = toDto({
      ...seat,
      userId,
      patientId: patient.id,
      status: 'booked',
      feeFen: slot.feeFen,
      hisStatus: 'pending',
      cancelReason: null,
      fromWaitlist: false,
      requestHash: hash,
      slot,
      patient: { id: patient.id, name: patient.name, idNumber: patient.idNumberMasked },
    });
    return { appointment, replayed: false };
  }

  async cancel(userId: string, id: string): Promise<AppointmentDto> {
    await this.d.db.writeSql(async (sql) => {
      const apt = await findAppointmentView(sql, userId, { id });
      if (!apt) throw notFound('预约');
      if (apt.status !== 'booked') throw NOT_CANCELLABLE;
      const { rules } = apt.slot;
      if (new Date() >= cancelDeadline(apt.slot, rules)) {
        throw conflict('CANCEL_CUTOFF_PASSED', `已过退号截止时间（就诊前${rules.cancelCutoffHours}小时），请联系医院`);
      }
      const released = await this.d.seats.release(
        sql,
        { id, userId, slotId: apt.slot.id },
        '患者取消',
        'booking.cancelled',
      );
      if (!released) throw NOT_CANCELLABLE;
    });
    return this.get(userId, id);
  }

  async list(
    userId: string,
    q: { status?: AppointmentStatus; page: number; pageSize: number },
  ): Promise<Page<AppointmentDto>> {
    const { rows, total } = await listAppointmentViews(this.d.db.sql, userId, {
      status: q.status,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    return { items: rows.map(toDto), total, page: q.page, pageSize: q.pageSize };
  }

  async get(userId: string, id: string): Promise<AppointmentDto> {
    const apt = await findAppointmentView(this.d.db.sql, userId, { id });
    if (!apt) throw notFound('预约');
    return toDto(apt);
  }

  /** 3 no-shows within 90 days suspend booking for 90 days from the last one (per hospital rules). */
  private async assertNotSuspended(sql: Sql, patientId: string, rules: Rules) {
    const until = await suspendedUntil(sql, patientId, rules);
    if (until) throw suspended(until);
  }

  private async replay(sql: Sql, userId: string, idempotencyKey: string, hash: string) {
    const found = await findAppointmentView(sql, userId, { idempotencyKey });
    if (found && found.requestHash !== hash) {
      throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', '该请求标识已用于另一次预约，请刷新后重试');
    }
    return found;
  }
}

const NOT_CANCELLABLE = conflict('NOT_CANCELLABLE', '该预约当前状态不能取消');

export const suspended = (until: Date) =>
  new AppError(403, 'BOOKING_SUSPENDED', `因多次爽约，该就诊人暂停预约至${toShanghaiIso(until).slice(0, 10)}`, {
    until: toShanghaiIso(until),
  });

export function toDto(a: AppointmentView): AppointmentDto {
  const deadline = cancelDeadline(a.slot, a.slot.rules);
  return {
    id: a.id,
    status: a.status,
    bookingCode: a.bookingCode,
    hospitalConfirmation: a.hisStatus,
    cancelReason: a.cancelReason,
    feeFen: a.feeFen,
    slot: slotSummary(a.slot),
    doctor: a.slot.doctor,
    department: a.slot.department,
    hospital: a.slot.hospital,
    patient: a.patient,
    cancellable: a.status === 'booked' && new Date() < deadline,
    cancelDeadline: toShanghaiIso(deadline),
    fromWaitlist: a.fromWaitlist,
    createdAt: toShanghaiIso(a.createdAt),
  };
}
