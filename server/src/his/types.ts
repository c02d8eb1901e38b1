/**
 * The hospital information system (HIS) as the platform sees it. Modules use
 * only this interface; `HttpHisClient` implements it over the HTTP contract in
 * docs/his-interface.md, so a real hospital replaces the simulator by
 * configuration alone.
 */

/** Where a hospital's HIS lives and the secret both sides sign with; `code` is the hospital's registry code. */
export interface HisTarget {
  code: string;
  baseUrl: string;
  secret: string;
}

export type HisHospitalLevel = 'tertiary_a' | 'tertiary_b';

export interface HisHospitalProfile {
  code: string;
  name: string;
  level: HisHospitalLevel;
  district: string;
  address: string;
  phone: string;
  intro: string;
}

export interface HisDepartment {
  code: string;
  name: string;
  location: string;
  intro: string;
}

export type DoctorTitle = 'chief_physician' | 'associate_chief_physician' | 'attending_physician';

export interface HisDoctor {
  code: string;
  departmentCode: string;
  name: string;
  gender: 'male' | 'female';
  title: DoctorTitle;
  specialty: string;
  intro: string;
  /** HTTPS address of the doctor's photo, when the hospital publishes one. */
  photoUrl?: string;
}

export type SlotLevel = 'normal' | 'expert' | 'special';

/** One doctor's half-day session with its timed slots (at most 30 minutes each). */
export interface HisSession {
  doctorCode: string;
  departmentCode: string;
  date: string; // YYYY-MM-DD, Shanghai
  period: 'am' | 'pm';
  level: SlotLevel;
  feeFen: number;
  /** `stopped` (停诊) is the only way a hospital closes a session's slots; a session missing from an answer is kept. */
  status: 'open' | 'stopped';
  stopReason?: string;
  slots: Array<{ code: string; startTime: string; endTime: string; capacity: number }>;
}

export interface HisBookingRequest {
  idempotencyKey: string;
  slotCode: string;
  patient: { name: string; idNumber: string; phone: string };
}

export type HisReportStatus = 'preliminary' | 'final' | 'amended';

/** One result item of a lab report (检验项目). `value` is text: `5.6`, `阴性`, `+`, `1:320`. */
export interface HisReportItem {
  code: string;
  name: string;
  value: string;
  unit?: string;
  referenceRange?: { low?: number; high?: number; text?: string };
  /** The hospital's own flag, kept as given (e.g. `H`, `↑`); the platform flags from the range. */
  hospitalFlag?: string;
}

/**
 * A lab (检验) or imaging/exam (检查) report as the hospital holds it. `code`
 * is the hospital's own and stable: a finalised or amended version keeps it.
 */
export interface HisReport {
  code: string;
  type: 'lab' | 'exam';
  title: string;
  specimen?: string;
  status: HisReportStatus;
  /** ISO 8601 with an offset. */
  reportedAt: string;
  department: string;
  orderedBy: string;
  items?: HisReportItem[];
  findings?: string;
  impression?: string;
}

/** A clinic room (诊室) with its own queue; `code` is the hospital's own and stable. */
export interface HisRoom {
  code: string;
  name: string;
}

/** What a check-in (签到) gives: the patient's queue number in the room of their visit. */
export interface HisCheckIn {
  queueNumber: number;
  room: HisRoom;
}

/** One clinic room's queue (排队叫号) as the hospital sees it now. */
export interface HisQueue {
  room: HisRoom;
  /** The number being called (or seen) now; null before the session starts. */
  calling: number | null;
  /** Numbers checked in and not yet called, in calling order. */
  waiting: number[];
  /** Durations of the latest consultations in this room, oldest first, in seconds. */
  recentDurationsSec: number[];
  /** ISO 8601 with an offset: when the hospital last changed this queue. */
  updatedAt: string;
}

export type BillCategory = '西药费' | '中药费' | '检查费' | '化验费' | '治疗费' | '挂号费' | '材料费' | '其他';

