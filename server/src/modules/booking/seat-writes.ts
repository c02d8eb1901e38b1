/** Taking seats: the one write of the booking hot path, in plain SQL (db/sql.ts). */
import { insertRows, type Sql, type SqlValue } from '../../db/sql';
import { AppError, conflict } from '../../http/errors';
import { newId, randomPool } from '../../lib/ids';
import { EVENT_COLUMNS, eventRow } from './events';
import type { Rules } from './rules';
import type { SlotView } from './views';

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

const APPOINTMENT_COLUMNS = [
  'id user_id patient_id slot_id doctor_id hospital_id date status booking_code',
  'fee_fen idempotency_key request_hash his_status from_waitlist created_at updated_at',
]
  .join(' ')
  .split(' ');
export const OUTBOX_COLUMNS = 'id kind appointment_id attempts next_attempt_at created_at updated_at'.split(' ');
export const outboxRow = (kind: 'confirm_booking' | 'cancel_booking', appointmentId: string, now: Date): SqlValue[] => [
  newId('obx'),
  kind,
  appointmentId,
  0,
  now,
  now,
  now,
];

/**
 * Seats taken in one transaction. `take` is the atomic step: the rules that
 * depend on other bookings (one per patient, doctor and day; the account's
 * active limit; an Idempotency-Key used once) and the free seat are checked
 * and the seat taken by one conditional UPDATE, so nothing is written unless
 * all hold. The seats' appointments, outbox rows and events are then written
 * together by `flush`, one INSERT per table, before the transaction commits.
 * Seats taken but not yet flushed count for the rules above. Time-based rules
 * (release, stop) are the caller's to check.
 */
export class SeatWrites {
  private readonly appointments: SqlValue[][] = [];
  private readonly outbox: SqlValue[][] = [];
  private readonly events: SqlValue[][] = [];
  /** Unflushed seats' patient-day and Idempotency-Key (keysOf). */
  private readonly pendingKeys = new Set<string>();
  private readonly pendingActive = new Map<string, number>();

  constructor(private readonly sql: Sql) {}

  /** What the rules of two bookings can share: the account, the patient-day, the Idempotency-Key. */
  static keysOf(r: SeatRequest): string[] {
    const keys = [`user|${r.userId}`, `day|${r.patientId}|${r.slot.doctorId}|${r.slot.date}`];
    if (r.key) keys.push(`key|${r.userId}|${r.key.idempotencyKey}`);
    return keys;
  }

  async take(r: SeatRequest): Promise<Seat> {
    const { slot } = r;
    const [, dayKey, idemKey] = SeatWrites.keysOf(r);
    if (this.pendingKeys.has(dayKey) || (idemKey && this.pendingKeys.has(idemKey))) throw DUPLICATE_BOOKING;
    const pendingActive = this.pendingActive.get(r.userId) ?? 0;
    const now = new Date();
    const taken = await this.sql.run(
      `UPDATE slots SET booked = booked + 1, updated_at = ?
       WHERE id = ? AND closed = ? AND booked < capacity
         AND NOT EXISTS (SELECT 1 FROM appointments WHERE patient_id = ? AND doctor_id = ? AND date = ? AND ${ACTIVE})
         AND NOT EXISTS (SELECT 1 FROM appointments WHERE user_id = ? AND idempotency_key = ?)
         AND (SELECT COUNT(*) FROM appointments WHERE user_id = ? AND ${ACTIVE}) < ?`,
      [
        now,
        slot.id,
        false,
        r.patientId,
        slot.doctorId,
        slot.date,
        r.userId,
        r.key?.idempotencyKey ?? null,
        r.userId,
        r.rules.maxActive - pendingActive,
      ],
    );
    if (!taken) throw await this.refusal(r, pendingActive);

    const seat = { id: newId('apt'), bookingCode: bookingCode(), createdAt: now };
    this.appointments.push([
      seat.id,
      r.userId,
      r.patientId,
      slot.id,
      slot.doctorId,
      slot.hospitalId,
      slot.date,
      'booked',
      seat.bookingCode,
      slot.feeFen,
      r.key?.idempotencyKey ?? null,
      r.key?.hash ?? null,
      'pending',
      !r.key,
      now,
      now,
    ]);
    this.outbox.push(outboxRow('confirm_booking', seat.id, now));
    this.events.push(eventRow('booking.created', r.userId, seat.id, { slotId: slot.id, patientId: r.patientId }, now));
    this.pendingKeys.add(dayKey);
    if (idemKey) this.pendingKeys.add(idemKey);
    this.pendingActive.set(r.userId, pendingActive + 1);
    return seat;
  }

