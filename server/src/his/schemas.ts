import { z } from 'zod';

/**
 * What the platform accepts from a hospital (docs/his-interface.md). Every
 * answer is checked: a malformed one counts as an outage of that hospital,
 * never as a 500 to the patient.
 */
const code = z.string().min(1).max(80);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const time = z.string().regex(/^\d{2}:\d{2}$/);

export const hisProfile = z.object({
  code,
  name: z.string().min(1).max(100),
  level: z.enum(['tertiary_a', 'tertiary_b']),
  district: z.string().max(20),
  address: z.string().max(200),
  phone: z.string().max(40),
  intro: z.string().max(5000),
});

export const hisDepartments = z.object({
  items: z.array(
    z.object({ code, name: z.string().min(1).max(60), location: z.string().max(100), intro: z.string().max(5000) }),
  ),
});

export const hisDoctors = z.object({
  items: z.array(
    z.object({
      code,
      departmentCode: code,
      name: z.string().min(1).max(40),
      gender: z.enum(['male', 'female']),
      title: z.enum(['chief_physician', 'associate_chief_physician', 'attending_physician']),
      specialty: z.string().max(200),
      intro: z.string().max(5000),
      photoUrl: z.string().url().max(500).optional(),
    }),
  ),
});

export const hisSessions = z.object({
  items: z.array(
    z.object({
      doctorCode: code,
      departmentCode: code,
      date,
      period: z.enum(['am', 'pm']),
      level: z.enum(['normal', 'expert', 'special']),
      feeFen: z.number().int().min(0).max(10_000_000),
      /** `stopped` (停诊) is the only way a hospital closes a session's slots. */
      status: z.enum(['open', 'stopped']).default('open'),
      stopReason: z.string().max(200).optional(),
      slots: z.array(z.object({ code, startTime: time, endTime: time, capacity: z.number().int().min(0).max(10_000) })),
    }),
  ),
});

const text = (max: number) => z.string().max(max);
const finite = z.number().finite();

export const hisReportItem = z.object({
  code,
  name: z.string().min(1).max(200),
  value: z.string().min(1).max(200),
  unit: text(40).optional(),
  referenceRange: z.object({ low: finite.optional(), high: finite.optional(), text: text(200).optional() }).optional(),
  hospitalFlag: text(10).optional(),
});

export const hisReport = z.object({
  code,
  type: z.enum(['lab', 'exam']),
  title: z.string().min(1).max(200),
  specimen: text(100).optional(),
  status: z.enum(['preliminary', 'final', 'amended']),
  reportedAt: z.iso.datetime({ offset: true }),
  department: text(100),
  orderedBy: text(100),
  items: z.array(hisReportItem).max(500).optional(),
  findings: text(10_000).optional(),
  impression: text(5_000).optional(),
});

export const hisReports = z.object({ items: z.array(hisReport).max(2_000) });

export const hisBookingConfirmed = z.object({ hisBookingId: z.string().min(1).max(64) });
export const hisBookingFound = z.object({
  hisBookingId: z.string().min(1).max(64),
  status: z.enum(['booked', 'cancelled']),
});

const room = z.object({ code, name: z.string().min(1).max(60) });
export const hisCheckedIn = z.object({ queueNumber: z.number().int().min(1).max(100_000), room });
const queueNumber = z.number().int().min(0).max(100_000);
export const hisQueue = z.object({
  room,
  calling: queueNumber.nullable(),
  waiting: z.array(queueNumber).max(2_000),
  recentDurationsSec: z.array(z.number().int().min(0).max(86_400)).max(200),
  updatedAt: z.iso.datetime({ offset: true }),
});

const fen = z.number().int().min(-100_000_000).max(100_000_000);
export const hisBill = z.object({
  code,
  visitCode: code,
  visitDate: date,
  department: text(100),
  status: z.enum(['paid', 'unpaid']),
  totalFen: fen,
  insuranceFen: fen,
  selfPayFen: fen,
  items: z
    .array(
      z.object({
        category: z.enum(['西药费', '中药费', '检查费', '化验费', '治疗费', '挂号费', '材料费', '其他']),
        name: z.string().min(1).max(200),
        quantity: z.number().int().min(0).max(100_000),
        unitPriceFen: fen,
        amountFen: fen,
      }),
    )
    .max(500),
});
export const hisBills = z.object({ items: z.array(hisBill).max(1_000) });

/** A business refusal: the only 4xx answers that mean "no" rather than "broken". */
export const hisRefusal = z.object({ code: z.string().min(1).max(60), message: z.string().max(300).default('') });
export const HIS_REFUSAL_STATUSES = new Set([404, 409, 422]);
/** Codes a hospital may refuse with (docs/his-interface.md); any other 4xx is a fault on its side or ours. */
export const HIS_REFUSAL_CODES = new Set([
  'BOOKING_REFUSED',
  'SLOT_UNAVAILABLE',
  'PATIENT_BLOCKED',
  'NO_SUCH_BOOKING',
  'NOT_CANCELLABLE',
  // Reports: the hospital has no record of this patient (the platform reads it as "no reports").
  'PATIENT_UNKNOWN',
  // Check-in: the hospital will not check this booking in (cancelled, another day, already seen).
  'CHECK_IN_REFUSED',
]);

/** The indoor map: any JSON object here; its content is checked by the navigation module (map-format.ts). */
export const hisMap = z.record(z.string(), z.unknown());
