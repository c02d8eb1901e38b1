import { asDate, type Sql } from '../../db/sql';
import { OWN_PATIENT, PATIENT_REF_COLUMNS, toPatientRef, type PatientRef } from '../../privacy/access';
import { ACTIVE_CONSENT_VERSION } from '../accounts/service';
import type { SlotLevel } from '../../his/types';
import type { DoctorTitle } from '../hospitals/schemas';
import type { AppointmentStatus } from './models';
import { DEFAULT_RULES, type Rules } from './rules';

/**
 * Read views of the booking hot path in plain SQL (db/sql.ts): one statement
 * gives a slot with its catalog names and its hospital's rules, or an
 * appointment with all of that and its patient, so a booking reads no row twice.
 */

/** A slot as booking needs it: its seats, its place in the catalog and its hospital's rules. */
export interface SlotView {
  id: string;
  hospitalId: string;
  departmentId: string;
  doctorId: string;
  date: string;
  period: 'am' | 'pm';
  startAt: Date;
  endAt: Date;
  level: SlotLevel;
  feeFen: number;
  capacity: number;
  booked: number;
  closed: boolean;
  doctor: { id: string; name: string; title: DoctorTitle };
  department: { id: string; name: string; location: string };
  hospital: { id: string; name: string; address: string };
  rules: Rules;
}

export interface AppointmentView {
  id: string;
  userId: string;
  patientId: string;
  status: AppointmentStatus;
  bookingCode: string;
  feeFen: number;
  hisStatus: 'pending' | 'confirmed' | 'rejected';
  cancelReason: string | null;
  fromWaitlist: boolean;
  requestHash: string | null;
  createdAt: Date;
  slot: SlotView;
  patient: { id: string; name: string; idNumber: string };
}

const RULE_FIELDS = Object.keys(DEFAULT_RULES) as Array<keyof Rules>;
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const SLOT_COLUMNS = `s.id AS "slotId", s.hospital_id AS "hospitalId", s.department_id AS "departmentId",
  s.doctor_id AS "doctorId", s.date, s.period, s.start_at AS "startAt", s.end_at AS "endAt", s.level,
  s.fee_fen AS "slotFeeFen", s.capacity, s.booked, s.closed,
  d.name AS "doctorName", d.title AS "doctorTitle", dep.name AS "departmentName", dep.location AS "departmentLocation",
  h.name AS "hospitalName", h.address AS "hospitalAddress",
  ${RULE_FIELDS.map((f) => `r.${snake(f)} AS "rule_${f}"`).join(', ')}`;

/** Left joins, so a booking context (below) has a row even when the slot does not exist. */
const SLOT_JOINS = `LEFT JOIN doctors d ON d.id = s.doctor_id
  LEFT JOIN departments dep ON dep.id = s.department_id
  LEFT JOIN hospitals h ON h.id = s.hospital_id
  LEFT JOIN booking_rules r ON r.hospital_id = s.hospital_id`;

const APPOINTMENT_SELECT = `SELECT a.id, a.user_id AS "userId", a.patient_id AS "patientId", a.status,
  a.booking_code AS "bookingCode", a.fee_fen AS "feeFen", a.his_status AS "hisStatus",
  a.cancel_reason AS "cancelReason", a.from_waitlist AS "fromWaitlist", a.request_hash AS "requestHash",
  a.created_at AS "createdAt", p.name AS "patientName", p.id_number_masked AS "patientIdNumber", ${SLOT_COLUMNS}
  FROM appointments a JOIN slots s ON s.id = a.slot_id JOIN patients p ON p.id = a.patient_id ${SLOT_JOINS}`;

type Row = Record<string, unknown>;

function toSlotView(r: Row): SlotView {
  const rules = { ...DEFAULT_RULES };
  for (const f of RULE_FIELDS) if (r[`rule_${f}`] !== null) (rules as Record<string, unknown>)[f] = r[`rule_${f}`];
  return {
    id: r.slotId as string,
    hospitalId: r.hospitalId as string,
    departmentId: r.departmentId as string,
    doctorId: r.doctorId as string,
    date: r.date as string,
    period: r.period as 'am' | 'pm',
    startAt: asDate(r.startAt),
    endAt: asDate(r.endAt),
    level: r.level as SlotLevel,
    feeFen: r.slotFeeFen as number,
    capacity: r.capacity as number,
    booked: r.booked as number,
    closed: Boolean(r.closed),
    doctor: { id: r.doctorId as string, name: r.doctorName as string, title: r.doctorTitle as DoctorTitle },
    department: {
      id: r.departmentId as string,
      name: r.departmentName as string,
      location: r.departmentLocation as string,
    },
    hospital: { id: r.hospitalId as string, name: r.hospitalName as string, address: r.hospitalAddress as string },
    rules,
  };
}

