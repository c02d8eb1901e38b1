import { Op } from 'sequelize';
import type { Db } from '../../db';
import { AppError, conflict, notFound } from '../../http/errors';
import { newId } from '../../lib/ids';
import { toShanghaiIso } from '../../lib/time';
import { findOwnPatient } from '../../privacy/access';
import type { AccountService } from '../accounts/service';
import { emit } from './events';
import { ACTIVE_STATUSES, Appointment, Slot, WaitlistEntry } from './models';
import { rulesFor, slotStatus } from './rules';
import { suspended } from './service';
import { slotSummary } from './slots';
import type { WaitlistEntryDto } from './schemas';
import { suspendedUntil } from './suspension';

/** 候补: a FIFO line for a full slot; a freed seat goes to the first in line automatically. */
export class WaitlistService {
  constructor(private readonly d: { db: Db; accounts: AccountService }) {}

  async join(userId: string, input: { slotId: string; patientId: string }): Promise<WaitlistEntryDto> {
    await this.d.accounts.requireConsent(userId);
    const patient = await findOwnPatient(userId, input.patientId);
    if (patient.verificationStatus !== 'verified') {
      throw new AppError(403, 'PATIENT_NOT_VERIFIED', '就诊人未通过实名认证，暂不能预约');
    }
    const id = await this.d.db.write(async (t) => {
      const slot = await Slot.findByPk(input.slotId, { transaction: t });
      if (!slot) throw notFound('号源');
      const rules = await rulesFor(slot.hospitalId, t);
      const status = slotStatus(slot, rules);
      if (status === 'open') throw conflict('SLOT_AVAILABLE', '该时段还有号，可直接预约');
      if (status !== 'full') throw conflict('WAITLIST_CLOSED', '该时段不可候补');
      const until = await suspendedUntil(this.d.db.sqlIn(t), patient.id, rules);
      if (until) throw suspended(until);
      const booked = await Appointment.count({
        where: { patientId: patient.id, doctorId: slot.doctorId, date: slot.date, status: ACTIVE_STATUSES },
        transaction: t,
      });
      if (booked) throw conflict('DUPLICATE_BOOKING', '该就诊人当天已预约该医生');
      const waiting = await WaitlistEntry.count({
        where: { patientId: patient.id, slotId: slot.id, status: 'waiting' },
        transaction: t,
      });
      if (waiting) throw conflict('ALREADY_WAITING', '该就诊人已在此时段候补');
      const entry = await WaitlistEntry.create(
        { id: newId('wlt'), userId, patientId: patient.id, slotId: slot.id, status: 'waiting' },
        { transaction: t },
      );
      await emit(this.d.db.sqlIn(t), 'waitlist.joined', userId, entry.id, { slotId: slot.id, patientId: patient.id });
      return entry.id;
    });
    return this.get(userId, id);
  }

  async list(userId: string): Promise<{ items: WaitlistEntryDto[] }> {
    const rows = await WaitlistEntry.findAll({ where: { userId }, order: [['createdAt', 'DESC']], limit: 50 });
    return { items: await Promise.all(rows.map((e) => this.toDto(e))) };
  }

  /** Conditional, so leaving cannot race a promotion: one of the two wins, never both. */
  async leave(userId: string, id: string): Promise<void> {
    await this.d.db.writeSql(async (sql) => {
      const left = await sql.run(
        `UPDATE waitlist_entries SET status = 'cancelled', end_reason = ?, updated_at = ?
         WHERE id = ? AND user_id = ? AND status = 'waiting'`,
        ['患者取消候补', new Date(), id, userId],
      );
      if (left) return;
      const entry = await sql.one('SELECT id FROM waitlist_entries WHERE id = ? AND user_id = ?', [id, userId]);
      throw entry ? conflict('NOT_WAITING', '该候补已结束') : notFound('候补');
    });
  }

  async get(userId: string, id: string): Promise<WaitlistEntryDto> {
    const entry = await WaitlistEntry.findOne({ where: { id, userId } });
    if (!entry) throw notFound('候补');
    return this.toDto(entry);
  }

  private async toDto(e: WaitlistEntry): Promise<WaitlistEntryDto> {
    const slot = (await Slot.findByPk(e.slotId))!;
    const ahead =
      e.status === 'waiting'
        ? await WaitlistEntry.count({
            where: { slotId: e.slotId, status: 'waiting', createdAt: { [Op.lt]: e.createdAt } },
          })
        : null;
    return {
      id: e.id,
      status: e.status,
      position: ahead === null ? null : ahead + 1,
      slot: slotSummary(slot),
      patientId: e.patientId,
      appointmentId: e.appointmentId ?? null,
      endReason: e.endReason ?? null,
      createdAt: toShanghaiIso(e.createdAt),
    };
  }
}
