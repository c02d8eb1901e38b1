import { z } from 'zod';
import { idParam, isoTime, pageOf } from '../../http/schemas';
import { CHANNELS, TOPICS } from './catalog';

export const channel = z.enum(CHANNELS).meta({ description: 'wechat 订阅消息 / sms 短信 / voice 语音电话' });
export const topic = z.enum(Object.keys(TOPICS) as [keyof typeof TOPICS, ...Array<keyof typeof TOPICS>]);

export const notification = z
  .object({
    id: z.string(),
    kind: z.string().meta({ example: 'booking_confirmed' }),
    topic,
    urgent: z.boolean(),
    title: z.string(),
    body: z.string(),
    page: z.string().nullable().meta({ description: 'Mini-program page to open' }),
    read: z.boolean(),
    createdAt: isoTime,
  })
  .meta({ id: 'Notification' });

export const inboxQuery = z.object({
  unread: z.enum(['true', 'false']).optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce
    .number()
    .int()
    .min(1)
    .default(20)
    .transform((n) => Math.min(n, 100)),
});

export const inbox = pageOf(notification)
  .extend({ unread: z.number().int().meta({ description: 'Unread notifications in all' }) })
  .meta({ id: 'Inbox' });

export const unreadCount = z.object({ unread: z.number().int() }).meta({ id: 'UnreadCount' });

export const settings = z
  .object({
    topics: z.array(
      z.object({
        topic,
        label: z.string(),
        urgent: z.boolean().meta({ description: 'At least one channel stays on' }),
        channels: z.object({ wechat: z.boolean(), sms: z.boolean(), voice: z.boolean() }),
      }),
    ),
  })
  .meta({ id: 'NotificationSettings' });

export const updateSettings = z.strictObject({
  topics: z
    .array(
      z.strictObject({
        topic,
        channels: z.strictObject({ wechat: z.boolean(), sms: z.boolean(), voice: z.boolean() }),
      }),
    )
    .min(1)
    .max(20),
});

export const templates = z
  .object({ items: z.array(z.object({ kind: z.string(), templateId: z.string() })) })
  .meta({ id: 'SubscribeTemplates' });

/** What `Taro.requestSubscribeMessage` answered, per template id. */
export const subscriptionResults = z.strictObject({
  results: z.record(z.string().min(1).max(64), z.enum(['accept', 'reject', 'ban', 'filter'])),
});

export { idParam };
export type NotificationDto = z.input<typeof notification>;
export type SettingsDto = z.input<typeof settings>;
