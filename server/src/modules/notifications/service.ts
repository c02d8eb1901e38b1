import type { Db } from '../../db';
import { asDate } from '../../db/sql';
import { AppError, notFound } from '../../http/errors';
import type { Page } from '../../http/schemas';
import { newId } from '../../lib/ids';
import { toShanghaiIso } from '../../lib/time';
import { CHANNELS, TOPICS, type Channel, type Topic } from './catalog';
import { enabledChannels } from './dispatch';
import type { NotificationDto, SettingsDto } from './schemas';

type Row = Record<string, unknown>;

const toDto = (r: Row): NotificationDto => ({
  id: r.id as string,
  kind: r.kind as string,
  topic: r.topic as Topic,
  urgent: Boolean(r.urgent),
  title: r.title as string,
  body: r.body as string,
  page: (r.page as string | null) ?? null,
  read: r.readAt !== null && r.readAt !== undefined,
  createdAt: toShanghaiIso(asDate(r.createdAt)),
});

/** 消息: the in-app inbox, notification settings and WeChat subscribe authorisations of the signed-in user. */
export class NotificationService {
  constructor(private readonly d: { db: Db; templates: Record<string, string> }) {}

  async inbox(userId: string, q: { unread?: 'true' | 'false'; page: number; pageSize: number }) {
    const unreadOnly = q.unread === 'true';
    const where = `user_id = ?${unreadOnly ? ' AND read_at IS NULL' : ''}`;
    const rows = await this.d.db.sql.all<Row>(
      `SELECT id, kind, topic, urgent, title, body, page, read_at AS "readAt", created_at AS "createdAt"
       FROM notifications WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
      [userId, q.pageSize, (q.page - 1) * q.pageSize],
    );
    const counts = await this.d.db.sql.one<{ total: number | string; unread: number | string }>(
      `SELECT COUNT(*) AS total, SUM(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END) AS unread
       FROM notifications WHERE user_id = ?`,
      [userId],
    );
    const unread = Number(counts?.unread ?? 0);
    const page: Page<NotificationDto> & { unread: number } = {
      items: rows.map(toDto),
      total: unreadOnly ? unread : Number(counts?.total ?? 0),
      page: q.page,
      pageSize: q.pageSize,
      unread,
    };
    return page;
  }

  async unreadCount(userId: string) {
    const row = await this.d.db.sql.one<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL',
      [userId],
    );
    return { unread: Number(row?.n ?? 0) };
  }

  async markRead(userId: string, id: string): Promise<void> {
    await this.d.db.writeSql(async (sql) => {
      const changed = await sql.run(
        'UPDATE notifications SET read_at = COALESCE(read_at, ?), updated_at = ? WHERE id = ? AND user_id = ?',
        [new Date(), new Date(), id, userId],
      );
      if (!changed) throw notFound('消息');
    });
  }

  async markAllRead(userId: string): Promise<void> {
    await this.d.db.writeSql((sql) =>
      sql.run('UPDATE notifications SET read_at = ?, updated_at = ? WHERE user_id = ? AND read_at IS NULL', [
        new Date(),
        new Date(),
        userId,
      ]),
    );
  }

  async settings(userId: string): Promise<SettingsDto> {
    const topics = [];
    for (const [topic, def] of Object.entries(TOPICS) as Array<[Topic, (typeof TOPICS)[Topic]]>) {
      const on = await enabledChannels(this.d.db.sql, userId, topic);
      topics.push({
        topic,
        label: def.label,
        urgent: def.urgent,
        channels: { wechat: on.includes('wechat'), sms: on.includes('sms'), voice: on.includes('voice') },
      });
    }
    return { topics };
  }

  /** Urgent topics (停诊, 危急值) keep at least one channel: they cannot be switched off entirely. */
  async updateSettings(userId: string, input: { topics: Array<{ topic: Topic; channels: Record<Channel, boolean> }> }) {
    const fields = input.topics
      .map((t, i) => ({ t, i }))
      .filter(({ t }) => TOPICS[t.topic].urgent && !CHANNELS.some((c) => t.channels[c]))
      .map(({ t, i }) => ({
        path: `body.topics.${i}.channels`,
        message: `“${TOPICS[t.topic].label}”至少保留一种提醒方式`,
      }));
    if (fields.length) {
      throw new AppError(422, 'URGENT_NOTICE_REQUIRED', `${fields[0].message}，以免错过紧急通知`, { fields });
    }
    const now = new Date();
    await this.d.db.writeSql(async (sql) => {
      for (const t of input.topics) {
        for (const c of CHANNELS) {
          const changed = await sql.run(
            'UPDATE notification_settings SET enabled = ?, updated_at = ? WHERE user_id = ? AND topic = ? AND channel = ?',
            [t.channels[c], now, userId, t.topic, c],
          );
          if (!changed) {
            await sql.run(
              `INSERT INTO notification_settings (id, user_id, topic, channel, enabled, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)`,
              [newId('nst'), userId, t.topic, c, t.channels[c], now, now],
            );
          }
        }
      }
    });
    return this.settings(userId);
  }

  /** The subscribe-message templates the mini-program asks for, by notice kind. */
  templates() {
    return { items: Object.entries(this.d.templates).map(([kind, templateId]) => ({ kind, templateId })) };
  }

  /** Records what the user allowed in `requestSubscribeMessage`: one send per `accept`. */
  async recordSubscriptions(userId: string, results: Record<string, string>): Promise<{ granted: number }> {
    const byId = new Map(Object.entries(this.d.templates).map(([kind, id]) => [id, kind]));
    const accepted = Object.entries(results)
      .filter(([id, r]) => r === 'accept' && byId.has(id))
      .map(([id]) => byId.get(id)!);
    const now = new Date();
    await this.d.db.writeSql(async (sql) => {
      for (const template of accepted) {
        const changed = await sql.run(
          'UPDATE wechat_subscriptions SET granted = granted + 1, updated_at = ? WHERE user_id = ? AND template = ?',
          [now, userId, template],
        );
        if (!changed) {
          await sql.run(
            `INSERT INTO wechat_subscriptions (id, user_id, template, granted, created_at, updated_at)
             VALUES (?, ?, ?, 1, ?, ?)`,
            [newId('wxs'), userId, template, now, now],
          );
        }
      }
    });
    return { granted: accepted.length };
  }
}
