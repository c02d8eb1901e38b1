import type { Db } from '../../db';
import { asDate } from '../../db/sql';
import { shanghaiDate, shanghaiDayStart, toShanghaiIso } from '../../lib/time';
import { addDays } from '../booking/rules';
import { CHANNELS, type Channel } from './catalog';

/**
 * 通知记录 for platform admins: sends and failures per channel and day, and
 * the latest failed or skipped deliveries with their reason. Nothing personal:
 * kinds, channels, reasons and notification ids only.
 */
export class NotificationReport {
  constructor(private readonly d: { db: Db }) {}

  async stats(days: number) {
    const from = addDays(shanghaiDate(), -(days - 1));
    const rows = await this.d.db.sql.all<{ channel: Channel; status: string; at: unknown }>(
      `SELECT channel, status, created_at AS "at" FROM notification_deliveries WHERE created_at >= ?`,
      [shanghaiDayStart(from)],
    );
    const dates = Array.from({ length: days }, (_, i) => addDays(from, i));
    type Counts = { sent: number; failed: number; skipped: number; pending: number };
    const empty = (): Counts => ({ sent: 0, failed: 0, skipped: 0, pending: 0 });
    const byDay = new Map(
      dates.map((d) => [d, Object.fromEntries(CHANNELS.map((c) => [c, empty()])) as Record<Channel, Counts>]),
    );
    for (const r of rows) {
      const day = byDay.get(shanghaiDate(asDate(r.at)));
      if (!day) continue;
      const status = r.status === 'sending' ? 'pending' : (r.status as 'sent' | 'failed' | 'skipped');
      day[r.channel][status]++;
    }
    const failures = await this.d.db.sql.all<Record<string, unknown>>(
      `SELECT d.notification_id AS "notificationId", n.kind, d.channel, d.status, d.reason, d.created_at AS "at"
       FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
       WHERE d.status IN ('failed', 'skipped') ORDER BY d.created_at DESC LIMIT 50`,
    );
    return {
      days: dates.map((date) => ({ date, channels: byDay.get(date)! })),
      recent: failures.map((f) => ({
        notificationId: f.notificationId as string,
        kind: f.kind as string,
        channel: f.channel as Channel,
        status: f.status as 'failed' | 'skipped',
        reason: (f.reason as string | null) ?? '',
        at: toShanghaiIso(asDate(f.at)),
      })),
    };
  }
}
