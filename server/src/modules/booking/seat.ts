import { insertRows, type Sql } from '../../db/sql';
import { AppError, conflict } from '../../http/errors';
import { emit, type EventType } from './events';
import { OUTBOX_COLUMNS, outboxRow, takeSeat } from './seat-writes';
import { findSlotView } from './views';

/**
 * Cancels a booked appointment and frees its seat in the caller's transaction:
 * the seat goes to the first in the waitlist if anyone waits, else back to the
 * pool. A patient's cancellation is passed on to the hospital through the
 * outbox. The status change is conditional, so of two racing cancellations
 * only one frees the seat; returns whether this one did.
 */
export async function releaseSeat(
  sql: Sql,
  apt: { id: string; userId: string; slotId: string },
  reason: string,
  event: Extract<EventType, 'booking.cancelled' | 'booking.rejected_by_hospital'>,
): Promise<boolean> {
  const now = new Date();
  const hisStatus = event === 'booking.rejected_by_hospital' ? ", his_status = 'rejected'" : '';
  const changed = await sql.run(
    `UPDATE appointments SET status = 'cancelled', cancel_reason = ?, cancelled_at = ?, updated_at = ?${hisStatus}
     WHERE id = ? AND status = 'booked'`,
    [reason, now, now, apt.id],
  );
  if (!changed) return false;
  await sql.run('UPDATE slots SET booked = booked - 1, updated_at = ? WHERE id = ?', [now, apt.slotId]);
  if (event === 'booking.cancelled')
    await insertRows(sql, 'outbox', OUTBOX_COLUMNS, [outboxRow('cancel_booking', apt.id, now)]);
  await emit(sql, event, apt.userId, apt.id, { reason });
  await promoteWaitlist(sql, apt.slotId);
  return true;
}

/**
 * Gives freed seats of a slot to its waitlist, first come first served, while
 * the session has not started. An entry whose patient can no longer take the
 * seat (already booked that doctor that day, removed, limit reached) is
 * expired and the next one tried.
 */
export async function promoteWaitlist(sql: Sql, slotId: string) {
  const slot = (await findSlotView(sql, slotId))!;
  const waiting = await sql.all<{ id: string; userId: string; patientId: string }>(
    `SELECT id, user_id AS "userId", patient_id AS "patientId" FROM waitlist_entries
     WHERE slot_id = ? AND status = 'waiting' ORDER BY created_at, id`,
    [slotId],
  );
  const setEntry = (id: string, status: 'expired' | 'granted', appointmentId: string | null = null) =>
    sql.run('UPDATE waitlist_entries SET status = ?, appointment_id = ?, updated_at = ? WHERE id = ?', [
      status,
      appointmentId,
      new Date(),
      id,
    ]);
  for (const entry of waiting) {
    if (new Date() >= slot.startAt) {
      await setEntry(entry.id, 'expired');
      continue;
    }
    const seats = await sql.one<{ booked: number; capacity: number }>(
      'SELECT booked, capacity FROM slots WHERE id = ?',
      [slotId],
    );
    if (seats!.booked >= seats!.capacity) return;
    const patient = await sql.one('SELECT id FROM patients WHERE id = ? AND deleted_at IS NULL', [entry.patientId]);
    try {
      if (!patient) throw conflict('PATIENT_GONE', '');
      // The waitlist outlives release and stop times: only the seat itself must be free.
      const seat = await takeSeat(sql, { userId: entry.userId, patientId: entry.patientId, slot, rules: slot.rules });
      await setEntry(entry.id, 'granted', seat.id);
      await emit(sql, 'waitlist.granted', entry.userId, seat.id, { waitlistEntryId: entry.id, slotId });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      await setEntry(entry.id, 'expired');
    }
  }
}
