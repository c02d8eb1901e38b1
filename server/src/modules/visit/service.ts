import type { Db } from '../../db';
import { asDate, type Sql } from '../../db/sql';
import { conflict, notFound } from '../../http/errors';
import type { HisClient } from '../../his/types';
import { shanghaiClock, toShanghaiIso, toShanghaiIsoOrNull } from '../../lib/time';
import { enqueue } from '../../outbox/jobs';
import type { PiiCipher } from '../../privacy/cipher';
import { ACTIVE_CONSENT_VERSION, type AccountService } from '../accounts/service';
import { emit } from '../booking/events';
import { hisUnavailable } from '../hospitals/service';
import { targetOf } from '../hospitals/sync';
import { estimateWaitMinutes, placeInQueue } from './estimate';
import { QueueCache } from './queue-cache';
import type { CheckInDto, QueueStatusDto } from './schemas';

/** Outbox job kind: tell the hospital the patient has arrived (aggregate: the appointment, after its confirmation). */
export const HIS_CHECK_IN = 'his.check_in';

/**
 * The one way an appointment becomes checked in, from the patient's tap or the
 * hospital desk in the console: in the caller's transaction, conditional on it
 * being booked, with the job that asks the hospital for its queue number.
 * Returns whether this call changed it.
 */
export async function markCheckedIn(sql: Sql, appointmentId: string, at: Date): Promise<boolean> {
  const n = await sql.run(
    `UPDATE appointments SET status = 'checked_in', checked_in_at = ?, updated_at = ? WHERE id = ? AND status = 'booked'`,
    [at, at, appointmentId],
  );
  if (n) await enqueue(sql, [{ kind: HIS_CHECK_IN, aggregateId: appointmentId }], at);
  return n > 0;
}

export interface VisitConfig {
  checkInOpensMs: number;
  checkInClosesMs: number;
  queueRefreshMs: number;
  queueStaleMs: number;
  estimateSamples: number;
}

export interface VisitDeps {
  db: Db;
  his: HisClient;
  cipher: PiiCipher;
  accounts: AccountService;
  config: VisitConfig;
  /** Milliseconds since the epoch; tests pass their own. */
  clock?: () => number;
}

/** An appointment as check-in and the queue need it, read in one statement. */
export interface VisitRow {
  id: string;
  userId: string;
  status: string;
  startAt: unknown;
  queueNumber: number | null;
  queueRoomCode: string | null;
  queueRoomName: string | null;
  queueNearAt: unknown;
  checkedInAt: unknown;
  consentVersion: string | null;
  hospitalId: string;
  hospitalCode: string;
  hospitalName: string;
  hisBaseUrl: string;
  hisSecretEnc: string | null;
}

const VISIT_COLUMNS = `a.id, a.user_id AS "userId", a.status,
    s.start_at AS "startAt", a.queue_number AS "queueNumber", a.queue_room_code AS "queueRoomCode",
    a.queue_room_name AS "queueRoomName", a.queue_near_at AS "queueNearAt", a.checked_in_at AS "checkedInAt",
    h.id AS "hospitalId", h.code AS "hospitalCode", h.name AS "hospitalName", h.his_base_url AS "hisBaseUrl",
    h.his_secret_enc AS "hisSecretEnc"`;

/** The same ownership rule as privacy/access.ts OWN_PATIENT: the caller's own, live patient. */
const VISIT_SELECT = `SELECT ${ACTIVE_CONSENT_VERSION} AS "consentVersion", ${VISIT_COLUMNS}
  FROM appointments a JOIN slots s ON s.id = a.slot_id
  JOIN patients p ON p.id = a.patient_id AND p.user_id = ? AND p.deleted_at IS NULL
  JOIN hospitals h ON h.id = a.hospital_id
  WHERE a.id = ? AND a.user_id = ?`;

