import type { Sql } from '../../db/sql';
import type { Seats } from '../booking/seat';
import { eraseReports } from '../reports/erase';
import { eraseHealth } from '../health/erase';
import { eraseTriage } from '../triage/erase';

/** What stays of an erased patient: an id other records point at and the birth year, nothing that identifies. */
const ERASE_SET = `name = '已删除', id_number_enc = NULL, id_number_hash = NULL, id_number_masked = '',
  phone_enc = NULL, phone_masked = ''`;

export const ERASED_REASON = '就诊人信息已删除';

/**
 * Erases patients (one, or all of an account) in the caller's transaction.
 * Their future appointments are cancelled first, so the seats go back to the
 * pool or the waitlist and the hospitals are told (the outbox cancels by the
 * appointment's idempotency key, needing nothing personal); their waitlist
 * entries end; their report shares end and our copies of their reports go.
 * Past appointments stay, pointing at the de-identified row.
 */
export async function erasePatients(sql: Sql, seats: Seats, who: { userId: string; patientId?: string }) {
  const now = new Date();
  const one = Boolean(who.patientId);
  const params = one ? [who.patientId!, who.userId] : [who.userId];
  const scope = (alias: string) => (one ? `${alias}patient_id = ? AND ${alias}user_id = ?` : `${alias}user_id = ?`);
  const future = await sql.all<{ id: string; userId: string; slotId: string }>(
    `SELECT a.id, a.user_id AS "userId", a.slot_id AS "slotId" FROM appointments a JOIN slots s ON s.id = a.slot_id
     WHERE ${scope('a.')} AND a.status IN ('booked', 'checked_in') AND s.start_at > ? ORDER BY a.id`,
    [...params, now],
  );
  for (const apt of future) await seats.release(sql, apt, ERASED_REASON, 'booking.cancelled');
  await sql.run(
    `UPDATE waitlist_entries SET status = 'cancelled', end_reason = ?, updated_at = ? WHERE ${scope('')} AND status = 'waiting'`,
    [ERASED_REASON, now, ...params],
  );
  await eraseReports(sql, who);
  await eraseHealth(sql, who);
  await sql.run(
    `DELETE FROM bills WHERE patient_id IN (SELECT id FROM patients WHERE ${one ? 'id = ? AND user_id = ?' : 'user_id = ?'})`,
    params,
  );
  await eraseTriage(sql, who);
  await sql.run(
    `UPDATE patients SET ${ERASE_SET}, deleted_at = COALESCE(deleted_at, ?), updated_at = ?
     WHERE ${one ? 'id = ? AND user_id = ?' : 'user_id = ?'}`,
    [now, now, ...params],
  );
}
