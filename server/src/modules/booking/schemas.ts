import { z } from 'zod';
import { idParam, isoTime, calendarDate as date } from '../../http/schemas';
import { doctorTitle } from '../hospitals/schemas';

export const period = z.enum(['am', 'pm']).meta({ description: '上午 / 下午' });
export const slotLevel = z.enum(['normal', 'expert', 'special']).meta({ description: '普通 / 专家 / 特需' });
export const slotStatus = z.enum(['open', 'full', 'not_released', 'closed']);
export const appointmentStatus = z.enum(['booked', 'checked_in', 'completed', 'cancelled', 'no_show']);

export const slot = z
  .object({
    id: z.string(),
    doctorId: z.string(),
    date,
    period,
    startAt: isoTime,
    endAt: isoTime,
    level: slotLevel,
    feeFen: z.number().int(),
    capacity: z.number().int(),
    remaining: z.number().int(),
    status: slotStatus,
  })
  .meta({ id: 'Slot' });

export const slotRange = z.object({ from: date.optional(), to: date.optional() });
export const scheduleQuery = z.object({
  date: date.optional().meta({ description: 'Default: the first date of the window with seats left, else today' }),
});
export const dayStatus = z
  .enum(['open', 'full', 'not_released', 'closed', 'none'])
  .meta({ description: '有号 / 约满 / 未放号 / 停约 / 无排班' });

export const departmentSchedule = z
  .object({
    date,
    dates: z.array(date).meta({ description: 'Bookable dates of the window' }),
    days: z
      .array(z.object({ date, status: dayStatus }))
      .meta({ description: 'Each date of the window with the best status of any of its slots' }),
    doctors: z.array(
      z.object({
        doctor: z.object({ id: z.string(), name: z.string(), title: doctorTitle, specialty: z.string() }),
        sessions: z.array(
          z.object({
            period,
            level: slotLevel,
            feeFen: z.number().int(),
            remaining: z.number().int(),
            status: slotStatus,
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'DepartmentSchedule' });

export const createAppointment = z.strictObject({
  slotId: z.string().min(1).max(64),
  patientId: z.string().min(1).max(64),
});
export const idempotencyHeader = z.string().regex(/^[\w-]{8,80}$/, 'Idempotency-Key 应为8-80位字母、数字、-或_');

export const appointment = z
  .object({
    id: z.string(),
    status: appointmentStatus,
    bookingCode: z.string(),
    hospitalConfirmation: z.enum(['pending', 'confirmed', 'rejected']),
    cancelReason: z.string().nullable(),
    feeFen: z.number().int(),
    slot: slot.omit({ capacity: true, remaining: true, status: true }),
    doctor: z.object({ id: z.string(), name: z.string(), title: doctorTitle }),
    department: z.object({ id: z.string(), name: z.string(), location: z.string() }),
    hospital: z.object({ id: z.string(), name: z.string(), address: z.string() }),
    patient: z.object({ id: z.string(), name: z.string(), idNumber: z.string() }),
    cancellable: z.boolean(),
    cancelDeadline: isoTime,
    fromWaitlist: z.boolean(),
    createdAt: isoTime,
  })
  .meta({ id: 'Appointment' });

export const appointmentQuery = z.object({
  status: appointmentStatus.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce
    .number()
    .int()
    .min(1)
    .default(20)
    .transform((n) => Math.min(n, 100)),
});

export const joinWaitlist = createAppointment;
export const waitlistEntry = z
  .object({
    id: z.string(),
    status: z.enum(['waiting', 'granted', 'cancelled', 'expired']),
    position: z.number().int().nullable(),
    slot: slot.omit({ capacity: true, remaining: true, status: true }),
    patientId: z.string(),
    appointmentId: z.string().nullable(),
    endReason: z.string().nullable().meta({ description: 'Why a waitlist entry ended without a seat' }),
    createdAt: isoTime,
  })
  .meta({ id: 'WaitlistEntry' });

export { idParam };
export type SlotDto = z.input<typeof slot>;
export type AppointmentDto = z.input<typeof appointment>;
export type WaitlistEntryDto = z.input<typeof waitlistEntry>;
