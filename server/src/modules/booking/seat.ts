import type { Sql } from '../../db/sql';
import { AppError } from '../../http/errors';
import { enqueue } from '../../outbox/jobs';
import { ACTIVE_CONSENT_VERSION } from '../accounts/service';
import { emit, type EventType } from './events';
import { HIS_CANCEL_BOOKING } from './his-jobs';
import { takeSeat } from './seat-writes';
import { suspendedUntil } from './suspension';
import { findSlotView, type SlotView } from './views';

export type ReleaseEvent = Extract<
  EventType,
  'booking.cancelled' | 'booking.rejected_by_hospital' | 'booking.cancelled_by_hospital'
>;

/**
 * Seats going back: cancellations (by the patient, by erasure, by the
 * hospital's refusal or 停诊) and the waitlist that takes freed seats. Every
 * path that frees or adds a seat goes through here, so the waitlist always
 * gets the same treatment and the same booking rules.
 */
export class Seats {
  constructor(private readonly d: { policyVersion: string }) {}

  /**
   * Cancels a booked appointment in the caller's transaction and frees its
   * seat: to the first eligible patient on the waitlist, else back to the
   * pool. A cancellation the hospital did not make itself is passed on to it
   * through the outbox. The status change is conditional, so of two racing
   * cancellations only one frees the seat; returns whether this one did.
   */
  async release(
    sql: Sql,
    apt: { id: string; userId: string; slotId: string },
    reason: string,
    event: ReleaseEvent,
    options: { promote?: boolean } = {},
  ): Promise<boolean> {
    const now = new Date();
    const hisStatus = event === 'booking.rejected_by_hospital' ? ", his_status = 'rejected'" : '';
    const changed = await sql.run(
      `UPDATE appointments SET status = 'cancelled', cancel_reason = ?, cancelled_at = ?, updated_at = ?${hisStatus}
       WHERE id = ? AND status IN ('booked', 'checked_in')`,
      [reason, now, now, apt.id],
    );
    if (!changed) return false;
    await sql.run('UPDATE slots SET booked = booked - 1, updated_at = ? WHERE id = ?', [now, apt.slotId]);
    if (event === 'booking.cancelled') await enqueue(sql, [{ kind: HIS_CANCEL_BOOKING, aggregateId: apt.id }], now);
    await emit(sql, event, apt.userId, apt.id, { reason });
    if (options.promote !== false) await this.promote(sql, apt.slotId);
    return true;
  }

  /**
   * Gives free seats of a slot to its waitlist, first come first served, while
   * the session has not started. Each candidate must still pass the booking
   * rules: health-data consent, a verified patient, no no-show suspension, and
   * (checked with the seat itself) the account's active limit and one booking
   * per doctor and day. A candidate who fails is taken off the waitlist with
   * the reason, and the next one tried. Returns how many seats were granted.
   */
  async promote(sql: Sql, slotId: string): Promise<number> {
    const slot = await findSlotView(sql, slotId);
    if (!slot) return 0;
    const waiting = await sql.all<{ id: string; userId: string; patientId: string }>(
      `SELECT id, user_id AS "userId", patient_id AS "patientId" FROM waitlist_entries
       WHERE slot_id = ? AND status = 'waiting' ORDER BY created_at, id`,
      [slotId],
    );
    let granted = 0;
    for (const entry of waiting) {
      if (new Date() >= slot.startAt) {
        await endEntry(sql, entry.id, 'expired', '就诊时段已开始，候补结束');
        continue;
      }
      const seats = await sql.one<{ booked: number; capacity: number; closed: unknown }>(
        'SELECT booked, capacity, closed FROM slots WHERE id = ?',
        [slotId],
      );
      if (!seats || Boolean(seats.closed) || seats.booked >= seats.capacity) return granted;
      const refusal = await this.ineligible(sql, entry, slot);
      if (refusal) {
        await endEntry(sql, entry.id, 'expired', refusal);
        continue;
      }
      try {
        // The waitlist outlives release and stop times: only the seat itself must be free.
        const seat = await takeSeat(sql, { userId: entry.userId, patientId: entry.patientId, slot, rules: slot.rules });
        await endEntry(sql, entry.id, 'granted', null, seat.id);
        await emit(sql, 'waitlist.granted', entry.userId, seat.id, { waitlistEntryId: entry.id, slotId });
        granted++;
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        await endEntry(sql, entry.id, 'expired', err.message);
      }
    }
    return granted;
  }

  /** Why a waiting patient may not have the seat now, or null. */
  private async ineligible(sql: Sql, entry: { userId: string; patientId: string }, slot: SlotView) {
    const row = await sql.one<{ verification: string; consentVersion: string | null }>(
      `SELECT p.verification_status AS "verification", ${ACTIVE_CONSENT_VERSION} AS "consentVersion"
       FROM patients p WHERE p.id = ? AND p.user_id = ? AND p.deleted_at IS NULL`,
      [entry.userId, entry.patientId, entry.userId],
    );
    if (!row) return '就诊人已删除';
    if (row.consentVersion !== this.d.policyVersion) return '未同意最新的健康信息授权';
    if (row.verification !== 'verified') return '就诊人未通过实名认证';
    if (await suspendedUntil(sql, entry.patientId, slot.rules)) return '因多次爽约暂停预约';
    return null;
  }
}

function endEntry(
  sql: Sql,
  id: string,
  status: 'expired' | 'granted',
  reason: string | null,
  appointmentId: string | null = null,
) {
  return sql.run(
    `UPDATE waitlist_entries SET status = ?, end_reason = ?, appointment_id = ?, updated_at = ?
     WHERE id = ? AND status = 'waiting'`,
    [status, reason, appointmentId, new Date(), id],
  );
}
