import { createHash } from 'node:crypto';
import { Op, UniqueConstraintError, type Transaction } from 'sequelize';
import type { Db } from '../../db';
import { AppError, conflict, notFound } from '../../http/errors';
import type { Limiter } from '../../http/rate-limit';
import type { Page } from '../../http/schemas';
import { toShanghaiIso } from '../../lib/time';
import { findOwnPatient } from '../../privacy/access';
import type { AccountService } from '../accounts/service';
import { Department, Doctor, Hospital } from '../hospitals/models';
import { Patient } from '../patients/models';
import { Appointment, Slot, type AppointmentStatus } from './models';
import { cancelDeadline, rulesFor, slotStatus, type Rules } from './rules';
import type { AppointmentDto } from './schemas';
import { STATUS_ERRORS, releaseSeat, takeSeat } from './seat';
import { slotSummary } from './slots';
import type { BatchWriter } from './writer';

export interface BookingDeps {
  db: Db;
  writer: BatchWriter;
  accounts: AccountService;
  limits: Limiter<'bookingPerAccount' | 'bookingPerIp'>;
}

const requestHash = (slotId: string, patientId: string) =>
  createHash('sha256').update(`${slotId}|${patientId}`).digest('hex');

/** 医联挂号: book, cancel and list appointments. */
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

    // Cheap checks before queueing for the writer; the writer repeats the ones that race.
    const replay = await this.replay(userId, idempotencyKey, hash);
    if (replay) return { appointment: await this.toDto(replay), replayed: true };
    await this.d.accounts.requireConsent(userId);
    const patient = await findOwnPatient(userId, input.patientId);
    if (patient.verificationStatus !== 'verified') {
      throw new AppError(403, 'PATIENT_NOT_VERIFIED', '就诊人未通过实名认证，暂不能预约');
    }
    const slot = await Slot.findByPk(input.slotId);
    if (!slot) throw notFound('号源');
    const rules = await rulesFor(slot.hospitalId);
    const status = slotStatus(slot, rules);
    if (status !== 'open') throw STATUS_ERRORS[status];
    await this.assertNotSuspended(patient, rules);

    const id = await this.d.writer
      .submit(async (t) => {
        const again = await this.replay(userId, idempotencyKey, hash, t);
        if (again) return { id: again.id, replayed: true };
        return { id: await takeSeat(userId, patient, slot.id, rules, t, { idempotencyKey, hash }), replayed: false };
      })
      .catch((err: unknown) => {
        if (err instanceof UniqueConstraintError) throw conflict('DUPLICATE_BOOKING', '该就诊人当天已预约该医生');
        throw err;
      });
    return { appointment: await this.get(userId, id.id), replayed: id.replayed };
  }

  async cancel(userId: string, id: string): Promise<AppointmentDto> {
    await this.d.db.write(async (t) => {
      const apt = await Appointment.findOne({ where: { id, userId }, transaction: t, lock: true });
      if (!apt) throw notFound('预约');
      if (apt.status !== 'booked') throw conflict('NOT_CANCELLABLE', '该预约当前状态不能取消');
      const slot = (await Slot.findByPk(apt.slotId, { transaction: t }))!;
      const rules = await rulesFor(apt.hospitalId, t);
      if (new Date() >= cancelDeadline(slot, rules)) {
        throw conflict('CANCEL_CUTOFF_PASSED', `已过退号截止时间（就诊前${rules.cancelCutoffHours}小时），请联系医院`);
      }
      await releaseSeat(apt, '患者取消', 'booking.cancelled', t);
    });
    return this.get(userId, id);
  }

  async list(
    userId: string,
    q: { status?: AppointmentStatus; page: number; pageSize: number },
  ): Promise<Page<AppointmentDto>> {
    const { rows, count } = await Appointment.findAndCountAll({
      where: { userId, ...(q.status ? { status: q.status } : {}) },
      order: [['createdAt', 'DESC']],
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    return {
      items: await Promise.all(rows.map((a) => this.toDto(a))),
      total: count,
      page: q.page,
      pageSize: q.pageSize,
    };
  }

  async get(userId: string, id: string): Promise<AppointmentDto> {
    const apt = await Appointment.findOne({ where: { id, userId } });
    if (!apt) throw notFound('预约');
    return this.toDto(apt);
  }

  /** 3 no-shows within 90 days suspend booking for 90 days from the last one (per hospital rules). */
  private async assertNotSuspended(patient: Patient, rules: Rules) {
    const since = new Date(Date.now() - rules.noShowWindowDays * 86_400_000);
    const noShows = await Appointment.findAll({
      where: { patientId: patient.id, status: 'no_show', updatedAt: { [Op.gte]: since } },
      order: [['updatedAt', 'DESC']],
      limit: rules.noShowLimit,
    });
    if (noShows.length < rules.noShowLimit) return;
    const until = new Date(noShows[0].updatedAt.getTime() + rules.suspendDays * 86_400_000);
    if (until > new Date()) {
      throw new AppError(
        403,
        'BOOKING_SUSPENDED',
        `因多次爽约，该就诊人暂停预约至${toShanghaiIso(until).slice(0, 10)}`,
        {
          until: toShanghaiIso(until),
        },
      );
    }
  }

  private async replay(userId: string, key: string, hash: string, transaction?: Transaction) {
    const found = await Appointment.findOne({ where: { userId, idempotencyKey: key }, transaction });
    if (found && found.requestHash !== hash) {
      throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', '该请求标识已用于另一次预约，请刷新后重试');
    }
    return found;
  }

  async toDto(a: Appointment): Promise<AppointmentDto> {
    const [slot, doctor, hospital, patient] = await Promise.all([
      Slot.findByPk(a.slotId),
      Doctor.findByPk(a.doctorId),
      Hospital.findByPk(a.hospitalId),
      Patient.findByPk(a.patientId),
    ]);
    const department = await Department.findByPk(slot!.departmentId);
    const rules = await rulesFor(a.hospitalId);
    const deadline = cancelDeadline(slot!, rules);
    return {
      id: a.id,
      status: a.status,
      bookingCode: a.bookingCode,
      hospitalConfirmation: a.hisStatus,
      cancelReason: a.cancelReason ?? null,
      feeFen: a.feeFen,
      slot: slotSummary(slot!),
      doctor: { id: doctor!.id, name: doctor!.name, title: doctor!.title },
      department: { id: department!.id, name: department!.name, location: department!.location },
      hospital: { id: hospital!.id, name: hospital!.name, address: hospital!.address },
      patient: { id: patient!.id, name: patient!.name, idNumber: patient!.idNumberMasked },
      cancellable: a.status === 'booked' && new Date() < deadline,
      cancelDeadline: toShanghaiIso(deadline),
      fromWaitlist: a.fromWaitlist,
      createdAt: toShanghaiIso(a.createdAt),
    };
  }
}
