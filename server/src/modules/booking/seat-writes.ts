/** Taking seats: the one write of the booking hot path, in plain SQL (db/sql.ts). */
import type { Outcome as GenericOutcome } from '../../db/group-commit';
import { insertRows, type Sql, type SqlValue } from '../../db/sql';
import { AppError, conflict } from '../../http/errors';
import { newId, randomPool } from '../../lib/ids';
import { OUTBOX_COLUMNS, jobRow } from '../../outbox/jobs';
import { EVENT_COLUMNS, eventRow } from './events';
import { HIS_CONFIRM_BOOKING } from './his-jobs';
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
    const [outcome] = await this.takeRound([r]);
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /**
   * Takes seats for requests that share no key (keysOf) and, on PostgreSQL,
   * no slot. SQLite runs one conditional UPDATE per request, all queued at
   * once; PostgreSQL runs them as one UPDATE over the requests as arrays
   * (one round trip), each row checked exactly as the single UPDATE checks it.
   */
  async takeRound(rs: SeatRequest[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = new Array(rs.length);
    const open: number[] = [];
    rs.forEach((r, i) => {
      const [, dayKey, idemKey] = SeatWrites.keysOf(r);
      if (this.pendingKeys.has(dayKey) || (idemKey && this.pendingKeys.has(idemKey))) {
        outcomes[i] = { ok: false, error: DUPLICATE_BOOKING };
      } else open.push(i);
    });
    const now = new Date();
    const taken = await this.conditionalUpdates(
      open.map((i) => rs[i]),
      now,
    );
    // Every statement settles before an error is thrown: one still running after
    // the caller's ROLLBACK would run outside the transaction.
    const refusals = await Promise.allSettled(
      open.map((i, j) => (taken[j] ? Promise.resolve(undefined) : this.refusal(rs[i]))),
    );
    const failure = refusals.find((x) => x.status === 'rejected');
    if (failure) throw (failure as PromiseRejectedResult).reason;
    open.forEach((i, j) => {
      const refusal = (refusals[j] as PromiseFulfilledResult<AppError | undefined>).value;
      outcomes[i] = refusal ? { ok: false, error: refusal } : { ok: true, value: this.record(rs[i], now) };
    });
    return outcomes;
  }

  /** Whether each request took its seat. */
  private async conditionalUpdates(rs: SeatRequest[], now: Date): Promise<boolean[]> {
    if (!rs.length) return [];
    const maxActive = (r: SeatRequest) => r.rules.maxActive - (this.pendingActive.get(r.userId) ?? 0);
    if (this.sql.dialect === 'postgres' && rs.length > 1) {
      const won = await this.sql.all<{ i: number }>(
        `UPDATE slots s SET booked = s.booked + 1, updated_at = ?
         FROM unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[])
           AS r(i, slot_id, patient_id, doctor_id, day, user_id, idem, max_active)
         WHERE s.id = r.slot_id AND s.closed = false AND s.booked < s.capacity
           AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.patient_id = r.patient_id AND a.doctor_id = r.doctor_id
             AND a.date = r.day AND a.${ACTIVE})
           AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.user_id = r.user_id AND a.idempotency_key = r.idem)
           AND (SELECT COUNT(*) FROM appointments a WHERE a.user_id = r.user_id AND a.${ACTIVE}) < r.max_active
         RETURNING r.i AS i`,
        [
          now,
          rs.map((_, i) => i),
          rs.map((r) => r.slot.id),
          rs.map((r) => r.patientId),
          rs.map((r) => r.slot.doctorId),
          rs.map((r) => r.slot.date),
          rs.map((r) => r.userId),
          rs.map((r) => r.key?.idempotencyKey ?? null),
          rs.map(maxActive),
        ],
      );
      const wonSet = new Set(won.map((w) => Number(w.i)));
      return rs.map((_, i) => wonSet.has(i));
    }
    const settled = await Promise.allSettled(
      rs.map((r) =>
        this.sql.run(
          `UPDATE slots SET booked = booked + 1, updated_at = ?
           WHERE id = ? AND closed = ? AND booked < capacity
             AND NOT EXISTS (SELECT 1 FROM appointments WHERE patient_id = ? AND doctor_id = ? AND date = ? AND ${ACTIVE})
             AND NOT EXISTS (SELECT 1 FROM appointments WHERE user_id = ? AND idempotency_key = ?)
             AND (SELECT COUNT(*) FROM appointments WHERE user_id = ? AND ${ACTIVE}) < ?`,
          [
            now,
            r.slot.id,
            false,
            r.patientId,
            r.slot.doctorId,
            r.slot.date,
            r.userId,
            r.key?.idempotencyKey ?? null,
            r.userId,
            maxActive(r),
          ],
        ),
      ),
    );
    const failure = settled.find((x) => x.status === 'rejected');
    if (failure) throw (failure as PromiseRejectedResult).reason;
    return settled.map((x) => (x as PromiseFulfilledResult<number>).value > 0);
  }

  /** Queues the rows of a taken seat for flush() and counts it for the rules. */
  private record(r: SeatRequest, now: Date): Seat {
    const { slot } = r;
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
    this.outbox.push(jobRow({ kind: HIS_CONFIRM_BOOKING, aggregateId: seat.id }, now));
    this.events.push(eventRow('booking.created', r.userId, seat.id, { slotId: slot.id, patientId: r.patientId }, now));
    const [, dayKey, idemKey] = SeatWrites.keysOf(r);
    this.pendingKeys.add(dayKey);
    if (idemKey) this.pendingKeys.add(idemKey);
    this.pendingActive.set(r.userId, (this.pendingActive.get(r.userId) ?? 0) + 1);
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
  private async refusal(r: SeatRequest): Promise<AppError> {
    const pendingActive = this.pendingActive.get(r.userId) ?? 0;
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

/**
 * On PostgreSQL, locks the accounts of a batch (in id order, so two batches
 * never deadlock) before any seat is taken: another process's uncommitted
 * bookings of the same account are then committed and counted by the
 * active-limit condition. SQLite has a single writer and needs no lock.
 */
async function lockAccounts(sql: Sql, requests: SeatRequest[]) {
  if (sql.dialect !== 'postgres') return;
  const ids = [...new Set(requests.map((r) => r.userId))].sort();
  await sql.all('SELECT id FROM users WHERE id = ANY(?::text[]) ORDER BY id FOR UPDATE', [ids]);
}

/** Takes one seat and writes its rows, inside the caller's transaction. */
export async function takeSeat(sql: Sql, r: SeatRequest): Promise<Seat> {
  await lockAccounts(sql, [r]);
  const writes = new SeatWrites(sql);
  const seat = await writes.take(r);
  await writes.flush();
  return seat;
}

export type Outcome = GenericOutcome<Seat>;

/**
 * Takes the seats of a batch in the caller's transaction, in rounds: requests
 * that share no account, patient-day or Idempotency-Key (nor, on PostgreSQL,
 * slot) take their seats together (takeRound), and one that shares a key waits
 * for the next round, so the rules see the earlier one. A refused seat wrote
 * nothing and is its request's outcome; any other error fails the whole batch.
 */
export async function takeBatch(sql: Sql, requests: SeatRequest[]): Promise<Outcome[]> {
  await lockAccounts(sql, requests);
  const writes = new SeatWrites(sql);
  const outcomes: Outcome[] = new Array(requests.length);
  const keysOf = (r: SeatRequest) =>
    sql.dialect === 'postgres' ? [...SeatWrites.keysOf(r), `slot|${r.slot.id}`] : SeatWrites.keysOf(r);
  let rest = requests.map((_, i) => i);
  while (rest.length) {
    const round: number[] = [];
    const later: number[] = [];
    const claimed = new Set<string>();
    for (const i of rest) {
      const keys = keysOf(requests[i]);
      if (keys.some((k) => claimed.has(k))) {
        later.push(i);
        continue;
      }
      keys.forEach((k) => claimed.add(k));
      round.push(i);
    }
    const results = await writes.takeRound(round.map((i) => requests[i]));
    round.forEach((i, j) => (outcomes[i] = results[j]));
    rest = later;
  }
  await writes.flush();
  return outcomes;
}
