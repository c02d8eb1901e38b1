// Response types come from the server's zod schemas (type-only imports, erased at build),
// so the client and the API cannot disagree about a field.
import type { z } from 'zod';
import type { policy, tokens } from '../../server/src/modules/accounts/schemas';
import type { CreatePatientInput } from '../../server/src/modules/patients/schemas';
import type { departmentSchedule } from '../../server/src/modules/booking/schemas';
import type { inbox } from '../../server/src/modules/notifications/schemas';

export type {
  DepartmentDto as Department,
  DoctorDto as Doctor,
  HospitalDto as Hospital,
  HospitalSummaryDto as HospitalSummary,
} from '../../server/src/modules/hospitals/schemas';
export type { MeDto as Me, ConsentDto as Consent } from '../../server/src/modules/accounts/schemas';
export type { PatientDto as Patient } from '../../server/src/modules/patients/schemas';
export type {
  AppointmentDto as Appointment,
  SlotDto as Slot,
  WaitlistEntryDto as WaitlistEntry,
} from '../../server/src/modules/booking/schemas';
export type { DoctorDetailDto as DoctorDetail } from '../../server/src/modules/hospitals/schemas';
export type { Page } from '../../server/src/http/schemas';
export type {
  ReportPageDto as ReportPage,
  ReportSummaryDto as ReportSummary,
  ReportDetailDto as ReportDetail,
  ReportItemDto as ReportItem,
  ObservationsDto as Observations,
  CreateShareInput as ShareInput,
  ShareCreatedDto as ShareCreated,
  ShareDto as Share,
  SharedReportDto as SharedReport,
} from '../../server/src/modules/reports/schemas';

export type SignIn = z.input<typeof tokens>;
export type DepartmentSchedule = z.input<typeof departmentSchedule>;
export type PrivacyPolicy = z.input<typeof policy>;
export type PatientInput = CreatePatientInput;
export type Relation = PatientInput['relation'];

export interface ApiErrorBody {
  error: { code: string; message: string; details?: { fields?: Array<{ path: string; message: string }> } };
}

export type {
  NotificationDto as Notification,
  SettingsDto as NotificationSettings,
} from '../../server/src/modules/notifications/schemas';
export type Inbox = z.input<typeof inbox>;

export type {
  HospitalMapDto as HospitalMap,
  PoiDto as Poi,
  RouteDto as Route,
} from '../../server/src/modules/navigation/schemas';
export type {
  BillDetailDto as BillDetail,
  BillSummaryDto as BillSummary,
  CheckInDto as CheckIn,
  QueueStatusDto as QueueStatus,
  VisitBillsDto as VisitBills,
} from '../../server/src/modules/visit/schemas';
type VisitSchemas = typeof import('../../server/src/modules/visit/schemas');
export type CheckInWindow = z.input<VisitSchemas['checkInWindow']>;
export type BillPage = z.input<VisitSchemas['billPage']>;
export type TriageAssessment = z.input<typeof import('../../server/src/modules/triage/schemas').assessment>;
export type TriageKnowledge = z.input<typeof import('../../server/src/modules/triage/schemas').knowledge>;
export type TriageDepartmentMatch = z.input<typeof import('../../server/src/modules/triage/schemas').departmentMatch>;
export type TriageAssessInput = z.input<typeof import('../../server/src/modules/triage/schemas').assessBody>;
export type {
  HealthRecordDto as HealthRecord,
  SummaryDto as HealthSummary,
  ProfileDto as HealthProfile,
  ProfileBody as HealthProfileInput,
  TimelineEntryDto as HealthTimelineEntry,
  ArticleDto as Article,
} from '../../server/src/modules/health/schemas';
export type ArticleSummary = z.input<typeof import('../../server/src/modules/health/schemas').articleSummary>;
export type HealthRecordInput = import('../../server/src/modules/health/schemas').CreateRecord;
export type MeasurementType = import('../../server/src/modules/health/rules').MeasurementType;
export type {
  RemindersDto as HealthReminders,
  SaveReminders as HealthRemindersInput,
} from '../../server/src/modules/health/reminder-schemas';
export type HealthLevel = import('../../server/src/modules/health/rules').Level;
export type TriageTicket = z.input<typeof import('../../server/src/modules/triage/schemas').ticketDetail>;
export type TriageTicketSummary = z.input<typeof import('../../server/src/modules/triage/schemas').ticketSummary>;
export type TriageTicketInput = z.input<typeof import('../../server/src/modules/triage/schemas').createTicket>;
