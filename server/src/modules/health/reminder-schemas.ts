import { z } from 'zod';
import { isoTime } from '../../http/schemas';
import { measurementType } from './schemas';

/** At most this many reminders per patient. */
export const MAX_REMINDERS = 6;

const clock = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为HH:MM（北京时间）')
  .meta({ example: '08:00', description: 'Time of day in Shanghai' });

export const reminderInput = z.strictObject({ type: measurementType, time: clock, enabled: z.boolean() });

export const saveReminders = z
  .strictObject({
    patientId: z.string().min(1).max(64),
    items: z.array(reminderInput).max(MAX_REMINDERS, `最多设置${MAX_REMINDERS}个测量提醒`),
  })
  .superRefine((b, ctx) => {
    const seen = new Set<string>();
    b.items.forEach((r, i) => {
      const key = `${r.type}@${r.time}`;
      if (seen.has(key))
        ctx.addIssue({ code: 'custom', path: ['items', i], message: '同一项目在同一时间的提醒重复了' });
      seen.add(key);
    });
  });

export const reminder = reminderInput.extend({ id: z.string() }).meta({ id: 'HealthReminder' });

export const reminders = z
  .object({
    patientId: z.string(),
    items: z.array(reminder),
    updatedAt: isoTime.nullable().meta({ description: 'Last saved; null if never' }),
  })
  .meta({ id: 'HealthReminders' });

export type SaveReminders = z.output<typeof saveReminders>;
export type RemindersDto = z.input<typeof reminders>;
