/**
 * Response types: type-only imports of the server's zod schemas, erased at
 * build (no server code reaches the bundle); a changed field breaks the type check.
 */
import type { z } from 'zod';
import type * as C from '../../server/src/modules/console/schemas';
import type * as S from '../../server/src/modules/staff/schemas';
import type * as A from '../../server/src/modules/audit/schemas';
import type * as T from '../../server/src/modules/triage/schemas';

export type ConsoleSession = z.output<typeof S.consoleSession>;
export type StaffAccount = z.output<typeof S.staffAccount>;
export type TotpEnrolment = z.output<typeof S.totpEnrolment>;
export type Enrolled = z.output<typeof S.enrolled>;
export type StaffWithPassword = z.output<typeof S.withPassword>;
export type Hospital = z.output<typeof C.consoleHospital>;
export type HospitalDetail = z.output<typeof C.hospitalDetail>;
export type Schedule = z.output<typeof C.consoleSchedule>;
export type ScheduleSession = Schedule['doctors'][number]['sessions'][number];
export type ConsoleSlot = z.output<typeof C.consoleSlot>;
export type StopResult = z.output<typeof C.stopResult>;
export type CapacityResult = z.output<typeof C.capacityResult>;
export type Appointment = z.output<typeof C.consoleAppointment>;
export type Dashboard = z.output<typeof C.dashboard>;
export type AuditEvent = z.output<typeof A.auditEvent>;
export type { DeliveryStats } from '../../server/src/modules/notifications/console-routes';
export type Named = { id: string; name: string };
export type TriageTicket = z.output<typeof T.staffTicket>;
export type TriageTicketDetail = z.output<typeof T.staffTicketDetail>;
export type DoctorRef = z.output<typeof C.doctorRef>;
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
export type Article = z.output<typeof import('../../server/src/modules/health/schemas').article>;
export type ArticleSummary = z.output<typeof import('../../server/src/modules/health/schemas').articleSummary>;
