import type { Db } from '../../db';
import { HisRejectedError, type HisClient } from '../../his/types';
import { PermanentJobError, type Job } from '../../outbox/jobs';
import type { OutboxRunner } from '../../outbox/runner';
import { slotOf, type PiiCipher } from '../../privacy/cipher';
import { Hospital } from '../hospitals/models';
import { targetOf } from '../hospitals/sync';
import { emit } from './events';
import type { Seats } from './seat';

/** Outbox job kinds of the booking module; the aggregate is the appointment id, which is also the idempotency key. */
export const HIS_CONFIRM_BOOKING = 'his.confirm_booking';
export const HIS_CANCEL_BOOKING = 'his.cancel_booking';

interface AppointmentRow {
  id: string;
  userId: string;
  patientId: string;
  slotId: string;
  status: string;
  hisStatus: string;
  hisBookingId: string | null;
  hospitalId: string;
  slotCode: string;
  patientName: string;
  idNumberEnc: string | null;
  phoneEnc: string | null;
}

/**
 * Tells hospitals about bookings and cancellations. Jobs of one appointment
 * run in order (the outbox's aggregate), so a cancellation waits until its
 * confirmation has resolved. A cancellation that finds no hospital booking id
 * asks the hospital by idempotency key, since a confirmation may have reached
 * it even though our record of the answer was lost.
 */
export function registerHisJobs(runner: OutboxRunner, d: { db: Db; his: HisClient; cipher: PiiCipher; seats: Seats }) {
  const load = async (job: Job) => {
    const apt = await d.db.sql.one<AppointmentRow>(
      `SELECT a.id, a.user_id AS "userId", a.patient_id AS "patientId", a.slot_id AS "slotId", a.status,
         a.his_status AS "hisStatus", a.his_booking_id AS "hisBookingId", a.hospital_id AS "hospitalId",
         s.his_code AS "slotCode", p.name AS "patientName", p.id_number_enc AS "idNumberEnc", p.phone_enc AS "phoneEnc"
       FROM appointments a JOIN slots s ON s.id = a.slot_id JOIN patients p ON p.id = a.patient_id WHERE a.id = ?`,
      [job.aggregateId],
    );
    if (!apt) throw new PermanentJobError('appointment not found');
    const hospital = await Hospital.findByPk(apt.hospitalId);
    if (!hospital) throw new PermanentJobError('hospital not found');
    return { apt, target: targetOf(hospital, d.cipher) };
  };

  runner.register(HIS_CONFIRM_BOOKING, async (job) => {
    const { apt, target } = await load(job);
    // Cancelled before the hospital confirmed: nothing to confirm. If an earlier
    // attempt reached the hospital, the cancellation job finds it by key.
    if (apt.status !== 'booked' && apt.status !== 'checked_in') return;
    if (!apt.idNumberEnc || !apt.phoneEnc) throw new PermanentJobError('patient data erased');
    let hisBookingId: string;
    try {
      ({ hisBookingId } = await d.his.confirmBooking(target, {
        idempotencyKey: apt.id,
        slotCode: apt.slotCode,
        patient: {
          name: apt.patientName,
          idNumber: d.cipher.decrypt(apt.idNumberEnc, slotOf('patients', 'id_number_enc', apt.patientId)),
          phone: d.cipher.decrypt(apt.phoneEnc, slotOf('patients', 'phone_enc', apt.patientId)),
        },
      }));
    } catch (err) {
      if (!(err instanceof HisRejectedError)) throw err;
      const reason = `医院未能确认预约：${err.hisMessage || err.hisCode}`;
      await d.db.writeSql((sql) => d.seats.release(sql, apt, reason, 'booking.rejected_by_hospital'));
      return;
    }
    await d.db.writeSql(async (sql) => {
      // The id is kept even if the patient cancelled meanwhile: the cancellation job needs it.
      const confirmed = await sql.run(
        `UPDATE appointments SET his_booking_id = ?, his_status = 'confirmed', updated_at = ?
         WHERE id = ? AND status IN ('booked', 'checked_in')`,
        [hisBookingId, new Date(), apt.id],
      );
      if (confirmed) await emit(sql, 'booking.confirmed', apt.userId, apt.id, { hisBookingId });
      else
        await sql.run('UPDATE appointments SET his_booking_id = ?, updated_at = ? WHERE id = ?', [
          hisBookingId,
          new Date(),
          apt.id,
        ]);
    });
  });

  runner.register(HIS_CANCEL_BOOKING, async (job) => {
    const { apt, target } = await load(job);
    let hisBookingId = apt.hisBookingId;
    try {
      if (!hisBookingId) {
        const found = await d.his.findBooking(target, apt.id);
        if (found.status === 'cancelled') return;
        hisBookingId = found.hisBookingId;
      }
      await d.his.cancelBooking(target, hisBookingId, `${apt.id}-cancel`);
    } catch (err) {
      // NO_SUCH_BOOKING: the confirmation never reached the hospital. NOT_CANCELLABLE: its answer stands.
      if (err instanceof HisRejectedError) return;
      throw err;
    }
  });
}
