import type { Transaction } from 'sequelize';
import type { Sql } from '../db/sql';
import { notFound } from '../http/errors';
import { Patient } from '../modules/patients/models';

/**
 * The one access check for patient data: a user acts only on patients of
 * their own account. Anything else, including another user's patient, is
 * "not found", so ids cannot be probed. Every module that takes a patient id
 * goes through here.
 */
export async function findOwnPatient(
  userId: string,
  patientId: string,
  options: { transaction?: Transaction; lock?: boolean } = {},
): Promise<Patient> {
  const patient = await Patient.findOne({
    where: { id: patientId, userId, deletedAt: null },
    transaction: options.transaction,
    lock: options.lock,
  });
  return requireOwn(patient);
}

/** A patient found by the check above, or "not found". */
export function requireOwn<T>(patient: T | null | undefined): T {
  if (!patient) throw notFound('就诊人');
  return patient;
}

export interface PatientRef {
  id: string;
  name: string;
  idNumberMasked: string;
  verificationStatus: string;
}

/** The same check in plain SQL (db/sql.ts): patients `p` of user `?` with id `?`, for a JOIN. */
export const OWN_PATIENT = 'patients p ON p.id = ? AND p.user_id = ? AND p.deleted_at IS NULL';
/** What hot paths show of a patient found through OWN_PATIENT. */
export const PATIENT_REF_COLUMNS = `p.id AS "patientId", p.name AS "patientName",
  p.id_number_masked AS "patientIdNumberMasked", p.verification_status AS "patientVerificationStatus"`;

/** A PatientRef from a row with PATIENT_REF_COLUMNS, or undefined when the join found none. */
export function toPatientRef(row: Record<string, unknown>): PatientRef | undefined {
  if (!row.patientId) return undefined;
  return {
    id: row.patientId as string,
    name: row.patientName as string,
    idNumberMasked: row.patientIdNumberMasked as string,
    verificationStatus: row.patientVerificationStatus as string,
  };
}

/**
 * Serialises one account's writes on PostgreSQL, where transactions run side
 * by side (bookings and notice deliveries take the same row lock); SQLite's
 * writes are one at a time anyway. Call it first in the write, then check.
 */
export async function lockAccount(sql: Sql, userId: string): Promise<void> {
  if (sql.dialect === 'postgres') await sql.one('SELECT id FROM users WHERE id = ? FOR UPDATE', [userId]);
}