/** Checked-in patients with a queue number who have not been told 即将叫号 yet, in sessions around now. */
const WATCH_SELECT = `SELECT NULL AS "consentVersion", ${VISIT_COLUMNS}
  FROM appointments a JOIN slots s ON s.id = a.slot_id JOIN hospitals h ON h.id = a.hospital_id
  WHERE a.status = 'checked_in' AND a.queue_number IS NOT NULL AND a.queue_near_at IS NULL
    AND s.start_at > ? AND s.start_at < ?`;

export const CHECK_IN_NOT_OPEN = 'CHECK_IN_NOT_OPEN';
export const CHECK_IN_CLOSED = 'CHECK_IN_CLOSED';

/**
 * 签到 and 排队叫号 on the day of the visit. Check-in is a write to the
 * hospital, so it goes the way bookings do: the appointment becomes
 * `checked_in` at once and an outbox job (ordered after the booking's
 * confirmation) asks the hospital for the queue number, retried while the
 * hospital is down. The queue is read through a shared per-process cache.
 */
export class VisitService {
  private readonly queues: QueueCache;
  private readonly clock: () => number;

  constructor(private readonly d: VisitDeps) {
    this.clock = d.clock ?? Date.now;
    this.queues = new QueueCache(d.config.queueRefreshMs, this.clock, d.config.queueStaleMs);
  }

  private async load(userId: string, appointmentId: string): Promise<VisitRow> {
    const row = await this.d.db.sql.one<VisitRow>(VISIT_SELECT, [userId, userId, appointmentId, userId]);
    if (!row) throw notFound('预约');
    return row;
  }

  private window(row: VisitRow) {
    const start = asDate(row.startAt).getTime();
    return { opens: start - this.d.config.checkInOpensMs, closes: start + this.d.config.checkInClosesMs };
  }

  async checkInWindow(userId: string, appointmentId: string) {
    const row = await this.load(userId, appointmentId);
    const w = this.window(row);
    const now = this.clock();
    const state =
      row.status === 'checked_in'
        ? 'checked_in'
        : row.status !== 'booked'
          ? 'not_applicable'
          : now < w.opens
            ? 'not_open'
            : now > w.closes
              ? 'closed'
              : 'open';
    return {
      appointmentId: row.id,
      state: state as 'checked_in' | 'not_applicable' | 'not_open' | 'closed' | 'open',
      opensAt: toShanghaiIso(w.opens),
      closesAt: toShanghaiIso(w.closes),
    };
  }

  /** Checks an appointment in within its window; repeating it answers the same check-in. */
  async checkIn(userId: string, appointmentId: string): Promise<CheckInDto> {
    const row = await this.load(userId, appointmentId);
    this.d.accounts.checkConsent(row.consentVersion);
    if (row.status === 'checked_in') return this.checkInDto(row);
    if (row.status !== 'booked') throw conflict('NOT_CHECKABLE', '该预约已取消或已结束，无法签到');
    const w = this.window(row);
    const now = this.clock();
    if (now < w.opens)
      throw conflict(CHECK_IN_NOT_OPEN, `尚未到签到时间，请于 ${shanghaiClock(new Date(w.opens))} 后签到`);
    if (now > w.closes) throw conflict(CHECK_IN_CLOSED, '已超过签到时间，请到医院服务台咨询');
    const at = new Date(now);
    const changed = await this.d.db.writeSql((sql) => markCheckedIn(sql, row.id, at));
    if (!changed) return this.checkIn(userId, appointmentId); // a racing request or a cancellation got there first
    return this.checkInDto({ ...row, status: 'checked_in', checkedInAt: at });
  }

  private checkInDto(row: VisitRow): CheckInDto {
    return {
      appointmentId: row.id,
      status: 'checked_in' as const,
      checkedInAt: toShanghaiIsoOrNull(row.checkedInAt == null ? null : asDate(row.checkedInAt)),
      queueNumber: row.queueNumber,
      room: row.queueRoomCode ? { code: row.queueRoomCode, name: row.queueRoomName ?? '' } : null,
    };
  }

