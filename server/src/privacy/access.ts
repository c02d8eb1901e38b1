import type { Transaction } from 'sequelize';
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
