import { z } from 'zod';
import { defineRoute } from '../../http/route';
import type { ReportService } from './service';
import type { ShareService } from './share';
import {
  createShare,
  idParam,
  observationQuery,
  observations,
  pageQuery,
  reportDetail,
  reportListQuery,
  reportPage,
  share,
  shareCreated,
  sharePage,
  sharedHeaders,
  sharedReport,
  sharedToken,
} from './schemas';

const tags = ['reports'];

/** A FHIR R4 Bundle; its shape is FHIR's own (hl7.org/fhir/R4/bundle.html), not redeclared here. */
const fhirBundle = z.object({ resourceType: z.literal('Bundle'), type: z.string() }).meta({
  id: 'FhirBundle',
  additionalProperties: true,
  description: 'FHIR R4 Bundle (collection): DiagnosticReport, Observations, Patient',
});

export function reportRoutes(s: { reports: ReportService; shares: ShareService }) {
  return [
    defineRoute({
      method: 'get',
      path: '/reports',
      operationId: 'listReports',
      summary:
        "A patient's released lab and exam reports from every hospital (or one); hospitals not reachable now are listed",
      tags,
      access: 'user',
      query: reportListQuery,
      response: reportPage,
      errors: [403, 404],
      handler: ({ user, query }) => s.reports.list(user.id, query),
    }),
    defineRoute({
      method: 'get',
      path: '/reports/:id',
      operationId: 'getReport',
      summary: 'One report, interpreted: flags, critical items first, plain-language explanations, summary',
      tags,
      access: 'user',
      params: idParam,
      response: reportDetail,
      errors: [403, 404],
      handler: ({ user, params }) => s.reports.get(user.id, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/reports/:id/fhir',
      operationId: 'getReportFhir',
      summary: 'The report as a FHIR R4 Bundle with a masked Patient, for another doctor to import',
      tags,
      access: 'user',
      params: idParam,
      response: fhirBundle,
      errors: [403, 404],
      handler: async ({ user, params, ctx }) => {
        ctx.type = 'application/fhir+json';
        return s.reports.fhir(user.id, params.id) as Promise<z.input<typeof fhirBundle>>;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/patients/:id/observations',
      operationId: 'listObservations',
      summary: "One analyte's results over time across reports and hospitals, in one unit, with its direction",
      tags,
      access: 'user',
      params: idParam,
      query: observationQuery,
      response: observations,
      errors: [403, 404],
      handler: ({ user, params, query }) => s.reports.observations(user.id, params.id, query),
    }),
    defineRoute({
      method: 'post',
      path: '/reports/:id/shares',
      operationId: 'createReportShare',
      summary: 'Share the report with family: a link (token shown once), 72 h by default and 30 days at most',
      tags,
      access: 'user',
      params: idParam,
      body: createShare,
      response: shareCreated,
      status: 201,
      errors: [403, 404, 409],
      rateLimit: 'writePerIp',
      handler: ({ user, params, body }) => s.shares.create(user.id, params.id, body),
    }),
    defineRoute({
      method: 'get',
      path: '/reports/:id/shares',
      operationId: 'listReportShares',
      summary: "The report's shares with their views",
      tags,
      access: 'user',
      params: idParam,
      response: z.object({ items: z.array(share) }),
      errors: [403, 404],
      handler: ({ user, params }) => s.shares.listForReport(user.id, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/shares',
      operationId: 'listMyShares',
      summary: '我的分享: every share of the account with its views',
      tags,
      access: 'user',
      query: pageQuery,
      response: sharePage,
      handler: ({ user, query }) => s.shares.listMine(user.id, query),
    }),
    defineRoute({
      method: 'delete',
      path: '/shares/:id',
      operationId: 'revokeShare',
      summary: 'Revoke a share at once',
      tags,
      access: 'user',
      params: idParam,
      response: z.void(),
      status: 204,
      errors: [404],
      rateLimit: 'writePerIp',
      handler: ({ user, params }) => s.shares.revoke(user.id, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/shared/:token',
      operationId: 'viewSharedReport',
      summary:
        'A shared report, without signing in; the access code in X-Access-Code. Expired, revoked and unknown links answer alike',
      tags,
      access: 'public',
      params: sharedToken,
      headers: sharedHeaders,
      response: sharedReport,
      errors: [401, 404, 423],
      rateLimit: 'sharedViewPerIp',
      handler: ({ params, headers, ctx }) => {
        // The answer is personal: neither shared caches nor the browser's back-forward cache keep it.
        ctx.set('Cache-Control', 'no-store');
        ctx.set('Referrer-Policy', 'no-referrer');
        return s.shares.view(params.token, headers['x-access-code'], {
          ip: ctx.ip,
          userAgent: ctx.get('User-Agent'),
        });
      },
    }),
  ];
}
