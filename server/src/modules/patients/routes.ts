import { z } from 'zod';
import { defineRoute } from '../../http/route';
import type { PatientService } from './service';
import { createPatient, idParam, pageQuery, patient, patientPage, updatePatient } from './schemas';

const tags = ['patients'];

export function patientRoutes(service: PatientService) {
  return [
    defineRoute({
      method: 'get',
      path: '/patients',
      operationId: 'listPatients',
      summary: "The account's patients (就诊人), masked",
      tags,
      access: 'user',
      query: pageQuery,
      response: patientPage,
      handler: ({ user, query }) => service.list(user.id, query),
    }),
    defineRoute({
      method: 'post',
      path: '/patients',
      operationId: 'createPatient',
      summary: 'Add a patient; real-name verified at once. The first must be 本人; at most 5',
      tags,
      access: 'user',
      body: createPatient,
      response: patient,
      status: 201,
      errors: [403, 409, 429],
      handler: ({ user, body }) => service.create(user.id, body),
    }),
    defineRoute({
      method: 'get',
      path: '/patients/:id',
      operationId: 'getPatient',
      summary: 'One of my patients',
      tags,
      access: 'user',
      params: idParam,
      response: patient,
      errors: [404],
      handler: ({ user, params }) => service.get(user.id, params.id),
    }),
    defineRoute({
      method: 'patch',
      path: '/patients/:id',
      operationId: 'updatePatient',
      summary: 'Change a patient; a new name or ID number is verified again',
      tags,
      access: 'user',
      params: idParam,
      body: updatePatient,
      response: patient,
      errors: [403, 404, 409, 429],
      handler: ({ user, params, body }) => service.update(user.id, params.id, body),
    }),
    defineRoute({
      method: 'post',
      path: '/patients/:id/verify',
      operationId: 'reverifyPatient',
      summary: 'Run real-name verification again',
      tags,
      access: 'user',
      params: idParam,
      response: patient,
      errors: [404, 429],
      handler: ({ user, params }) => service.reverify(user.id, params.id),
    }),
    defineRoute({
      method: 'delete',
      path: '/patients/:id',
      operationId: 'deletePatient',
      summary: 'Remove a patient (ID number and phone erased); 本人 last',
      tags,
      access: 'user',
      params: idParam,
      response: z.void(),
      status: 204,
      errors: [404, 409],
      handler: ({ user, params }) => service.remove(user.id, params.id),
    }),
  ];
}
