import type { Db } from '../../db';
import { HisRejectedError, type HisClient } from '../../his/types';
import type { Logger } from '../../logger';
import { PermanentJobError } from '../../outbox/jobs';
import type { OutboxRunner } from '../../outbox/runner';
import type { PiiCipher } from '../../privacy/cipher';
import { Hospital } from '../hospitals/models';
import { targetOf } from '../hospitals/sync';
import { HIS_CHECK_IN } from './service';

/**
 * Tells the hospital a patient has arrived and stores the queue number it
 * gives. The job runs after the booking's confirmation (same aggregate), so
 * the hospital's booking id is known; the idempotency key makes a repeat
 * answer the same number. A refusal (the hospital will not check this booking
 * in) takes the check-in back, so the patient sees 待签到 and the desk.
 */
export function registerVisitJobs(runner: OutboxRunner, d: { db: Db; his: HisClient; cipher: PiiCipher; log: Logger }) {
  runner.register(HIS_CHECK_IN, async (job) => {
    const apt = await d.db.sql.one<{ id: string; status: string; hisBookingId: string | null; hospitalId: string }>(
      `SELECT id, status, his_booking_id AS "hisBookingId", hospital_id AS "hospitalId" FROM appointments WHERE id = ?`,
      [job.aggregateId],
    );
    if (!apt) throw new PermanentJobError('appointment not found');
    if (apt.status !== 'checked_in') return;
    if (!apt.hisBookingId) throw new Error('booking not confirmed by the hospital yet');
    const hospital = await Hospital.findByPk(apt.hospitalId);
    if (!hospital) throw new PermanentJobError('hospital not found');
    try {
      const r = await d.his.checkIn(targetOf(hospital, d.cipher), {
        idempotencyKey: `${apt.id}-checkin`,
        hisBookingId: apt.hisBookingId,
      });
      await d.db.writeSql((sql) =>
        sql.run(
          `UPDATE appointments SET queue_number = ?, queue_room_code = ?, queue_room_name = ?, updated_at = ?
           WHERE id = ? AND status = 'checked_in'`,
          [r.queueNumber, r.room.code, r.room.name, new Date(), apt.id],
        ),
      );
    } catch (err) {
      if (!(err instanceof HisRejectedError)) throw err;
      d.log.warn({ appointment: apt.id, hisCode: err.hisCode }, 'hospital refused a check-in');
      await d.db.writeSql((sql) =>
        sql.run(
          `UPDATE appointments SET status = 'booked', checked_in_at = NULL, updated_at = ? WHERE id = ? AND status = 'checked_in'`,
          [new Date(), apt.id],
        ),
      );
    }
  });
}