  /** Where the patient stands in the room's queue; 503 only when the hospital has never answered for this room. */
  async queueStatus(userId: string, appointmentId: string): Promise<QueueStatusDto> {
    const row = await this.load(userId, appointmentId);
    if (row.status !== 'checked_in') throw conflict('NOT_CHECKED_IN', '请先签到，签到后可查看排队情况');
    const room = row.queueRoomCode ? { code: row.queueRoomCode, name: row.queueRoomName ?? '' } : null;
    if (!room || row.queueNumber === null) {
      return {
        appointmentId: row.id,
        state: 'checking_in',
        room,
        calling: null,
        myNumber: null,
        ahead: null,
        estimatedWaitMinutes: null,
        updatedAt: null,
        stale: false,
        near: false,
      };
    }
    const target = targetOf({ ...row, id: row.hospitalId, code: row.hospitalCode }, this.d.cipher);
    const cached = await this.queues.get(`${row.hospitalCode}/${room.code}`, () =>
      this.d.his.getQueue(target, room.code),
    );
    if (!cached.queue || cached.fetchedAt === null) {
      throw hisUnavailable({ id: row.hospitalId, name: row.hospitalName } as Parameters<typeof hisUnavailable>[0]);
    }
    const q = cached.queue;
    const place = placeInQueue(q, row.queueNumber);
    const near = place.state === 'waiting' && place.ahead <= 3;
    if (near && !row.queueNearAt) await this.markNear(row, place.ahead);
    return {
      appointmentId: row.id,
      state: place.state,
      room,
      calling: q.calling,
      myNumber: row.queueNumber,
      ahead: place.state === 'passed' ? null : place.ahead,
      estimatedWaitMinutes:
        place.state === 'waiting'
          ? estimateWaitMinutes(place.ahead, q.recentDurationsSec, this.d.config.estimateSamples)
          : place.state === 'called'
            ? 0
            : null,
      updatedAt: toShanghaiIso(cached.fetchedAt),
      stale: cached.failedAt !== null || this.clock() - cached.fetchedAt > this.d.config.queueStaleMs,
      near,
    };
  }

  /**
   * 即将叫号 for patients who are not looking at the queue page: run every
   * refresh interval (server.ts), it reads the rooms of checked-in patients
   * not yet told through the same cache the pages use (so still at most one
   * hospital read per room per interval) and tells each one three or fewer
   * from the front, once. Returns how many were told.
   */
  async watchQueues(): Promise<number> {
    const now = this.clock();
    const rows = await this.d.db.sql.all<VisitRow>(WATCH_SELECT, [
      new Date(now - this.d.config.checkInClosesMs - 12 * 3_600_000),
      new Date(now + this.d.config.checkInOpensMs),
    ]);
    const rooms = new Map<string, VisitRow[]>();
    for (const r of rows) {
      const key = `${r.hospitalCode}/${r.queueRoomCode}`;
      rooms.set(key, [...(rooms.get(key) ?? []), r]);
    }
    let told = 0;
    for (const [key, waiting] of rooms) {
      const [first] = waiting;
      const target = targetOf({ ...first, id: first.hospitalId, code: first.hospitalCode }, this.d.cipher);
      const { queue } = await this.queues.get(key, () => this.d.his.getQueue(target, first.queueRoomCode!));
      if (!queue) continue;
      for (const r of waiting) {
        const place = placeInQueue(queue, r.queueNumber!);
        if (place.state === 'waiting' && place.ahead <= 3 && (await this.markNear(r, place.ahead))) told++;
      }
    }
    return told;
  }

  /** Resolves when no queue read is running (tests; shutdown). */
  queueReadsIdle(): Promise<void> {
    return this.queues.idle();
  }

  /** 即将叫号: one domain event per appointment, whoever watches first (a conditional update claims it). */
  private markNear(row: VisitRow, ahead: number) {
    const now = new Date(this.clock());
    return this.d.db.writeSql(async (sql: Sql) => {
      const claimed = await sql.run(
        'UPDATE appointments SET queue_near_at = ?, updated_at = ? WHERE id = ? AND queue_near_at IS NULL',
        [now, now, row.id],
      );
      if (claimed) await emit(sql, 'queue.near', row.userId, row.id, { ahead });
      return claimed > 0;
    });
  }
}
