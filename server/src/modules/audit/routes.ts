import { z } from 'zod';
import { defineRoute } from '../../http/route';
import { actorOf, type AuditLog } from './service';
import { auditPage, auditQuery } from './schemas';

const tags = ['console'];

/** 审计日志: platform admins only; hospital filters are plain filters here (platform admins see all). */
export function auditRoutes(audit: AuditLog) {
  return [
    defineRoute({
      method: 'get',
      path: '/audit-events',
      operationId: 'consoleListAuditEvents',
      summary: 'The audit log, newest first, filtered by account, action, hospital and dates',
      tags,
      access: 'staff',
      roles: ['platform_admin'],
      query: auditQuery,
      response: auditPage,
      handler: ({ query }) => audit.list(query),
    }),
    defineRoute({
      method: 'get',
      path: '/audit-events/export',
      operationId: 'consoleExportAuditEvents',
      summary: 'The filtered audit log as CSV (at most 10,000 rows); the export itself is audited',
      tags,
      access: 'staff',
      roles: ['platform_admin'],
      query: auditQuery.omit({ page: true, pageSize: true }),
      response: z.string(),
      produces: 'text/csv',
      handler: async ({ query, staff, ctx }) => {
        const csv = await audit.csv({ ...query, page: 1, pageSize: 1 });
        await audit.record(actorOf(staff, ctx), { action: 'audit.export', details: { filters: query } });
        ctx.set('Content-Disposition', `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`);
        return csv;
      },
    }),
  ];
}
