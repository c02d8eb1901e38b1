import { z } from 'zod';
import { conflict } from '../../http/errors';
import { defineRoute } from '../../http/route';
import type { OutboxRunner } from '../../outbox/runner';
import { actorOf, type AuditLog } from '../audit/service';
import type { ConsoleAppointments } from './appointments';
import type { ConsoleDashboard } from './dashboard';
import type { ConsoleHospitals } from './hospitals';
import type { ConsoleSchedule } from './schedule';
import {
  addCapacity,
  appointmentSearch,
  bookingRules,
  capacityResult,
  consoleAppointment,
  consoleAppointmentPage,
  consoleHospital,
  consoleSchedule,
  dashboard,
  dashboardQuery,
  doctorRef,
  hospitalDetail,
  idParam,
  markAppointment,
  namedRef,
  scheduleQuery,
  stopResult,
  stopSession,
} from './schemas';

const tags = ['console'];
const ADMINS = ['platform_admin', 'hospital_admin'] as const;
const route = { tags, access: 'staff' as const, roles: ADMINS };
const hospitalParam = { kind: 'hospital', at: 'params.id' } as const;

export interface ConsoleRouteDeps {
  hospitals: ConsoleHospitals;
  schedule: ConsoleSchedule;
  appointments: ConsoleAppointments;
  dashboard: ConsoleDashboard;
  outbox: OutboxRunner;
  audit: AuditLog;
}

/** 仪表盘, 医院与规则, 排班与号源, 预约管理, and the outbox's dead letters. */
export function consoleRoutes(s: ConsoleRouteDeps) {
  return [
    defineRoute({
      ...route,
      method: 'get',
      path: '/dashboard',
      operationId: 'consoleDashboard',
      summary: "Today's figures and HIS health per hospital, 14 days of bookings, the outbox (platform admins)",
      scope: [{ kind: 'hospital', at: 'query.hospitalId' }],
      query: dashboardQuery,
      response: dashboard,
      errors: [404],
      handler: ({ staff, query }) => s.dashboard.overview(staff, query.hospitalId),
    }),
    defineRoute({
      ...route,
      roles: ['platform_admin'],
      method: 'post',
      path: '/outbox/:id/retry',
      operationId: 'consoleRetryDeadLetter',
      summary: 'Put a dead-lettered outbox job back in line (audited)',
      scope: [],
      params: idParam,
      response: z.object({ retried: z.literal(true) }),
      errors: [409],
      handler: async ({ staff, params, ctx }) => {
        if (!(await s.outbox.retry(params.id))) throw conflict('NOT_DEAD', '该任务不在死信队列中');
        await s.audit.record(actorOf(staff, ctx), {
          action: 'outbox.retry',
          targetType: 'outbox',
          targetId: params.id,
        });
        return { retried: true as const };
      },
    }),
    defineRoute({
      ...route,
      method: 'get',
      path: '/hospitals',
      operationId: 'consoleListHospitals',
      summary: "The caller's hospitals (all, for platform admins)",
      response: z.object({ items: z.array(consoleHospital) }),
      handler: ({ staff }) => s.hospitals.list(staff),
    }),
    defineRoute({
      ...route,
      method: 'get',
      path: '/hospitals/:id',
      operationId: 'consoleGetHospital',
      summary: 'A hospital: profile (synced from its HIS), booking rules and HIS health',
      scope: [hospitalParam],
      params: idParam,
      response: hospitalDetail,
      errors: [404],
      handler: ({ params }) => s.hospitals.get(params.id),
    }),
    defineRoute({
      ...route,
      method: 'put',
      path: '/hospitals/:id/rules',
      operationId: 'consoleUpdateBookingRules',
      summary: 'Replace the booking rules; applies to the next booking; audited with old and new values',
      scope: [hospitalParam],
      params: idParam,
      body: bookingRules,
      response: hospitalDetail,
      errors: [404],
      handler: ({ staff, params, body, ctx }) => s.hospitals.updateRules(params.id, body, actorOf(staff, ctx)),
    }),
    defineRoute({
      ...route,
      method: 'get',
      path: '/hospitals/:id/departments',
      operationId: 'consoleListDepartments',
      summary: "A hospital's departments",
      scope: [hospitalParam],
      params: idParam,
      response: z.object({ items: z.array(namedRef) }),
      errors: [404],
      handler: ({ params }) => s.hospitals.departments(params.id),
    }),
    defineRoute({
      ...route,
      method: 'get',
      path: '/hospitals/:id/doctors',
      operationId: 'consoleListDoctors',
      summary: "A hospital's doctors, by name",
      scope: [hospitalParam],
      params: idParam,
      query: z.object({ q: z.string().trim().max(20).optional() }),
      response: z.object({ items: z.array(doctorRef) }),
      errors: [404],
      handler: ({ params, query }) => s.hospitals.doctors(params.id, query.q),
    }),
    defineRoute({
      ...route,
      method: 'get',
      path: '/departments/:id/schedule',
      operationId: 'consoleDepartmentSchedule',
      summary: "A department's sessions on a date: capacity, booked, remaining and waitlist per slot",
      scope: [{ kind: 'department', at: 'params.id' }],
      params: idParam,
      query: scheduleQuery,
      response: consoleSchedule,
      errors: [404],
      handler: ({ params, query }) => s.schedule.view(params.id, query.date),
    }),
    defineRoute({
      ...route,
      method: 'post',
      path: '/sessions/stop',
      operationId: 'consoleStopSession',
      summary: '停诊: close a session, cancel its appointments with the reason, end its waitlist',
      scope: [{ kind: 'doctor', at: 'body.doctorId' }],
      body: stopSession,
      response: stopResult,
      errors: [404, 409],
      handler: ({ staff, body, ctx }) => s.schedule.stop(body, actorOf(staff, ctx)),
    }),
    defineRoute({
      ...route,
      method: 'post',
      path: '/slots/:id/capacity',
      operationId: 'consoleAddCapacity',
      summary: '加号: add seats to a slot; its waitlist gets them first',
      scope: [{ kind: 'slot', at: 'params.id' }],
      params: idParam,
      body: addCapacity,
      response: capacityResult,
      errors: [404, 409],
      handler: ({ staff, params, body, ctx }) => s.schedule.addCapacity(params.id, body, actorOf(staff, ctx)),
    }),
    defineRoute({
      ...route,
      method: 'get',
      path: '/appointments',
      operationId: 'consoleSearchAppointments',
      summary: 'Search appointments by booking code, date, doctor and status; patients masked; audited',
      scope: [
        { kind: 'hospital', at: 'query.hospitalId' },
        { kind: 'doctor', at: 'query.doctorId' },
      ],
      query: appointmentSearch,
      response: consoleAppointmentPage,
      errors: [404],
      handler: ({ staff, query, ctx }) => s.appointments.search(staff, query, actorOf(staff, ctx)),
    }),
    defineRoute({
      ...route,
      method: 'post',
      path: '/appointments/:id/status',
      operationId: 'consoleMarkAppointment',
      summary: 'Mark an appointment checked in, completed or no-show (a no-show counts toward suspension)',
      scope: [{ kind: 'appointment', at: 'params.id' }],
      params: idParam,
      body: markAppointment,
      response: consoleAppointment,
      errors: [404, 409],
      handler: ({ staff, params, body, ctx }) => s.appointments.mark(params.id, body.status, actorOf(staff, ctx)),
    }),
  ];
}
