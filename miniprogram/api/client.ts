import { request } from './request';
import { saveSession } from './session';
import type {
  Appointment,
  Consent,
  DepartmentSchedule,
  DoctorDetail,
  Slot,
  WaitlistEntry,
  Department,
  Doctor,
  Hospital,
  HospitalSummary,
  Inbox,
  NotificationSettings,
  Me,
  Page,
  Patient,
  PatientInput,
  PrivacyPolicy,
  Observations,
  ReportDetail,
  ReportPage,
  Share,
  ShareCreated,
  ShareInput,
  SharedReport,
  SignIn,
  HospitalMap,
  Poi,
  Route,
  BillDetail,
  BillPage,
  CheckIn,
  CheckInWindow,
  QueueStatus,
  TriageAssessInput,
  TriageAssessment,
  TriageDepartmentMatch,
  TriageKnowledge,
  HealthProfile,
  HealthProfileInput,
  HealthRecord,
  HealthRecordInput,
  HealthSummary,
  HealthTimelineEntry,
  HealthReminders,
  HealthRemindersInput,
  MeasurementType,
  Article,
  ArticleSummary,
  TriageTicket,
  TriageTicketInput,
  TriageTicketSummary,
} from './types';

export { ApiError, request, API_BASE } from './request';

const id = encodeURIComponent;
const quiet = { toast: false };

async function signedIn(result: Promise<SignIn>): Promise<SignIn> {
  const r = await result;
  saveSession({ accessToken: r.accessToken, refreshToken: r.refreshToken });
  return r;
}