/** One line of a bill: money in integer fen; `amountFen` should be quantity × unit price. */
export interface HisBillItem {
  category: BillCategory;
  name: string;
  quantity: number;
  unitPriceFen: number;
  amountFen: number;
}

/** A bill (费用清单) of one visit; the parts should add up, and the platform checks that they do. */
export interface HisBill {
  code: string;
  visitCode: string;
  /** YYYY-MM-DD, Shanghai. */
  visitDate: string;
  department: string;
  status: 'paid' | 'unpaid';
  totalFen: number;
  /** 医保统筹: the part the insurance fund pays. */
  insuranceFen: number;
  /** 自费: what the patient pays. */
  selfPayFen: number;
  items: HisBillItem[];
}

/** Health of the link to one hospital, from its circuit breaker. */
export type HisStatus = 'online' | 'unavailable';

/** The link to one hospital over its recent calls, for the console's HIS health. */
export interface HisHealth {
  status: HisStatus;
  calls: number;
  failures: number;
  /** Mean and 95th percentile of the recent calls' durations, in ms. */
  latencyMs: { mean: number; p95: number } | null;
  lastError: { reason: string; at: string } | null;
}

export interface HisClient {
  getProfile(target: HisTarget): Promise<HisHospitalProfile>;
  listDepartments(target: HisTarget): Promise<HisDepartment[]>;
  listDoctors(target: HisTarget): Promise<HisDoctor[]>;
  listSessions(target: HisTarget, from: string, to: string): Promise<HisSession[]>;
  /** Confirms a booking; repeating the same idempotency key returns the same booking. */
  confirmBooking(target: HisTarget, booking: HisBookingRequest): Promise<{ hisBookingId: string }>;
  cancelBooking(target: HisTarget, hisBookingId: string, idempotencyKey: string): Promise<void>;
  /** The booking a confirmation with this idempotency key made, if the hospital has one (404 NO_SUCH_BOOKING otherwise). */
  findBooking(
    target: HisTarget,
    idempotencyKey: string,
  ): Promise<{ hisBookingId: string; status: 'booked' | 'cancelled' }>;
  /** A patient's reports, every status (the platform gates what it shows); a patient unknown there has none. */
  queryReports(target: HisTarget, query: { idNumber: string; from?: string; to?: string }): Promise<HisReport[]>;
  /**
   * The hospital's indoor map (docs/navigation-map.md), as sent: a JSON object
   * the navigation module validates before using it.
   */
  getMap(target: HisTarget): Promise<Record<string, unknown>>;
  /** Checks a booking in (签到); repeating the same idempotency key returns the same queue number. */
  checkIn(target: HisTarget, input: { idempotencyKey: string; hisBookingId: string }): Promise<HisCheckIn>;
  /** One clinic room's queue now. */
  getQueue(target: HisTarget, roomCode: string): Promise<HisQueue>;
  /** A patient's bills, paid and unpaid (dates on the visit, inclusive); a patient unknown there has none. */
  queryBills(target: HisTarget, query: { idNumber: string; from?: string; to?: string }): Promise<HisBill[]>;
  status(hospitalCode: string): HisStatus;
  health(hospitalCode: string): HisHealth;
}

/** The hospital could not be reached, timed out, failed, or its breaker is open. */
export class HisUnavailableError extends Error {
  constructor(
    readonly hospitalCode: string,
    readonly reason: string,
  ) {
    super(`HIS of ${hospitalCode} unavailable: ${reason}`);
    this.name = 'HisUnavailableError';
  }
}

/** The hospital answered with a documented refusal (a business rule on its side, docs/his-interface.md). */
export class HisRejectedError extends Error {
  constructor(
    readonly hospitalCode: string,
    readonly hisCode: string,
    readonly hisMessage: string,
  ) {
    super(`HIS of ${hospitalCode} rejected: ${hisCode}`);
    this.name = 'HisRejectedError';
  }
}
