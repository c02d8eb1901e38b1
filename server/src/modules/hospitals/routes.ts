import { defineRoute } from '../../http/route';
import type { HospitalService } from './service';
import {
  departmentPage,
  doctorDetail,
  doctorPage,
  hospital,
  hospitalPage,
  idParam,
  listHospitalsQuery,
  pageQuery,
} from './schemas';

const tags = ['hospitals'];

export function hospitalRoutes(service: HospitalService) {
  return [
    defineRoute({
      method: 'get',
      path: '/hospitals',
      operationId: 'listHospitals',
      summary: 'Search hospitals by name, address or district',
      tags,
      access: 'public',
      query: listHospitalsQuery,
      response: hospitalPage,
      handler: ({ query }) => service.listHospitals(query),
    }),
    defineRoute({
      method: 'get',
      path: '/hospitals/:id',
      operationId: 'getHospital',
      summary: 'One hospital with the state of its HIS link',
      tags,
      access: 'public',
      params: idParam,
      response: hospital,
      errors: [404],
      handler: ({ params }) => service.getHospital(params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/hospitals/:id/departments',
      operationId: 'listDepartments',
      summary: "A hospital's departments",
      tags,
      access: 'public',
      params: idParam,
      query: pageQuery,
      response: departmentPage,
      errors: [404, 503],
      handler: ({ params, query }) => service.listDepartments(params.id, query),
    }),
    defineRoute({
      method: 'get',
      path: '/departments/:id/doctors',
      operationId: 'listDoctors',
      summary: "A department's doctors, most senior first",
      tags,
      access: 'public',
      params: idParam,
      query: pageQuery,
      response: doctorPage,
      errors: [404, 503],
      handler: ({ params, query }) => service.listDoctors(params.id, query),
    }),
    defineRoute({
      method: 'get',
      path: '/doctors/:id',
      operationId: 'getDoctor',
      summary: 'One doctor with department and hospital',
      tags,
      access: 'public',
      params: idParam,
      response: doctorDetail,
      errors: [404],
      handler: ({ params }) => service.getDoctor(params.id),
    }),
  ];
}
