import type { Db } from '../../db';
import type { Sql } from '../../db/sql';
import { ProviderError } from '../../integrations/provider-error';
import type { SmsClient } from '../../integrations/sms';
import type { VoiceClient } from '../../integrations/voice';
import type { TemplateData, WechatClient } from '../../integrations/wechat';
import { newId } from '../../lib/ids';
import { quietUntil, shanghaiDayStart } from '../../lib/time';
import { DeferJob, PermanentJobError, enqueue, type Job } from '../../outbox/jobs';
import type { OutboxRunner } from '../../outbox/runner';
import { slotOf, type PiiCipher } from '../../privacy/cipher';
import type { Channel, Kind } from './catalog';
import {
  NOTIFY_DELIVER,
  NOTIFY_REMINDER,
  deliveryJob,
  type NotificationDispatcher,
  type NotifyConfig,
} from './dispatch';
import { appointmentFacts, appointmentPage, loadAppointment } from './facts';
import { notice } from './catalog';

interface Target {
  id: string;
  userId: string;
  patientId: string | null;
  kind: Kind;
  urgent: unknown;
  content: string;
  page: string | null;
  openid: string | null;
  userPhoneEnc: string | null;
  userDeleted: unknown;
  patientPhoneEnc: string | null;
}

export interface NotifyProviders {
  wechat: WechatClient;
  sms: SmsClient;
  voice: VoiceClient;
}

type Outcome = { status: 'sent'; ref: string } | { status: 'skipped' | 'failed'; reason: string };

/**
 * Delivers notifications from the outbox, one channel per job. A channel that
 * cannot deliver (no WeChat authorisation left, no phone, the daily cap, a
 * permanent provider refusal) is recorded and the next channel in the
 * patient's order is queued; a provider that is down is retried by the
 * outbox. Each (notification, channel) is sent once: a delivery already
 * recorded is not repeated, SMS and voice carry the notification id as the
 * provider's idempotency key, and WeChat (which has none) can only repeat if
 * the process dies between WeChat's acceptance and our commit.
 */
export function registerNotifyJobs(
  runner: OutboxRunner,
  d: {
    db: Db;
    cipher: PiiCipher;
    providers: NotifyProviders;
    config: NotifyConfig;
    dispatcher: NotificationDispatcher;
    /** Reminders to measure (health/reminders.ts): `notify.reminder` jobs with a `reminderId`. */
    measure?: { run(job: Job): Promise<void> };
  },
) {
  runner.register(NOTIFY_DELIVER, async (job: Job) => {
    const { channel, fallback } = job.payload as { channel: Channel; fallback: Channel[] };
    const t = await d.db.sql.one<Target>(
      `SELECT n.id, n.user_id AS "userId", n.patient_id AS "patientId", n.kind, n.urgent, n.content, n.page,
         u.wechat_openid AS "openid", u.phone_enc AS "userPhoneEnc", u.deleted_at AS "userDeleted",
         p.phone_enc AS "patientPhoneEnc"
       FROM notifications n JOIN users u ON u.id = n.user_id LEFT JOIN patients p ON p.id = n.patient_id
       WHERE n.id = ?`,
      [job.aggregateId],
    );
    if (!t) throw new PermanentJobError('notification not found');
    if (t.userDeleted) return; // the account was deleted meanwhile: nobody to tell
    const urgent = Boolean(t.urgent);
    if (!urgent && channel !== 'wechat') {
      const until = quietUntil(new Date(), d.config.quietStart, d.config.quietEnd);
      if (until) throw new DeferJob(until);
    }
    const reserved = await reserve(d.db, t, channel, urgent, d.config);
    if (reserved === 'done') return;
    const outcome: Outcome =
      reserved === 'over_cap' ? { status: 'skipped', reason: 'daily_cap' } : await send(t, channel, d);
    await d.db.writeSql(async (sql) => {
      await record(sql, t.id, channel, outcome);
      if (outcome.status !== 'sent' && fallback.length) {
        await enqueue(sql, [deliveryJob(t.id, fallback, urgent, d.config)]);
      }
    });
  });

  runner.register(NOTIFY_REMINDER, async (job: Job) => {
    if (job.payload.reminderId) {
      if (!d.measure) throw new PermanentJobError('no handler for measure reminders');
      return d.measure.run(job);
    }
    const appointmentId = String(job.payload.appointmentId);
    await d.db.writeSql(async (sql) => {
      const owner = await sql.one<{ userId: string }>('SELECT user_id AS "userId" FROM appointments WHERE id = ?', [
        appointmentId,
      ]);
      const apt = owner && (await loadAppointment(sql, owner.userId, appointmentId));
      if (!apt || !['booked', 'checked_in'].includes(apt.status) || apt.slot.startAt <= new Date()) return;
      await d.dispatcher.store(sql, {
        userId: apt.userId,
        patientId: apt.patientId,
        dedupKey: `rem:${apt.id}`,
        notice: notice('visit_reminder', 'visit_reminder', false, appointmentFacts(apt), appointmentPage(apt.id)),
      });
    });
  });
}

