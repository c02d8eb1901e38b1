import { z } from 'zod';
import { isoTime, pageOf, pageQuery, calendarDate as date } from '../../http/schemas';

export const auditQuery = pageQuery.extend({
  username: z.string().trim().toLowerCase().max(32).optional(),
  action: z.string().trim().max(60).optional().meta({ description: 'Action or its prefix, e.g. `rules.` ' }),
  hospitalId: z.string().min(1).max(64).optional(),
  from: date.optional(),
  to: date.optional(),
});
export type AuditQuery = z.output<typeof auditQuery>;

export const auditEvent = z
  .object({
    id: z.string(),
    at: isoTime,
    staffId: z.string().nullable(),
    username: z.string().nullable(),
    role: z.string().nullable(),
    action: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    hospitalId: z.string().nullable(),
    hospitalName: z.string().nullable(),
    ip: z.string().nullable(),
    requestId: z.string().nullable(),
    details: z
      .record(z.string(), z.unknown())
      .meta({
        additionalProperties: true,
        description: 'What changed (rule values, counts, reasons); never patient data',
      })
      .nullable(),
  })
  .meta({ id: 'AuditEvent' });
export type AuditEventDto = z.input<typeof auditEvent>;

export const auditPage = pageOf(auditEvent).meta({ id: 'AuditEventPage' });
