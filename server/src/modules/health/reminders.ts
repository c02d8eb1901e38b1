import { lockAccount } from '../../privacy/access';
import { maskName } from '../../../../common/mask';
import type { Db } from '../../db';
import { asDate, type Sql } from '../../db/sql';
import { newId } from '../../lib/ids';
import { shanghaiAt, shanghaiDate, toShanghaiIso } from '../../lib/time';
import { enqueue, type Job, type NewJob } from '../../outbox/jobs';
import { ACTIVE_CONSENT_VERSION, type AccountService } from '../accounts/service';
import { addDays } from '../booking/rules';
import { notice } from '../notifications/catalog';
import { NOTIFY_REMINDER, type NotificationDispatcher } from '../notifications/dispatch';
import { findHealthPatient } from './access';
import type { RemindersDto, SaveReminders } from './reminder-schemas';
import type { MeasurementType } from './rules';

const LABELS: Record<MeasurementType, string> = {
  blood_pressure: '血压',
  blood_glucose: '血糖',
  weight: '体重',
  heart_rate: '心率',
  body_temperature: '体温',
  spo2: '血氧',
};
const COLUMNS = ['id', 'patient_id', 'type', 'time', 'enabled', 'created_at', 'updated_at'];
/** An occurrence this late (the outbox was down) is skipped: a morning reminder in the evening helps nobody. */
const TOO_LATE_MS = 3 * 3_600_000;

interface Row {
  id: string;
  type: MeasurementType;
  time: string;
  enabled: unknown;
  updatedAt: unknown;
}

/** The next Shanghai date (today or tomorrow) on which `time` is still ahead of `now`. */
export function nextDate(time: string, now = new Date()): string {
  const today = shanghaiDate(now);
  return shanghaiAt(today, time) > now ? today : addDays(today, 1);
}

/** The durable job for one occurrence: the one outbox, the visit reminder's job kind. */
export const occurrenceJob = (r: { id: string; time: string }, date: string): NewJob => ({
  kind: NOTIFY_REMINDER,
  aggregateId: `hrm_${r.id}`,
  payload: { reminderId: r.id, date },
  notBefore: shanghaiAt(date, r.time),
});

/**
 * 测量提醒: per patient, a measurement type at a Shanghai time of day. Each
 * enabled reminder is one outbox job due at its next occurrence; the job
 * writes the notice through the dispatcher (so quiet hours, the patient's
 * channels and daily caps apply as to any notice) and schedules the next day.
 * A save replaces the rows with new ids, so jobs of replaced reminders find
 * nothing and send nothing.
 */
export class HealthReminders {
  constructor(
    private readonly d: { db: Db; accounts: AccountService; dispatcher: NotificationDispatcher; policyVersion: string },
  ) {}

  async get(userId: string, patientId: string): Promise<RemindersDto> {
    await findHealthPatient(this.d.db.sql, this.d.accounts, userId, patientId);
    return this.view(this.d.db.sql, patientId);
  }

  async save(userId: string, body: SaveReminders, now = new Date()): Promise<RemindersDto> {
    return this.d.db.writeSql(async (sql) => {
      await lockAccount(sql, userId); // two saves at once: one after the other, never two sets of reminders
      await findHealthPatient(sql, this.d.accounts, userId, body.patientId);
      await sql.run('DELETE FROM health_reminders WHERE patient_id = ?', [body.patientId]);
      const rows = body.items.map((r) => ({ ...r, id: newId('hrm') }));
      for (const r of rows)
        await sql.run(`INSERT INTO health_reminders (${COLUMNS.join(', ')}) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
          r.id,
          body.patientId,
          r.type,
          r.time,
          r.enabled,
          now,
          now,
        ]);
      const jobs = rows.filter((r) => r.enabled).map((r) => occurrenceJob(r, nextDate(r.time, now)));
      await enqueue(sql, jobs, now);
      return this.view(sql, body.patientId);
    });
  }

  private async view(sql: Sql, patientId: string): Promise<RemindersDto> {
    const rows = await sql.all<Row>(
      `SELECT id, type, time, enabled, updated_at AS "updatedAt" FROM health_reminders WHERE patient_id = ?
       ORDER BY time, type`,
      [patientId],
    );
    const updated = rows.map((r) => asDate(r.updatedAt).getTime());
    return {
      patientId,
      items: rows.map((r) => ({ id: r.id, type: r.type, time: r.time, enabled: Boolean(r.enabled) })),
      updatedAt: updated.length ? toShanghaiIso(Math.max(...updated)) : null,
    };
  }

  /**
   * Runs one occurrence (a `notify.reminder` job with a `reminderId`): nothing
   * if the reminder was replaced, disabled or erased; otherwise the notice
   * (once per reminder and date: its dedup key) and the next day's job, in one
   * transaction. A retried job finds its notice and its next job written.
   */
  run(job: Job, now = new Date()): Promise<void> {
    const reminderId = String(job.payload.reminderId);
    const date = String(job.payload.date);
    return this.d.db.writeSql(async (sql) => {
      // On PostgreSQL a save waits for a running occurrence (or it for the save), so none reads replaced rows.
      const lock = sql.dialect === 'postgres' ? 'FOR UPDATE OF r' : '';
      const r = await sql.one<Row & { patientId: string; userId: string; name: string }>(
        `SELECT r.id, r.type, r.time, r.enabled, r.patient_id AS "patientId", p.user_id AS "userId", p.name
         FROM health_reminders r JOIN patients p ON p.id = r.patient_id AND p.deleted_at IS NULL
         WHERE r.id = ? ${lock}`,
        [reminderId],
      );
      if (!r || !r.enabled) return; // replaced, disabled or erased: the chain ends here
      const due = shanghaiAt(date, r.time);
      const consent = await sql.one<{ v: string | null }>(`SELECT ${ACTIVE_CONSENT_VERSION} AS v`, [r.userId]);
      if (consent?.v === this.d.policyVersion && now.getTime() - due.getTime() < TOO_LATE_MS) {
        await this.d.dispatcher.store(
          sql,
          {
            userId: r.userId,
            patientId: r.patientId,
            dedupKey: `mrem:${r.patientId}:${r.type}:${r.time}:${date}`,
            notice: notice(
              'measure_reminder',
              'measure_reminder',
              false,
              { patientName: maskName(r.name), measurement: LABELS[r.type], when: r.time },
              `/pages/health/index?type=${r.type}`,
            ),
          },
          now,
        );
      }
      const open = await sql.one(
        'SELECT 1 AS x FROM outbox WHERE aggregate_id = ? AND id <> ? AND done_at IS NULL AND dead_at IS NULL',
        [`hrm_${r.id}`, job.id],
      );
      if (open) return; // a retry: the next occurrence is already scheduled
      const next = addDays(date, 1);
      await enqueue(sql, [occurrenceJob(r, shanghaiAt(next, r.time) > now ? next : nextDate(r.time, now))], now);
    });
  }
}
