import type { Db } from '../../db';
import type { Sql } from '../../db/sql';
import type { Logger } from '../../logger';
import { newId } from '../../lib/ids';
import { quietUntil, shanghaiAt } from '../../lib/time';
import { enqueue, type NewJob } from '../../outbox/jobs';
import { addDays } from '../booking/rules';
import { CHANNELS, TOPICS, notice, type Channel, type Notice, type Topic } from './catalog';
import { appointmentFacts, appointmentPage, loadAppointment, reportFacts, reportPage, sameDay } from './facts';
import { ticketFacts, ticketPage } from '../triage/tickets';

export const NOTIFY_DELIVER = 'notify.deliver';
export const NOTIFY_REMINDER = 'notify.reminder';

export interface NotifyConfig {
  quietStart: string;
  quietEnd: string;
  reminderTime: string;
  dailyCap: Record<Channel, number>;
  templates: Record<string, string>;
}

interface EventRow {
  id: string;
  type: string;
  userId: string | null;
  aggregateId: string;
  payload: string;
}

/** A notice for one user about one thing, before it is stored. */
export interface Addressed {
  userId: string;
  patientId: string | null;
  dedupKey: string;
  notice: Notice;
}

/**
 * Turns domain events (written in the same transaction as each change) into
 * notifications: an inbox entry plus outbox jobs that deliver it on the
 * patient's channels. Each event is claimed with a conditional update in the
 * transaction that writes its notification, so with several processes every
 * event is notified exactly once. Modules add their events to `plan`.
 */
export class NotificationDispatcher {
  private running: Promise<number> | undefined;

  constructor(private readonly d: { db: Db; log: Logger; config: NotifyConfig }) {}

