import type { Sql } from '../../db/sql';

/**
 * Erases the measurements, reminders and 健康档案 of patients being erased (one, or all
 * of an account), in the caller's transaction (patients/erase.ts).
 */
export async function eraseHealth(sql: Sql, who: { userId: string; patientId?: string }) {
  const one = Boolean(who.patientId);
  const patients = one
    ? 'SELECT id FROM patients WHERE id = ? AND user_id = ?'
    : 'SELECT id FROM patients WHERE user_id = ?';
  const params = one ? [who.patientId!, who.userId] : [who.userId];
  await sql.run(`DELETE FROM health_records WHERE patient_id IN (${patients})`, params);
  await sql.run(`DELETE FROM health_reminders WHERE patient_id IN (${patients})`, params);
  await sql.run(`DELETE FROM health_profiles WHERE patient_id IN (${patients})`, params);
}