async function send(
  t: Target,
  channel: Channel,
  d: { db: Db; cipher: PiiCipher; providers: NotifyProviders; config: NotifyConfig },
): Promise<Outcome> {
  const content = JSON.parse(t.content) as { wechat: TemplateData; sms: Record<string, string>; voice: string };
  const userPhone = () => t.userPhoneEnc && d.cipher.decrypt(t.userPhoneEnc, slotOf('users', 'phone_enc', t.userId));
  const patientPhone = () =>
    t.patientPhoneEnc &&
    t.patientId &&
    d.cipher.decrypt(t.patientPhoneEnc, slotOf('patients', 'phone_enc', t.patientId));
  try {
    if (channel === 'wechat') {
      const templateId = d.config.templates[t.kind];
      if (!t.openid || !templateId) return { status: 'skipped', reason: 'no_wechat' };
      // One one-time authorisation is used up per send; none left means the next channel.
      const took = await useAuthorisation(d.db, t.userId, t.kind);
      if (!took) return { status: 'skipped', reason: 'no_subscription' };
      try {
        const { messageId } = await d.providers.wechat.sendSubscribeMessage({
          openid: t.openid,
          templateId,
          page: t.page ?? 'pages/index/index',
          data: content.wechat,
        });
        return { status: 'sent', ref: messageId };
      } catch (err) {
        const gone = err instanceof ProviderError && err.code === 'NO_SUBSCRIPTION';
        await returnAuthorisation(d.db, t.userId, t.kind, gone);
        throw err;
      }
    }
    // SMS to the account holder (who manages the family's visits), else the patient; a call to the patient.
    const phone = channel === 'sms' ? userPhone() || patientPhone() : patientPhone() || userPhone();
    if (!phone) return { status: 'skipped', reason: 'no_phone' };
    const ref = `${t.id}-${channel}`;
    if (channel === 'sms')
      return { status: 'sent', ref: (await d.providers.sms.send(phone, t.kind, content.sms, ref)).messageId };
    return { status: 'sent', ref: (await d.providers.voice.call(phone, content.voice, ref)).callId };
  } catch (err) {
    if (err instanceof ProviderError && err.kind === 'permanent') return { status: 'failed', reason: err.code };
    throw err; // transient: the outbox retries with backoff
  }
}

/**
 * Claims this notification's channel before anything is sent: a `sending`
 * row, counted against the user's daily cap for the channel, so that
 * concurrent workers (or processes: the user row is locked on PostgreSQL)
 * never pass the cap together. 'done' when this channel already delivered;
 * 'over_cap' when the cap is reached (urgent notices are not capped). A
 * `sending` row left by a worker that died is ours to finish.
 */
async function reserve(db: Db, t: Target, channel: Channel, urgent: boolean, c: NotifyConfig) {
  return db.writeSql(async (sql): Promise<'send' | 'done' | 'over_cap'> => {
    if (sql.dialect === 'postgres') await sql.one('SELECT id FROM users WHERE id = ? FOR UPDATE', [t.userId]);
    const mine = await sql.one<{ status: string }>(
      'SELECT status FROM notification_deliveries WHERE notification_id = ? AND channel = ?',
      [t.id, channel],
    );
    if (mine) return mine.status === 'sending' ? 'send' : 'done';
    if (!urgent) {
      const row = await sql.one<{ n: number | string }>(
        `SELECT COUNT(*) AS n FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
         WHERE n.user_id = ? AND d.channel = ? AND d.status IN ('sent', 'sending') AND d.created_at >= ?`,
        [t.userId, channel, shanghaiDayStart()],
      );
      if (Number(row?.n ?? 0) >= c.dailyCap[channel]) return 'over_cap';
    }
    const now = new Date();
    await sql.run(
      `INSERT INTO notification_deliveries (id, notification_id, channel, status, created_at, updated_at)
       VALUES (?, ?, ?, 'sending', ?, ?)`,
      [newId('ndl'), t.id, channel, now, now],
    );
    return 'send';
  });
}

/** The outcome of a channel: updates its `sending` row, or records a skip. */
async function record(sql: Sql, notificationId: string, channel: Channel, o: Outcome) {
  const now = new Date();
  const reason = o.status === 'sent' ? null : o.reason;
  const ref = o.status === 'sent' ? o.ref : null;
  const updated = await sql.run(
    `UPDATE notification_deliveries SET status = ?, reason = ?, provider_ref = ?, updated_at = ?
     WHERE notification_id = ? AND channel = ? AND status = 'sending'`,
    [o.status, reason, ref, now, notificationId, channel],
  );
  if (updated) return;
  await sql.run(
    `INSERT INTO notification_deliveries (id, notification_id, channel, status, reason, provider_ref, created_at, updated_at)
     SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS
       (SELECT 1 FROM notification_deliveries WHERE notification_id = ? AND channel = ?)`,
    [newId('ndl'), notificationId, channel, o.status, reason, ref, now, now, notificationId, channel],
  );
}

function useAuthorisation(db: Db, userId: string, template: string) {
  return db.writeSql((sql) =>
    sql.run(
      'UPDATE wechat_subscriptions SET granted = granted - 1, updated_at = ? WHERE user_id = ? AND template = ? AND granted > 0',
      [new Date(), userId, template],
    ),
  );
}

/** Gives back the authorisation a failed send did not use (WeChat only uses one on success); 43101 means none is left. */
function returnAuthorisation(db: Db, userId: string, template: string, none: boolean) {
  return db.writeSql((sql) =>
    sql.run(
      `UPDATE wechat_subscriptions SET granted = ${none ? '0' : 'granted + 1'}, updated_at = ? WHERE user_id = ? AND template = ?`,
      [new Date(), userId, template],
    ),
  );
}
