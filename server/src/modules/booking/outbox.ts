import { Op } from 'sequelize';
import type { Db } from '../../db';
import { HisRejectedError, type HisClient } from '../../his/types';
import type { Logger } from '../../logger';
import type { PiiCipher } from '../../privacy/cipher';
import { Hospital } from '../hospitals/models';
import { targetOf } from '../hospitals/sync';
import { Patient } from '../patients/models';
import { emit } from './events';
import { Appointment, OutboxItem, Slot } from './models';
import { releaseSeat } from './seat';

const CLAIM_MS = 60_000;
const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * Delivers outbox rows to the hospitals: confirms and cancels bookings with
 * the appointment id as idempotency key, retries with exponential backoff
 * while a hospital is unavailable, and survives restarts (state is in the
 * table). Rows are claimed with a conditional update, so several server
 * processes can run workers side by side.
 */
export class OutboxWorker {
  private running = false;

  constructor(private readonly d: { db: Db; his: HisClient; cipher: PiiCipher; log: Logger }) {}

  /** Processes due rows once; returns how many were handled. */
  async runOnce(limit = 50): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const now = new Date();
      const due = await OutboxItem.findAll({
        where: {
          doneAt: null,
          nextAttemptAt: { [Op.lte]: now },
          [Op.or]: [{ claimedUntil: null }, { claimedUntil: { [Op.lt]: now } }],
        },
        order: [['createdAt', 'ASC']],
        limit,
      });
      let handled = 0;
      for (const item of due) {
        if (await this.claim(item)) {
          await this.deliver(item);
          handled++;
        }
      }
      return handled;
    } finally {
      this.running = false;
    }
  }

  private async claim(item: OutboxItem): Promise<boolean> {
    const now = new Date();
    const [n] = await this.d.db.write((transaction) =>
      OutboxItem.update(
        { claimedUntil: new Date(now.getTime() + CLAIM_MS) },
        {
          where: { id: item.id, doneAt: null, [Op.or]: [{ claimedUntil: null }, { claimedUntil: { [Op.lt]: now } }] },
          transaction,
        },
      ),
    );
    return n === 1;
  }

  private async deliver(item: OutboxItem) {
    const apt = (await Appointment.findByPk(item.appointmentId))!;
    const hospital = (await Hospital.findByPk(apt.hospitalId))!;
    try {
      if (item.kind === 'confirm_booking') await this.confirm(item, apt, hospital);
      else await this.cancel(item, apt, hospital);
    } catch (err) {
      if (err instanceof HisRejectedError && item.kind === 'confirm_booking') {
        await this.d.db.writeSql(async (sql) => {
          const reason = `医院未能确认预约：${err.hisMessage || err.hisCode}`;
          await releaseSeat(sql, apt, reason, 'booking.rejected_by_hospital');
          await sql.run('UPDATE outbox SET done_at = ?, last_error = ?, updated_at = ? WHERE id = ?', [
            new Date(),
            err.hisCode,
            new Date(),
            item.id,
          ]);
        });
        return;
      }
      const attempts = item.attempts + 1;
      const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempts, 12));
      this.d.log.warn(
        { outbox: item.id, kind: item.kind, hospital: hospital.code, attempts, err: (err as Error).message },
        'outbox delivery failed',
      );
      // A model-level update: the claim was written that way too, so the instance does not know it.
      await this.d.db.write((t) =>
        OutboxItem.update(
          {
            attempts,
            nextAttemptAt: new Date(Date.now() + backoff),
            claimedUntil: null,
            lastError: (err as Error).message.slice(0, 300),
          },
          { where: { id: item.id }, transaction: t },
        ),
      );
    }
  }

  private async confirm(item: OutboxItem, apt: Appointment, hospital: Hospital) {
    if (apt.status !== 'booked') {
      // Cancelled before the hospital heard of it: nothing to confirm.
      await this.d.db.write((t) => item.update({ doneAt: new Date() }, { transaction: t }));
      return;
    }
    const [slot, patient] = await Promise.all([Slot.findByPk(apt.slotId), Patient.findByPk(apt.patientId)]);
    const { hisBookingId } = await this.d.his.confirmBooking(targetOf(hospital), {
      idempotencyKey: apt.id,
      slotCode: slot!.hisCode,
      patient: {
        name: patient!.name,
        idNumber: this.d.cipher.decrypt(patient!.idNumberEnc!),
        phone: this.d.cipher.decrypt(patient!.phoneEnc!),
      },
    });
    await this.d.db.write(async (t) => {
      await apt.update({ hisStatus: 'confirmed', hisBookingId }, { transaction: t });
      await item.update({ doneAt: new Date() }, { transaction: t });
      await emit(this.d.db.sqlIn(t), 'booking.confirmed', apt.userId, apt.id, { hisBookingId });
    });
  }

  private async cancel(item: OutboxItem, apt: Appointment, hospital: Hospital) {
    if (apt.hisBookingId) await this.d.his.cancelBooking(targetOf(hospital), apt.hisBookingId, `${apt.id}-cancel`);
    await this.d.db.write((t) => item.update({ doneAt: new Date() }, { transaction: t }));
  }
}
