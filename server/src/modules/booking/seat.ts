import type { Sql } from '../../db/sql';
import { AppError, conflict } from '../../http/errors';
import { newId, randomPool } from '../../lib/ids';
import { emit, type EventType } from './events';
import type { Rules } from './rules';
import { findSlotView, type SlotView } from './views';

const CODE_CHARS = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** 8 characters of a 32-letter alphabet without look-alikes (0/O, 1/I): 40 random bits. */
function bookingCode() {
  const bytes = randomPool(8);
  let code = '';
  for (let i = 0; i < 8; i++) code += CODE_CHARS[bytes[i] & 31];
  return code;
}

/** Written exactly as the partial unique index's predicate, so SQLite can use that index. */
const ACTIVE = "status IN ('booked', 'checked_in')";

export const STATUS_ERRORS: Record<string, AppError> = {
  full: conflict('SLOT_FULL', '该时段号源已约满，可加入候补'),
  not_released: conflict('NOT_RELEASED', '该日期号源尚未放出，请在放号时间后预约'),
  closed: conflict('BOOKING_CLOSED', '该时段已停止预约'),
};
export const DUPLICATE_BOOKING = conflict('DUPLICATE_BOOKING', '该就诊人当天已预约该医生');

export interface SeatRequest {
  userId: string;
  patientId: string;
  slot: Pick<SlotView, 'id' | 'doctorId' | 'hospitalId' | 'date' | 'feeFen'>;
  rules: Rules;
  /** Set for a patient's own request; absent when the waitlist grants the seat. */
  key?: { idempotencyKey: string; hash: string };
}

export interface Seat {
  id: string;
  bookingCode: string;
  createdAt: Date;
}

/**
 * The atomic step, inside the caller's transaction: rules that depend on other
 * bookings are checked and the seat is taken by one conditional UPDATE
 * (booked < capacity), then the appointment, its outbox row and its event are
 * written. Time-based rules (release, stop) are the caller's to check.
 */
export async function takeSeat(sql: Sql, r: SeatRequest): Promise<Seat> {
  const { slot } = r;
  const now = new Date();
  const counts = await sql.one<{ duplicate: number | string; active: number | string }>(
    `SELECT (SELECT COUNT(*) FROM appointments WHERE patient_id = ? AND doctor_id = ? AND date = ? AND ${ACTIVE}) AS duplicate,
       (SELECT COUNT(*) FROM appointments WHERE user_id = ? AND ${ACTIVE}) AS active`,
    [r.patientId, slot.doctorId, slot.date, r.userId],
  );
  if (Number(counts!.duplicate)) throw DUPLICATE_BOOKING;
  if (Number(counts!.active) >= r.rules.maxActive) {
    throw conflict('TOO_MANY_ACTIVE', `每个账号最多同时有${r.rules.maxActive}个待就诊预约`);
  }
  const taken = await sql.run(
    'UPDATE slots SET booked = booked + 1, updated_at = ? WHERE id = ? AND closed = ? AND booked < capacity',
    [now, slot.id, false],
  );
  if (!taken) {
    const row = await sql.one<{ closed: unknown }>('SELECT closed FROM slots WHERE id = ?', [slot.id]);
    throw row?.closed ? STATUS_ERRORS.closed : STATUS_ERRORS.full;
  }

  const seat = { id: newId('apt'), bookingCode: bookingCode(), createdAt: now };
  await sql.run(
    `INSERT INTO appointments (id, user_id, patient_id, slot_id, doctor_id, hospital_id, date, status, booking_code,
       fee_fen, idempotency_key, request_hash, his_status, from_waitlist, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'booked', ?, ?, ?, ?, 'pending', ?, ?, ?)`,
    [
      seat.id,
      r.userId,
      r.patientId,
      slot.id,
      slot.doctorId,
      slot.hospitalId,
      slot.date,
      seat.bookingCode,
      slot.feeFen,
      r.key?.idempotencyKey ?? null,
      r.key?.hash ?? null,
      !r.key,
      now,
      now,
    ],
  );
  await addOutboxItem(sql, 'confirm_booking', seat.id, now);
  await emit(sql, 'booking.created', r.userId, seat.id, { slotId: slot.id, patientId: r.patientId });
  return seat;
}

function addOutboxItem(sql: Sql, kind: 'confirm_booking' | 'cancel_booking', appointmentId: string, now: Date) {
  return sql.run(
    `INSERT INTO outbox (id, kind, appointment_id, attempts, next_attempt_at, created_at, updated_at)
     VALUES (?, ?, ?, 0, ?, ?, ?)`,
    [newId('obx'), kind, appointmentId, now, now, now],
  );
}

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
  if (event === 'booking.cancelled') await addOutboxItem(sql, 'cancel_booking', apt.id, now);
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
