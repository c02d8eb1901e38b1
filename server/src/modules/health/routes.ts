import { z } from 'zod';
import { defineRoute } from '../../http/route';
import { idParam } from '../../http/schemas';
import type { HealthService } from './service';
import {
  createRecord,
  healthRecord,
  patientQuery,
  profile,
  profileBody,
  recordListQuery,
  recordPage,
  summary,
  summaryQuery,
  timeline,
} from './schemas';

const tags = ['health'];

/** A FHIR R4 Bundle; its shape is FHIR's own (hl7.org/fhir/R4/bundle.html), not redeclared here. */
const fhirBundle = z.object({ resourceType: z.literal('Bundle'), type: z.string() }).meta({
  id: 'HealthFhirBundle',
  additionalProperties: true,
  description: 'FHIR R4 Bundle (collection) of vital-signs Observations (LOINC codes, UCUM units)',
});

export function healthRoutes(s: { health: HealthService }) {
  return [
    defineRoute({
      method: 'post',
      path: '/health/records',
      operationId: 'createHealthRecord',
      summary: 'Record a measurement; answers it with its guideline classification (implausible values: 422)',
      tags,
      access: 'user',
      body: createRecord,
      response: healthRecord,
      status: 201,
      errors: [403, 404, 422, 503],
      handler: ({ user, body }) => s.health.create(user.id, body),
    }),
    defineRoute({
      method: 'get',
      path: '/health/records',
      operationId: 'listHealthRecords',
      summary: "A patient's measurements, newest first, by type and Shanghai date range",
      tags,
      access: 'user',
      query: recordListQuery,
      response: recordPage,
      errors: [403, 404],
      handler: ({ user, query }) => s.health.list(user.id, query),
    }),
    defineRoute({
      method: 'get',
      path: '/health/records/fhir',
      operationId: 'exportHealthRecordsFhir',
      summary: "A patient's measurements as a FHIR R4 Bundle of Observations",
      tags,
      access: 'user',
      query: patientQuery,
      response: fhirBundle,
      errors: [403, 404],
      handler: async ({ user, query, ctx }) => {
        ctx.type = 'application/fhir+json';
        return s.health.fhir(user.id, query.patientId) as Promise<z.input<typeof fhirBundle>>;
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/health/records/:id',
      operationId: 'deleteHealthRecord',
      summary: 'Delete one of your own measurements',
      tags,
      access: 'user',
      params: idParam,
      response: z.void(),
      status: 204,
      errors: [403, 404],
      handler: ({ user, params }) => s.health.remove(user.id, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/health/summary',
      operationId: 'getHealthSummary',
      summary: 'Averages, min/max, count, share per class, trend and daily values over 7, 30 or 90 days',
      tags,
      access: 'user',
      query: summaryQuery,
      response: summary,
      errors: [403, 404],
      handler: ({ user, query }) => s.health.summary(user.id, query),
    }),
    defineRoute({
      method: 'get',
      path: '/health/profile',
      operationId: 'getHealthProfile',
      summary: '健康档案: height, blood type, allergies, conditions, medications, surgeries, family history',
      tags,
      access: 'user',
      query: patientQuery,
      response: profile,
      errors: [403, 404],
      handler: ({ user, query }) => s.health.profile(user.id, query.patientId),
    }),
    defineRoute({
      method: 'put',
      path: '/health/profile',
      operationId: 'saveHealthProfile',
      summary: 'Update the 健康档案 (fields sent replace the stored ones)',
      tags,
      access: 'user',
      body: profileBody,
      response: profile,
      errors: [403, 404],
      rateLimit: 'writePerIp',
      handler: ({ user, body }) => s.health.saveProfile(user.id, body),
    }),
    defineRoute({
      method: 'get',
      path: '/health/timeline',
      operationId: 'getHealthTimeline',
      summary: "The patient's appointments, reports and measurements, newest first",
      tags,
      access: 'user',
      query: patientQuery,
      response: timeline,
      errors: [403, 404],
      handler: ({ user, query }) => s.health.timeline(user.id, query.patientId),
    }),
  ];
}
