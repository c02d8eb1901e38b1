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
  if (!patient) throw notFound('就诊人');
  return patient;
}

export interface PatientRef {
  id: string;
  name: string;
  idNumberMasked: string;
  verificationStatus: string;
}

/** The same check in plain SQL (db/sql.ts) for hot paths, returning only what they show. */
export async function findOwnPatientRef(sql: Sql, userId: string, patientId: string): Promise<PatientRef> {
  const patient = await sql.one<PatientRef>(
    `SELECT id, name, id_number_masked AS "idNumberMasked", verification_status AS "verificationStatus"
     FROM patients WHERE id = ? AND user_id = ? AND deleted_at IS NULL`,
    [patientId, userId],
  );
  if (!patient) throw notFound('就诊人');
  return patient;
}
