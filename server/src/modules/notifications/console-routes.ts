import { z } from 'zod';
import { defineRoute } from '../../http/route';
import { isoTime } from '../../http/schemas';
import { channel } from './schemas';
import type { NotificationReport } from './report';

const counts = z.object({
  sent: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  pending: z.number().int(),
});

export const deliveryStats = z
  .object({
    days: z.array(z.object({ date: z.string(), channels: z.object({ wechat: counts, sms: counts, voice: counts }) })),
    recent: z.array(
      z.object({
        notificationId: z.string(),
        kind: z.string(),
        channel,
        status: z.enum(['failed', 'skipped']),
        reason: z.string(),
        at: isoTime,
      }),
    ),
  })
  .meta({ id: 'NotificationDeliveryStats' });

/** 通知记录 in the console (platform admins): sends and failures per channel. Dead letters are retried from 仪表盘. */
export function notificationConsoleRoutes(report: NotificationReport) {
  return [
    defineRoute({
      method: 'get',
      path: '/notifications/stats',
      operationId: 'consoleNotificationStats',
      summary: 'Notification deliveries per channel and day, and the latest failures (platform admins)',
      tags: ['console'],
      access: 'staff',
      roles: ['platform_admin'],
      query: z.object({ days: z.coerce.number().int().min(1).max(30).default(7) }),
      response: deliveryStats,
      handler: ({ query }) => report.stats(query.days),
    }),
  ];
}

export type DeliveryStats = z.input<typeof deliveryStats>;