/** Every server call the pages make, typed from the server's own schemas. */
export const api = {
  hospitals: {
    list: (q: { q?: string; district?: string; page?: number; pageSize?: number }) =>
      request<Page<HospitalSummary>>('GET', '/hospitals', { query: q }),
    get: (hospitalId: string) => request<Hospital>('GET', `/hospitals/${id(hospitalId)}`),
    departments: (hospitalId: string) =>
      request<Page<Department>>('GET', `/hospitals/${id(hospitalId)}/departments`, {
        query: { pageSize: 100 },
        ...quiet,
      }),
  },
  departments: {
    doctors: (departmentId: string) =>
      request<Page<Doctor>>('GET', `/departments/${id(departmentId)}/doctors`, { query: { pageSize: 100 }, ...quiet }),
    /** Without a date the server opens on the first date with seats left; `days` covers the whole window. */
    schedule: (departmentId: string, date?: string) =>
      request<DepartmentSchedule>('GET', `/departments/${id(departmentId)}/schedule`, { query: { date }, ...quiet }),
  },
  doctors: {
    get: (doctorId: string) => request<DoctorDetail>('GET', `/doctors/${id(doctorId)}`),
    slots: (doctorId: string) => request<{ items: Slot[] }>('GET', `/doctors/${id(doctorId)}/slots`, quiet),
  },
  appointments: {
    /** The key makes a retried tap (slow network, double tap) return the first booking instead of a second. */
    create: (slotId: string, patientId: string, idempotencyKey: string) =>
      request<Appointment>('POST', '/appointments', {
        body: { slotId, patientId },
        headers: { 'Idempotency-Key': idempotencyKey },
        ...quiet,
      }),
    list: (status?: string) => request<Page<Appointment>>('GET', '/appointments', { query: { status, pageSize: 50 } }),
    get: (appointmentId: string) => request<Appointment>('GET', `/appointments/${id(appointmentId)}`),
    cancel: (appointmentId: string) => request<Appointment>('POST', `/appointments/${id(appointmentId)}/cancel`),
  },
  waitlist: {
    join: (slotId: string, patientId: string) =>
      request<WaitlistEntry>('POST', '/waitlist', { body: { slotId, patientId } }),
    list: () => request<{ items: WaitlistEntry[] }>('GET', '/waitlist'),
    leave: (entryId: string) => request<void>('DELETE', `/waitlist/${id(entryId)}`),
  },
  auth: {
    sendSmsCode: (phone: string) =>
      request<{ expiresIn: number; resendAfter: number }>('POST', '/auth/sms-code', { body: { phone } }),
    signInWithPhone: (phone: string, code: string) =>
      signedIn(request<SignIn>('POST', '/auth/phone', { body: { phone, code } })),
    signInWithWechat: (code: string) => signedIn(request<SignIn>('POST', '/auth/wechat', { body: { code } })),
    logout: async () => {
      await request<void>('POST', '/auth/logout', quiet).catch(() => undefined);
      saveSession(null);
    },
  },
  me: {
    get: () => request<Me>('GET', '/me', quiet),
    remove: async () => {
      await request<void>('DELETE', '/me');
      saveSession(null);
    },
    policy: () => request<PrivacyPolicy>('GET', '/privacy-policy'),
    consents: () => request<{ items: Consent[] }>('GET', '/me/consents'),
    grantConsent: (policyVersion: string) =>
      request<Consent>('POST', '/me/consents', { body: { kind: 'health_data', policyVersion } }),
    withdrawConsent: () => request<void>('DELETE', '/me/consents/health_data'),
  },
  notifications: {
    list: (q: { unread?: boolean; page?: number } = {}) =>
      request<Inbox>('GET', '/me/notifications', {
        query: { unread: q.unread ? 'true' : undefined, page: q.page, pageSize: 30 },
      }),
    unreadCount: () => request<{ unread: number }>('GET', '/me/notifications/unread-count', quiet),
    read: (notificationId: string) => request<void>('POST', `/me/notifications/${id(notificationId)}/read`, quiet),
    readAll: () => request<void>('POST', '/me/notifications/read-all'),
    settings: () => request<NotificationSettings>('GET', '/me/notification-settings'),
    saveSettings: (topics: Array<{ topic: string; channels: { wechat: boolean; sms: boolean; voice: boolean } }>) =>
      request<NotificationSettings>('PUT', '/me/notification-settings', { body: { topics }, ...quiet }),
    templates: () =>
      request<{ items: Array<{ kind: string; templateId: string }> }>('GET', '/notification-templates', quiet),
    recordSubscriptions: (results: Record<string, string>) =>
      request<{ granted: number }>('POST', '/me/subscriptions', { body: { results }, ...quiet }),
  },
  patients: {
    list: () => request<Page<Patient>>('GET', '/patients', { query: { pageSize: 20 } }),
    get: (patientId: string) => request<Patient>('GET', `/patients/${id(patientId)}`),
    create: (body: PatientInput) => request<Patient>('POST', '/patients', { body, ...quiet }),
    update: (patientId: string, body: Partial<PatientInput>) =>
      request<Patient>('PATCH', `/patients/${id(patientId)}`, { body, ...quiet }),
    reverify: (patientId: string) => request<Patient>('POST', `/patients/${id(patientId)}/verify`),
    remove: (patientId: string) => request<void>('DELETE', `/patients/${id(patientId)}`),
  },
  reports: {
    /** Without hospitalId it gathers every hospital; `unavailableHospitalIds` names those not reachable now. */
    list: (q: {
      patientId: string;
      hospitalId?: string;
      type?: 'lab' | 'exam';
      from?: string;
      to?: string;
      page?: number;
      pageSize?: number;
    }) => request<ReportPage>('GET', '/reports', { query: q }),
    get: (reportId: string) => request<ReportDetail>('GET', `/reports/${id(reportId)}`),
    /** One analyte over time (item code or analyte key), for the trend chart. */
    observations: (patientId: string, q: { code: string; from?: string; to?: string }) =>
      request<Observations>('GET', `/patients/${id(patientId)}/observations`, { query: q, ...quiet }),
    share: (reportId: string, body: ShareInput) =>
      request<ShareCreated>('POST', `/reports/${id(reportId)}/shares`, { body, ...quiet }),
    shares: (reportId: string) => request<{ items: Share[] }>('GET', `/reports/${id(reportId)}/shares`),
  },
  shares: {
    /** 我的分享. */
    list: (page = 1) => request<Page<Share>>('GET', '/shares', { query: { page, pageSize: 20 } }),
    revoke: (shareId: string) => request<void>('DELETE', `/shares/${id(shareId)}`),
    /**
     * The shared view, without signing in. The token comes from the page URL's fragment (`#t=`);
     * the access code travels in a header, never in the URL. Errors (ACCESS_CODE_REQUIRED,
     * ACCESS_CODE_WRONG, SHARE_LOCKED, SHARE_UNAVAILABLE) are for the page to show, not toasts.
     */
    view: (token: string, accessCode?: string) =>
      request<SharedReport>('GET', `/shared/${id(token)}`, {
        headers: accessCode ? { 'X-Access-Code': accessCode } : {},
        ...quiet,
      }),
  },
  navigation: {
    /** The indoor map (cacheable: the server answers 304 while the browser's copy is current). */
    map: (hospitalId: string) => request<HospitalMap>('GET', `/hospitals/${id(hospitalId)}/map`, quiet),
    pois: (hospitalId: string, q: { q?: string; departmentId?: string; category?: string }) =>
      request<{ items: Poi[] }>('GET', `/hospitals/${id(hospitalId)}/pois`, { query: q, ...quiet }),
    /** Without `from` the route starts at the main entrance; NO_ROUTE (422) is for the page to explain. */
    route: (hospitalId: string, q: { from?: string; to: string; accessible?: boolean }) =>
      request<Route>('GET', `/hospitals/${id(hospitalId)}/route`, {
        query: { from: q.from, to: q.to, accessible: q.accessible ? 'true' : undefined },
        ...quiet,
      }),
  },
  visit: {
    checkInWindow: (appointmentId: string) =>
      request<CheckInWindow>('GET', `/appointments/${id(appointmentId)}/check-in`, quiet),
    /** CHECK_IN_NOT_OPEN / CHECK_IN_CLOSED come back as errors with the server's message. */
    checkIn: (appointmentId: string) => request<CheckIn>('POST', `/appointments/${id(appointmentId)}/check-in`),
    /** Polled while the queue page is visible; errors (HIS_UNAVAILABLE) are for the page to show, not toasts. */
    queue: (appointmentId: string) => request<QueueStatus>('GET', `/appointments/${id(appointmentId)}/queue`, quiet),
  },
  bills: {
    list: (q: {
      patientId: string;
      hospitalId?: string;
      from?: string;
      to?: string;
      status?: 'paid' | 'unpaid';
      page?: number;
    }) => request<BillPage>('GET', '/bills', { query: { ...q, pageSize: 20 }, ...quiet }),
    get: (billId: string) => request<BillDetail>('GET', `/bills/${id(billId)}`, quiet),
  },
  triage: {
    knowledge: () => request<TriageKnowledge>('GET', '/triage/knowledge'),
    assess: (body: TriageAssessInput) => request<TriageAssessment>('POST', '/triage/assess', { body, ...quiet }),
    /** The hospital's own department for a standard name (404 DEPARTMENT_NOT_OFFERED when it has none). */
    department: (hospitalId: string, name: string) =>
      request<TriageDepartmentMatch>('GET', `/triage/hospitals/${id(hospitalId)}/department`, {
        query: { name },
        ...quiet,
      }),
    /** 人工分诊: the caller's tickets, one with its conversation, a new one, a reply. */
    tickets: () => request<Page<TriageTicketSummary>>('GET', '/triage/tickets', { query: { pageSize: 50 } }),
    ticket: (ticketId: string) => request<TriageTicket>('GET', `/triage/tickets/${id(ticketId)}`),
    openTicket: (body: TriageTicketInput) => request<TriageTicket>('POST', '/triage/tickets', { body, ...quiet }),
    replyTicket: (ticketId: string, text: string) =>
      request<TriageTicket>('POST', `/triage/tickets/${id(ticketId)}/messages`, { body: { text }, ...quiet }),
  },
  health: {
    /** Errors (IMPLAUSIBLE_VALUE with the field, CONSENT_REQUIRED) are for the form to show, not toasts. */
    create: (body: HealthRecordInput) => request<HealthRecord>('POST', '/health/records', { body, ...quiet }),
    list: (q: {
      patientId: string;
      type?: MeasurementType;
      from?: string;
      to?: string;
      page?: number;
      pageSize?: number;
    }) => request<Page<HealthRecord>>('GET', '/health/records', { query: q, ...quiet }),
    remove: (recordId: string) => request<void>('DELETE', `/health/records/${id(recordId)}`),
    summary: (q: { patientId: string; type: MeasurementType; days: 7 | 30 | 90 }) =>
      request<HealthSummary>('GET', '/health/summary', { query: q, ...quiet }),
    profile: (patientId: string) =>
      request<HealthProfile>('GET', '/health/profile', { query: { patientId }, ...quiet }),
    saveProfile: (body: HealthProfileInput) => request<HealthProfile>('PUT', '/health/profile', { body, ...quiet }),
    timeline: (patientId: string) =>
      request<{ items: HealthTimelineEntry[] }>('GET', '/health/timeline', { query: { patientId }, ...quiet }),
    reminders: (patientId: string) =>
      request<HealthReminders>('GET', '/health/reminders', { query: { patientId }, ...quiet }),
    saveReminders: (body: HealthRemindersInput) =>
      request<HealthReminders>('PUT', '/health/reminders', { body, ...quiet }),
  },
  articles: {
    /** 健康知识: public, no sign-in. */
    list: (q: { q?: string; category?: string; page?: number }) =>
      request<Page<ArticleSummary>>('GET', '/articles', { query: { ...q, pageSize: 20 } }),
    /** The body comes rendered to a safe HTML subset (no raw HTML, links, images or attributes). */
    get: (articleId: string) => request<Article>('GET', `/articles/${id(articleId)}`),
  },
};