  async flush(): Promise<void> {
    await insertRows(this.sql, 'appointments', APPOINTMENT_COLUMNS, this.appointments.splice(0));
    await insertRows(this.sql, 'outbox', OUTBOX_COLUMNS, this.outbox.splice(0));
    await insertRows(this.sql, 'domain_events', EVENT_COLUMNS, this.events.splice(0));
    this.pendingKeys.clear();
    this.pendingActive.clear();
  }

  /** Why the conditional UPDATE took no seat, checked in the order patients are told. */
  private async refusal(r: SeatRequest, pendingActive: number): Promise<AppError> {
    const why = await this.sql.one<{ duplicate: number | string; active: number | string; closed: unknown }>(
      `SELECT (SELECT COUNT(*) FROM appointments
                WHERE (patient_id = ? AND doctor_id = ? AND date = ? AND ${ACTIVE})
                   OR (user_id = ? AND idempotency_key = ?)) AS duplicate,
         (SELECT COUNT(*) FROM appointments WHERE user_id = ? AND ${ACTIVE}) AS active,
         (SELECT closed FROM slots WHERE id = ?) AS closed`,
      [r.patientId, r.slot.doctorId, r.slot.date, r.userId, r.key?.idempotencyKey ?? null, r.userId, r.slot.id],
    );
    if (Number(why!.duplicate)) return DUPLICATE_BOOKING;
    if (Number(why!.active) + pendingActive >= r.rules.maxActive) {
      return conflict('TOO_MANY_ACTIVE', `每个账号最多同时有${r.rules.maxActive}个待就诊预约`);
    }
    return why!.closed ? STATUS_ERRORS.closed : STATUS_ERRORS.full;
  }
}

/** Takes one seat and writes its rows, inside the caller's transaction. */
export async function takeSeat(sql: Sql, r: SeatRequest): Promise<Seat> {
  const writes = new SeatWrites(sql);
  const seat = await writes.take(r);
  await writes.flush();
  return seat;
}

export type Outcome = { ok: true; seat: Seat } | { ok: false; error: unknown };

/**
 * Takes the seats of a batch in the caller's transaction: requests that share
 * no account, patient-day or Idempotency-Key run their conditional UPDATEs
 * together (the database orders them; each checks the seat count itself), and
 * one that shares a key waits for the next round, so the rules see the
 * earlier one. A refused seat wrote nothing and is its request's outcome;
 * any other error fails the whole batch.
 */
export async function takeBatch(sql: Sql, requests: SeatRequest[]): Promise<Outcome[]> {
  const writes = new SeatWrites(sql);
  const outcomes: Outcome[] = new Array(requests.length);
  let rest = requests.map((_, i) => i);
  while (rest.length) {
    const round: number[] = [];
    const later: number[] = [];
    const claimed = new Set<string>();
    for (const i of rest) {
      const keys = SeatWrites.keysOf(requests[i]);
      if (keys.some((k) => claimed.has(k))) {
        later.push(i);
        continue;
      }
      keys.forEach((k) => claimed.add(k));
      round.push(i);
    }
    // Every statement settles before an error is thrown: one still running after
    // the caller's ROLLBACK would run outside the transaction.
    const settled = await Promise.allSettled(round.map((i) => writes.take(requests[i])));
    const failure = settled.find((r) => r.status === 'rejected' && !(r.reason instanceof AppError));
    if (failure) throw (failure as PromiseRejectedResult).reason;
    settled.forEach((r, j) => {
      outcomes[round[j]] = r.status === 'fulfilled' ? { ok: true, seat: r.value } : { ok: false, error: r.reason };
    });
    rest = later;
  }
  await writes.flush();
  return outcomes;
}
