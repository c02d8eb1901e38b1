import { z } from 'zod';
import { idParam, isoTime, pageOf, pageQuery, calendarDate as date } from '../../http/schemas';
import { appointmentStatus, period, slotLevel } from '../booking/schemas';
import { doctorTitle, hospitalLevel } from '../hospitals/schemas';

export { addCapacity, bookingRules, markAppointment, stopSession } from '../../../../common/console/forms';
export { idParam };

export const consoleHospital = z
  .object({ id: z.string(), code: z.string(), name: z.string(), level: hospitalLevel, district: z.string() })
  .meta({ id: 'ConsoleHospital' });

export const rulesDto = z
  .object({
    windowDays: z.number().int(),
    releaseTime: z.string(),
    stopTime: z.string(),
    cancelCutoffHours: z.number().int(),
    maxActive: z.number().int(),
    noShowLimit: z.number().int(),
    noShowWindowDays: z.number().int(),
    suspendDays: z.number().int(),
  })
  .meta({ id: 'BookingRules' });

export const hisHealth = z
  .object({
    status: z.enum(['online', 'unavailable']).meta({ description: 'From the circuit breaker' }),
    calls: z.number().int(),
    failures: z.number().int(),
    errorRate: z.number().nullable().meta({ description: 'failures / calls over the recent calls' }),
    latencyMs: z.object({ mean: z.number(), p95: z.number() }).nullable(),
    lastError: z.object({ reason: z.string(), at: z.string() }).nullable(),
    scheduleAnomaly: z.string().nullable().meta({ description: 'A suspicious schedule answer that was kept' }),
    scheduleAnomalyAt: isoTime.nullable(),
  })
  .meta({ id: 'HisHealth' });

export const hospitalDetail = consoleHospital
  .extend({
    address: z.string(),
    phone: z.string(),
    intro: z.string(),
    catalogSyncedAt: isoTime.nullable(),
    rules: rulesDto,
    rulesCustomised: z.boolean().meta({ description: 'false while the platform defaults apply' }),
    his: hisHealth,
  })
  .meta({ id: 'ConsoleHospitalDetail' });

export const namedRef = z.object({ id: z.string(), name: z.string() });
export const doctorRef = z.object({ id: z.string(), name: z.string(), title: doctorTitle, departmentId: z.string() });

export const scheduleQuery = z.object({ date });

export const consoleSlot = z.object({
  id: z.string(),
  startAt: isoTime,
  endAt: isoTime,
  capacity: z.number().int(),
  addedCapacity: z.number().int().meta({ description: 'Seats added on the console (加号)' }),
  booked: z.number().int(),
  remaining: z.number().int(),
  waiting: z.number().int().meta({ description: 'Patients on the waitlist' }),
  closed: z.boolean(),
});

export const consoleSchedule = z
  .object({
    date,
    department: namedRef,
    hospital: namedRef,
    doctors: z.array(
      z.object({
        doctor: doctorRef,
        sessions: z.array(
          z.object({
            period,
            level: slotLevel,
            feeFen: z.number().int(),
            capacity: z.number().int(),
            booked: z.number().int(),
            remaining: z.number().int(),
            waiting: z.number().int(),
            stopped: z.boolean().meta({ description: 'Every slot of the session is closed (停诊)' }),
            started: z.boolean(),
            slots: z.array(consoleSlot),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'ConsoleSchedule' });

export const stopResult = z
  .object({ slots: z.number().int(), cancelled: z.number().int(), appointmentIds: z.array(z.string()) })
  .meta({ id: 'StopSessionResult' });

export const capacityResult = z
  .object({ slot: consoleSlot, promoted: z.number().int().meta({ description: 'Waitlisted patients given a seat' }) })
  .meta({ id: 'AddCapacityResult' });

export const appointmentSearch = pageQuery.extend({
  hospitalId: z.string().min(1).max(64).optional(),
  doctorId: z.string().min(1).max(64).optional(),
  bookingCode: z.string().trim().toUpperCase().max(12).optional(),
  date: date.optional(),
  status: appointmentStatus.optional(),
});

export const consoleAppointment = z
  .object({
    id: z.string(),
    bookingCode: z.string(),
    status: appointmentStatus,
    hospitalConfirmation: z.enum(['pending', 'confirmed', 'rejected']),
    cancelReason: z.string().nullable(),
    date,
    period,
    startAt: isoTime,
    endAt: isoTime,
    hospital: namedRef,
    department: namedRef,
    doctor: z.object({ id: z.string(), name: z.string(), title: doctorTitle }),
    patient: z
      .object({ name: z.string(), idNumber: z.string(), phone: z.string() })
      .meta({ description: 'Masked: 张*, 110***********1234, 138****1234' }),
    fromWaitlist: z.boolean(),
    createdAt: isoTime,
  })
  .meta({ id: 'ConsoleAppointment' });
export type ConsoleAppointmentDto = z.input<typeof consoleAppointment>;
export const consoleAppointmentPage = pageOf(consoleAppointment).meta({ id: 'ConsoleAppointmentPage' });

export const dashboardQuery = z.object({ hospitalId: z.string().min(1).max(64).optional() });

export const dashboard = z
  .object({
    today: date,
    totals: z.object({
      bookings: z.number().int(),
      cancellations: z.number().int(),
      noShows: z.number().int(),
      waitlist: z.number().int(),
    }),
    hospitals: z.array(
      z.object({
        hospital: consoleHospital,
        bookings: z.number().int().meta({ description: 'Bookings made today' }),
        cancellations: z.number().int().meta({ description: 'Cancelled today, by anyone' }),
        noShows: z.number().int().meta({ description: "Today's appointments marked no-show" }),
        waitlist: z.number().int().meta({ description: 'Patients waiting now' }),
        his: hisHealth,
      }),
    ),
    daily: z.array(z.object({ date, bookings: z.number().int(), cancellations: z.number().int() })),
    outbox: z
      .object({
        backlog: z.array(z.object({ kind: z.string(), open: z.number().int(), dead: z.number().int() })),
        deadLetters: z.array(
          z.object({
            id: z.string(),
            kind: z.string(),
            aggregateId: z.string(),
            attempts: z.number().int(),
            lastError: z.string().nullable(),
            createdAt: isoTime,
            deadAt: isoTime.nullable(),
          }),
        ),
      })
      .nullable()
      .meta({ description: 'Platform admins only' }),
  })
  .meta({ id: 'ConsoleDashboard' });
export type DashboardDto = z.input<typeof dashboard>;