  /** Handles up to `limit` new events; concurrent calls share one run. Resolves to the notifications written. */
  dispatchOnce(limit = 200): Promise<number> {
    this.running ??= this.run(limit).finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(limit: number): Promise<number> {
    const events = await this.d.db.sql.all<EventRow>(
      `SELECT id, type, user_id AS "userId", aggregate_id AS "aggregateId", payload FROM domain_events
       WHERE delivered_at IS NULL ORDER BY created_at, id LIMIT ?`,
      [limit],
    );
    let written = 0;
    for (const event of events) {
      try {
        written += await this.d.db.writeSql(async (sql) => {
          const claimed = await sql.run(
            'UPDATE domain_events SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL',
            [new Date(), event.id],
          );
          if (!claimed) return 0;
          const addressed = await this.plan(sql, event);
          for (const a of addressed) await this.store(sql, a);
          return addressed.length;
        });
      } catch (err) {
        // One bad event must not stop the others; it stays undelivered and is retried next time.
        this.d.log.error({ err, event: event.id, type: event.type }, 'notification dispatch failed');
      }
    }
    return written;
  }

  /** What each event tells whom. */
  private async plan(sql: Sql, e: EventRow): Promise<Addressed[]> {
    const payload = JSON.parse(e.payload || '{}') as Record<string, string>;
    const aboutAppointment = async (
      kind: Notice['kind'],
      topic: Topic,
      urgency: 'never' | 'same_day',
      reason?: string,
    ): Promise<Addressed[]> => {
      if (!e.userId) return [];
      const apt = await loadAppointment(sql, e.userId, e.aggregateId);
      if (!apt) return [];
      const urgent = urgency === 'same_day' && sameDay(apt);
      const n = notice(kind, topic, urgent, appointmentFacts(apt, reason), appointmentPage(apt.id));
      if (kind === 'booking_confirmed' || kind === 'waitlist_granted')
        await this.scheduleReminder(sql, apt.id, apt.slot.date);
      return [{ userId: e.userId, patientId: apt.patientId, dedupKey: `evt:${e.id}`, notice: n }];
    };
    const aboutReport = async (kind: 'report_ready' | 'critical_value'): Promise<Addressed[]> => {
      if (!e.userId) return [];
      const facts = await reportFacts(sql, e.userId, e.aggregateId);
      if (!facts) return [];
      // A critical value reaches every channel the patient allows, at any hour.
      const n = notice(kind, 'report', kind === 'critical_value', facts, reportPage(e.aggregateId));
      return [{ userId: e.userId, patientId: payload.patientId ?? null, dedupKey: `evt:${e.id}`, notice: n }];
    };
    switch (e.type) {
      case 'report.ready':
        // A report with a critical value is announced once, as such.
        return (await sql.one('SELECT 1 AS x FROM reports WHERE id = ? AND critical_count > 0', [e.aggregateId]))
          ? []
          : aboutReport('report_ready');
      case 'report.critical_value':
        return aboutReport('critical_value');
      case 'booking.confirmed':
        // A seat granted from the waitlist was already announced as such.
        return (await sql.one('SELECT 1 AS x FROM appointments WHERE id = ? AND from_waitlist = ?', [
          e.aggregateId,
          true,
        ]))
          ? []
          : aboutAppointment('booking_confirmed', 'booking', 'never');
      case 'waitlist.granted':
        return aboutAppointment('waitlist_granted', 'booking', 'never');
      case 'booking.cancelled':
        return aboutAppointment('booking_cancelled', 'booking', 'never', payload.reason);
      case 'queue.near':
        return aboutAppointment('queue_near', 'queue', 'never');
      case 'booking.cancelled_by_hospital':
      case 'booking.rejected_by_hospital':
        return aboutAppointment('schedule_changed', 'schedule_change', 'same_day', payload.reason);
      case 'triage.replied': {
        if (!e.userId) return [];
        const facts = await ticketFacts(sql, e.userId, e.aggregateId);
        if (!facts) return [];
        const n = notice('triage_reply', 'triage', false, facts, ticketPage(e.aggregateId));
        return [{ userId: e.userId, patientId: payload.patientId ?? null, dedupKey: `evt:${e.id}`, notice: n }];
      }
      default:
        return [];
    }
  }

  /** Writes the inbox entry and the jobs that deliver it, in the caller's transaction. */
  async store(sql: Sql, a: Addressed, now = new Date()): Promise<string | null> {
    const id = newId('ntf');
    const n = a.notice;
    const inserted = await sql.run(
      `INSERT INTO notifications (id, user_id, patient_id, dedup_key, kind, topic, urgent, title, body, page, content,
         created_at, updated_at)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM notifications WHERE dedup_key = ?)
         AND EXISTS (SELECT 1 FROM users WHERE id = ? AND deleted_at IS NULL)`,
      [
        id,
        a.userId,
        a.patientId,
        a.dedupKey,
        n.kind,
        n.topic,
        n.urgent,
        n.title,
        n.body,
        n.page,
        JSON.stringify({ wechat: n.wechat, sms: n.sms, voice: n.voice }),
        now,
        now,
        a.dedupKey,
        a.userId,
      ],
    );
    if (!inserted) return null;
    // WeChat only for accounts signed in through WeChat (an openid); the others start at SMS.
    const wechatUser = await sql.one('SELECT 1 AS x FROM users WHERE id = ? AND wechat_openid IS NOT NULL', [a.userId]);
    const channels = (await enabledChannels(sql, a.userId, n.topic)).filter((c) => c !== 'wechat' || wechatUser);
    // Urgent: every channel the patient allows. Otherwise the first, falling back to the next.
    const plans = n.urgent ? channels.map((c) => [c]) : channels.length ? [channels] : [];
    await enqueue(
      sql,
      plans.map((chain): NewJob => deliveryJob(id, chain, n.urgent, this.d.config, now)),
      now,
    );
    return id;
  }

  /** The evening-before reminder: a durable job, due at NOTIFY_REMINDER_TIME the day before the visit. */
  private async scheduleReminder(sql: Sql, appointmentId: string, date: string) {
    const due = shanghaiAt(addDays(date, -1), this.d.config.reminderTime);
    if (due <= new Date()) return; // booked after the reminder time: the confirmation is the reminder
    await enqueue(sql, [
      { kind: NOTIFY_REMINDER, aggregateId: `rem_${appointmentId}`, payload: { appointmentId }, notBefore: due },
    ]);
  }
}

/** A delivery job: the channel to try first and the ones to fall back to. SMS and voice wait out quiet hours. */
export function deliveryJob(
  notificationId: string,
  chain: Channel[],
  urgent: boolean,
  c: NotifyConfig,
  now = new Date(),
): NewJob {
  const [channel, ...fallback] = chain;
  const quiet = !urgent && channel !== 'wechat' ? quietUntil(now, c.quietStart, c.quietEnd) : null;
  return { kind: NOTIFY_DELIVER, aggregateId: notificationId, payload: { channel, fallback }, notBefore: quiet ?? now };
}

/** A user's channels for a topic, in fallback order: their settings, else the topic's defaults. */
export async function enabledChannels(sql: Sql, userId: string, topic: Topic): Promise<Channel[]> {
  const rows = await sql.all<{ channel: Channel; enabled: unknown }>(
    'SELECT channel, enabled FROM notification_settings WHERE user_id = ? AND topic = ?',
    [userId, topic],
  );
  const set = new Map(rows.map((r) => [r.channel, Boolean(r.enabled)]));
  return CHANNELS.filter((c) => set.get(c) ?? TOPICS[topic].defaults[c]);
}
