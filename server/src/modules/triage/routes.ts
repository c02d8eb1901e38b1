import { defineRoute } from '../../http/route';
import { idParam } from '../../http/schemas';
import { assessBody, assessment, departmentMatch, departmentMatchQuery, knowledge } from './schemas';
import type { TriageService } from './service';

const tags = ['triage'];

export function triageRoutes(s: { triage: TriageService }) {
  return [
    defineRoute({
      method: 'get',
      path: '/triage/knowledge',
      operationId: 'getTriageKnowledge',
      summary: 'Body areas and symptoms to pick from (智能分诊), and the disclaimer',
      tags,
      access: 'public',
      response: knowledge,
      handler: async () => s.triage.knowledge(),
    }),
    defineRoute({
      method: 'post',
      path: '/triage/assess',
      operationId: 'assessTriage',
      summary:
        'Department advice from symptoms, free text (negation understood), age and sex; red flags answer emergency. Not a diagnosis; nothing is stored',
      tags,
      access: 'public',
      rateLimit: 'readPerIp',
      body: assessBody,
      response: assessment,
      status: 200,
      errors: [422, 429],
      handler: async ({ body }) => s.triage.assess(body),
    }),
    defineRoute({
      method: 'get',
      path: '/triage/hospitals/:id/department',
      operationId: 'matchTriageDepartment',
      summary:
        "The hospital's own department for a standard department name (or its fallback), to book from the advice",
      tags,
      access: 'public',
      params: idParam,
      query: departmentMatchQuery,
      response: departmentMatch,
      errors: [404, 422, 503],
      handler: ({ params, query }) => s.triage.matchDepartment(params.id, query.name),
    }),
  ];
}
