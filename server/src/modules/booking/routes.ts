import { z } from 'zod';
import { defineRoute } from '../../http/route';
import { pageOf } from '../../http/schemas';
import type { BookingService } from './service';
import type { SlotService } from './slots';
import type { WaitlistService } from './waitlist';
import {
  appointment,
  appointmentQuery,
  createAppointment,
  departmentSchedule,
  idParam,
  idempotencyHeader,
  joinWaitlist,
  scheduleQuery,
  slot,
  slotRange,
  waitlistEntry,
} from './schemas';

const tags = ['booking'];

export function bookingRoutes(s: { slots: SlotService; booking: BookingService; waitlist: WaitlistService }) {
  return [
    defineRoute({
      method: 'get',
      path: '/doctors/:id/slots',
      operationId: 'listDoctorSlots',
      summary: "A doctor's timed slots in the booking window, with remaining seats and status",
      tags,
      access: 'public',
      params: idParam,
      query: slotRange,
      response: z.object({ items: z.array(slot) }),
      errors: [404, 503],
      handler: ({ params, query }) => s.slots.doctorSlots(params.id, query.from, query.to),
    }),
    defineRoute({
      method: 'get',
      path: '/departments/:id/schedule',
      operationId: 'getDepartmentSchedule',
      summary: "A department's doctors on one date, with their sessions and remaining seats",
      tags,
      access: 'public',
      params: idParam,
      query: scheduleQuery,
      response: departmentSchedule,
      errors: [404, 503],
      handler: ({ params, query }) => s.slots.departmentSchedule(params.id, query.date),
    }),
    defineRoute({
      method: 'post',
      path: '/appointments',
      operationId: 'createAppointment',
      summary: 'Book a slot for one of my patients. Repeating an Idempotency-Key returns the first result',
      tags,
      access: 'user',
      headers: z.object({ 'idempotency-key': idempotencyHeader }),
      body: createAppointment,
      response: appointment,
      status: 201,
      errors: [403, 404, 409, 429],
      handler: async ({ user, body, headers, ctx }) => {
        const r = await s.booking.book(user.id, body, headers['idempotency-key'], ctx.ip);
        if (r.replayed) ctx.set('Idempotent-Replayed', 'true');
        return r.appointment;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/appointments',
      operationId: 'listAppointments',
      summary: 'My appointments (我的预约), newest first',
      tags,
      access: 'user',
      query: appointmentQuery,
      response: pageOf(appointment),
      handler: ({ user, query }) => s.booking.list(user.id, query),
    }),
    defineRoute({
      method: 'get',
      path: '/appointments/:id',
      operationId: 'getAppointment',
      summary: 'One of my appointments',
      tags,
      access: 'user',
      params: idParam,
      response: appointment,
      errors: [404],
      handler: ({ user, params }) => s.booking.get(user.id, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/appointments/:id/cancel',
      operationId: 'cancelAppointment',
      summary: 'Cancel before the cut-off; the seat goes to the waitlist or back to the pool',
      tags,
      access: 'user',
      params: idParam,
      response: appointment,
      errors: [404, 409],
      rateLimit: 'writePerIp',
      handler: ({ user, params }) => s.booking.cancel(user.id, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/waitlist',
      operationId: 'joinWaitlist',
      summary: 'Join the waitlist (候补) of a full slot',
      tags,
      access: 'user',
      body: joinWaitlist,
      response: waitlistEntry,
      status: 201,
      errors: [403, 404, 409],
      rateLimit: 'writePerIp',
      handler: ({ user, body }) => s.waitlist.join(user.id, body),
    }),
    defineRoute({
      method: 'get',
      path: '/waitlist',
      operationId: 'listWaitlist',
      summary: 'My waitlist entries',
      tags,
      access: 'user',
      response: z.object({ items: z.array(waitlistEntry) }),
      handler: ({ user }) => s.waitlist.list(user.id),
    }),
    defineRoute({
      method: 'delete',
      path: '/waitlist/:id',
      operationId: 'leaveWaitlist',
      summary: 'Leave a waitlist',
      tags,
      access: 'user',
      params: idParam,
      response: z.void(),
      status: 204,
      errors: [404, 409],
      rateLimit: 'writePerIp',
      handler: ({ user, params }) => s.waitlist.leave(user.id, params.id),
    }),
  ];
}
