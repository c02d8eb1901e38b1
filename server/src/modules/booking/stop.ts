import type { Sql } from '../../db/sql';
import type { Seats } from './seat';

/**
 * 停诊: a doctor's session is stopped by the hospital. Its slots close, its
 * booked appointments are cancelled with the reason (one event per patient,
 * for the notification module), and its waitlist ends. Runs in the caller's
 * transaction; the slot sync (the hospital stopped it in its HIS) and the
 * console (a hospital admin stops it here) both come through here.
 */
export async function stopSlots(
  sql: Sql,
  seats: Seats,
  slotIds: string[],
  reason: string,
): Promise<{ cancelled: number; appointmentIds: string[] }> {
  if (!slotIds.length) return { cancelled: 0, appointmentIds: [] };
  const now = new Date();
  const list = slotIds.map(() => '?').join(', ');
  await sql.run(`UPDATE slots SET closed = ?, updated_at = ? WHERE id IN (${list})`, [true, now, ...slotIds]);
  const booked = await sql.all<{ id: string; userId: string; slotId: string }>(
    `SELECT id, user_id AS "userId", slot_id AS "slotId" FROM appointments
     WHERE slot_id IN (${list}) AND status IN ('booked', 'checked_in') ORDER BY id`,
    slotIds,
  );
  const appointmentIds: string[] = [];
  for (const apt of booked) {
    if (await seats.release(sql, apt, `医生停诊：${reason}`, 'booking.cancelled_by_hospital', { promote: false })) {
      appointmentIds.push(apt.id);
    }
  }
  await sql.run(
    `UPDATE waitlist_entries SET status = 'expired', end_reason = ?, updated_at = ?
     WHERE slot_id IN (${list}) AND status = 'waiting'`,
    [`医生停诊：${reason}`.slice(0, 100), now, ...slotIds],
  );
  return { cancelled: appointmentIds.length, appointmentIds };
}