function toAppointmentView(r: Row): AppointmentView {
  return {
    id: r.id as string,
    userId: r.userId as string,
    patientId: r.patientId as string,
    status: r.status as AppointmentStatus,
    bookingCode: r.bookingCode as string,
    feeFen: r.feeFen as number,
    hisStatus: r.hisStatus as AppointmentView['hisStatus'],
    cancelReason: (r.cancelReason as string | null) ?? null,
    fromWaitlist: Boolean(r.fromWaitlist),
    requestHash: (r.requestHash as string | null) ?? null,
    createdAt: asDate(r.createdAt),
    slot: toSlotView(r),
    patient: { id: r.patientId as string, name: r.patientName as string, idNumber: r.patientIdNumber as string },
  };
}

export async function findSlotView(sql: Sql, slotId: string): Promise<SlotView | undefined> {
  const row = await sql.one<Row>(`SELECT ${SLOT_COLUMNS} FROM slots s ${SLOT_JOINS} WHERE s.id = ?`, [slotId]);
  return row && toSlotView(row);
}

/** One of a user's appointments, found by id or by the Idempotency-Key that created it. */
export async function findAppointmentView(
  sql: Sql,
  userId: string,
  by: { id: string } | { idempotencyKey: string },
): Promise<AppointmentView | undefined> {
  const row =
    'id' in by
      ? await sql.one<Row>(`${APPOINTMENT_SELECT} WHERE a.id = ? AND a.user_id = ?`, [by.id, userId])
      : await sql.one<Row>(`${APPOINTMENT_SELECT} WHERE a.user_id = ? AND a.idempotency_key = ?`, [
          userId,
          by.idempotencyKey,
        ]);
  return row && toAppointmentView(row);
}

export async function listAppointmentViews(
  sql: Sql,
  userId: string,
  q: { status?: AppointmentStatus; limit: number; offset: number },
): Promise<{ rows: AppointmentView[]; total: number }> {
  const where = q.status ? 'a.user_id = ? AND a.status = ?' : 'a.user_id = ?';
  const params = q.status ? [userId, q.status] : [userId];
  const rows = await sql.all<Row>(
    `${APPOINTMENT_SELECT} WHERE ${where} ORDER BY a.created_at DESC, a.id LIMIT ? OFFSET ?`,
    [...params, q.limit, q.offset],
  );
  const count = await sql.one<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM appointments a WHERE ${where}`,
    params,
  );
  return { rows: rows.map(toAppointmentView), total: Number(count?.n ?? 0) };
}

/** Everything a booking request checks before it queues for a seat, read by one statement. */
export interface BookingContext {
  /** Policy version of the account's active health-data consent, if any. */
  consentVersion: string | null;
  /** The patient if the account owns it (privacy/access). */
  patient: PatientRef | undefined;
  slot: SlotView | undefined;
  /** Whether the patient ever missed an appointment; only then is the suspension rule worth checking. */
  hasNoShows: boolean;
  /** Whether an appointment of this account already carries the Idempotency-Key. */
  keyUsed: boolean;
}

export async function findBookingContext(
  sql: Sql,
  q: { userId: string; patientId: string; slotId: string; idempotencyKey: string },
): Promise<BookingContext> {
  const row = (await sql.one<Row>(
    `SELECT ${ACTIVE_CONSENT_VERSION} AS "consentVersion",
       EXISTS (SELECT 1 FROM appointments WHERE user_id = ? AND idempotency_key = ?) AS "keyUsed",
       EXISTS (SELECT 1 FROM appointments WHERE patient_id = ? AND status = 'no_show') AS "hasNoShows",
       ${PATIENT_REF_COLUMNS}, ${SLOT_COLUMNS}
     FROM (SELECT 1 AS one) x LEFT JOIN ${OWN_PATIENT} LEFT JOIN slots s ON s.id = ? ${SLOT_JOINS}`,
    [q.userId, q.userId, q.idempotencyKey, q.patientId, q.patientId, q.userId, q.slotId],
  ))!;
  return {
    consentVersion: (row.consentVersion as string | null) ?? null,
    patient: toPatientRef(row),
    slot: row.slotId ? toSlotView(row) : undefined,
    hasNoShows: Boolean(row.hasNoShows),
    keyUsed: Boolean(row.keyUsed),
  };
}
